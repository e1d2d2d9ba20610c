namespace Repos.Transfer;

/// <summary>How an import of a bundle goes (docs/transfer.md, <i>Import of a bundle</i>).</summary>
public sealed class BundleImportOptions
{
    /// <summary>What happens to rows whose keys the file holds already; <see cref="BundleImportStrategy.FailOnConflict"/> by default.</summary>
    public BundleImportStrategy Strategy { get; init; } = BundleImportStrategy.FailOnConflict;

    /// <summary>
    /// Whether to only check the bundle and say what an import would do (<see cref="BundleImportResult.Entities"/>),
    /// writing nothing and taking no backup.
    /// </summary>
    public bool DryRun { get; init; }

    /// <summary>
    /// For <see cref="BundleImportStrategy.Merge"/>: per entity, the property whose larger value makes a row the newer
    /// (a <c>DateTime</c> of the last change, a number); an entity not listed is merged by its row version.
    /// </summary>
    public IReadOnlyDictionary<string, string>? NewerBy { get; init; }

    /// <summary>How many problems are listed at most (<see cref="BundleImportResult.Problems"/>); the counts go on past it.</summary>
    public int MaxProblems { get; init; } = 100;

    /// <summary>The largest row, catalog or NDJSON line the bundle may hold, in bytes (64 MiB): what bounds the memory an import takes.</summary>
    public int MaxValueBytes { get; init; } = 64 * 1024 * 1024;

    /// <summary>Reports rows and bytes as the import goes (the check, then the write).</summary>
    public IProgress<TransferProgress>? Progress { get; init; }
}
