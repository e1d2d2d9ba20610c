using Repos.Backup;

namespace Repos.Storage;

/// <summary>
/// The files operations killed part way leave behind, found and removed safely: a backup's reserved
/// <c>&lt;id&gt;.db</c> and its <c>&lt;id&gt;.db.partial</c> copy (and manifest) in the backups folder, a restore's
/// <c>&lt;file&gt;.restoring-&lt;guid&gt;</c> staged copy beside the database. A file belongs to an operation in progress
/// as long as its <see cref="OperationLock"/> is held, and is never touched then.
/// </summary>
internal static class Leftovers
{
    private const string RestoringMarker = ".restoring-";

    // The identifiers ReposBackups.Reserve gives: time, kind, and a number when two share a millisecond.
    private static readonly System.Text.RegularExpressions.Regex s_backupId = new(
        "^[0-9]{8}-[0-9]{6}-[0-9]{3}-(manual|scheduled|before-migration|before-import|before-restore)(-[0-9]+)?$",
        System.Text.RegularExpressions.RegexOptions.CultureInvariant);

    /// <summary>Removes what killed backups left in <paramref name="folder"/>; failures to delete are left for the next time.</summary>
    public static void CleanBackups(string folder) => Visit(BackupOperations(folder), remove: true);

    /// <summary>Removes what killed restores of <paramref name="databasePath"/> left beside it.</summary>
    public static void CleanRestores(string databasePath) => Visit(RestoreOperations(databasePath), remove: true);

    /// <summary>The files killed backups and restores left, and their bytes, without removing them.</summary>
    public static (int Files, long Bytes) Count(string databasePath, string backupFolder)
    {
        (int files, long bytes) = Visit(BackupOperations(backupFolder), remove: false);
        (int restoreFiles, long restoreBytes) = Visit(RestoreOperations(databasePath), remove: false);
        return (files + restoreFiles, bytes + restoreBytes);
    }

    /// <summary>
    /// For each operation (its lock file and the files it guards) that has ended, counts its files, and with
    /// <paramref name="remove"/> deletes them while holding its lock, the lock file last.
    /// </summary>
    private static (int Files, long Bytes) Visit(IEnumerable<(string Lock, List<string> Files)> operations, bool remove)
    {
        int count = 0;
        long bytes = 0;
        foreach ((string lockPath, List<string> files) in operations)
        {
            if (!OperationLock.IsAbandoned(lockPath, remove, out OperationLock? held))
            {
                continue;
            }

            using (held)
            {
                foreach (string file in files)
                {
                    try
                    {
                        var info = new FileInfo(file);
                        if (!info.Exists)
                        {
                            continue;
                        }

                        long length = info.Length;
                        if (remove)
                        {
                            info.Delete();
                        }
                        else
                        {
                            count++;
                            bytes += length;
                        }
                    }
                    catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                    {
                        // In use or not ours to delete: left for the next time.
                    }
                }

                if (!remove && held is null && File.Exists(lockPath))
                {
                    count++;
                }
            }
        }

        return (count, bytes);
    }

    /// <summary>The backups in <paramref name="folder"/> whose files say they did not finish: a partial copy, or a data file without a manifest.</summary>
    private static IEnumerable<(string Lock, List<string> Files)> BackupOperations(string folder)
    {
        if (!Directory.Exists(folder))
        {
            yield break;
        }

        var ids = new SortedSet<string>(StringComparer.Ordinal);
        foreach (string path in SafeEnumerate(folder, "*"))
        {
            string name = Path.GetFileName(path);
            string? id = StripEnd(name, BackupManifest.DataExtension + BackupManifest.PartialExtension)
                ?? StripEnd(name, BackupManifest.ManifestExtension + BackupManifest.PartialExtension)
                ?? StripEnd(name, OperationLock.Extension)
                ?? StripEnd(name, BackupManifest.DataExtension);
            // Only names a backup gives its files: a backups folder may be shared with other files.
            if (id is not null && s_backupId.IsMatch(id))
            {
                ids.Add(id);
            }
        }

        foreach (string id in ids)
        {
            string stem = Path.Combine(folder, id);
            string data = stem + BackupManifest.DataExtension;
            string partial = data + BackupManifest.PartialExtension;
            bool recorded = File.Exists(stem + BackupManifest.ManifestExtension);
            var files = new List<string> { partial, partial + "-journal", partial + "-wal", partial + "-shm", stem + BackupManifest.ManifestExtension + BackupManifest.PartialExtension };
            if (!recorded)
            {
                // A data file with no manifest was never recorded: the backup did not finish.
                files.Add(data);
            }

            if (files.Exists(File.Exists) || File.Exists(stem + OperationLock.Extension))
            {
                yield return (stem + OperationLock.Extension, files);
            }
        }
    }

    /// <summary>The restores of <paramref name="databasePath"/> whose staged copy is still beside it.</summary>
    private static IEnumerable<(string Lock, List<string> Files)> RestoreOperations(string databasePath)
    {
        string full = Path.GetFullPath(databasePath);
        string? folder = Path.GetDirectoryName(full);
        if (folder is null || !Directory.Exists(folder))
        {
            yield break;
        }

        string prefix = Path.GetFileName(full) + RestoringMarker;
        var stems = new SortedSet<string>(StringComparer.Ordinal);
        foreach (string path in SafeEnumerate(folder, prefix + "*"))
        {
            string rest = Path.GetFileName(path)[prefix.Length..];
            if (rest.Length >= 32 && Guid.TryParseExact(rest[..32], "N", out _))
            {
                stems.Add(Path.Combine(folder, prefix + rest[..32]));
            }
        }

        foreach (string stem in stems)
        {
            yield return (stem + OperationLock.Extension, [stem, stem + "-journal", stem + "-wal", stem + "-shm"]);
        }
    }

    private static string? StripEnd(string name, string end) =>
        name.Length > end.Length && name.EndsWith(end, StringComparison.Ordinal) ? name[..^end.Length] : null;

    private static List<string> SafeEnumerate(string folder, string pattern)
    {
        try
        {
            return Directory.EnumerateFiles(folder, pattern).ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }
}
