namespace Repos.Recovery;

/// <summary>A database file that failed to open because it is damaged, as <see cref="ReposDatabaseOptions.OnDamagedFile"/> is told of it.</summary>
public sealed class DamagedFile
{
    internal DamagedFile(string path, Exception error, IReadOnlyList<string> backups)
    {
        Path = path;
        Error = error;
        Backups = backups;
    }

    /// <summary>The file.</summary>
    public string Path { get; }

    /// <summary>What the open met: SQLite's "malformed" or "not a database" error, or a damaged row the open had to read.</summary>
    public Exception Error { get; }

    /// <summary>
    /// The backups <see cref="DamagedFileAction.RestoreLatestBackup"/> would try, newest first (not yet checked:
    /// the restore takes the first that opens and verifies). Empty when there is none.
    /// </summary>
    public IReadOnlyList<string> Backups { get; }
}
