namespace Repos;

/// <summary>
/// The file is a SQLite database of another program: it has tables (or views, indexes, triggers) of its own
/// and no Repos catalog. Repos refuses to add its tables to such a file unless
/// <see cref="ReposDatabaseOptions.AllowForeignDatabase"/> is set, and even then refuses when one of the file's
/// own objects has a name Repos needs (<see cref="ConflictingNames"/>). Nothing was changed: not a byte of the
/// file, nor its journal mode.
/// </summary>
public sealed class ReposForeignDatabaseException : ReposSchemaException
{
    /// <summary>Creates the exception for a foreign database file.</summary>
    /// <param name="databasePath">The file.</param>
    /// <param name="message">What was found and what to do.</param>
    /// <param name="conflictingNames">The file's own objects whose names Repos needs, or empty.</param>
    public ReposForeignDatabaseException(string databasePath, string message, IReadOnlyList<string> conflictingNames)
        : base(message)
    {
        DatabasePath = databasePath;
        ConflictingNames = conflictingNames;
    }

    /// <summary>The database file that was refused.</summary>
    public string DatabasePath { get; }

    /// <summary>
    /// The file's own tables, indexes, views or triggers whose names the model's tables, their indexes or the
    /// Repos catalog would take; empty when the file was refused only because adding Repos to it was not allowed.
    /// </summary>
    public IReadOnlyList<string> ConflictingNames { get; }
}
