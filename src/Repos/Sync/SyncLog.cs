using System.Buffers;
using System.Globalization;
using Repos.Internal;
using Repos.Serialization;
using Repos.Storage;
using Repos.Storage.Sqlite;

namespace Repos.Sync;

/// <summary>
/// What a replica records for sync (docs/sync.md, <i>What a replica records</i>): its id, its clock, and per
/// synced row the stamps of its last insert, its tombstone and each field written since, with the highest stamp of
/// any of them and the highest the server acknowledged. A stored row keeps this state in columns of its own
/// entity table (<see cref="StateColumns"/>), set by the write's own statement; a deleted row keeps it in the
/// tombstone table. Rows whose latest stamp is above the acknowledged one have changes to push: those rows, in a
/// partial index of each table, are the outbox.
/// </summary>
/// <remarks>
/// Every method that records runs inside the write's transaction on the writer connection, under the file's
/// write lock, so a rolled-back write leaves nothing. Field stamps are kept by the file's field ids, which a
/// <see cref="FormerNameAttribute"/> rename keeps; they are turned into property names only on the wire.
/// </remarks>
internal sealed class SyncLog
{
    /// <summary>The catalog's <c>_repos_meta</c> key of the replica id.</summary>
    public const string ReplicaKey = "sync_replica";

    public const string StateTable = "_repos_sync_state";
    public const string ReplicasTable = "_repos_sync_replicas";
    public const string TombstonesTable = "_repos_sync_tombstones";
    public const string DeadTable = "_repos_sync_dead";
    public const string HeldTable = "_repos_sync_held";

    /// <summary>
    /// The columns a synced entity's table holds its rows' sync state in, in this order: the insert's stamp and
    /// replica number, the tombstone's stamp and replica number, the field stamps, the latest stamp and the
    /// acknowledged one. All are null in a row no synced write has stamped.
    /// </summary>
    public static readonly string[] StateColumns =
        ["_sync_inserted", "_sync_inserted_by", "_sync_deleted", "_sync_deleted_by", "_sync_fields", "_sync_latest", "_sync_pushed"];

    /// <summary><see cref="StateColumns"/> as a select list.</summary>
    public const string StateColumnList = "_sync_inserted, _sync_inserted_by, _sync_deleted, _sync_deleted_by, _sync_fields, _sync_latest, _sync_pushed";

    private const string TombstoneColumnList = "inserted, inserted_by, deleted, deleted_by, fields, latest, pushed";

    private const string CreateSql = $"""
        CREATE TABLE IF NOT EXISTS {StateTable}(key TEXT PRIMARY KEY NOT NULL, value) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS {ReplicasTable}(ordinal INTEGER PRIMARY KEY, replica BLOB NOT NULL UNIQUE);
        CREATE TABLE IF NOT EXISTS {TombstonesTable}(
            entity TEXT NOT NULL,
            key NOT NULL,
            inserted INTEGER NOT NULL,
            inserted_by INTEGER NOT NULL,
            deleted INTEGER NOT NULL,
            deleted_by INTEGER NOT NULL,
            fields BLOB,
            latest INTEGER NOT NULL,
            pushed INTEGER NOT NULL,
            PRIMARY KEY(entity, key)) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS _repos_sync_outbox ON {TombstonesTable}(latest) WHERE latest > pushed;
        CREATE TABLE IF NOT EXISTS {DeadTable}(
            id INTEGER PRIMARY KEY,
            direction TEXT NOT NULL,
            entity TEXT NOT NULL,
            key TEXT NOT NULL,
            reason TEXT NOT NULL,
            change BLOB NOT NULL,
            at TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS {HeldTable}(
            id INTEGER PRIMARY KEY,
            entity TEXT NOT NULL,
            key TEXT NOT NULL,
            reason TEXT NOT NULL,
            change BLOB NOT NULL,
            at TEXT NOT NULL);
        """;

    private const string SaveClockSql = $"INSERT INTO {StateTable}(key, value) VALUES('clock', ?1) ON CONFLICT(key) DO UPDATE SET value=excluded.value";

    private const string BuryRowSql = $"""
        INSERT INTO {TombstonesTable}(entity, key, {TombstoneColumnList}) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
        ON CONFLICT(entity, key) DO UPDATE SET inserted=excluded.inserted, inserted_by=excluded.inserted_by, deleted=excluded.deleted,
            deleted_by=excluded.deleted_by, fields=excluded.fields, latest=excluded.latest, pushed=excluded.pushed
        """;

    private const string SelectTombstoneSql = $"SELECT {TombstoneColumnList} FROM {TombstonesTable} WHERE entity=?1 AND key=?2";

    /// <summary>The oldest stamp there is (1 ms after the Unix epoch): the stamp of rows whose stamps were lost.</summary>
    private const long OldestStamp = 1L << SyncStamp.CounterBits;

