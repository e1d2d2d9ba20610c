namespace Repos.Recovery;

/// <summary>
/// Where <see cref="DamagedFileAction.RestoreLatestBackup"/> looks for backups: one seam, so the backups
/// Repos makes itself (with their manifests) can be offered here too.
/// </summary>
internal static class BackupLocator
{
    /// <summary>The backups of the database file at a path, newest first.</summary>
    public static Func<string, IReadOnlyList<string>> Candidates { get; set; } = BesideTheFile;

    /// <summary>Files named after the database and ending in <c>.bak</c> in its folder (migration copies, replaced files, the app's own), newest first.</summary>
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
