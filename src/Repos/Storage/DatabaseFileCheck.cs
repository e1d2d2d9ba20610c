using System.Globalization;
using Repos.Storage.Sqlite;

namespace Repos.Storage;

/// <summary>
/// Checks that a file is a whole Repos database: SQLite's <c>quick_check</c> (every page of every table
/// and index is well formed and in its place, every record decodes) and a Repos catalog this version can
/// read. Used on every backup before it is recorded and on every copy before it is restored.
/// </summary>
internal static class DatabaseFileCheck
{
    private const int MaxProblems = 10;

    /// <summary>The database version a Repos file records, or null when it cannot be read.</summary>
    public static int? ReadVersion(string path)
    {
        try
        {
            using SqliteConnection connection = SqliteConnection.Open(path, readOnly: true, create: false);
            return Catalog.Exists(connection) ? Catalog.ReadDatabaseVersion(connection) : null;
        }
        catch (ReposStorageException)
        {
            return null;
        }
    }

    /// <summary>
    /// Checks the file at <paramref name="path"/>. With <paramref name="makeStandalone"/> the file is first
    /// switched to a rollback journal (a copy of a WAL file says WAL in its header): it then opens without a
    /// write-ahead log and leaves no <c>-wal</c> or <c>-shm</c> file beside it.
    /// </summary>
    /// <remarks>
    /// The file is read with ordinary reads. A memory map makes <c>quick_check</c> a third faster, but turns a
    /// read error of a failing disk into the end of the process (SIGBUS) instead of a reported problem.
    /// </remarks>
    public static FileCheckResult Run(string path, bool makeStandalone)
    {
        SqliteConnection connection;
        try
        {
            connection = SqliteConnection.Open(path, readOnly: !makeStandalone, create: false);
        }
        catch (ReposStorageException e)
        {
            return FileCheckResult.Failed(e.Message);
        }

        using (connection)
        {
            try
            {
                connection.Execute("PRAGMA busy_timeout=0");

                if (makeStandalone && connection.ExecuteText("PRAGMA journal_mode=DELETE") is not "delete")
                {
                    return FileCheckResult.Failed("its journal mode could not be set (is it open elsewhere?)");
                }

                var problems = new List<string>();
                using (SqliteStatement check = connection.PrepareOnce(string.Create(CultureInfo.InvariantCulture, $"PRAGMA quick_check({MaxProblems})")))
                {
                    while (check.Step())
                    {
                        string line = check.ColumnText(0);
                        if (line != "ok")
                        {
                            problems.Add(line);
                        }
                    }
                }

                if (problems.Count > 0)
                {
                    return FileCheckResult.Failed("SQLite's quick_check found: " + string.Join("; ", problems));
                }

                if (connection.ExecuteScalar("SELECT count(*) FROM sqlite_schema WHERE type='table' AND name='_repos_meta'") == 0)
                {
                    return FileCheckResult.Failed("it is not a Repos database file (it has no Repos catalog)");
                }

                long format = connection.ExecuteScalar("SELECT value FROM _repos_meta WHERE key='format'");
                if (format > Catalog.NewestReadableFormat)
                {
                    return FileCheckResult.Failed($"its catalog has format {format}, written by a newer version of Repos");
                }

                int version = Catalog.ReadDatabaseVersion(connection);
                long pages = connection.ExecuteScalar("PRAGMA page_count");
                return new FileCheckResult(null, version, pages);
            }
            catch (ReposStorageException e)
            {
                return FileCheckResult.Failed(e.Message);
            }
        }
    }
}

/// <summary>What <see cref="DatabaseFileCheck"/> found: null <see cref="Problem"/> when the file is whole.</summary>
internal readonly record struct FileCheckResult(string? Problem, int DatabaseVersion, long PageCount)
{
    public bool IsValid => Problem is null;

    public static FileCheckResult Failed(string problem) => new(problem, 0, 0);
}
