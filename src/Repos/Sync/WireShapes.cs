using Repos.Internal;
using Repos.Serialization;
using Repos.Storage.Sqlite;

namespace Repos.Sync;

/// <summary>
/// Turns field values between the file's encoding (objects as maps of this file's field ids) and the wire's
/// (objects as maps of property names), for every stored type the file's catalog has (docs/sync.md, <i>Wire format</i>).
/// </summary>
/// <remarks>
/// <para>
/// Names and types come from the catalog, not the model: a field this model does not know but the file stores
/// (a newer app wrote it, or this one removed the property) is converted through the type the catalog records
/// for it, objects of types only the catalog knows included, so it travels as any other.
/// </para>
/// <para>
/// A name neither the model nor the file knows, at any depth, becomes a field kept from sync when the caller
/// lets it (<see cref="Keep"/>, and <see cref="FromWire"/> with a connection): the catalog gives it the next id with
/// the type <see cref="Storage.Catalog.WireEncodedType"/>, and its value is stored as it travels, since nothing in
/// the file says which of the maps inside it are objects. Such a value goes out again unchanged.
/// </para>
/// </remarks>
internal sealed class WireShapes
{
    private readonly Dictionary<string, Shape> _shapes = new(StringComparer.Ordinal);

    private WireShapes()
    {
    }

    /// <summary>Whether <see cref="Keep"/> added fields to the catalog that the database has not taken in yet.</summary>
    public bool CatalogChanged { get; set; }

    /// <summary>The conversions for every type the catalog read from <paramref name="connection"/> has, and every type of <paramref name="context"/> when given.</summary>
    public static WireShapes Load(SqliteConnection connection, SerializationContext? context = null)
    {
        var wire = new WireShapes();
        var types = new Dictionary<string, TypeShape>(StringComparer.Ordinal);
        foreach (FieldMap map in context?.Maps ?? [])
        {
            types[map.Shape.Name] = map.Shape;
            wire._shapes[map.Shape.Name] = new Shape(map.Shape.Name);
        }

        List<Recovery.CatalogField> fields = Storage.Catalog.LoadAllFields(connection);
        foreach (Recovery.CatalogField field in fields)
        {
            if (!types.ContainsKey(field.Type))
            {
                // A type only the catalog knows (a newer app's): named here so that fields holding it convert.
                types[field.Type] = new TypeShape(field.Type);
                wire._shapes[field.Type] = new Shape(field.Type);
            }
        }

        // Fields in use first: a name a retired field shared stays with the field in use.
        foreach (Recovery.CatalogField field in fields.OrderBy(f => f.Retired))
        {
            Shape shape = wire._shapes[field.Type];
            shape.Names[field.Id] = field.Name;
            shape.Ids.TryAdd(field.Name, (int)field.Id);
            shape.Nested[field.Id] = NestedValue.Parse(field.ClrType, types);
        }

        return wire;
    }

    /// <summary>The name of field <paramref name="id"/> of <paramref name="shape"/>, or null when the catalog has none.</summary>
    public string? NameOf(TypeShape shape, long id) => _shapes.TryGetValue(shape.Name, out Shape? info) ? info.Names.GetValueOrDefault(id) : null;

    /// <summary>The id of the field named <paramref name="name"/> in <paramref name="shape"/>, or -1 when the file has none.</summary>
    public int IdOf(TypeShape shape, string name) => _shapes.TryGetValue(shape.Name, out Shape? info) && info.Ids.TryGetValue(name, out int id) ? id : -1;

    /// <summary>
    /// Gives <paramref name="shape"/> a field named <paramref name="name"/> that this file does not know, kept from
    /// sync (see the remarks), inside the caller's transaction on <paramref name="connection"/>; returns its id.
    /// </summary>
    public int Keep(SqliteConnection connection, TypeShape shape, string name) => KeepIn(connection, _shapes[shape.Name], name);

    /// <summary>Writes the value of field <paramref name="id"/> of <paramref name="shape"/> in wire encoding.</summary>
    public void ToWire(ref MessagePackWriter writer, TypeShape shape, long id, ReadOnlySpan<byte> value) =>
        ConvertField(ref writer, _shapes[shape.Name], id, value, toWire: true, keep: null);

