namespace Repos.Transfer;

/// <summary>What a CSV export of an entity writes (docs/transfer.md, <i>CSV export</i>).</summary>
public sealed class CsvExportOptions
{
    /// <summary>How nested values are written: flattened into columns (the default) or as JSON cells.</summary>
    public CsvNesting Nesting { get; init; } = CsvNesting.Flatten;

    /// <summary>The rows to write, from a typed query (<see cref="ExportRange.From{TEntity, TKey, TRange}"/>), or null for every row.</summary>
    public ExportRange? Range { get; init; }

    /// <summary>Reports rows and bytes as the export goes.</summary>
    public IProgress<TransferProgress>? Progress { get; init; }

    /// <summary>Whether a row whose blob is damaged is left out rather than failing the export (off by default).</summary>
    public bool SkipDamagedRows { get; init; }
}
