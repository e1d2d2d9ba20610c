using System.Buffers;
using Repos.Internal;
using Repos.Serialization;
using Repos.Storage;

namespace Repos.Migrations;

/// <summary>
/// A stored row as a migration sees it: its fields by name (including fields the current model no longer
/// has), read and written as values of the types they had. A migration changes it in place; Repos then
/// stores it as the next version.
/// </summary>
/// <remarks>
/// Values are kept as their MessagePack encoding: <see cref="Get{T}"/> and <see cref="Set{T}"/> convert the
/// types Repos stores (numbers, booleans, strings, byte arrays, <see cref="Guid"/>, dates and times,
/// <see cref="decimal"/>); nested objects and collections move as they are with <see cref="Rename"/>. A row a
/// migration step is given is valid during that step: its values may share memory with the other rows of its
/// batch, which the next batch reuses, so keep values read from it, not the row.
/// </remarks>
public sealed class StoredRow
{
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_scratch;

    private readonly ColumnValue _keyColumn;
    private string? _key;
    private Field[] _fields;
    private int _count;
    private List<StoredRow>? _added;

    private StoredRow(string entityName, string? key, ColumnValue keyColumn, int version, Field[] fields, int count)
    {
        EntityName = entityName;
        _key = key;
        _keyColumn = keyColumn;
        Version = version;
        _fields = fields;
        _count = count;
    }

    /// <summary>The entity the row belongs to.</summary>
    public string EntityName { get; }

    /// <summary>The row's key, as text (for messages).</summary>
    public string Key => _key ??= KeyText.FromValue(_keyColumn);

    /// <summary>The schema version the row is at: the version the running migration upgrades from.</summary>
    public int Version { get; internal set; }

    /// <summary>The names of the row's fields.</summary>
    public IReadOnlyCollection<string> FieldNames
    {
        get
        {
            var names = new string[_count];
            for (int i = 0; i < _count; i++)
            {
                names[i] = _fields[i].Name;
            }

            return names;
        }
    }

    /// <summary>Whether a migration has deleted the row.</summary>
    public bool IsDeleted { get; private set; }

    /// <summary>The row's fields, in the order they were stored (fields set since then come last).</summary>
    internal ReadOnlySpan<Field> Fields => _fields.AsSpan(0, _count);

    /// <summary>The rows <see cref="Split"/> added, stored beside this one.</summary>
    internal IReadOnlyList<StoredRow> Added => (IReadOnlyList<StoredRow>?)_added ?? [];

    /// <summary>Whether the row has the field.</summary>
    public bool Has(string field) => Find(field) >= 0;

    /// <summary>
    /// Adds a row made from a copy of this one's fields, for a migration that turns one row into several. Give
    /// the copy its own key (set the key property) and change what differs; later steps run on it too.
    /// </summary>
    /// <returns>The new row.</returns>
    public StoredRow Split()
    {
        var copy = new StoredRow(EntityName, Key + " (split)", default, Version, _fields[.._count].ToArray(), _count);
        (_added ??= []).Add(copy);
        return copy;
    }

    /// <summary>Drops the row: it is not stored at the new version.</summary>
    public void Delete() => IsDeleted = true;

    /// <summary>Removes a field.</summary>
    public void Remove(string field)
    {
        int index = Find(field);
        if (index >= 0)
        {
            RemoveAt(index);
        }
    }

    /// <summary>Moves a field's value to another name, whatever its type.</summary>
    /// <exception cref="KeyNotFoundException">The row has no field <paramref name="from"/>.</exception>
    public void Rename(string from, string to)
    {
        ArgumentNullException.ThrowIfNull(to);
        int index = Find(from);
        if (index < 0)
        {
            throw new KeyNotFoundException($"{EntityName} {Key} has no field {from} to rename.");
        }

        ReadOnlyMemory<byte> value = _fields[index].Value;
        RemoveAt(index);
        Put(to, value);
    }

    /// <summary>
    /// Reads a row stored under a key given as text. The row's values are slices of <paramref name="payload"/>,
    /// a map of field ids to values that must stay unchanged while the row is in use.
    /// </summary>
    internal static StoredRow Read(string entityName, string key, int version, ReadOnlyMemory<byte> payload, MigrationContext migration) =>
        Read(entityName, key, default, version, payload, migration);

    /// <summary>Reads a row stored under a key given as its column value (see the other overload).</summary>
    internal static StoredRow Read(string entityName, ColumnValue key, int version, ReadOnlyMemory<byte> payload, MigrationContext migration) =>
        Read(entityName, null, key, version, payload, migration);

