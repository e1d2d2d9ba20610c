using Repos.Diagnostics;
using Repos.Internal;
using Repos.Storage;
using Repos.Storage.Sqlite;

namespace Repos;

public abstract partial class ReposDatabase
{
    private readonly object _catalogLock = new();

    // The catalog generation the field maps were built from, and the writer's last seen PRAGMA data_version
    // (which changes only when another connection commits).
    private long _catalogGeneration;
    private long _writerDataVersion;

    // Set once another process changed the catalog in a way this one cannot follow: every later write throws it.
    private Exception? _catalogRefusal;

    /// <summary>
    /// What this open put back in the file's catalog, which it found damaged while its sealed copy was intact
    /// (also recorded in <see cref="GetMigrationHistoryAsync"/> as a <see cref="Migrations.MigrationKind.CatalogRepair"/>);
    /// null when the catalog was intact.
    /// </summary>
    public CatalogRepairReport? CatalogRepair { get; private set; }

    /// <summary>
    /// Checks the catalog before the open reads it: a writable open repairs rows that differ from an intact
    /// sealed copy; any other damage throws <see cref="ReposCatalogDamagedException"/> before anything changes.
    /// </summary>
    private void GuardCatalog(SqliteConnection connection, bool writable)
    {
        if (!Catalog.Exists(connection) || !Catalog.HasMeta(connection))
        {
            return;
        }

        CatalogCheck check = CatalogSeal.Check(connection, Catalog.ReadFormat(connection));
        switch (check.State)
        {
            case CatalogState.RowsDamaged when writable:
                Catalog.CreateTables(connection);
                CatalogSeal.Restore(connection, check.Copy!);
                Catalog.RecordMigration(connection, "catalog", Migrations.MigrationKind.CatalogRepair, 0, 0, check.Problems.Count);
                CatalogRepair = new CatalogRepairReport(check.Problems);
                break;
            case CatalogState.Unsealed when writable && CatalogSeal.FindLostFields(connection) is { Count: > 0 } lost:
                // The first seal of a file would take a catalog that lost fields as the truth.
                throw new ReposCatalogDamagedException(
                    Path, [.. lost, "the catalog lost those fields; salvage gives them back where the rows and the model leave one answer"]);
            case CatalogState.RowsDamaged:
                throw new ReposCatalogDamagedException(
                    Path, [.. check.Problems, "a writable open puts the rows back from the catalog's sealed copy"]);
            case CatalogState.Damaged:
                throw new ReposCatalogDamagedException(Path, check.Problems);
        }
    }

    /// <summary>Remembers the catalog generation this open's field maps were built from.</summary>
    private void RememberCatalog(SqliteConnection connection)
    {
        // Read inside the open's transaction; the first write then reads the generation again, as another
        // process may seal a change between this open's commit and that write.
        _catalogGeneration = CatalogSeal.ReadGeneration(connection) ?? 0;
        _writerDataVersion = -1;
    }

    /// <summary>
    /// Called at the start of every write transaction, under the write lock: when another process changed the
    /// catalog since this one read it, takes in what it can follow (fields added by a newer app, which
    /// rewrites then carry over) and refuses the write otherwise, with nothing written.
    /// </summary>
    internal void CheckCatalogForWrite(SqliteConnection writer)
    {
        if (_catalogRefusal is not null)
        {
            throw _catalogRefusal;
        }

        long dataVersion = writer.ExecuteScalar("PRAGMA data_version");
        if (dataVersion == _writerDataVersion)
        {
            return;
        }

        _writerDataVersion = dataVersion;
        FollowCatalog(writer);
    }

    /// <summary>
    /// Called before an index query runs: an index another process dropped or changed would give wrong
    /// results, so such a query throws <see cref="ReposCatalogChangedException"/> instead.
    /// </summary>
    internal void CheckCatalogForQuery(SqliteConnection connection)
    {
        if (_catalogRefusal is not null)
        {
            throw _catalogRefusal;
        }

        long dataVersion = connection.ExecuteScalar("PRAGMA data_version");
        if (dataVersion == connection.LastDataVersion)
        {
            return;
        }

        connection.LastDataVersion = dataVersion;
        FollowCatalog(connection);
    }

    private void FollowCatalog(SqliteConnection connection)
    {
        if (IsReadOnly)
        {
            return;
        }

        lock (_catalogLock)
        {
            if (_catalogRefusal is not null)
            {
                throw _catalogRefusal;
            }

            long generation = CatalogSeal.ReadGeneration(connection) ?? 0;
            if (generation == _catalogGeneration)
            {
                return;
            }

            CatalogCheck check = CatalogSeal.Check(connection, Catalog.ReadFormat(connection));
            if (check.State is CatalogState.RowsDamaged or CatalogState.Damaged)
            {
                _catalogRefusal = new ReposCatalogDamagedException(Path, check.Problems);
                throw _catalogRefusal;
            }

            CatalogFollow follow = Catalog.Follow(connection, Entities, Context, DatabaseVersion);
            if (follow.Context is null)
            {
                _catalogRefusal = new ReposCatalogChangedException(Path, follow.Entity, follow.Reason!);
                throw _catalogRefusal;
            }

            follow.Context.FilePath = Path;
            _context = follow.Context;
            _catalogGeneration = generation;
            ReloadWireShapes(connection);
        }
    }

    // Set once a sync transaction has added fields kept from sync to the catalog, until it ended.
    private bool _keptFieldsUncommitted;

    /// <summary>
    /// Takes in the fields a pulled change just added to the catalog (kept from sync, <see cref="Repos.Sync.WireShapes.Keep"/>),
    /// inside the sync's transaction: seals the catalog, and builds the field maps again, so the rows written next
    /// carry those fields over.
    /// </summary>
    internal void TakeInKeptFields(SqliteConnection connection)
    {
        lock (_catalogLock)
        {
            CatalogSeal.Seal(connection);
            CatalogFollow follow = Catalog.Follow(connection, Entities, Context, DatabaseVersion);
            if (follow.Context is null)
            {
                throw new InvalidOperationException($"The catalog no longer matches the model after fields were kept from sync: {follow.Reason}");
            }

            follow.Context.FilePath = Path;
            _context = follow.Context;
            _catalogGeneration = CatalogSeal.ReadGeneration(connection) ?? 0;
            ReloadWireShapes(connection);
            _keptFieldsUncommitted = true;
        }
    }

    /// <summary>
    /// After a sync transaction ended: when it added fields kept from sync, the field maps and wire names are read
    /// again from the file, which has those fields only if the transaction committed.
    /// </summary>
    internal void AfterSyncTransaction()
    {
        if (!_keptFieldsUncommitted)
        {
            return;
        }

        _keptFieldsUncommitted = false;
        using ReadLease lease = AcquireRead();
        lock (_catalogLock)
        {
            CatalogFollow follow = Catalog.Follow(lease.Connection, Entities, Context, DatabaseVersion);
            if (follow.Context is null)
            {
                _catalogRefusal = new ReposCatalogChangedException(Path, follow.Entity, follow.Reason!);
                return;
            }

            follow.Context.FilePath = Path;
            _context = follow.Context;
            _catalogGeneration = CatalogSeal.ReadGeneration(lease.Connection) ?? 0;
            ReloadWireShapes(lease.Connection);
        }
    }

    // The names sync converts field values with follow the catalog.
    private void ReloadWireShapes(SqliteConnection connection)
    {
        if (SyncLog is { } log)
        {
            log.Shapes = Repos.Sync.WireShapes.Load(connection, _context);
        }
    }
}
