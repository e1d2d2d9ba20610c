using Repos.Backup;

namespace Repos.Recovery;

/// <summary>
/// Where <see cref="DamagedFileAction.RestoreLatestBackup"/> looks for backups: the backups Repos recorded
/// (<see cref="ReposBackups"/>, read from their manifests, so a damaged database does not matter), then
/// copies beside the file from before Repos recorded them. One seam, which tests may replace.
/// </summary>
internal static class BackupLocator
{
    /// <summary>The backups of the database file at a path, with its backups folder (null for the default), newest first.</summary>
    public static Func<string, string?, IReadOnlyList<string>> Candidates { get; set; } = Find;

    /// <summary>
    /// The recorded backups of the file, newest first, then files named after it ending in <c>.bak</c> in its
    /// folder (migration copies and replaced files from earlier versions of Repos, the app's own), newest first.
    /// </summary>
    public static IReadOnlyList<string> Find(string path, string? backupFolder)
    {
        var found = new List<string>();
        foreach (BackupInfo backup in ReposBackups.ForFile(path, backupFolder).List(CancellationToken.None))
        {
            found.Add(backup.Path);
        }

        found.AddRange(BesideTheFile(path));
        return found;
    }

    /// <summary>Files named after the database and ending in <c>.bak</c> in its folder, newest first.</summary>
    public static IReadOnlyList<string> BesideTheFile(string path)
    {
        string? folder = Path.GetDirectoryName(path);
        if (folder is null || !Directory.Exists(folder))
        {
            return [];
        }

        return new DirectoryInfo(folder)
            .EnumerateFiles(Path.GetFileName(path) + "*.bak")
            .OrderByDescending(f => f.LastWriteTimeUtc)
            .ThenByDescending(f => f.Name, StringComparer.Ordinal)
            .Select(f => f.FullName)
            .ToList();
    }
}
