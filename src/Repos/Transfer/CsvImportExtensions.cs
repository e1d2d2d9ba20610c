namespace Repos.Transfer;

/// <summary>Imports CSV files into a repository (docs/transfer.md: CSV import).</summary>
public static class CsvImportExtensions
{
    /// <summary>
    /// Imports the rows of a CSV file (RFC 4180, UTF-8, a header row) as entities, the way
    /// <see cref="JsonImportExtensions.ImportJsonAsync"/> imports JSON documents: each row converted by each property's
    /// type, read back as a stored row is, validated like any write, and inserted in one transaction after a
    /// <c>BeforeImport</c> backup: if any row does not fit, nothing is written. A file <see cref="ReposDatabase.ExportCsvAsync"/>
    /// wrote imports as it is; another's columns are matched by header, or mapped with <see cref="CsvImportOptions.Columns"/>.
    /// </summary>
    /// <param name="repository">The entity's repository.</param>
    /// <param name="csv">The CSV file; left open.</param>
    /// <param name="options">Column mapping, duplicate keys, limits; null for the defaults.</param>
    /// <param name="cancellationToken">Stops the import; nothing is written then.</param>
    /// <returns>How many rows were read, inserted, replaced and skipped.</returns>
    /// <exception cref="JsonImportException">Rows do not fit; each problem names its row (from 0, the header not counted) and the column's property path.</exception>
    /// <exception cref="CsvFormatException">The file is not RFC 4180 CSV.</exception>
    /// <exception cref="ArgumentException">A column names no property (unless <see cref="CsvImportOptions.UnknownColumns"/> is Ignore).</exception>
    public static async ValueTask<JsonImportResult> ImportCsvAsync<TEntity, TKey>(
        this Repository<TEntity, TKey> repository,
        Stream csv,
        CsvImportOptions? options = null,
        CancellationToken cancellationToken = default)
        where TEntity : class
        where TKey : notnull
    {
        ArgumentNullException.ThrowIfNull(repository);
        ArgumentNullException.ThrowIfNull(csv);
        options ??= new CsvImportOptions();
        await using CsvJsonStream json = CsvJsonStream.Open(csv, repository.Definition, options);
        return await JsonImporter<TEntity, TKey>.ImportAsync(repository, json, new JsonImportOptions
        {
            ExactValues = true,
            DuplicateKeys = options.DuplicateKeys,
            MaxErrors = options.MaxErrors,
            MaxDocumentBytes = (int)Math.Min(2L * options.MaxRecordBytes, int.MaxValue),
            MaxStringBytes = options.MaxRecordBytes,
        }, cancellationToken).ConfigureAwait(false);
    }
}
