using Repos.Migrations;

namespace Repos.Internal;

public abstract partial class EntityDefinition<TEntity, TKey>
{
    /// <summary>
    /// Runs the migration steps from <paramref name="fromVersion"/> up to this version on a row made of a pulled
    /// change's fields (by property name, values as they travel), and returns the fields of the upgraded row, each
    /// with the place in <paramref name="fields"/> of the field it came from: the field of the same name, or else
    /// the field whose value a step moved to it unchanged (<see cref="StoredRow.Rename"/>); -1 for a field a step
    /// made. docs/sync.md, <i>Migrations, imports and restores</i>, says what the stamps then are.
    /// </summary>
    /// <exception cref="InvalidOperationException">A step deleted or split the row, which a change cannot do.</exception>
    /// <exception cref="Exception">Whatever a step threw on the row.</exception>
    internal List<(string Name, ReadOnlyMemory<byte> Value, int Source)> UpgradeFields(
        int fromVersion, string keyText, IReadOnlyList<(string Name, ReadOnlyMemory<byte> Value)> fields)
    {
        // The steps read rows by field id: the change's fields get ids of their own, their places in the change.
        var namesById = new Dictionary<long, string>(fields.Count);
        var idsByName = new Dictionary<string, int>(fields.Count, StringComparer.Ordinal);
        var payload = new System.Buffers.ArrayBufferWriter<byte>(256);
        var writer = new Serialization.MessagePackWriter(payload);
        writer.WriteMapHeader(fields.Count);
        for (int i = 0; i < fields.Count; i++)
        {
            namesById[i] = fields[i].Name;
            idsByName[fields[i].Name] = i;
            writer.Write(i);
            writer.WriteRaw(fields[i].Value.Span);
        }

        writer.Flush();
        var migration = new MigrationContext(namesById, idsByName, null, null);
        ReadOnlyMemory<byte> row = payload.WrittenMemory;
        StoredRow stored = StoredRow.Read(Name, keyText, fromVersion, row, migration);
        if (Upgrade(stored).Count > 0 || stored.IsDeleted)
        {
            throw new InvalidOperationException($"the migration {(stored.IsDeleted ? "deletes" : "splits")} the row, which a change of it cannot do");
        }

        var upgraded = new List<(string, ReadOnlyMemory<byte>, int)>(stored.Fields.Length);
        foreach (StoredRow.Field field in stored.Fields)
        {
            int source = idsByName.TryGetValue(field.Name, out int same) ? same : MovedFrom(field.Value, row.Span, fields.Count);
            upgraded.Add((field.Name, field.Value, source));
        }

        return upgraded;
    }

    // The place of the change's field whose value is this very slice of the row the steps were given (a rename
    // moves the value without copying it), or -1.
    private static int MovedFrom(ReadOnlyMemory<byte> value, ReadOnlySpan<byte> row, int count)
    {
        if (!row.Overlaps(value.Span, out int offset))
        {
            return -1;
        }

        var reader = new Serialization.MessagePackReader(row);
        reader.ReadMapHeader();
        for (int i = 0; i < count; i++)
        {
            reader.ReadInt64();
            int start = (int)reader.Consumed;
            reader.Skip();
            if (start == offset && (int)reader.Consumed - start == value.Length)
            {
                return i;
            }
        }

        return -1;
    }
}
