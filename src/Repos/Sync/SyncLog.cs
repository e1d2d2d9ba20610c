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
/// any of them and the highest the server acknowledged. A row whose latest stamp is above the acknowledged one
/// has changes to push: those rows, in a partial index, are the outbox.
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
    public const string RowsTable = "_repos_sync_rows";
    public const string DeadTable = "_repos_sync_dead";
    public const string HeldTable = "_repos_sync_held";

    /// <summary>The tables sync keeps, created when a model first has a synced entity.</summary>
    public static readonly string[] Tables = [StateTable, ReplicasTable, RowsTable, DeadTable, HeldTable];

    private const string CreateSql = $"""
        CREATE TABLE IF NOT EXISTS {StateTable}(key TEXT PRIMARY KEY NOT NULL, value) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS {ReplicasTable}(ordinal INTEGER PRIMARY KEY, replica BLOB NOT NULL UNIQUE);
        CREATE TABLE IF NOT EXISTS {RowsTable}(
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
        CREATE INDEX IF NOT EXISTS _repos_sync_outbox ON {RowsTable}(latest) WHERE latest > pushed;
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

    private const string InsertSql = $"""
        INSERT INTO {RowsTable}(entity, key, inserted, inserted_by, deleted, deleted_by, fields, latest, pushed) VALUES(?1, ?2, ?3, ?4, 0, 0, NULL, ?3, 0)
        ON CONFLICT(entity, key) DO UPDATE SET inserted=excluded.inserted, inserted_by=excluded.inserted_by, fields=NULL, latest=excluded.latest
        """;

    private const string DeleteSql = $"""
        INSERT INTO {RowsTable}(entity, key, inserted, inserted_by, deleted, deleted_by, fields, latest, pushed) VALUES(?1, ?2, 0, 0, ?3, ?4, NULL, ?3, 0)
        ON CONFLICT(entity, key) DO UPDATE SET deleted=excluded.deleted, deleted_by=excluded.deleted_by, fields=NULL, latest=excluded.latest
        """;

    private const string FieldsSql = $"SELECT fields FROM {RowsTable} WHERE entity=?1 AND key=?2";

    private const string UpdateFieldsSql = $"UPDATE {RowsTable} SET fields=?3, latest=?4 WHERE entity=?1 AND key=?2";

    private readonly Dictionary<Guid, int> _ordinals;
    private readonly List<Guid> _replicas;
    private readonly ArrayBufferWriter<byte> _fields = new(256);
    private readonly List<FieldStamp> _stamps = [];

    private SyncLog(Guid replica, HybridClock clock, Dictionary<Guid, int> ordinals, List<Guid> replicas)
    {
        Replica = replica;
        Clock = clock;
        _ordinals = ordinals;
        _replicas = replicas;
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
    /// creates the tables, makes the replica id on first use, and records every stored row of an entity that has
    /// just become synced as inserted now, so it is pushed. Returns null when no entity is synced.
    /// </summary>
    public static SyncLog? Prepare(SqliteConnection connection, IReadOnlyList<EntityDefinition> entities, TimeProvider time)
    {
        if (!entities.Any(e => e.IsSynced))
        {
            ForgetUnsynced(connection, entities);
            return null;
        }

        connection.Execute(CreateSql);
        Guid replica = ReadReplica(connection) ?? CreateReplica(connection);
        (Dictionary<Guid, int> ordinals, List<Guid> replicas) = LoadReplicas(connection);
        if (!ordinals.ContainsKey(replica))
        {
            AddReplica(connection, replica, ordinals, replicas);
        }

        var log = new SyncLog(replica, new HybridClock(time, ReadClock(connection)), ordinals, replicas);
        foreach (EntityDefinition entity in entities)
        {
            if (entity.IsSynced)
            {
                log.StartSyncing(connection, entity);
            }
        }

        ForgetUnsynced(connection, entities);
        return log;
    }

    /// <summary>
    /// Records an insert (or an upsert of a key with no stored row): the row is live from this stamp, with every
    /// field written by it.
    /// </summary>
    public void RecordInsert(SqliteConnection connection, string entity, ColumnValue key) => RecordRow(connection, InsertSql, entity, key);

    /// <summary>Records a delete: the row's tombstone, stamped now; its field stamps go (the delete wins over them).</summary>
    public void RecordDelete(SqliteConnection connection, string entity, ColumnValue key) => RecordRow(connection, DeleteSql, entity, key);

    /// <summary>
    /// Records an update of a stored row from <paramref name="before"/> to <paramref name="after"/> (payloads): the
    /// fields whose encoding changed (or that one of them lacks) are stamped now. A write that changes no field
    /// records nothing.
    /// </summary>
    public void RecordUpdate(SqliteConnection connection, string entity, ColumnValue key, ReadOnlySpan<byte> before, ReadOnlySpan<byte> after)
    {
        List<int> changed = PayloadDiff.ChangedFields(before, after);
        if (changed.Count == 0)
        {
            return;
        }

        SqliteStatement select = connection.Prepare(FieldsSql);
        bool found;
        try
        {
            select.BindText(1, entity);
            key.Bind(select, 2);
            found = select.Step();
            _stamps.Clear();
            if (found && select.ColumnType(0) == SqliteTypes.Blob)
            {
                ReadStamps(select.ColumnBlob(0), _stamps);
            }
        }
        finally
        {
            select.Reset();
        }

        if (!found)
        {
            // A row stored before its entity was synced that the open did not record (it always does): all of it is new.
            RecordInsert(connection, entity, key);
            return;
        }

        long stamp = Clock.Next();
        foreach (int id in changed)
        {
            SetStamp(_stamps, new FieldStamp(id, stamp, LocalOrdinal));
        }

        SqliteStatement update = connection.Prepare(UpdateFieldsSql);
        try
        {
            update.BindText(1, entity);
            key.Bind(update, 2);
            update.BindBlob(3, WriteStamps(_stamps));
            update.BindInt64(4, stamp);
            update.Step();
        }
        finally
        {
            update.Reset();
        }
    }

    /// <summary>How many rows have changes the server has not acknowledged.</summary>
    public static long PendingCount(SqliteConnection connection) =>
        connection.ExecuteScalar($"SELECT count(*) FROM {RowsTable} WHERE latest > pushed");

    /// <summary>What the file records for a row, or null when it records nothing.</summary>
    public SyncRowState? ReadRow(SqliteConnection connection, string entity, ColumnValue key)
    {
        SqliteStatement select = connection.Prepare(
            $"SELECT inserted, inserted_by, deleted, deleted_by, fields, latest, pushed FROM {RowsTable} WHERE entity=?1 AND key=?2");
        try
        {
            select.BindText(1, entity);
            key.Bind(select, 2);
            if (!select.Step())
            {
                return null;
            }

            return ReadState(select, 0);
        }
        finally
        {
            select.Reset();
        }
    }

    // A row's state from the columns inserted, inserted_by, deleted, deleted_by, fields, latest, pushed, from column `first` on.
    private SyncRowState ReadState(SqliteStatement select, int first)
    {
        var stamps = new List<FieldStamp>();
        if (select.ColumnType(first + 4) == SqliteTypes.Blob)
        {
            ReadStamps(select.ColumnBlob(first + 4), stamps);
        }

        return new SyncRowState(
            Stamp(select.ColumnInt64(first), (int)select.ColumnInt64(first + 1)),
            Stamp(select.ColumnInt64(first + 2), (int)select.ColumnInt64(first + 3)),
            stamps.Select(s => (s.FieldId, Stamp(s.Value, s.Replica))).ToArray(),
            select.ColumnInt64(first + 5),
            select.ColumnInt64(first + 6));
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
        SqliteStatement select = connection.Prepare(
            $"SELECT entity, key, inserted, inserted_by, deleted, deleted_by, fields, latest, pushed FROM {RowsTable} WHERE latest > pushed ORDER BY latest LIMIT ?1");
        try
        {
            select.BindInt64(1, max);
            while (select.Step())
            {
                pending.Add((select.ColumnText(0), ColumnValue.Read(select, 1), ReadState(select, 2)));
            }
        }
        finally
        {
            select.Reset();
        }

        return pending;
    }

    /// <summary>Records that the server has the row's changes up to <paramref name="latest"/>: the row leaves the outbox unless it changed since.</summary>
    public static void MarkPushed(SqliteConnection connection, string entity, ColumnValue key, long latest)
    {
        SqliteStatement update = connection.Prepare($"UPDATE {RowsTable} SET pushed=?3 WHERE entity=?1 AND key=?2 AND pushed < ?3");
        try
        {
            update.BindText(1, entity);
            key.Bind(update, 2);
            update.BindInt64(3, latest);
            update.Execute();
        }
        finally
        {
            update.Reset();
        }
    }

    /// <summary>
    /// Stores a row's state after pulled changes were merged into it: its insert and tombstone stamps, the stamps of
    /// fields that differ from the insert's, and its latest and acknowledged stamps.
    /// </summary>
    public void WriteMerged(
        SqliteConnection connection, string entity, ColumnValue key, SyncStamp inserted, SyncStamp deleted, IReadOnlyList<(int FieldId, SyncStamp Stamp)> fields, long latest, long pushed)
    {
        _stamps.Clear();
        foreach ((int id, SyncStamp stamp) in fields)
        {
            _stamps.Add(new FieldStamp(id, stamp.Value, OrdinalOf(connection, stamp.Replica)));
        }

        SqliteStatement upsert = connection.Prepare($"""
            INSERT INTO {RowsTable}(entity, key, inserted, inserted_by, deleted, deleted_by, fields, latest, pushed) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
            ON CONFLICT(entity, key) DO UPDATE SET inserted=excluded.inserted, inserted_by=excluded.inserted_by, deleted=excluded.deleted,
                deleted_by=excluded.deleted_by, fields=excluded.fields, latest=excluded.latest, pushed=excluded.pushed
            """);
        try
        {
            upsert.BindText(1, entity);
            key.Bind(upsert, 2);
            upsert.BindInt64(3, inserted.Value);
            upsert.BindInt64(4, inserted.Value == 0 ? 0 : OrdinalOf(connection, inserted.Replica));
            upsert.BindInt64(5, deleted.Value);
            upsert.BindInt64(6, deleted.Value == 0 ? 0 : OrdinalOf(connection, deleted.Replica));
            if (_stamps.Count == 0)
            {
                upsert.BindNull(7);
            }
            else
            {
                upsert.BindBlob(7, WriteStamps(_stamps));
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

    private void StartSyncing(SqliteConnection connection, EntityDefinition entity)
    {
        string marker = "synced:" + entity.Name;
        SqliteStatement select = connection.Prepare($"SELECT count(*) FROM {StateTable} WHERE key=?1");
        bool started;
        try
        {
            select.BindText(1, marker);
            select.Step();
            started = select.ColumnInt64(0) > 0;
        }
        finally
        {
            select.Reset();
        }

        if (started)
        {
            return;
        }

        // Rows stored before the entity was synced are inserts of now: every replica learns of them at the next push.
        long stamp = Clock.Next();
        SqliteStatement backfill = connection.Prepare($"""
            INSERT INTO {RowsTable}(entity, key, inserted, inserted_by, deleted, deleted_by, fields, latest, pushed)
            SELECT ?1, key, ?2, ?3, 0, 0, NULL, ?2, 0 FROM {SqlText.Quote(entity.TableName)} WHERE true
            ON CONFLICT(entity, key) DO UPDATE SET inserted=excluded.inserted, inserted_by=excluded.inserted_by, fields=NULL, latest=excluded.latest
            """);
        try
        {
            backfill.BindText(1, entity.Name);
            backfill.BindInt64(2, stamp);
            backfill.BindInt64(3, LocalOrdinal);
            backfill.Execute();
        }
        finally
        {
            backfill.Reset();
        }

        SqliteStatement mark = connection.Prepare($"INSERT INTO {StateTable}(key, value) VALUES(?1, 1)");
        try
        {
            mark.BindText(1, marker);
            mark.Execute();
        }
        finally
        {
            mark.Reset();
        }

        SaveClock(connection, stamp);
    }

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
    private static long ReadClock(SqliteConnection connection)
    {
        long saved = connection.ExecuteScalar($"SELECT coalesce((SELECT value FROM {StateTable} WHERE key='clock'), 0)");
        return Math.Max(saved, connection.ExecuteScalar($"SELECT coalesce(max(latest), 0) FROM {RowsTable} WHERE latest > pushed"));
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

    // Stamps a row's insert or tombstone (InsertSql or DeleteSql) now.
    private void RecordRow(SqliteConnection connection, string sql, string entity, ColumnValue key)
    {
        long stamp = Clock.Next();
        SqliteStatement statement = connection.Prepare(sql);
        try
        {
            statement.BindText(1, entity);
            key.Bind(statement, 2);
            statement.BindInt64(3, stamp);
            statement.BindInt64(4, LocalOrdinal);
            statement.Step();
        }
        finally
        {
            statement.Reset();
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
