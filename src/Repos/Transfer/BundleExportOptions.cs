namespace Repos.Transfer;

/// <summary>What an export writes, and how (docs/transfer.md).</summary>
public sealed class BundleExportOptions
{
    /// <summary>The layout: one JSON document (the default), or NDJSON for large sets.</summary>
    public BundleFormat Format { get; init; } = BundleFormat.Json;

    /// <summary>
    /// The entities to export, by name, or null for every entity of the file (every ranged one, when
    /// <see cref="Ranges"/> has any). A name the file does not have is refused.
    /// </summary>
    public IReadOnlyCollection<string>? Entities { get; init; }

    /// <summary>
    /// Ranges of rows: an entity with one exports only the rows its range selects, in the range's order. An entity
    /// with a range is exported whether or not <see cref="Entities"/> lists it; at most one range per entity.
    /// </summary>
    public IReadOnlyList<ExportRange> Ranges { get; init; } = [];

    /// <summary>The bundle's <c>app</c>: who wrote it. Null for the database class's name (or, from <c>repos</c>, the file's name).</summary>
    public string? AppName { get; init; }

    /// <summary>Reports rows and bytes as the export goes.</summary>
    public IProgress<TransferProgress>? Progress { get; init; }

    /// <summary>
    /// Whether a row whose blob is damaged is left out (and counted in <see cref="ExportedEntity.DamagedRowsSkipped"/>)
    /// rather than failing the export. Off by default: a bundle that silently lacks rows is no backup.
    /// </summary>
    public bool SkipDamagedRows { get; init; }

    /// <summary>The clock of the bundle's <c>exportedAt</c>; null for the system's.</summary>
    public TimeProvider? TimeProvider { get; init; }
}
