using System.Text.Json;
using Repos.Storage.Sqlite;

namespace Repos.Transfer;

/// <summary>An entity's repository as a bundle import reaches it, by the entity's name.</summary>
internal interface IBundleImportTarget
{
    string EntityName { get; }

    BundleEntityImporter CreateBundleImporter(BundleImportOptions options);
}

/// <summary>
/// Imports the rows of one entity of a bundle (docs/transfer.md, <i>Import of a bundle</i>): on the check, each row is
/// converted to the entity, validated and compared with the stored row of its key; on the write, it goes through the
/// repository's one write path as the strategy says.
/// </summary>
internal abstract class BundleEntityImporter(string name)
{
    public string Name { get; } = name;

    public long Rows { get; protected set; }

    public long New { get; protected set; }

    public long Identical { get; protected set; }

    public long Conflicting { get; protected set; }

    public long Invalid { get; protected set; }

    public long Written { get; protected set; }

    /// <summary>Rows of an older version that the app's migration steps deleted, so not imported.</summary>
    public long Dropped { get; protected set; }

    /// <summary>Whether the bundle's <c>entities</c> list the entity (the catalog lists every entity of the file it came from).</summary>
    public bool Listed { get; set; }

    /// <summary>Whether a row of the entity was read.</summary>
    public bool Started { get; set; }

    /// <summary>The definition's version, which rows must be at.</summary>
    public abstract int Version { get; }

    /// <summary>Readies the import of the entity, which the bundle lists; refuses options it cannot go by (a merge without an order).</summary>
    public abstract void Prepare();

    /// <summary>Checks the bundle's catalog entry against the app's entity; null when it fits, else why not.</summary>
    public abstract string? Fits(BundleEntity entity, BundleCatalog catalog);

    /// <summary>
    /// Converts, validates and classifies a row against the file, listing its problems (up to
    /// <paramref name="maxProblems"/>); with <paramref name="write"/>, writes it as the strategy says when it fits.
    /// </summary>
    /// <returns>Whether the row fits: it converts, and does not conflict under <see cref="BundleImportStrategy.FailOnConflict"/>.</returns>
    public abstract bool Import(SqliteConnection connection, JsonElement row, int version, long index, string path, List<BundleImportProblem> problems, int maxProblems, bool write);

    /// <summary>Empties the entity's table, row by row through the write path (<see cref="BundleImportStrategy.Replace"/>).</summary>
    public abstract void Clear(SqliteConnection connection);

    public BundleEntityImport Result() => new(Name, Rows, New, Identical, Conflicting, Invalid, Written, Dropped);
}
