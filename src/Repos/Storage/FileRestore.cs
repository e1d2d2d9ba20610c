using System.Globalization;
using Repos.Storage.Sqlite;

namespace Repos.Storage;

/// <summary>Puts a copy of a database file back in its place, keeping the file it replaces.</summary>
internal static class FileRestore
{
    public static string Restore(string path, string backupPath)
    {
        string target = Path.GetFullPath(path);
        string source = Path.GetFullPath(backupPath);
        if (!File.Exists(source))
        {
            throw new FileNotFoundException($"The backup '{source}' does not exist.", source);
        }

        // The copy must be a Repos file before anything is touched.
        using (SqliteConnection check = SqliteConnection.Open(source, readOnly: true, create: false))
        {
            if (check.ExecuteScalar("SELECT count(*) FROM sqlite_schema WHERE type='table' AND name='_repos_meta'") == 0)
            {
                throw new ReposSchemaException($"'{source}' is not a Repos database file; nothing was changed.");
            }
        }

        string stamp = DateTime.UtcNow.ToString("yyyyMMdd-HHmmss-fff", CultureInfo.InvariantCulture);
        string kept = $"{target}.replaced-{stamp}.bak";
        if (File.Exists(target))
        {
            // Fold the write-ahead log into the file first, so the kept file holds every committed write.
            using (SqliteConnection current = SqliteConnection.Open(target, readOnly: false, create: false))
            {
                current.Execute("PRAGMA wal_checkpoint(TRUNCATE)");
            }

            File.Copy(target, kept);
        }

        // Copy beside the target, then rename over it: the file is either the old one or the restored one.
        string restoring = $"{target}.restoring-{stamp}";
        File.Copy(source, restoring);
        foreach (string sidecar in new[] { target + "-wal", target + "-shm" })
        {
            if (File.Exists(sidecar))
            {
                File.Delete(sidecar);
            }
        }

        File.Move(restoring, target, overwrite: true);
        return File.Exists(kept) ? kept : string.Empty;
    }
}
