namespace Repos.Transfer;

/// <summary>How a CSV file is imported into an entity (docs/transfer.md, <i>Import of a bundle</i>, CSV import).</summary>
public sealed class CsvImportOptions
{
    /// <summary>
    /// Columns whose header is not the property's path, mapped to it (<c>["Day"] = "Date"</c>,
    /// <c>["City"] = "Address.City"</c>); every other column is taken by its header, as an export writes them.
    /// </summary>
    public IReadOnlyDictionary<string, string>? Columns { get; init; }

    /// <summary>What a column that names no property does: refuses the import (the default, a misspelt header loses no data) or is left out.</summary>
    public UnknownPropertyHandling UnknownColumns { get; init; } = UnknownPropertyHandling.Fail;

    /// <summary>What a row whose key is stored already (or came earlier in the file) does; it refuses the import by default.</summary>
    public DuplicateKeyHandling DuplicateKeys { get; init; } = DuplicateKeyHandling.Fail;

    /// <summary>The most problems listed before the import stops (100).</summary>
    public int MaxErrors { get; init; } = 100;

    /// <summary>The longest record, in bytes (16 MiB).</summary>
    public int MaxRecordBytes { get; init; } = 16 * 1024 * 1024;
}
