using System.Diagnostics;
using System.Globalization;
using Repos.Diagnostics;
using Repos.Internal;
using Repos.Storage;
using Repos.Storage.Sqlite;

namespace Repos;

public abstract partial class ReposDatabase
{
    // Rows per statement: progress and cancellation are checked between batches.
    private const int VerifyBatch = 10_000;

    /// <summary>
    /// Checks the whole file and every stored row, and reports what is wrong without throwing on it: SQLite's
    /// <c>PRAGMA integrity_check</c> (pages, b-trees, indexes), then every row of every entity, streamed in
    /// batches: the blob's envelope and checksum, that it decodes with the model (lazily migrated rows are
    /// upgraded in memory, as reads do), that its key and index columns equal the values its blob gives, and
    /// that its <c>_schema</c> column agrees with the blob and the catalog. Rows of entities only the catalog
    /// knows are checked as far as that allows (envelope, checksum, a well-formed map).
    /// </summary>
    /// <remarks>
    /// Everything is read in one read transaction, so the report describes one consistent state of the file
    /// while the app keeps writing (the writes are not seen). It runs on a pooled connection (the flow's
    /// transaction's, if one is open), off the calling thread, with a 32 MiB page cache. Memory stays flat
    /// whatever the number of rows; only the bad rows are kept. While it runs, the write-ahead log cannot be
    /// checkpointed past its snapshot, so it grows with what the app writes meanwhile (and shrinks back after).
    /// </remarks>
    /// <param name="progress">Receives progress after SQLite's check and after each batch of rows, or null.</param>
    /// <param name="cancellationToken">Stops the check between batches.</param>
    /// <returns>The report: <see cref="VerifyReport.IsHealthy"/>, and each bad row by entity and key.</returns>
    /// <example>
    /// <code>
    /// VerifyReport report = await db.VerifyAsync();
    /// if (!report.IsHealthy)
    /// {
    ///     foreach (BadRow row in report.BadRows) log.Warn($"{row.Entity} {row.Key}: {row.Kind} {row.Message}");
    /// }
    /// </code>
    /// </example>
    public Task<VerifyReport> VerifyAsync(IProgress<VerifyProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        cancellationToken.ThrowIfCancellationRequested();
        return Task.Run(() => Verify(progress, cancellationToken), cancellationToken);
    }

    private VerifyReport Verify(IProgress<VerifyProgress>? progress, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        using ReadLease lease = AcquireRead();
        SqliteConnection connection = lease.Connection;
        bool own = lease.Transaction is null;
        if (own)
        {
            // Deferred: the snapshot starts with the first read below and holds until the end.
            connection.Run("BEGIN");
        }

        // SQLite's integrity check looks every row up in every index: with SQLite's default 2 MiB page cache it
        // reads the same pages from the file again and again (four times slower on a million rows). At least
        // 32 MiB while verifying, whatever the file's size.
        ConnectionSettings.LargeCacheScope cache = ConnectionSettings.LargeCache(connection);
        try
        {
            progress?.Report(new VerifyProgress(VerifyStage.IntegrityCheck, null, 0, 0));
            List<string> integrity = IntegrityCheck(connection);
            List<string> catalogErrors = CheckCatalog(connection);
            List<VerifyTarget> targets = VerifyTargets(connection, integrity);
            long total = targets.Sum(t => t.Rows);
            var badRows = new List<BadRow>();
            long done = 0;
            foreach (VerifyTarget target in targets)
            {
                cancellationToken.ThrowIfCancellationRequested();
                done = VerifyTable(connection, target, badRows, done, total, progress, cancellationToken);
            }

            progress?.Report(new VerifyProgress(VerifyStage.Done, null, done, total));
            return new VerifyReport(Path, integrity, targets.Select(t => t.Result).ToList(), badRows, watch.Elapsed) { CatalogErrors = catalogErrors };
        }
        finally
        {
            if (own)
            {
                EndRead(connection);
            }

            cache.Dispose();
        }
    }