    private readonly Dictionary<Guid, int> _ordinals;
    private readonly List<Guid> _replicas;
    private readonly Dictionary<string, SyncedTable> _tables;
    private readonly string _pendingSql;
    private readonly ArrayBufferWriter<byte> _fields = new(256);
    private readonly List<FieldStamp> _stamps = [];

    // The state a synced write read of its row (LoadState), and then the state it writes (Stamp*).
    private long _inserted;
    private int _insertedBy;
    private long _deleted;
    private int _deletedBy;
    private long _latest;
    private long _pushed;

    private SyncLog(Guid replica, HybridClock clock, Dictionary<Guid, int> ordinals, List<Guid> replicas, Dictionary<string, SyncedTable> tables)
    {
        Replica = replica;
        Clock = clock;
        _ordinals = ordinals;
        _replicas = replicas;
        _tables = tables;
        _pendingSql = PendingSql(tables.Values);
        LocalOrdinal = ordinals[replica];
    }

    /// <summary>This replica's id.</summary>
    public Guid Replica { get; }

    /// <summary>This replica's clock.</summary>
    public HybridClock Clock { get; }

    /// <summary>The number stamps of this replica are stored with.</summary>
    public int LocalOrdinal { get; }

    /// <summary>
    /// Makes the file ready to record changes of its synced entities, at a writable open inside its transaction:
    /// creates the tables and the state columns, makes the replica id on first use, and records every stored row of
    /// an entity that has just become synced as inserted now, so it is pushed. Returns null when no entity is synced.
    /// </summary>
    public static SyncLog? Prepare(SqliteConnection connection, IReadOnlyList<EntityDefinition> entities, TimeProvider time)
    {
        if (!entities.Any(e => e.IsSynced))
        {
            ForgetUnsynced(connection, entities);
            return null;
        }

        // A file that synced before (it has a replica id) but whose sync tables are gone (a salvage copies entity
        // rows only) lost its rows' stamps: they are given the oldest stamp there is (StartSyncing).
        bool lost = connection.ExecuteScalar($"SELECT count(*) FROM sqlite_schema WHERE type='table' AND name='{StateTable}'") == 0
            && ReadReplica(connection) is not null;
        connection.Execute(CreateSql);
        Guid replica = ReadReplica(connection) ?? CreateReplica(connection);
        (Dictionary<Guid, int> ordinals, List<Guid> replicas) = LoadReplicas(connection);
        if (!ordinals.ContainsKey(replica))
        {
            AddReplica(connection, replica, ordinals, replicas);
        }

        var tables = new Dictionary<string, SyncedTable>(StringComparer.Ordinal);
        var added = new List<SyncedTable>();
        foreach (EntityDefinition entity in entities.Where(e => e.IsSynced))
        {
            var table = new SyncedTable(entity.Name, SqlText.Quote(entity.TableName));
            tables.Add(entity.Name, table);
            if (AddStateColumns(connection, entity.TableName, table))
            {
                added.Add(table);
            }
        }

        var log = new SyncLog(replica, new HybridClock(time, ReadClock(connection, tables.Values)), ordinals, replicas, tables);
        foreach (SyncedTable table in tables.Values)
        {
            log.StartSyncing(connection, table, added.Contains(table), lost);
        }

        ForgetUnsynced(connection, entities);
        return log;
    }

    /// <summary>
    /// Reads the sync state of a stored row from the state columns of <paramref name="select"/> (from column
    /// <paramref name="first"/> on) as the state a write starts from. False when no synced write has stamped the row.
    /// </summary>
    public bool LoadState(SqliteStatement select, int first)
    {
        _inserted = select.ColumnInt64(first);
        _insertedBy = (int)select.ColumnInt64(first + 1);
        _deleted = select.ColumnInt64(first + 2);
        _deletedBy = (int)select.ColumnInt64(first + 3);
        _stamps.Clear();
        if (select.ColumnType(first + 4) == SqliteTypes.Blob)
        {
            ReadStamps(select.ColumnBlob(first + 4), _stamps);
        }

        _latest = select.ColumnInt64(first + 5);
        _pushed = select.ColumnInt64(first + 6);
        return _inserted != 0;
    }

    /// <summary>The state <see cref="LoadState"/> read, as a row's state; null for a row never stamped.</summary>
    public SyncRowState? LoadedState() => _inserted == 0
        ? null
        : new SyncRowState(
            Stamp(_inserted, _insertedBy),
            Stamp(_deleted, _deletedBy),
            _stamps.Select(s => (s.FieldId, Stamp(s.Value, s.Replica))).ToArray(),
            _latest,
            _pushed);

