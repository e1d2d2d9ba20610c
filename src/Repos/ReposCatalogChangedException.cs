namespace Repos;

/// <summary>
/// Another process (usually another version of the app) changed the file's catalog while this database had it
/// open, in a way this process cannot follow: it migrated an entity to a newer version, changed or dropped
/// an index, or changed a field's type. The write was refused and nothing was written; reads that could give
/// wrong values are refused too. Close the database and open it again (restart the app), which brings the
/// file and this app's model together or says why they cannot be.
/// </summary>
/// <remarks>
/// Changes this process can follow are taken in without an error: fields a newer app added are carried over
/// on every rewrite, as when the file is opened.
/// </remarks>
public sealed class ReposCatalogChangedException : ReposException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="path">The database file.</param>
    /// <param name="entity">The entity whose stored shape changed, or null for a change of the whole database.</param>
    /// <param name="reason">What changed.</param>
    public ReposCatalogChangedException(string path, string? entity, string reason)
        : base($"Another process changed the catalog of '{path}' while this database had it open: {reason}. " +
               "Nothing was written. Close the database and open it again (restart the app); if the file was upgraded by a newer version of the app, update this one.")
    {
        Path = path;
        Entity = entity;
        Reason = reason;
    }

    /// <summary>The database file.</summary>
    public string Path { get; }

    /// <summary>The entity whose stored shape changed, or null for a change of the whole database.</summary>
    public string? Entity { get; }

    /// <summary>What changed.</summary>
    public string Reason { get; }
}