    /// <summary>
    /// Writes a wire value of field <paramref name="id"/> of <paramref name="shape"/> in this file's encoding. A
    /// property name inside it that the file does not know is kept (<see cref="Keep"/>) when
    /// <paramref name="keep"/> is given, and dropped otherwise.
    /// </summary>
    /// <exception cref="SyncFormatException">An object inside the value is not a map of property names.</exception>
    public void FromWire(ref MessagePackWriter writer, TypeShape shape, long id, ReadOnlySpan<byte> value, SqliteConnection? keep = null) =>
        ConvertField(ref writer, _shapes[shape.Name], id, value, toWire: false, keep);

    /// <summary>
    /// Writes a whole stored object of the type named <paramref name="type"/> (a row's payload) in the other
    /// encoding: to the wire's when <paramref name="toWire"/>, else to this file's, dropping names it does not know.
    /// </summary>
    public void ConvertObject(ref MessagePackWriter writer, string type, ReadOnlySpan<byte> payload, bool toWire)
    {
        var reader = new MessagePackReader(payload);
        ConvertObject(ref writer, ref reader, _shapes[type], toWire, keep: null);
        writer.Flush();
    }

    private int KeepIn(SqliteConnection connection, Shape shape, string name)
    {
        int id = Storage.Catalog.AddWireEncodedField(connection, shape.TypeName, name);
        shape.Names[id] = name;
        shape.Ids[name] = id;
        shape.Nested[id] = null;
        CatalogChanged = true;
        return id;
    }

    private void ConvertField(ref MessagePackWriter writer, Shape shape, long id, ReadOnlySpan<byte> value, bool toWire, SqliteConnection? keep)
    {
        var reader = new MessagePackReader(value);
        Convert(ref writer, ref reader, shape.Nested.GetValueOrDefault(id), toWire, keep);
        writer.Flush();
    }

    private void Convert(ref MessagePackWriter writer, ref MessagePackReader reader, NestedValue? nested, bool toWire, SqliteConnection? keep)
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
                    Convert(ref writer, ref reader, nested.Element, toWire, keep);
                }

                return;
            case NestedValueKind.Dictionary when reader.NextMessagePackType == MessagePackType.Map:
                int entries = reader.ReadMapHeader();
                writer.WriteMapHeader(entries);
                for (int i = 0; i < entries; i++)
                {
                    writer.WriteRaw(reader.ReadRaw());
                    Convert(ref writer, ref reader, nested.Element, toWire, keep);
                }

                return;
            case NestedValueKind.Object when reader.NextMessagePackType == MessagePackType.Map:
                ConvertObject(ref writer, ref reader, _shapes[nested.Target.Name], toWire, keep);
                return;
            default:
                // Not the shape the type has: passed on as it is, for the model's reader to refuse.
                writer.WriteRaw(reader.ReadRaw());
                return;
        }
    }

    private void ConvertObject(ref MessagePackWriter writer, ref MessagePackReader reader, Shape shape, bool toWire, SqliteConnection? keep)
    {
        int count = reader.ReadMapHeader();
        int kept = 0;

        // First count the fields that have a name (or an id) on the other side; a name kept from sync gets its id here.
        var probe = reader;
        for (int i = 0; i < count; i++)
        {
            kept += Target(ref probe, shape, toWire, keep, out _, out _) ? 1 : 0;
            probe.Skip();
        }

        writer.WriteMapHeader(kept);
        for (int i = 0; i < count; i++)
        {
            if (!Target(ref reader, shape, toWire, keep, out string? name, out int id))
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

            Convert(ref writer, ref reader, shape.Nested.GetValueOrDefault(id), toWire, keep);
        }
    }

    // Reads a field's key and finds what it is called on the other side.
    private bool Target(ref MessagePackReader reader, Shape shape, bool toWire, SqliteConnection? keep, out string? name, out int id)
    {
        if (toWire)
        {
            id = (int)reader.ReadInt64();
            name = shape.Names.GetValueOrDefault(id);
            return name is not null;
        }

        if (reader.NextMessagePackType != MessagePackType.String)
        {
            throw new SyncFormatException($"an object of {shape.TypeName} in the value is keyed by a {reader.NextMessagePackType}, not by property names.");
        }

        name = reader.ReadString()!;
        if (shape.Ids.TryGetValue(name, out id))
        {
            return true;
        }

        if (keep is null)
        {
            return false;
        }

        id = KeepIn(keep, shape, name);
        return true;
    }

    /// <summary>One stored type's fields as the catalog has them: names by id, ids by name, and what each one's values hold.</summary>
    private sealed record Shape(string TypeName)
    {
        public Dictionary<long, string> Names { get; } = [];

        public Dictionary<string, int> Ids { get; } = new(StringComparer.Ordinal);

        public Dictionary<long, NestedValue?> Nested { get; } = [];
    }
}