    /// <summary>
    /// Stamps an insert, or a write over a stored row that could not be read or was never stamped: the row is live
    /// from this stamp, with every field written by it. The tombstone and acknowledged stamps of a stamped row stay.
    /// </summary>
    public void StampInsert(bool stored)
    {
        if (!stored || _inserted == 0)
        {
            _deleted = 0;
            _deletedBy = 0;
            _pushed = 0;
        }

        _inserted = Clock.Next();
        _insertedBy = LocalOrdinal;
        _stamps.Clear();
        _latest = _inserted;
    }

    /// <summary>
    /// Stamps an update of the stored row <see cref="LoadState"/> read, from <paramref name="before"/> to
    /// <paramref name="after"/> (payloads): the fields whose encoding changed (or that one of them lacks) are stamped
    /// now. A write that changes no field leaves the state as it was.
    /// </summary>
    public void StampUpdate(ReadOnlySpan<byte> before, ReadOnlySpan<byte> after)
    {
        if (_inserted == 0)
        {
            // A row stored before its entity was synced that the open did not stamp (it always does): all of it is new.
            StampInsert(stored: true);
            return;
        }

        List<int> changed = PayloadDiff.ChangedFields(before, after);
        if (changed.Count == 0)
        {
            return;
        }

        long stamp = Clock.Next();
        foreach (int id in changed)
        {
            SetStamp(_stamps, new FieldStamp(id, stamp, LocalOrdinal));
        }

        _latest = stamp;
    }

    /// <summary>Binds the state a Stamp method made to the write's statement, from parameter <paramref name="first"/> on.</summary>
    public void BindState(SqliteStatement statement, int first)
    {
        statement.BindInt64(first, _inserted);
        statement.BindInt64(first + 1, _insertedBy);
        statement.BindInt64(first + 2, _deleted);
        statement.BindInt64(first + 3, _deletedBy);
        if (_stamps.Count == 0)
        {
            statement.BindNull(first + 4);
        }
        else
        {
            statement.BindBlob(first + 4, WriteStamps(_stamps));
        }

        statement.BindInt64(first + 5, _latest);
        statement.BindInt64(first + 6, _pushed);
    }

    /// <summary>
    /// After an insert of a key: a tombstone the key had goes, and the row keeps its stamp (a delete still wins over
    /// writes stamped before it) and what of it the server acknowledged.
    /// </summary>
    public void AfterInsert(SqliteConnection connection, string entity, ColumnValue key)
    {
        if (Unbury(connection, entity, key) is not { } tombstone)
        {
            return;
        }

        SqliteStatement update = connection.Prepare(_tables[entity].KeepTombstoneSql);
        try
        {
            key.Bind(update, 1);
            update.BindInt64(2, tombstone.Deleted);
            update.BindInt64(3, tombstone.DeletedBy);
            update.BindInt64(4, tombstone.Pushed);
            update.Execute();
        }
        finally
        {
            update.Reset();
        }
    }

    /// <summary>Removes the key's tombstone, if it has one, and says what it held.</summary>
    public static (long Deleted, int DeletedBy, long Pushed)? Unbury(SqliteConnection connection, string entity, ColumnValue key)
    {
        // A read first: most keys have no tombstone, and a read costs far less than a delete that finds nothing.
        (long, int, long) tombstone;
        SqliteStatement select = connection.Prepare($"SELECT deleted, deleted_by, pushed FROM {TombstonesTable} WHERE entity=?1 AND key=?2");
        try
        {
            select.BindText(1, entity);
            key.Bind(select, 2);
            if (!select.Step())
            {
                return null;
            }

            tombstone = (select.ColumnInt64(0), (int)select.ColumnInt64(1), select.ColumnInt64(2));
        }
        finally
        {
            select.Reset();
        }

        SqliteStatement delete = connection.Prepare($"DELETE FROM {TombstonesTable} WHERE entity=?1 AND key=?2");
        try
        {
            delete.BindText(1, entity);
            key.Bind(delete, 2);
            delete.Execute();
        }
        finally
        {
            delete.Reset();
        }

        return tombstone;
    }

    /// <summary>
    /// Records a delete of a row whose state had the insert stamp <paramref name="inserted"/> and the acknowledged
    /// stamp <paramref name="pushed"/>: its tombstone, stamped now; its field stamps go (the delete wins over them).
    /// </summary>
    public void RecordDelete(SqliteConnection connection, string entity, ColumnValue key, long inserted, int insertedBy, long pushed)
    {
        long stamp = Clock.Next();
        Bury(connection, entity, key, inserted, insertedBy, stamp, LocalOrdinal, null, stamp, pushed);
    }

    /// <summary>How many rows have changes the server has not acknowledged.</summary>
    public long PendingCount(SqliteConnection connection)
    {
        long count = connection.ExecuteScalar($"SELECT count(*) FROM {TombstonesTable} WHERE latest > pushed AND entity IN ({SyncedNames()})");
        foreach (SyncedTable table in _tables.Values)
        {
            count += connection.ExecuteScalar($"SELECT count(*) FROM {table.Table} WHERE _sync_latest > _sync_pushed");
        }

        return count;
    }

