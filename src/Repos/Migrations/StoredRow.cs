using System.Buffers;
using Repos.Internal;
using Repos.Serialization;

namespace Repos.Migrations;

/// <summary>
/// A stored row as a migration sees it: its fields by name (including fields the current model no longer
/// has), read and written as values of the types they had. A migration changes it in place; Repos then
/// stores it as the next version.
/// </summary>
/// <remarks>
/// Values are kept as their MessagePack encoding: <see cref="Get{T}"/> and <see cref="Set{T}"/> convert the
/// types Repos stores (numbers, booleans, strings, byte arrays, <see cref="Guid"/>, dates and times,
/// <see cref="decimal"/>); nested objects and collections move as they are with <see cref="Rename"/>.
/// </remarks>
public sealed class StoredRow
{
    private readonly Dictionary<string, byte[]> _fields;
    private List<StoredRow>? _added;

    internal StoredRow(string entityName, string key, int version, Dictionary<string, byte[]> fields)
    {
        EntityName = entityName;
        Key = key;
        Version = version;
        _fields = fields;
    }

    /// <summary>The entity the row belongs to.</summary>
    public string EntityName { get; }

    /// <summary>The row's key, as text (for messages).</summary>
    public string Key { get; }

    /// <summary>The schema version the row is at: the version the running migration upgrades from.</summary>
    public int Version { get; internal set; }

    /// <summary>The names of the row's fields.</summary>
    public IReadOnlyCollection<string> FieldNames => _fields.Keys;

    /// <summary>Whether a migration has deleted the row.</summary>
    public bool IsDeleted { get; private set; }

    internal IReadOnlyDictionary<string, byte[]> Fields => _fields;

    /// <summary>The rows <see cref="Split"/> added, stored beside this one.</summary>
    internal IReadOnlyList<StoredRow> Added => (IReadOnlyList<StoredRow>?)_added ?? [];

    /// <summary>Whether the row has the field.</summary>
    public bool Has(string field) => _fields.ContainsKey(field);

    /// <summary>
    /// Adds a row made from a copy of this one's fields, for a migration that turns one row into several. Give
    /// the copy its own key (set the key property) and change what differs; later steps run on it too.
    /// </summary>
    /// <returns>The new row.</returns>
    public StoredRow Split()
    {
        var copy = new StoredRow(EntityName, Key + " (split)", Version, new Dictionary<string, byte[]>(_fields, StringComparer.Ordinal));
        (_added ??= []).Add(copy);
        return copy;
    }

    /// <summary>Drops the row: it is not stored at the new version.</summary>
    public void Delete() => IsDeleted = true;

    /// <summary>Removes a field.</summary>
    public void Remove(string field) => _fields.Remove(field);

    /// <summary>Moves a field's value to another name, whatever its type.</summary>
    /// <exception cref="KeyNotFoundException">The row has no field <paramref name="from"/>.</exception>
    public void Rename(string from, string to)
    {
        if (!_fields.Remove(from, out byte[]? value))
        {
            throw new KeyNotFoundException($"{EntityName} {Key} has no field {from} to rename.");
        }

        _fields[to] = value;
    }

    /// <summary>A stored map of field ids to values as a bag of field names to raw values (the catalog names every id).</summary>
    internal static Dictionary<string, byte[]> ReadFields(ReadOnlySpan<byte> payload, IReadOnlyDictionary<long, string> namesById)
    {
        var fields = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        var reader = new MessagePackReader(payload);
        for (int count = reader.ReadMapHeader(); count > 0; count--)
        {
            long id = reader.ReadInt64();
            byte[] value = reader.ReadRaw().ToArray();
            if (namesById.TryGetValue(id, out string? name))
            {
                fields[name] = value;
            }
        }

        return fields;
    }

    /// <summary>Reads a field as <typeparamref name="T"/>.</summary>
    /// <exception cref="KeyNotFoundException">The row has no such field.</exception>
    /// <exception cref="ReposFormatException">The stored value cannot be read as <typeparamref name="T"/>.</exception>
    public T Get<T>(string field)
    {
        if (!_fields.TryGetValue(field, out byte[]? raw))
        {
            throw new KeyNotFoundException($"{EntityName} {Key} has no field {field}.");
        }

        return Decode<T>(raw);
    }

    /// <summary>Reads a field as <typeparamref name="T"/>, or returns <paramref name="fallback"/> when the row does not have it.</summary>
    public T GetOrDefault<T>(string field, T fallback) => _fields.TryGetValue(field, out byte[]? raw) ? Decode<T>(raw) : fallback;

