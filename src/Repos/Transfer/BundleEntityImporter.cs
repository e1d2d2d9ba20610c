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

    // Rows, Invalid and Dropped are counted by the thread that reads the bundle, the rest by the one that writes.
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

    /// <summary>Reads what converting the bundle's rows needs from the file, after <see cref="Fits"/> and before any row.</summary>
    public abstract void Open(SqliteConnection connection);

    /// <summary>Checks the bundle's catalog entry against the app's entity; null when it fits, else why not.</summary>
    public abstract string? Fits(BundleEntity entity, BundleCatalog catalog);

    /// <summary>What <see cref="Convert"/> returns for a row there is nothing to store for (a migration step deleted it).</summary>
    protected static readonly object Skip = new();

    /// <summary>
    /// Converts and validates a row, on the thread that reads the bundle, listing its problems (up to
    /// <paramref name="maxProblems"/>): what <see cref="Store"/> takes, or null when the row does not fit.
    /// </summary>
    public abstract object? Convert(JsonElement row, int version, long index, string path, List<BundleImportProblem> problems, int maxProblems);

    /// <summary>
    /// Compares a converted row with the stored one and, with <paramref name="write"/>, writes it as the strategy says,
    /// on the thread that holds the write.
    /// </summary>
    /// <returns>Whether the row fits: it does not conflict under <see cref="BundleImportStrategy.FailOnConflict"/>.</returns>
    public abstract bool Store(SqliteConnection connection, object converted, long index, string path, List<BundleImportProblem> problems, int maxProblems, bool write);

    /// <summary>Empties the entity's table, row by row through the write path (<see cref="BundleImportStrategy.Replace"/>).</summary>
    public abstract void Clear(SqliteConnection connection);

    public BundleEntityImport Result() => new(Name, Rows, New, Identical, Conflicting, Invalid, Written, Dropped);
}