    /// <summary>The synced entities with changes the server has not acknowledged, in name order.</summary>
    public List<string> PendingEntities(SqliteConnection connection)
    {
        var entities = new List<string>();
        foreach (SyncedTable table in _tables.Values.OrderBy(t => t.Entity, StringComparer.Ordinal))
        {
            if (connection.ExecuteScalar($"SELECT count(*) FROM {TombstonesTable} WHERE latest > pushed AND entity={SqlText.Literal(table.Entity)}") > 0
                || connection.ExecuteScalar($"SELECT count(*) FROM {table.Table} WHERE _sync_latest > _sync_pushed") > 0)
            {
                entities.Add(table.Entity);
            }
        }

        return entities;
    }

    /// <summary>What the file records for a row, stored or buried, or null when it records nothing.</summary>
    public SyncRowState? ReadRow(SqliteConnection connection, string entity, ColumnValue key)
    {
        SqliteStatement select = connection.Prepare(_tables[entity].SelectStateSql);
        try
        {
            key.Bind(select, 1);
            if (select.Step())
            {
                LoadState(select, 0);
                return LoadedState();
            }
        }
        finally
        {
            select.Reset();
        }

        return ReadTombstone(connection, entity, key);
    }

    /// <summary>The state of a row that is not stored: its tombstone, or null when it has none.</summary>
    public SyncRowState? ReadTombstone(SqliteConnection connection, string entity, ColumnValue key)
    {
        SqliteStatement select = connection.Prepare(SelectTombstoneSql);
        try
        {
            select.BindText(1, entity);
            key.Bind(select, 2);
            if (!select.Step())
            {
                return null;
            }

            LoadState(select, 0);
            return LoadedState();
        }
        finally
        {
            select.Reset();
        }
    }

    /// <summary>The stamp of <paramref name="value"/> by the replica stored as <paramref name="ordinal"/>; default for none.</summary>
    public SyncStamp Stamp(long value, int ordinal) =>
        value == 0 ? default : new SyncStamp(value, ordinal > 0 && ordinal <= _replicas.Count ? _replicas[ordinal - 1] : Guid.Empty);

    /// <summary>Whether writes are being made by applying pulled changes: then they record nothing of their own (no echo).</summary>
    public bool Applying { get; set; }

    /// <summary>The conversions of field values to and from the wire, set at open.</summary>
    public WireShapes Shapes { get; set; } = null!;

    /// <summary>The number stamps of <paramref name="replica"/> are stored with, recording the replica when it is new.</summary>
    public int OrdinalOf(SqliteConnection connection, Guid replica)
    {
        if (!_ordinals.TryGetValue(replica, out int ordinal))
        {
            AddReplica(connection, replica, _ordinals, _replicas);
            ordinal = _ordinals[replica];
        }

        return ordinal;
    }

    /// <summary>Reads the replicas again, after a transaction that may have recorded some was rolled back.</summary>
    public void ReloadReplicas(SqliteConnection connection)
    {
        (Dictionary<Guid, int> ordinals, List<Guid> replicas) = LoadReplicas(connection);
        _ordinals.Clear();
        _replicas.Clear();
        foreach ((Guid replica, int ordinal) in ordinals)
        {
            _ordinals[replica] = ordinal;
        }

        _replicas.AddRange(replicas);
    }

    /// <summary>A value kept in the sync state (the pull cursor, the push batch counter), or null.</summary>
    public static string? ReadState(SqliteConnection connection, string key)
    {
        SqliteStatement select = connection.Prepare($"SELECT value FROM {StateTable} WHERE key=?1");
        try
        {
            select.BindText(1, key);
            return select.Step() && select.ColumnType(0) != SqliteTypes.Null ? select.ColumnText(0) : null;
        }
        finally
        {
            select.Reset();
        }
    }

    /// <summary>Keeps a value in the sync state.</summary>
    public static void WriteState(SqliteConnection connection, string key, string value)
    {
        SqliteStatement upsert = connection.Prepare($"INSERT INTO {StateTable}(key, value) VALUES(?1, ?2) ON CONFLICT(key) DO UPDATE SET value=excluded.value");
        try
        {
            upsert.BindText(1, key);
            upsert.BindText(2, value);
            upsert.Execute();
        }
        finally
        {
            upsert.Reset();
        }
    }

    /// <summary>Up to <paramref name="max"/> rows with changes to push, those changed longest ago first.</summary>
    public List<(string Entity, ColumnValue Key, SyncRowState State)> ReadPending(SqliteConnection connection, int max)
    {
        var pending = new List<(string, ColumnValue, SyncRowState)>();
        SqliteStatement select = connection.Prepare(_pendingSql);
        try
        {
            select.BindInt64(1, max);
            while (select.Step())
            {
                LoadState(select, 2);
                pending.Add((select.ColumnText(0), ColumnValue.Read(select, 1), LoadedState()!));
            }
        }
        finally
        {
            select.Reset();
        }

        return pending;
    }

