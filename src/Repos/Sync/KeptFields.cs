using System.Buffers;
using Repos.Internal;
using Repos.Serialization;
using Repos.Storage;
using Repos.Storage.Sqlite;

namespace Repos.Sync;

/// <summary>
/// Fields a file keeps from sync without knowing their type (<see cref="Catalog.WireEncodedType"/>), taken in by
/// an app whose model has them (docs/sync.md, <i>Fields this app does not know</i>).
/// </summary>
internal static class KeptFields
{
    private const int Batch = 1000;

    /// <summary>Whether the catalog has fields kept from sync.</summary>
    public static bool Exist(SqliteConnection connection) =>
        connection.ExecuteScalar($"SELECT EXISTS(SELECT 1 FROM _repos_fields WHERE clr_type='{Catalog.WireEncodedType}')") != 0;

    /// <summary>
    /// At a writable open, inside its transaction, once the catalog records the model's types for the kept fields
    /// of <paramref name="adopted"/> (type names): converts every row of each entity that stores one of those types
    /// from the encoding the values travelled in to the file's. Each row goes to the wire's encoding with the
    /// catalog as it was (<paramref name="before"/>: kept values stay as they are, every other object gets its
    /// property names), then back with the catalog as it is now, which knows the kept fields' types. Rows whose
    /// payload comes back the same, and damaged rows (which <see cref="ReposDatabase.VerifyAsync"/> reports), are
    /// left as they are.
    /// </summary>
    public static void TakeIn(
        SqliteConnection connection, IReadOnlyList<EntityDefinition> entities, HashSet<string> adopted, WireShapes before, SerializationContext context)
    {
        WireShapes after = WireShapes.Load(connection, context);
        var wire = new ArrayBufferWriter<byte>(1024);
        var file = new ArrayBufferWriter<byte>(1024);
        var blob = new ArrayBufferWriter<byte>(1024);
        foreach (EntityDefinition entity in entities)
        {
            if (!adopted.Contains(entity.Shape.Name) && !entity.NestedShapes.Any(s => adopted.Contains(s.Name)))
            {
                continue;
            }

            string table = SqlText.Quote(entity.TableName);
            using SqliteStatement select = connection.PrepareOnce($"SELECT rowid, _blob FROM {table} WHERE rowid > ?1 ORDER BY rowid LIMIT {Batch}");
            using SqliteStatement update = connection.PrepareOnce($"UPDATE {table} SET _blob=?2 WHERE rowid=?1");
            var rows = new List<(long RowId, byte[] Blob)>(Batch);
            long last = long.MinValue;
            int read;
            do
            {
                // Read a batch, then write it: rows are not changed while a statement reads them.
                rows.Clear();
                read = 0;
                select.BindInt64(1, last);
                while (select.Step())
                {
                    read++;
                    last = select.ColumnInt64(0);
                    if (Convert(select.ColumnBlob(1), entity, before, after, context, wire, file, blob))
                    {
                        rows.Add((last, blob.WrittenSpan.ToArray()));
                    }
                }

                select.Reset();
                foreach ((long rowId, byte[] converted) in rows)
                {
                    update.BindInt64(1, rowId);
                    update.BindBlob(2, converted);
                    update.Execute();
                }
            }
            while (read == Batch);
        }
    }

    // Writes the converted envelope to blob; false when the row needs no change or is damaged.
    private static bool Convert(
        ReadOnlySpan<byte> envelope,
        EntityDefinition entity,
        WireShapes before,
        WireShapes after,
        SerializationContext context,
        ArrayBufferWriter<byte> wire,
        ArrayBufferWriter<byte> file,
        ArrayBufferWriter<byte> blob)
    {
        try
        {
            using BlobPayload payload = BlobEnvelope.Read(envelope, context.Dictionaries.Find);
            wire.ResetWrittenCount();
            var toWire = new MessagePackWriter(wire);
            before.ConvertObject(ref toWire, entity.Shape.Name, payload.Span, toWire: true);
            file.ResetWrittenCount();
            var toFile = new MessagePackWriter(file);
            after.ConvertObject(ref toFile, entity.Shape.Name, wire.WrittenSpan, toWire: false);
            if (file.WrittenSpan.SequenceEqual(payload.Span))
            {
                return false;
            }

            blob.ResetWrittenCount();
            BlobEnvelope.Write(file.WrittenSpan, payload.SchemaVersion, blob, context.EntityDictionaries.GetValueOrDefault(entity.Name));
            return true;
        }
        catch (Exception e) when (e is ReposFormatException or SyncFormatException)
        {
            return false;
        }
    }
}