    /// <summary>Ends the read transaction. On a damaged file COMMIT can fail after ending it anyway; only a transaction still open is rolled back.</summary>
    private static void EndRead(SqliteConnection connection)
    {
        try
        {
            connection.Run("COMMIT");
        }
        catch (ReposStorageException) when (!connection.InTransaction)
        {
            // Nothing was written: the failure concerns the damage the report already lists.
        }
        catch (ReposStorageException)
        {
            connection.Rollback();
        }
    }

    /// <summary>
    /// The catalog against its seal, and against the field ids this database writes with: a catalog that
    /// changed under the open database without another Repos open sealing it is damaged.
    /// </summary>
    private List<string> CheckCatalog(SqliteConnection connection)
    {
        try
        {
            CatalogCheck check = CatalogSeal.Check(connection, Catalog.ReadFormat(connection));
            var errors = new List<string>(check.State switch
            {
                CatalogState.RowsDamaged => check.Problems.Select(p => p + " (the sealed copy is intact: the next writable open puts the row back)"),
                CatalogState.Damaged => check.Problems,
                CatalogState.SealDamaged => ["the catalog's sealed copy or digest is damaged (its rows are intact: the next writable open seals them again)"],
                _ => [],
            });
            return errors;
        }
        catch (Exception e) when (e is ReposStorageException or ReposFormatException)
        {
            return [$"The catalog cannot be read: {e.Message}"];
        }
    }

    private static List<string> IntegrityCheck(SqliteConnection connection)
    {
        var errors = new List<string>();
        try
        {
            using SqliteStatement check = connection.PrepareOnce("PRAGMA integrity_check");
            while (check.Step())
            {
                string line = check.ColumnText(0);
                if (line != "ok")
                {
                    errors.Add(line);
                }
            }
        }
        catch (ReposStorageException e)
        {
            errors.Add(e.Message);
        }

        return errors;
    }

    /// <summary>The tables to read: every entity the catalog lists, with the model's definition when it has one.</summary>
    private List<VerifyTarget> VerifyTargets(SqliteConnection connection, List<string> integrity)
    {
        var targets = new List<VerifyTarget>();
        List<StoredEntity> stored;
        try
        {
            stored = Catalog.ListEntities(connection);
        }
        catch (ReposStorageException e)
        {
            integrity.Add($"The catalog cannot be read: {e.Message}");
            return targets;
        }

        foreach (StoredEntity entity in stored)
        {
            EntityDefinition? definition = Entities.FirstOrDefault(e => e.Name == entity.Name);
            var target = new VerifyTarget(entity, definition, new VerifiedEntity(entity.Name, entity.TableName, definition is not null));
            string table = SqlText.Quote(entity.TableName);
            try
            {
                target.Rows = connection.ExecuteScalar($"SELECT count(*) FROM {table}");

                // Index columns are compared where the catalog says an index keeps them up to date (a read-only
                // open of an older file may lack an index the model has).
                var select = new System.Text.StringBuilder("SELECT rowid, key, _schema, _blob");
                target.Slots = new int[definition?.Columns.Count ?? 0];
                if (definition is not null)
                {
                    target.CatalogIds = Catalog.LoadFieldNames(connection, entity.Type, null).Keys.ToHashSet();
                    HashSet<string> kept = IndexedColumns(connection, entity.Name);
                    int next = 4;
                    for (int i = 0; i < definition.Columns.Count; i++)
                    {
                        string name = definition.Columns[i].Name;
                        if (kept.Contains(name))
                        {
                            select.Append(", ").Append(SqlText.Quote(name));
                            target.Slots[i] = next++;
                        }
                        else
                        {
                            target.Slots[i] = -1;
                        }
                    }
                }

                target.Sql = select.Append(CultureInfo.InvariantCulture, $" FROM {table} WHERE rowid > ?1 ORDER BY rowid LIMIT {VerifyBatch}").ToString();
            }
            catch (ReposStorageException e)
            {
                target.Result.ReadError = $"The table {entity.TableName} cannot be read: {e.Message}";
            }

            targets.Add(target);
        }

        return targets;
    }