    /// <summary>Records that the server has the row's changes up to <paramref name="latest"/>: the row leaves the outbox unless it changed since.</summary>
    public void MarkPushed(SqliteConnection connection, string entity, ColumnValue key, long latest)
    {
        if (_tables.TryGetValue(entity, out SyncedTable? table))
        {
            SetPushed(connection, entity, key, latest, table.MarkPushedSql, $"UPDATE {TombstonesTable} SET pushed=?3 WHERE entity=?1 AND key=?2 AND pushed < ?3");
        }
    }

    /// <summary>Makes every change of the row pending again, to be pushed anew.</summary>
    public void Repush(SqliteConnection connection, string entity, ColumnValue key)
    {
        if (_tables.TryGetValue(entity, out SyncedTable? table))
        {
            SetPushed(connection, entity, key, 0, table.RepushSql, $"UPDATE {TombstonesTable} SET pushed=?3 WHERE entity=?1 AND key=?2");
        }
    }

    // Updates a stored row's state, or else a tombstone's: the row is one or the other. Most rows pushed are stored,
    // and an update that finds nothing costs as much as one that does, so the tombstone's waits for a miss.
    private static void SetPushed(SqliteConnection connection, string entity, ColumnValue key, long pushed, string storedSql, string tombstoneSql)
    {
        foreach (string sql in (ReadOnlySpan<string>)[storedSql, tombstoneSql])
        {
            SqliteStatement update = connection.Prepare(sql);
            try
            {
                update.BindText(1, entity);
                key.Bind(update, 2);
                update.BindInt64(3, pushed);
                update.Execute();
            }
            finally
            {
                update.Reset();
            }

            if (connection.Changes > 0)
            {
                return;
            }
        }
    }

    /// <summary>
    /// Stores a row's state after pulled changes were merged into it: its insert and tombstone stamps, the stamps of
    /// fields that differ from the insert's, and its latest and acknowledged stamps. A live row is stored (its write
    /// came first, or the merge left it as it was), so it has no tombstone, and its state goes in its own columns; a
    /// row that is not live has been deleted, and its state is its tombstone.
    /// </summary>
    public void WriteMerged(
        SqliteConnection connection, string entity, ColumnValue key, SyncStamp inserted, SyncStamp deleted, IReadOnlyList<(int FieldId, SyncStamp Stamp)> fields, long latest, long pushed)
    {
        PrepareMerged(connection, inserted, deleted, fields, latest, pushed);
        if (inserted <= deleted)
        {
            Bury(connection, entity, key, _inserted, _insertedBy, _deleted, _deletedBy, _stamps.Count == 0 ? null : _stamps, latest, pushed);
            return;
        }

        SqliteStatement update = connection.Prepare(_tables[entity].WriteStateSql);
        try
        {
            key.Bind(update, 1);
            BindState(update, 2);
            update.Execute();
        }
        finally
        {
            update.Reset();
        }
    }

    /// <summary>
    /// Makes a row's state after pulled changes were merged into it the state <see cref="BindState"/> binds: the
    /// write of a merged live row sets it in its own statement (then <see cref="Unbury"/> removes a tombstone the key
    /// had). Replicas new to this file are recorded.
    /// </summary>
    public void PrepareMerged(SqliteConnection connection, SyncStamp inserted, SyncStamp deleted, IReadOnlyList<(int FieldId, SyncStamp Stamp)> fields, long latest, long pushed)
    {
        _stamps.Clear();
        foreach ((int id, SyncStamp stamp) in fields)
        {
            _stamps.Add(new FieldStamp(id, stamp.Value, OrdinalOf(connection, stamp.Replica)));
        }

        _inserted = inserted.Value;
        _insertedBy = inserted.Value == 0 ? 0 : OrdinalOf(connection, inserted.Replica);
        _deleted = deleted.Value;
        _deletedBy = deleted.Value == 0 ? 0 : OrdinalOf(connection, deleted.Replica);
        _latest = latest;
        _pushed = pushed;
    }

    private void Bury(
        SqliteConnection connection, string entity, ColumnValue key, long inserted, int insertedBy, long deleted, int deletedBy, List<FieldStamp>? fields, long latest, long pushed)
    {
        SqliteStatement upsert = connection.Prepare(BuryRowSql);
        try
        {
            upsert.BindText(1, entity);
            key.Bind(upsert, 2);
            upsert.BindInt64(3, inserted);
            upsert.BindInt64(4, insertedBy);
            upsert.BindInt64(5, deleted);
            upsert.BindInt64(6, deletedBy);
            if (fields is null)
            {
                upsert.BindNull(7);
            }
            else
            {
                upsert.BindBlob(7, WriteStamps(fields));
            }

            upsert.BindInt64(8, latest);
            upsert.BindInt64(9, pushed);
            upsert.Execute();
        }
        finally
        {
            upsert.Reset();
        }
    }