    private static StoredRow Read(string entityName, string? key, ColumnValue keyColumn, int version, ReadOnlyMemory<byte> payload, MigrationContext migration)
    {
        var reader = new MessagePackReader(payload.Span);
        int count = reader.ReadMapHeader();
        IReadOnlyDictionary<long, (string Name, int Slot)> known = migration.FieldsById;

        // A name seen twice (an id stored twice, or two ids with one name) keeps the value stored last.
        int words = (migration.NameCount + 63) / 64;
        Span<ulong> seen = words <= 64 ? stackalloc ulong[words] : new ulong[words];
        var fields = new Field[Math.Min(count, known.Count) + 2];
        int used = 0;
        for (; count > 0; count--)
        {
            long id = reader.ReadInt64();
            int start = (int)reader.Consumed;
            ReadOnlyMemory<byte> value = payload.Slice(start, reader.ReadRaw().Length);
            if (!known.TryGetValue(id, out (string Name, int Slot) field))
            {
                continue;
            }

            ref ulong word = ref seen[field.Slot >> 6];
            ulong bit = 1UL << (field.Slot & 63);
            if ((word & bit) != 0)
            {
                fields[IndexOf(fields.AsSpan(0, used), field.Name)] = new Field(field.Name, value);
                continue;
            }

            word |= bit;
            if (used == fields.Length)
            {
                Array.Resize(ref fields, used * 2);
            }

            fields[used++] = new Field(field.Name, value);
        }

        return new StoredRow(entityName, key, keyColumn, version, fields, used);
    }

    /// <summary>Reads a field as <typeparamref name="T"/>.</summary>
    /// <exception cref="KeyNotFoundException">The row has no such field.</exception>
    /// <exception cref="ReposFormatException">The stored value cannot be read as <typeparamref name="T"/>.</exception>
    public T Get<T>(string field)
    {
        var reader = new MessagePackReader(Value(field).Span);
        return Decode<T>(ref reader);
    }

    /// <summary>Reads a field as <typeparamref name="T"/>, or returns <paramref name="fallback"/> when the row does not have it.</summary>
    public T GetOrDefault<T>(string field, T fallback)
    {
        int index = Find(field);
        if (index < 0)
        {
            return fallback;
        }

        var reader = new MessagePackReader(_fields[index].Value.Span);
        return Decode<T>(ref reader);
    }

    /// <summary>
    /// Reads a field that holds a list of simple values (the types <see cref="Get{T}"/> reads) as a list of
    /// <typeparamref name="T"/>; a stored null reads as an empty list.
    /// </summary>
    /// <exception cref="KeyNotFoundException">The row has no such field.</exception>
    /// <exception cref="ReposFormatException">The stored value is not a list of <typeparamref name="T"/>.</exception>
    public IReadOnlyList<T> GetList<T>(string field)
    {
        var reader = new MessagePackReader(Value(field).Span);
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
        ArrayBufferWriter<byte> buffer = t_scratch ??= new ArrayBufferWriter<byte>(64);
        buffer.ResetWrittenCount();
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
        Put(field, buffer.WrittenSpan.ToArray());
    }

    private static int IndexOf(ReadOnlySpan<Field> fields, string name)
    {
        for (int i = 0; i < fields.Length; i++)
        {
            if (string.Equals(fields[i].Name, name, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    private int Find(string field) => IndexOf(Fields, field);

    private ReadOnlyMemory<byte> Value(string field)
    {
        int index = Find(field);
        return index >= 0 ? _fields[index].Value : throw new KeyNotFoundException($"{EntityName} {Key} has no field {field}.");
    }

    // Replaces the field's value where it is, or adds the field at the end.
    private void Put(string field, ReadOnlyMemory<byte> value)
    {
        int index = Find(field);
        if (index >= 0)
        {
            _fields[index] = new Field(field, value);
            return;
        }

        if (_count == _fields.Length)
        {
            Array.Resize(ref _fields, Math.Max(4, _count * 2));
        }

        _fields[_count++] = new Field(field, value);
    }

    private void RemoveAt(int index)
    {
        _count--;
        Array.Copy(_fields, index + 1, _fields, index, _count - index);
        _fields[_count] = default;
    }

    private static T Decode<T>(ref MessagePackReader reader)
    {
        if (default(T) is null && reader.TryReadNil())
        {
            return default!;
        }

        // The common types without boxing (each test is a constant for a value type, so only one branch remains).
        if (typeof(T) == typeof(int))
        {
            return (T)(object)reader.ReadInt32();
        }

        if (typeof(T) == typeof(long))
        {
            return (T)(object)reader.ReadInt64();
        }

        if (typeof(T) == typeof(double))
        {
            return (T)(object)reader.ReadDouble();
        }

        if (typeof(T) == typeof(bool))
        {
            return (T)(object)reader.ReadBoolean();
        }

        if (typeof(T) == typeof(string))
        {
            return (T)(object)ValueCodec.ReadRequiredString(ref reader);
        }

        if (typeof(T) == typeof(Guid))
        {
            return (T)(object)ValueCodec.ReadGuid(ref reader);
        }

        if (typeof(T) == typeof(DateTime))
        {
            return (T)(object)ValueCodec.ReadDateTime(ref reader);
        }

        if (typeof(T) == typeof(DateOnly))
        {
            return (T)(object)ValueCodec.ReadDateOnly(ref reader);
        }

        if (typeof(T) == typeof(decimal))
        {
            return (T)(object)ValueCodec.ReadDecimal(ref reader);
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

    /// <summary>A field of a stored row: its name and its value's MessagePack encoding.</summary>
    internal readonly record struct Field(string Name, ReadOnlyMemory<byte> Value);
}
