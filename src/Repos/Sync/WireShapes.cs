using Repos.Internal;
using Repos.Serialization;
using Repos.Storage.Sqlite;

namespace Repos.Sync;

/// <summary>
/// Turns field values between the file's encoding (objects as maps of this file's field ids) and the wire's
/// (objects as maps of property names), for every stored type of the model (docs/sync.md, <i>Wire format</i>).
/// </summary>
/// <remarks>
/// Names come from the catalog, so a field this model does not know but the file stores (a newer app wrote
/// it) travels under its name too. A name that neither the model nor the file knows cannot be stored in this
/// file: reading from the wire drops it.
/// </remarks>
internal sealed class WireShapes
{
    private readonly Dictionary<TypeShape, Shape> _shapes = [];

    private WireShapes()
    {
    }

    /// <summary>The conversions for every type of <paramref name="context"/>, with the catalog's names read from <paramref name="connection"/>.</summary>
    public static WireShapes Load(SqliteConnection connection, SerializationContext context)
    {
        var wire = new WireShapes();
        List<FieldMap> maps = [.. context.Maps];
        var byName = maps.ToDictionary(m => m.Shape.Name, m => m.Shape, StringComparer.Ordinal);
        foreach (FieldMap map in maps)
        {
            Dictionary<long, string> names = Storage.Catalog.LoadFieldNames(connection, map.Shape.Name, null);
            var ids = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach ((long id, string name) in names)
            {
                ids.TryAdd(name, (int)id);
            }

            var nested = new NestedValue?[map.Shape.Fields.Count];
            for (int ordinal = 0; ordinal < nested.Length; ordinal++)
            {
                FieldDefinition field = map.Shape.Fields[ordinal];
                nested[ordinal] = NestedValue.Parse(field.TypeName, byName);
                names[map.Ids[ordinal]] = field.Name;
                ids[field.Name] = map.Ids[ordinal];
            }

            wire._shapes[map.Shape] = new Shape(map, names, ids, nested);
        }

        return wire;
    }

    /// <summary>The name of field <paramref name="id"/> of <paramref name="shape"/>, or null when the catalog has none.</summary>
    public string? NameOf(TypeShape shape, long id) => _shapes[shape].Names.GetValueOrDefault(id);

    /// <summary>The id of the field named <paramref name="name"/> in <paramref name="shape"/>, or -1 when the file has none.</summary>
    public int IdOf(TypeShape shape, string name) => _shapes[shape].Ids.TryGetValue(name, out int id) ? id : -1;

    /// <summary>Writes the value of field <paramref name="id"/> of <paramref name="shape"/> in wire encoding.</summary>
    public void ToWire(ref MessagePackWriter writer, TypeShape shape, long id, ReadOnlySpan<byte> value) =>
        ConvertField(ref writer, shape, id, value, toWire: true);

    /// <summary>Writes a wire value of field <paramref name="id"/> of <paramref name="shape"/> in this file's encoding.</summary>
    /// <exception cref="SyncFormatException">An object inside the value is not a map of property names.</exception>
    public void FromWire(ref MessagePackWriter writer, TypeShape shape, long id, ReadOnlySpan<byte> value) =>
        ConvertField(ref writer, shape, id, value, toWire: false);

    private void ConvertField(ref MessagePackWriter writer, TypeShape shape, long id, ReadOnlySpan<byte> value, bool toWire)
    {
        Shape info = _shapes[shape];
        int ordinal = info.Map.OrdinalOf(id);
        var reader = new MessagePackReader(value);
        Convert(ref writer, ref reader, ordinal < 0 ? null : info.Nested[ordinal], toWire);
        writer.Flush();
    }

    private void Convert(ref MessagePackWriter writer, ref MessagePackReader reader, NestedValue? nested, bool toWire)
    {
        if (nested is null)
        {
            writer.WriteRaw(reader.ReadRaw());
            return;
        }

        if (reader.TryReadNil())
        {
            writer.WriteNil();
            return;
        }

        switch (nested.Kind)
        {
            case NestedValueKind.Sequence when reader.NextMessagePackType == MessagePackType.Array:
                int length = reader.ReadArrayHeader();
                writer.WriteArrayHeader(length);
                for (int i = 0; i < length; i++)
                {
                    Convert(ref writer, ref reader, nested.Element, toWire);
                }

                return;
            case NestedValueKind.Dictionary when reader.NextMessagePackType == MessagePackType.Map:
                int entries = reader.ReadMapHeader();
                writer.WriteMapHeader(entries);
                for (int i = 0; i < entries; i++)
                {
                    writer.WriteRaw(reader.ReadRaw());
                    Convert(ref writer, ref reader, nested.Element, toWire);
                }

                return;
            case NestedValueKind.Object when reader.NextMessagePackType == MessagePackType.Map:
                ConvertObject(ref writer, ref reader, _shapes[nested.Target], toWire);
                return;
            default:
                // Not the shape the type has: passed on as it is, for the model's reader to refuse.
                writer.WriteRaw(reader.ReadRaw());
                return;
        }
    }

    private void ConvertObject(ref MessagePackWriter writer, ref MessagePackReader reader, Shape shape, bool toWire)
    {
        int count = reader.ReadMapHeader();
        int kept = 0;

        // First count the fields that have a name (or an id) on the other side.
        var probe = reader;
        for (int i = 0; i < count; i++)
        {
            kept += Target(ref probe, shape, toWire, out _, out _) ? 1 : 0;
            probe.Skip();
        }

        writer.WriteMapHeader(kept);
        for (int i = 0; i < count; i++)
        {
            if (!Target(ref reader, shape, toWire, out string? name, out int id))
            {
                reader.Skip();
                continue;
            }

            if (toWire)
            {
                writer.Write(name);
            }
            else
            {
                writer.Write(id);
            }

            int ordinal = shape.Map.OrdinalOf(id);
            Convert(ref writer, ref reader, ordinal < 0 ? null : shape.Nested[ordinal], toWire);
        }
    }

    // Reads a field's key and finds what it is called on the other side.
    private static bool Target(ref MessagePackReader reader, Shape shape, bool toWire, out string? name, out int id)
    {
        if (toWire)
        {
            id = (int)reader.ReadInt64();
            name = shape.Names.GetValueOrDefault(id);
            return name is not null;
        }

        if (reader.NextMessagePackType != MessagePackType.String)
        {
            throw new SyncFormatException($"an object of {shape.Map.Shape.Name} in the value is keyed by a {reader.NextMessagePackType}, not by property names.");
        }

        name = reader.ReadString()!;
        return shape.Ids.TryGetValue(name, out id);
    }

    private sealed record Shape(FieldMap Map, Dictionary<long, string> Names, Dictionary<string, int> Ids, NestedValue?[] Nested);
}
