using Repos.Internal;
using Repos.Storage;
using Repos.Transfer;

namespace Repos;

public abstract partial class ReposDatabase
{
    /// <summary>
    /// Writes the file's entities, or those <paramref name="options"/> select, to <paramref name="output"/> as a bundle
    /// (docs/transfer.md): the catalog, every row as JSON in exact value forms, and a SHA-256 of it all, streamed from
    /// one read snapshot, so memory stays flat and writes go on meanwhile. <see cref="ImportBundleAsync"/> reads it
    /// back, here or on another device; the <c>repos</c> tool writes the same bytes from the file alone.
    /// </summary>
    /// <param name="output">Where to write; left open.</param>
    /// <param name="options">The layout, the entities and ranges, progress; null for every entity as one JSON document.</param>
    /// <param name="cancellationToken">Stops the export; what was written to <paramref name="output"/> is then incomplete.</param>
    /// <returns>What was written: rows per entity, bytes, the checksum.</returns>
    /// <exception cref="ArgumentException">The options name an entity the file does not have.</exception>
    /// <exception cref="CorruptedRowException">A row is damaged (unless <see cref="BundleExportOptions.SkipDamagedRows"/>).</exception>
    public async Task<BundleExportResult> ExportAsync(Stream output, BundleExportOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(output);
        options ??= new BundleExportOptions();
        return await InSnapshotAsync(connection =>
        {
            CheckCatalogForQuery(connection);
            BundleCatalog catalog = BundleCatalog.Load(connection);
            CatalogTypes types = CatalogTypes.Load(connection, Entities.SelectMany(e => e.Enums));
            List<ExportSource> sources = ExportPlan.Sources(catalog, options, Entities.ToDictionary(e => e.Name, StringComparer.Ordinal), this);
            return BundleWriter.WriteAsync(
                output, connection, catalog, types, Context.Dictionaries.Find, Context, sources, options, options.AppName ?? GetType().Name, cancellationToken);
        }).ConfigureAwait(false);
    }

    /// <summary>
    /// Writes the rows of <paramref name="entity"/>, or those of <see cref="CsvExportOptions.Range"/>, to
    /// <paramref name="output"/> as CSV for a spreadsheet (docs/transfer.md, <i>CSV export</i>): a header of property
    /// names, nested objects flattened into <c>Parent.Child</c> columns, lists as JSON cells, values in the bundle's
    /// exact forms. Streamed from one read snapshot; <c>ImportCsvAsync</c> on its repository reads it back.
    /// </summary>
    /// <param name="entity">The entity's name (<c>nameof(DailyEntry)</c>, or its <c>[Entity]</c> name).</param>
    /// <param name="output">Where to write; left open.</param>
    /// <param name="options">Nesting, range, progress; null for every row, flattened.</param>
    /// <param name="cancellationToken">Stops the export; what was written is then incomplete.</param>
    /// <exception cref="ArgumentException">The file has no such entity, or the range is of another entity.</exception>
    public async Task<ExportedEntity> ExportCsvAsync(string entity, Stream output, CsvExportOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entity);
        ArgumentNullException.ThrowIfNull(output);
        options ??= new CsvExportOptions();
        return await InSnapshotAsync(connection =>
        {
            CheckCatalogForQuery(connection);
            BundleCatalog catalog = BundleCatalog.Load(connection);
            CatalogTypes types = CatalogTypes.Load(connection, Entities.SelectMany(e => e.Enums));
            ExportSource source = ExportPlan.CsvSource(catalog, entity, options, Entities.ToDictionary(e => e.Name, StringComparer.Ordinal), this);
            return CsvEntityWriter.WriteAsync(output, connection, catalog, types, Context.Dictionaries.Find, Context, source, options, cancellationToken);
        }).ConfigureAwait(false);
    }

    /// <summary>
    /// Runs <paramref name="work"/> on a connection in one read snapshot: the flow's transaction's, or a pooled
    /// connection in a read transaction of its own, ended when the work is.
    /// </summary>
    internal async Task<T> InSnapshotAsync<T>(Func<Storage.Sqlite.SqliteConnection, Task<T>> work)
    {
        using ReadLease lease = AcquireRead();
        bool own = lease.Transaction is null;
        if (own)
        {
            lease.Connection.Execute("BEGIN");
        }

        try
        {
            return await work(lease.Connection).ConfigureAwait(false);
        }
        finally
        {
            if (own)
            {
                lease.Connection.Execute("COMMIT");
            }
        }
    }
}
