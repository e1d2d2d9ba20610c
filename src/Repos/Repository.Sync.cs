using System.Buffers;
using Repos.Internal;
using Repos.Serialization;
using Repos.Storage;
using Repos.Storage.Sqlite;
using Repos.Sync;

namespace Repos;

public abstract partial class Repository<TEntity, TKey> : ISyncedRepository
{
    string ISyncedRepository.EntityName => _definition.Name;

    int ISyncedRepository.SchemaVersion => _definition.Version;

    ColumnKind ISyncedRepository.KeyKind => _definition.KeyKind;

    /// <inheritdoc />
    SyncChange ISyncedRepository.ReadChange(SqliteConnection connection, SyncLog log, ColumnValue key, SyncRowState state)
    {
        var fields = new List<SyncFieldValue>(state.IsLive ? _definition.Shape.Fields.Count : 0);
        if (state.IsLive && ReadStoredPayload(connection, key, _database.SyncBeforeBuffer))
        {
            var reader = new MessagePackReader(_database.SyncBeforeBuffer.WrittenSpan);

            // Every value of the change goes in one buffer, which the change's fields are slices of.
            var wire = new ArrayBufferWriter<byte>(_database.SyncBeforeBuffer.WrittenCount + 64);
            var writer = new MessagePackWriter(wire);
            var slices = new List<(int Start, int Length)>(fields.Capacity);
            int rowVersionId = _rowVersionField < 0 ? -1 : _database.Context.GetFieldMap(_definition.Shape).Ids[_rowVersionField];
            for (int count = reader.ReadMapHeader(); count > 0; count--)
            {
                long id = reader.ReadInt64();
                ReadOnlySpan<byte> value = reader.ReadRaw();
                SyncStamp stamp = StampOf(state, (int)id);

                // The row version is this file's own: each replica counts its writes.
                if (id == rowVersionId || stamp.Value <= state.Pushed || log.Shapes.NameOf(_definition.Shape, id) is not { } name)
                {
                    continue;
                }

                writer.Flush();
                int start = wire.WrittenCount;
                log.Shapes.ToWire(ref writer, _definition.Shape, id, value);
                writer.Flush();
                slices.Add((start, wire.WrittenCount - start));
                fields.Add(new SyncFieldValue(name, stamp, default));
            }

            ReadOnlyMemory<byte> values = wire.WrittenMemory;
            for (int i = 0; i < fields.Count; i++)
            {
                fields[i] = fields[i] with { Value = values.Slice(slices[i].Start, slices[i].Length) };
            }
        }

        return new SyncChange
        {
            Entity = _definition.Name,
            SchemaVersion = _definition.Version,
            Key = SyncKeys.Of(key),
            Inserted = state.Inserted.Value > state.Pushed ? state.Inserted : null,
            Deleted = state.Deleted.Value > state.Pushed ? state.Deleted : null,
            Fields = fields,
        };
    }

