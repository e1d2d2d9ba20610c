using Repos.Internal;
using Repos.Storage.Sqlite;

namespace Repos.Storage;

/// <summary>
/// What an open checks about a file before it changes anything (before the switch to WAL, before the catalog):
/// that it is a SQLite database, and that it is a Repos file, an empty one, or a foreign database the app
/// allowed Repos into whose own objects leave Repos the names it needs.
/// </summary>
internal static class FileOpenCheck
{
    /// <summary>
    /// Checks the file <paramref name="connection"/> is open on, reading only its schema.
    /// </summary>
    /// <exception cref="ReposStorageException">The file is not a SQLite database (result code 26).</exception>
    /// <exception cref="ReposForeignDatabaseException">The file is another program's database, and Repos may not, or cannot, be added to it.</exception>
    public static void Run(SqliteConnection connection, string path, ReposDatabaseOptions options, IReadOnlyList<EntityDefinition> entities)
    {
        var names = new List<(string Type, string Name)>();
        try
        {
            using SqliteStatement schema = connection.PrepareOnce("SELECT type, name FROM sqlite_schema");
            while (schema.Step())
            {
                names.Add((schema.ColumnText(0), schema.ColumnText(1)));
            }
        }
        catch (ReposStorageException e) when (e.ResultCode == SqliteCodes.NotADatabase)
        {
            throw NotADatabase(path, e);
        }

        if (names.Count == 0 || names.Exists(n => n.Type == "table" && n.Name == "_repos_meta"))
        {
            return;
        }

        if (!options.AllowForeignDatabase || options.ReadOnly)
        {
            int tables = names.Count(n => n.Type == "table");
            string what = options.ReadOnly
                ? "a read-only open can only read Repos files"
                : "Repos adds its tables to such a file only when ReposDatabaseOptions.AllowForeignDatabase is set";
            throw new ReposForeignDatabaseException(
                path,
                $"The file '{path}' is a SQLite database of another program: it has {tables} {(tables == 1 ? "table" : "tables")} of its own ({Sample(names)}) and no Repos catalog; {what}. Nothing was changed.",
                []);
        }

        var wanted = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (EntityDefinition entity in entities)
        {
            wanted.Add(entity.TableName);
            foreach (IndexDefinition index in entity.Indexes)
            {
                wanted.Add(entity.TableName + "_" + index.Name);
            }
        }

        // SQLite's names ignore case; sqlite_ names are SQLite's own (autoindexes, sqlite_sequence).
        List<string> conflicts = names
            .Select(n => n.Name)
            .Where(n => !n.StartsWith("sqlite_", StringComparison.OrdinalIgnoreCase)
                && (wanted.Contains(n) || n.StartsWith("_repos_", StringComparison.OrdinalIgnoreCase)))
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();
        if (conflicts.Count > 0)
        {
            throw new ReposForeignDatabaseException(
                path,
                $"Repos cannot be added to the SQLite database '{path}': its own {string.Join(", ", conflicts)} {(conflicts.Count == 1 ? "has a name" : "have names")} Repos needs for the model's tables, their indexes or its catalog. Nothing was changed. Rename {(conflicts.Count == 1 ? "it" : "them")} in the file, or give the entities other table names.",
                conflicts);
        }
    }

    /// <summary>The error for a file SQLite does not read as a database, naming it.</summary>
    public static ReposStorageException NotADatabase(string path, ReposStorageException e) => new(
        $"The file '{path}' is not a SQLite database (its first bytes are not a SQLite header); Repos did not change it. Check the path, or move the file away to create a new database there.",
        e.ResultCode,
        e.ExtendedResultCode);

    private static string Sample(List<(string Type, string Name)> names)
    {
        List<string> tables = names.Where(n => n.Type == "table").Select(n => n.Name).Take(4).ToList();
        if (tables.Count == 0)
        {
            tables = names.Select(n => n.Name).Take(4).ToList();
        }

        return string.Join(", ", tables) + (names.Count > tables.Count ? ", ..." : string.Empty);
    }
}