    private static HashSet<string> IndexedColumns(SqliteConnection connection, string entity)
    {
        var columns = new HashSet<string>(StringComparer.Ordinal);
        SqliteStatement select = connection.Prepare("SELECT columns FROM _repos_indexes WHERE entity=?1");
        try
        {
            select.BindText(1, entity);
            while (select.Step())
            {
                columns.UnionWith(select.ColumnText(0).Split(','));
            }
        }
        finally
        {
            select.Reset();
        }

        return columns;
    }

    private long VerifyTable(
        SqliteConnection connection,
        VerifyTarget target,
        List<BadRow> badRows,
        long done,
        long total,
        IProgress<VerifyProgress>? progress,
        CancellationToken cancellationToken)
    {
        if (target.Sql is null)
        {
            return done;
        }

        StoredEntity entity = target.Stored;
        EntityDefinition? definition = target.Definition;
        VerifiedEntity result = target.Result;
        SerializationContext context = Context;
        var scratch = new ColumnValue[target.Slots.Length];
        using SqliteStatement select = connection.PrepareOnce(target.Sql);
        long last = long.MinValue;
        progress?.Report(new VerifyProgress(VerifyStage.Rows, entity.Name, done, total));
        while (true)
        {
            int count = 0;
            try
            {
                select.BindInt64(1, last);
                while (select.Step())
                {
                    last = select.ColumnInt64(0);
                    count++;
                    BadRowKind? kind = definition is null
                        ? VerifyStoredRow(select, entity.Version, out string? message)
                        : definition.VerifyRow(select, context, entity.Version, target.CatalogIds, target.Slots, scratch, out message);
                    if (kind is { } bad)
                    {
                        badRows.Add(new BadRow(entity.Name, KeyText.FromColumn(select, 1, entity.KeyKind), bad, message!));
                        result.BadRows++;
                    }
                }
            }
            catch (ReposStorageException e)
            {
                // A damaged page: SQLite cannot go on through this table. PRAGMA integrity_check says more.
                result.ReadError = last == long.MinValue
                    ? $"Reading {entity.TableName} failed before its first row: {e.Message}"
                    : $"Reading {entity.TableName} failed after rowid {last}: {e.Message}";
                count = 0;
            }
            finally
            {
                select.Reset();
            }

            result.RowsChecked += count;
            done += count;
            progress?.Report(new VerifyProgress(VerifyStage.Rows, entity.Name, done, total));
            if (count < VerifyBatch)
            {
                return done;
            }

            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    /// <summary>Checks a row of an entity the model does not have: what the catalog alone allows.</summary>
    private BadRowKind? VerifyStoredRow(SqliteStatement row, int catalogVersion, out string? message)
    {
        if (row.ColumnType(3) != SqliteTypes.Blob)
        {
            message = "The _blob column does not hold a blob.";
            return BadRowKind.Envelope;
        }

        if (StoredBlob.Check(row.ColumnBlob(3), Context.Dictionaries.Find, out int version, out message) is { } kind)
        {
            return kind;
        }

        if (row.ColumnType(2) != SqliteTypes.Integer || row.ColumnInt64(2) != version || version > catalogVersion)
        {
            message = $"The _schema column holds {ColumnValue.Read(row, 2)}; the blob is at version {version} and the catalog at {catalogVersion}.";
            return BadRowKind.SchemaVersion;
        }

        return null;
    }

    private sealed class VerifyTarget(StoredEntity stored, EntityDefinition? definition, VerifiedEntity result)
    {
        public StoredEntity Stored { get; } = stored;

        public EntityDefinition? Definition { get; } = definition;

        public VerifiedEntity Result { get; } = result;

        public long Rows { get; set; }

        public int[] Slots { get; set; } = [];

        /// <summary>Every field id the catalog names for the entity's type, retired ones included.</summary>
        public IReadOnlySet<long> CatalogIds { get; set; } = new HashSet<long>();

        public string? Sql { get; set; }
    }
}