    /// <summary>Sets a change aside that can never apply (refused by the server, or pulled and unusable here), with why.</summary>
    public static void AddDeadLetter(SqliteConnection connection, string direction, SyncChange change, string reason, DateTimeOffset at) =>
        AddAside(connection, $"INSERT INTO {DeadTable}(direction, entity, key, reason, change, at) VALUES(?1, ?2, ?3, ?4, ?5, ?6)", direction, change, reason, at);

    /// <summary>Holds a pulled change back (clock drift, a newer schema version), to be tried again at the next sync.</summary>
    public static void Hold(SqliteConnection connection, SyncChange change, string reason, DateTimeOffset at) =>
        AddAside(connection, $"INSERT INTO {HeldTable}(entity, key, reason, change, at) VALUES(?2, ?3, ?4, ?5, ?6)", null, change, reason, at);

    private static void AddAside(SqliteConnection connection, string sql, string? direction, SyncChange change, string reason, DateTimeOffset at)
    {
        var encoded = new ArrayBufferWriter<byte>(256);
        SyncWire.WritePullResult(new SyncPullResult([change], string.Empty, false), encoded);
        SqliteStatement insert = connection.Prepare(sql);
        try
        {
            if (direction is not null)
            {
                insert.BindText(1, direction);
            }

            insert.BindText(2, change.Entity);
            insert.BindText(3, change.Key.ToString());
            insert.BindText(4, reason);
            insert.BindBlob(5, encoded.WrittenSpan);
            insert.BindText(6, at.ToString("O", CultureInfo.InvariantCulture));
            insert.Execute();
        }
        finally
        {
            insert.Reset();
        }
    }

    private void StartSyncing(SqliteConnection connection, SyncedTable table, bool columnsAdded, bool stateLost)
    {
        string marker = "synced:" + table.Entity;
        bool started = ReadState(connection, marker) is not null;
        if (started && !columnsAdded && !stateLost)
        {
            return;
        }

        // Rows stored before the entity was synced are inserts of now: every replica learns of them at the next push.
        // An entity synced again after a pause starts over. Rows whose stamps were lost (their state columns or the
        // sync tables are gone: a salvage) get the oldest stamp there is: a salvage may bring back older versions
        // of rows, so every write another replica made wins over them, and a row no other replica has is still
        // inserted everywhere.
        bool lost = stateLost || (started && columnsAdded);
        long stamp = lost ? OldestStamp : Clock.Next();
        SqliteStatement backfill = connection.Prepare($"""
            UPDATE {table.Table} SET _sync_inserted=?1, _sync_inserted_by=?2, _sync_deleted=coalesce(_sync_deleted, 0),
                _sync_deleted_by=coalesce(_sync_deleted_by, 0), _sync_fields=NULL, _sync_latest=?1, _sync_pushed=coalesce(_sync_pushed, 0)
            WHERE ?3 OR _sync_inserted IS NULL
            """);
        try
        {
            backfill.BindInt64(1, stamp);
            backfill.BindInt64(2, LocalOrdinal);
            backfill.BindInt64(3, started || lost ? 0 : 1);
            backfill.Execute();
        }
        finally
        {
            backfill.Reset();
        }

        if (!started)
        {
            WriteState(connection, marker, "1");
        }

        SaveClock(connection, Clock.Last);
    }

    /// <summary>
    /// Gives a synced entity's table its state columns and their outbox index, unless it has them. True when they
    /// were added: the table is new, or came from a file that did not sync it, or from a salvage.
    /// </summary>
    private static bool AddStateColumns(SqliteConnection connection, string tableName, SyncedTable table)
    {
        if (connection.ExecuteScalar($"SELECT count(*) FROM pragma_table_info({SqlText.Literal(tableName)}) WHERE name='_sync_latest'") > 0)
        {
            return false;
        }

        foreach (string column in StateColumns)
        {
            connection.Execute($"ALTER TABLE {table.Table} ADD COLUMN {column} {(column == "_sync_fields" ? "BLOB" : "INTEGER")}");
        }

        connection.Execute($"CREATE INDEX IF NOT EXISTS {SqlText.Quote("_repos_sync_outbox_" + tableName)} ON {table.Table}(_sync_latest) WHERE _sync_latest > _sync_pushed");
        return true;
    }

