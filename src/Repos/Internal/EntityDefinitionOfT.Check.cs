using Repos.Diagnostics;
using Repos.Serialization;
using Repos.Storage.Sqlite;

namespace Repos.Internal;

public abstract partial class EntityDefinition<TEntity, TKey>
{
    /// <inheritdoc />
    internal sealed override BadRowKind? VerifyRow(
        SqliteStatement row,
        SerializationContext context,
        int catalogVersion,
        IReadOnlySet<long> catalogIds,
        ReadOnlySpan<int> columnSlots,
        Span<ColumnValue> scratch,
        out string? message)
    {
        if (row.ColumnType(3) != SqliteTypes.Blob)
        {
            message = $"The _blob column holds {TypeName(row.ColumnType(3))}, not a blob.";
            return BadRowKind.Envelope;
        }

        ReadOnlySpan<byte> envelope = row.ColumnBlob(3);
        BlobPayload payload;
        try
        {
            payload = BlobEnvelope.Read(envelope, context.Dictionaries.Find);
        }
        catch (ReposChecksumException e)
        {
            message = e.Message;
            return BadRowKind.Checksum;
        }
        catch (ReposFormatException e)
        {
            message = e.Message;
            return BadRowKind.Envelope;
        }

        TEntity entity;
        int blobVersion = payload.SchemaVersion;
        using (payload)
        {
            if (UnknownFieldId(payload.Span, catalogIds) is { } unknown)
            {
                message = $"The blob holds field {unknown}, which the catalog does not name for {Shape.Name}: the catalog lost that field, and its values would read as defaults.";
                return BadRowKind.UnknownField;
            }

            try
            {
                entity = ReadPayload(payload, envelope.Length, context, row, 1, null);
            }
            catch (ReposMigrationException e)
            {
                message = e.Message;
                return BadRowKind.Migration;
            }
            catch (ReposFormatException e)
            {
                message = $"The payload does not decode as {Name}: {e.Message}";
                return BadRowKind.Payload;
            }
            catch (Exception e) when (e is not OperationCanceledException and not OutOfMemoryException)
            {
                // A bad row is reported, never thrown: whatever the generated reader threw is the row's problem.
                message = $"Decoding the payload as {Name} threw {e.GetType().Name}: {e.Message}";
                return BadRowKind.Payload;
            }
        }

        if (row.ColumnType(2) != SqliteTypes.Integer || row.ColumnInt64(2) != blobVersion)
        {
            message = $"The _schema column holds {ColumnValue.Read(row, 2)} but the blob was written at version {blobVersion}.";
            return BadRowKind.SchemaVersion;
        }

        if (blobVersion > catalogVersion || (blobVersion < catalogVersion && !IsLazy))
        {
            message = blobVersion > catalogVersion
                ? $"The row is at version {blobVersion}, above {Name}'s version {catalogVersion} in the catalog."
                : $"The row is at version {blobVersion}, below {Name}'s version {catalogVersion} in the catalog, which every row reached when it was migrated.";
            return BadRowKind.SchemaVersion;
        }

        ColumnValue key = GetKeyColumn(GetKey(entity));
        if (!key.Matches(row, 1))
        {
            message = $"The blob holds the key {key} but the key column holds {ColumnValue.Read(row, 1)}.";
            return BadRowKind.KeyMismatch;
        }

        Span<ColumnValue> columns = scratch[..Columns.Count];
        GetIndexColumns(entity, columns);
        for (int i = 0; i < columns.Length; i++)
        {
            int slot = columnSlots[i];
            if (slot >= 0 && !columns[i].Matches(row, slot))
            {
                message = $"The index column {Columns[i].Name} holds {ColumnValue.Read(row, slot)} but the blob gives {columns[i]}.";
                return BadRowKind.IndexColumn;
            }
        }

        message = null;
        return null;
    }

    /// <inheritdoc />
    internal sealed override string? CheckSalvagedRow(
        ReadOnlySpan<byte> envelope,
        ColumnValue key,
        string keyText,
        SerializationContext context,
        Span<ColumnValue> columns,
        IReadOnlySet<long> storedOnly,
        IReadOnlySet<long> nestedStoredOnly)
    {
        TEntity entity;
        var written = new System.Buffers.ArrayBufferWriter<byte>(envelope.Length * 2);
        try
        {
            using BlobPayload payload = BlobEnvelope.Read(envelope, context.Dictionaries.Find);
            if (payload.SchemaVersion != Version)
            {
                return $"it is stored at version {payload.SchemaVersion} and the model is at version {Version}; the catalog that could upgrade it is lost";
            }

            entity = ReadPayload(payload, envelope.Length, context, null, 0, keyText);

            // Written again, the entity must give back what was stored: a catalog that maps an id to another
            // field, or to none, reads values as defaults or as another field's, and this is where it shows.
            var writer = new MessagePackWriter(written);
            Write(ref writer, entity, context);
            writer.Flush();
            if (Recovery.PayloadMatch.Explain(payload.Span, written.WrittenSpan, storedOnly, nestedStoredOnly) is { } mismatch)
            {
                return mismatch;
            }
        }
        catch (Exception e) when (e is not OperationCanceledException and not OutOfMemoryException)
        {
            return $"it does not decode as {Name}: {e.Message}";
        }

        if (GetKeyColumn(GetKey(entity)) != key)
        {
            return $"its blob holds another key ({GetKeyColumn(GetKey(entity))})";
        }

        GetIndexColumns(entity, columns[..Columns.Count]);
        return null;
    }

    /// <summary>The first field id at the payload's top level that is not in <paramref name="catalogIds"/>, if any.</summary>
    private static long? UnknownFieldId(ReadOnlySpan<byte> payload, IReadOnlySet<long> catalogIds)
    {
        try
        {
            var reader = new MessagePackReader(payload);
            for (int count = reader.ReadMapHeader(); count > 0; count--)
            {
                long id = reader.ReadInt64();
                if (!catalogIds.Contains(id))
                {
                    return id;
                }

                reader.Skip();
            }
        }
        catch (ReposFormatException)
        {
            // Not a well-formed map: decoding reports it as the payload's problem.
        }

        return null;
    }

    private static string TypeName(int type) => type switch
    {
        SqliteTypes.Integer => "an integer",
        SqliteTypes.Float => "a real",
        SqliteTypes.Text => "text",
        SqliteTypes.Null => "NULL",
        _ => "a blob",
    };
}
