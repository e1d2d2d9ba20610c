namespace Repos;

/// <summary>
/// The file's catalog (the entities, the field ids of every stored type, the indexes) was damaged and nothing
/// in the file says for certain what it was, so no row could be read or written without risking wrong values.
/// Nothing was changed. Restore a backup or salvage the file (<see cref="ReposDatabaseOptions.OnDamagedFile"/>
/// does either at open).
/// </summary>
/// <remarks>
/// A damaged catalog whose sealed copy is intact is repaired at a writable open instead, and
/// <see cref="ReposDatabase.CatalogRepair"/> says what was put back.
/// </remarks>
public sealed class ReposCatalogDamagedException : ReposFormatException
{
    /// <summary>Creates the exception for the file at <paramref name="path"/>.</summary>
    /// <param name="path">The database file.</param>
    /// <param name="problems">What the check found, one line each.</param>
    public ReposCatalogDamagedException(string path, IReadOnlyList<string> problems)
        : base($"The catalog of '{path}' is damaged: {string.Join("; ", problems)}. Nothing was changed; restore a backup or salvage the file.", -1)
    {
        Path = path;
        Problems = problems;
    }

    /// <summary>The database file.</summary>
    public string Path { get; }

    /// <summary>What the check found, one line each.</summary>
    public IReadOnlyList<string> Problems { get; }
}