    // The outbox across every synced table and the tombstones, oldest change first: each part reads its partial index in order.
    private static string PendingSql(IEnumerable<SyncedTable> tables)
    {
        var sql = new System.Text.StringBuilder();
        foreach (SyncedTable table in tables)
        {
            sql.Append($"SELECT {SqlText.Literal(table.Entity)}, key, {StateColumnList} FROM {table.Table} WHERE _sync_latest > _sync_pushed UNION ALL ");
        }

        string names = string.Join(", ", tables.Select(t => SqlText.Literal(t.Entity)));
        sql.Append($"SELECT entity, key, {TombstoneColumnList} FROM {TombstonesTable} WHERE latest > pushed AND entity IN ({names}) ORDER BY 8 LIMIT ?1");
        return sql.ToString();
    }

    private string SyncedNames() => string.Join(", ", _tables.Keys.Select(SqlText.Literal));

    // An entity that is no longer synced starts over when it is synced again: its rows are then all pushed anew.
    private static void ForgetUnsynced(SqliteConnection connection, IReadOnlyList<EntityDefinition> entities)
    {
        if (connection.ExecuteScalar($"SELECT count(*) FROM sqlite_schema WHERE type='table' AND name='{StateTable}'") == 0)
        {
            return;
        }

        SqliteStatement forget = connection.Prepare($"DELETE FROM {StateTable} WHERE key=?1");
        foreach (EntityDefinition entity in entities.Where(e => !e.IsSynced))
        {
            try
            {
                forget.BindText(1, "synced:" + entity.Name);
                forget.Execute();
            }
            finally
            {
                forget.Reset();
            }
        }
    }

    private static Guid? ReadReplica(SqliteConnection connection)
    {
        SqliteStatement select = connection.Prepare("SELECT value FROM _repos_meta WHERE key=?1");
        try
        {
            select.BindText(1, ReplicaKey);
            return select.Step() && Guid.TryParse(select.ColumnText(0), CultureInfo.InvariantCulture, out Guid replica) ? replica : null;
        }
        finally
        {
            select.Reset();
        }
    }

    private static Guid CreateReplica(SqliteConnection connection)
    {
        var replica = Guid.NewGuid();
        SqliteStatement insert = connection.Prepare("INSERT INTO _repos_meta(key, value) VALUES(?1, ?2) ON CONFLICT(key) DO UPDATE SET value=excluded.value");
        try
        {
            insert.BindText(1, ReplicaKey);
            insert.BindText(2, replica.ToString("D"));
            insert.Execute();
        }
        finally
        {
            insert.Reset();
        }

        return replica;
    }

    private static (Dictionary<Guid, int> Ordinals, List<Guid> Replicas) LoadReplicas(SqliteConnection connection)
    {
        var ordinals = new Dictionary<Guid, int>();
        var replicas = new List<Guid>();
        SqliteStatement select = connection.Prepare($"SELECT ordinal, replica FROM {ReplicasTable} ORDER BY ordinal");
        try
        {
            while (select.Step())
            {
                int ordinal = (int)select.ColumnInt64(0);
                var replica = new Guid(select.ColumnBlob(1), bigEndian: true);
                while (replicas.Count < ordinal)
                {
                    replicas.Add(Guid.Empty);
                }

                replicas[ordinal - 1] = replica;
                ordinals[replica] = ordinal;
            }
        }
        finally
        {
            select.Reset();
        }

        return (ordinals, replicas);
    }

    private static void AddReplica(SqliteConnection connection, Guid replica, Dictionary<Guid, int> ordinals, List<Guid> replicas)
    {
        int ordinal = replicas.Count + 1;
        SqliteStatement insert = connection.Prepare($"INSERT INTO {ReplicasTable}(ordinal, replica) VALUES(?1, ?2)");
        try
        {
            insert.BindInt64(1, ordinal);
            Span<byte> bytes = stackalloc byte[16];
            replica.TryWriteBytes(bytes, bigEndian: true, out _);
            insert.BindBlob(2, bytes);
            insert.Execute();
        }
        finally
        {
            insert.Reset();
        }

        replicas.Add(replica);
        ordinals[replica] = ordinal;
    }

    /// <summary>
    /// The clock a replica goes on from: the one saved (at every pull, acknowledgement and restore), or the latest
    /// stamp of a change not pushed yet, if later. Local writes do not save the clock: every stamp one gives is in
    /// its row, which stays in the outbox (its partial index) until an acknowledgement saves the clock.
    /// </summary>
    private static long ReadClock(SqliteConnection connection, IEnumerable<SyncedTable> tables)
    {
        long clock = Math.Max(
            connection.ExecuteScalar($"SELECT coalesce((SELECT value FROM {StateTable} WHERE key='clock'), 0)"),
            connection.ExecuteScalar($"SELECT coalesce(max(latest), 0) FROM {TombstonesTable} WHERE latest > pushed"));
        foreach (SyncedTable table in tables)
        {
            clock = Math.Max(clock, connection.ExecuteScalar($"SELECT coalesce(max(_sync_latest), 0) FROM {table.Table} WHERE _sync_latest > _sync_pushed"));
        }

        return clock;
    }