    /// <inheritdoc />
    void ISyncedRepository.ApplyChange(SqliteConnection connection, SyncLog log, SyncChange change, long? pushedBefore, List<SyncConflict> conflicts)
    {
        ColumnValue key = SyncKeys.ToColumn(change.Key, _definition.KeyKind)
            ?? throw new SyncApplyException($"its key {change.Key} is not a key of {_definition.Name}, whose keys are {_definition.KeyKind}.");
        StoredRead read = ReadSyncedRow(connection, key, log);
        SyncRowState? state = read == StoredRead.Missing ? log.ReadTombstone(connection, _definition.Name, key) : log.LoadedState();
        bool stored = read == StoredRead.Found;
        SyncStamp inserted = Max(state?.Inserted ?? default, change.Inserted ?? default);
        SyncStamp deleted = Max(state?.Deleted ?? default, change.Deleted ?? default);
        bool wasLive = stored && (state is null || state.IsLive);
        bool pending = state is { IsPending: true };
        long unpushedAfter = pushedBefore ?? (pending ? state!.Pushed : long.MaxValue);

        // Each field the change carries wins where its stamp is above the tombstone and above the one held here.
        var winners = new Dictionary<int, SyncFieldValue>();
        foreach (SyncFieldValue field in change.Fields)
        {
            int id = log.Shapes.IdOf(_definition.Shape, field.Name);
            if (field.Stamp <= deleted || (id < 0 && inserted <= deleted))
            {
                continue;
            }

            id = id < 0 ? log.Shapes.Keep(connection, _definition.Shape, field.Name) : id;

            SyncStamp local = wasLive && state is not null ? StampOf(state, id) : default;
            if (field.Stamp <= local)
            {
                continue;
            }

            winners[id] = field;
            if (wasLive && local.Value > unpushedAfter && local.Replica == log.Replica)
            {
                conflicts.Add(new SyncConflict(_definition.Name, change.Key, field.Name, LocalWireValue(log, id), field.Value, local, field.Stamp));
            }
        }

        long latest = Math.Max(state?.Latest ?? 0, change.Latest.Value);
        long pushed = pending ? state!.Pushed : latest;
        if (inserted <= deleted)
        {
            if (stored)
            {
                DeleteStored(connection, key);
            }

            log.WriteMerged(connection, _definition.Name, key, inserted, deleted, [], latest, pushed);
            return;
        }

        // The row after the merge: the fields held here that still count, with the winners in their place.
        var stamps = new List<(int FieldId, SyncStamp Stamp)>();
        var payload = new ArrayBufferWriter<byte>(256);
        var writer = new MessagePackWriter(payload);
        var kept = new List<(long Id, int Start, int Length)>();
        if (wasLive)
        {
            var reader = new MessagePackReader(_database.SyncBeforeBuffer.WrittenSpan);
            for (int count = reader.ReadMapHeader(); count > 0; count--)
            {
                long id = reader.ReadInt64();
                int start = (int)reader.Consumed;
                reader.Skip();
                if (!winners.ContainsKey((int)id) && StampOf(state!, (int)id) > deleted)
                {
                    kept.Add((id, start, (int)reader.Consumed - start));
                }
            }
        }

        writer.WriteMapHeader(kept.Count + winners.Count);
        ReadOnlySpan<byte> before = _database.SyncBeforeBuffer.WrittenSpan;
        foreach ((long id, int start, int length) in kept)
        {
            writer.Write(id);
            writer.WriteRaw(before.Slice(start, length));
            AddStamp(stamps, (int)id, StampOf(state!, (int)id), inserted);
        }

        foreach ((int id, SyncFieldValue field) in winners)
        {
            writer.Write(id);
            try
            {
                log.Shapes.FromWire(ref writer, _definition.Shape, id, field.Value.Span, keep: connection);
            }
            catch (Exception e) when (e is SyncFormatException or ReposFormatException)
            {
                throw new SyncApplyException($"the value of its field {field.Name} is malformed: {e.Message}");
            }

            AddStamp(stamps, id, field.Stamp, inserted);
        }

        writer.Flush();
        TakeInKeptFields(connection, log);
        if (wasLive && winners.Count == 0 && payload.WrittenSpan.SequenceEqual(before))
        {
            // Nothing the change carries wins: the row is not rewritten, so its row version counts only real writes.
            log.WriteMerged(connection, _definition.Name, key, inserted, deleted, stamps, latest, pushed);
            return;
        }

        TEntity entity = DecodeRemote(payload.WrittenSpan);
        TKey entityKey = _definition.GetKey(entity);
        if (_definition.GetKeyColumn(entityKey) != key)
        {
            throw new SyncApplyException($"its {_definition.KeyProperty} field holds {KeyText.FromValue(_definition.GetKeyColumn(entityKey))}, not its key.");
        }

        // The merged row's write sets its state in the same statement (Write, when applying).
        log.PrepareMerged(connection, inserted, deleted, stamps, latest, pushed);
        log.Applying = true;
        CarryOverFromMerged(payload.WrittenSpan);
        try
        {
            Validate(entity);
            ApplyCore(connection, WriteKind.Upsert, entityKey, entity);
        }
        catch (Exception e) when (e is EntityValidationException or UniqueIndexViolationException or UnsupportedDerivedTypeException)
        {
            throw new SyncApplyException(e.Message);
        }
        finally
        {
            log.Applying = false;
            _carryOverFromMerged = false;
        }

        if (read == StoredRead.Missing && state is not null)
        {
            SyncLog.Unbury(connection, _definition.Name, key);
        }
    }

    private static SyncStamp Max(SyncStamp a, SyncStamp b) => a >= b ? a : b;

    private static void AddStamp(List<(int FieldId, SyncStamp Stamp)> stamps, int id, SyncStamp stamp, SyncStamp inserted)
    {
        if (stamp != inserted)
        {
            stamps.Add((id, stamp));
        }
    }

    /// <summary>The stamp of field <paramref name="id"/> of a live row: its own, or else the row's insert's.</summary>
    private static SyncStamp StampOf(SyncRowState state, int id)
    {
        foreach ((int fieldId, SyncStamp stamp) in state.Fields)
        {
            if (fieldId == id)
            {
                return stamp;
            }
        }

        return state.Inserted;
    }

    private ReadOnlyMemory<byte> LocalWireValue(SyncLog log, int id)
    {
        var reader = new MessagePackReader(_database.SyncBeforeBuffer.WrittenSpan);
        for (int count = reader.ReadMapHeader(); count > 0; count--)
        {
            long field = reader.ReadInt64();
            ReadOnlySpan<byte> value = reader.ReadRaw();
            if (field == id)
            {
                var wire = new ArrayBufferWriter<byte>(value.Length + 16);
                var writer = new MessagePackWriter(wire);
                log.Shapes.ToWire(ref writer, _definition.Shape, id, value);
                return wire.WrittenMemory.ToArray();
            }
        }

        return ReadOnlyMemory<byte>.Empty;
    }

    private TEntity DecodeRemote(ReadOnlySpan<byte> payload)
    {
        try
        {
            var reader = new MessagePackReader(payload);
            return _definition.Read(ref reader, _database.Context);
        }
        catch (Exception e) when (e is ReposFormatException or InvalidOperationException or FormatException or OverflowException)
        {
            throw new SyncApplyException($"its fields do not read as a {_definition.Name}: {e.Message}");
        }
    }

    private void DeleteStored(SqliteConnection connection, ColumnValue key)
    {
        SqliteStatement delete = connection.Prepare(_sql.Delete);
        try
        {
            key.Bind(delete, 1);
            delete.Step();
        }
        finally
        {
            delete.Reset();
        }
    }
}