    /// <summary>
    /// Reads a field that holds a list of simple values (the types <see cref="Get{T}"/> reads) as a list of
    /// <typeparamref name="T"/>; a stored null reads as an empty list.
    /// </summary>
    /// <exception cref="KeyNotFoundException">The row has no such field.</exception>
    /// <exception cref="ReposFormatException">The stored value is not a list of <typeparamref name="T"/>.</exception>
    public IReadOnlyList<T> GetList<T>(string field)
    {
        if (!_fields.TryGetValue(field, out byte[]? raw))
        {
            throw new KeyNotFoundException($"{EntityName} {Key} has no field {field}.");
        }

        var reader = new MessagePackReader(raw);
        if (reader.TryReadNil())
        {
            return [];
        }

        int count = reader.ReadArrayHeader();
        var items = new List<T>(count);
        for (int i = 0; i < count; i++)
        {
            items.Add(Decode<T>(ref reader));
        }

        return items;
    }

    /// <summary>Sets a field, adding it if the row does not have it.</summary>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is not a type a field can be set as.</exception>
    public void Set<T>(string field, T value)
    {
        ArgumentNullException.ThrowIfNull(field);
        var buffer = new ArrayBufferWriter<byte>(32);
        var writer = new MessagePackWriter(buffer);
        switch (value)
        {
            case null: writer.WriteNil(); break;
            case bool v: writer.Write(v); break;
            case int v: writer.Write(v); break;
            case long v: writer.Write(v); break;
            case short v: writer.Write(v); break;
            case byte v: writer.Write(v); break;
            case uint v: writer.Write(v); break;
            case ulong v: writer.Write(v); break;
            case double v: writer.Write(v); break;
            case float v: writer.Write(v); break;
            case string v: writer.Write(v); break;
            case byte[] v: writer.Write(v); break;
            case Guid v: ValueCodec.WriteGuid(ref writer, v); break;
            case DateTime v: ValueCodec.WriteDateTime(ref writer, v); break;
            case DateTimeOffset v: ValueCodec.WriteDateTimeOffset(ref writer, v); break;
            case DateOnly v: ValueCodec.WriteDateOnly(ref writer, v); break;
            case TimeOnly v: ValueCodec.WriteTimeOnly(ref writer, v); break;
            case TimeSpan v: ValueCodec.WriteTimeSpan(ref writer, v); break;
            case decimal v: ValueCodec.WriteDecimal(ref writer, v); break;
            default: throw new NotSupportedException($"A field cannot be set as {typeof(T)}; enums are set as their number.");
        }

        writer.Flush();
        _fields[field] = buffer.WrittenSpan.ToArray();
    }

    private static T Decode<T>(byte[] raw)
    {
        var reader = new MessagePackReader(raw);
        return Decode<T>(ref reader);
    }

    private static T Decode<T>(ref MessagePackReader reader)
    {
        if (default(T) is null && reader.TryReadNil())
        {
            return default!;
        }

        Type type = Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T);
        object value =
            type == typeof(bool) ? reader.ReadBoolean()
            : type == typeof(int) ? reader.ReadInt32()
            : type == typeof(long) ? reader.ReadInt64()
            : type == typeof(short) ? reader.ReadInt16()
            : type == typeof(byte) ? reader.ReadByte()
            : type == typeof(uint) ? reader.ReadUInt32()
            : type == typeof(ulong) ? reader.ReadUInt64()
            : type == typeof(double) ? reader.ReadDouble()
            : type == typeof(float) ? reader.ReadSingle()
            : type == typeof(string) ? ValueCodec.ReadRequiredString(ref reader)
            : type == typeof(byte[]) ? reader.ReadBytes() ?? []
            : type == typeof(Guid) ? ValueCodec.ReadGuid(ref reader)
            : type == typeof(DateTime) ? ValueCodec.ReadDateTime(ref reader)
            : type == typeof(DateTimeOffset) ? ValueCodec.ReadDateTimeOffset(ref reader)
            : type == typeof(DateOnly) ? ValueCodec.ReadDateOnly(ref reader)
            : type == typeof(TimeOnly) ? ValueCodec.ReadTimeOnly(ref reader)
            : type == typeof(TimeSpan) ? ValueCodec.ReadTimeSpan(ref reader)
            : type == typeof(decimal) ? ValueCodec.ReadDecimal(ref reader)
            : throw new NotSupportedException($"A field cannot be read as {typeof(T)}; enums are read as their number.");
        return (T)value;
    }
}