    /// <summary>
    /// Raises the clock kept in the file at <paramref name="path"/> (a backup about to be restored) to at least
    /// <paramref name="clock"/>; a file without sync tables is left as it is.
    /// </summary>
    public static void CarryClock(string path, long clock)
    {
        using SqliteConnection connection = SqliteConnection.Open(path, readOnly: false, create: false);
        if (connection.ExecuteScalar($"SELECT count(*) FROM sqlite_schema WHERE type='table' AND name='{StateTable}'") == 0)
        {
            return;
        }

        SqliteStatement save = connection.Prepare(
            $"INSERT INTO {StateTable}(key, value) VALUES('clock', ?1) ON CONFLICT(key) DO UPDATE SET value=max(value, excluded.value)");
        try
        {
            save.BindInt64(1, clock);
            save.Step();
        }
        finally
        {
            save.Reset();
        }
    }

    /// <summary>Stores the clock's last stamp, in the caller's transaction.</summary>
    public void SaveClock(SqliteConnection connection) => SaveClock(connection, Clock.Last);

    private static void SaveClock(SqliteConnection connection, long stamp)
    {
        SqliteStatement save = connection.Prepare(SaveClockSql);
        try
        {
            save.BindInt64(1, stamp);
            save.Step();
        }
        finally
        {
            save.Reset();
        }
    }

    private static void SetStamp(List<FieldStamp> stamps, FieldStamp stamp)
    {
        for (int i = 0; i < stamps.Count; i++)
        {
            if (stamps[i].FieldId == stamp.FieldId)
            {
                stamps[i] = stamp;
                return;
            }
        }

        stamps.Add(stamp);
    }

    /// <summary>Reads a row's field stamps: a MessagePack array of (field id, stamp, replica ordinal) triples.</summary>
    private static void ReadStamps(ReadOnlySpan<byte> encoded, List<FieldStamp> stamps)
    {
        var reader = new MessagePackReader(encoded);
        int count = reader.ReadArrayHeader() / 3;
        for (int i = 0; i < count; i++)
        {
            stamps.Add(new FieldStamp(reader.ReadInt32(), reader.ReadInt64(), reader.ReadInt32()));
        }
    }

    private ReadOnlySpan<byte> WriteStamps(List<FieldStamp> stamps)
    {
        _fields.ResetWrittenCount();
        var writer = new MessagePackWriter(_fields);
        writer.WriteArrayHeader(stamps.Count * 3);
        foreach (FieldStamp stamp in stamps)
        {
            writer.Write(stamp.FieldId);
            writer.Write(stamp.Value);
            writer.Write(stamp.Replica);
        }

        writer.Flush();
        return _fields.WrittenSpan;
    }

    private readonly record struct FieldStamp(int FieldId, long Value, int Replica);

    /// <summary>A synced entity's table and the statements on its state columns.</summary>
    private sealed class SyncedTable(string entity, string table)
    {
        public string Entity { get; } = entity;

        /// <summary>The table's name, quoted.</summary>
        public string Table { get; } = table;

        public string SelectStateSql { get; } = $"SELECT {StateColumnList} FROM {table} WHERE key=?1";

        public string WriteStateSql { get; } =
            $"UPDATE {table} SET _sync_inserted=?2, _sync_inserted_by=?3, _sync_deleted=?4, _sync_deleted_by=?5, _sync_fields=?6, _sync_latest=?7, _sync_pushed=?8 WHERE key=?1";

        public string KeepTombstoneSql { get; } = $"UPDATE {table} SET _sync_deleted=?2, _sync_deleted_by=?3, _sync_pushed=?4 WHERE key=?1";

        public string MarkPushedSql { get; } = $"UPDATE {table} SET _sync_pushed=?3 WHERE key=?2 AND _sync_pushed < ?3 AND ?1 IS NOT NULL";

        public string RepushSql { get; } = $"UPDATE {table} SET _sync_pushed=?3 WHERE key=?2 AND ?1 IS NOT NULL";
    }
}

/// <summary>What a replica records for one synced row.</summary>
/// <param name="Inserted">The stamp of its last insert (default when it was never inserted here).</param>
/// <param name="Deleted">The stamp of its tombstone (default when it was never deleted).</param>
/// <param name="Fields">The stamps of fields written after the insert, by field id; the others have the insert's.</param>
/// <param name="Latest">The highest stamp value of any of them.</param>
/// <param name="Pushed">The highest stamp value the server acknowledged.</param>
internal sealed record SyncRowState(SyncStamp Inserted, SyncStamp Deleted, IReadOnlyList<(int FieldId, SyncStamp Stamp)> Fields, long Latest, long Pushed)
{
    /// <summary>Whether the row is live: inserted after its last delete.</summary>
    public bool IsLive => Inserted > Deleted;

    /// <summary>Whether the row has changes the server has not acknowledged.</summary>
    public bool IsPending => Latest > Pushed;
}
