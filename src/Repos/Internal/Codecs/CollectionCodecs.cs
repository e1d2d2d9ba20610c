using System.ComponentModel;
using Repos.Serialization;

// The collection codecs differ only in the declared type they write from and the concrete type they read into;
// side by side in one file, the differences are what stands out.
namespace Repos.Internal.Codecs;

/// <summary>Lists, read as <see cref="List{T}"/>.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct ListCodec<T, TCodec> : IValueCodec<List<T>?>, IEmptyValue<List<T>>
    where TCodec : IValueCodec<T>
{
    /// <inheritdoc />
    public static void Write(ref MessagePackWriter writer, List<T>? value, SerializationContext context)
    {
        if (value is null)
        {
            writer.WriteNil();
            return;
        }

        writer.WriteArrayHeader(value.Count);
        for (int i = 0; i < value.Count; i++)
        {
            TCodec.Write(ref writer, value[i], context);
        }
    }

    /// <inheritdoc />
    public static List<T>? Read(ref MessagePackReader reader, SerializationContext context)
    {
        if (reader.TryReadNil())
        {
            return null;
        }

        int count = reader.ReadArrayHeader();
        var list = new List<T>(count);
        for (int i = 0; i < count; i++)
        {
            list.Add(TCodec.Read(ref reader, context));
        }

        return list;
    }

    /// <inheritdoc />
    public static List<T> Empty() => new List<T>();
}

/// <summary><see cref="IList{T}"/> properties, read as <see cref="List{T}"/>.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct IListCodec<T, TCodec> : IValueCodec<IList<T>?>, IEmptyValue<IList<T>>
    where TCodec : IValueCodec<T>
{
    /// <inheritdoc />
    public static void Write(ref MessagePackWriter writer, IList<T>? value, SerializationContext context)
    {
        if (value is null)
        {
            writer.WriteNil();
            return;
        }

        writer.WriteArrayHeader(value.Count);
        for (int i = 0; i < value.Count; i++)
        {
            TCodec.Write(ref writer, value[i], context);
        }
    }

    /// <inheritdoc />
    public static IList<T>? Read(ref MessagePackReader reader, SerializationContext context)
    {
        if (reader.TryReadNil())
        {
            return null;
        }

        int count = reader.ReadArrayHeader();
        var list = new List<T>(count);
        for (int i = 0; i < count; i++)
        {
            list.Add(TCodec.Read(ref reader, context));
        }

        return list;
    }

    /// <inheritdoc />
    public static IList<T> Empty() => new List<T>();
}

/// <summary><see cref="ICollection{T}"/> properties, read as <see cref="List{T}"/>.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct ICollectionCodec<T, TCodec> : IValueCodec<ICollection<T>?>, IEmptyValue<ICollection<T>>
    where TCodec : IValueCodec<T>
{
    /// <inheritdoc />
    public static void Write(ref MessagePackWriter writer, ICollection<T>? value, SerializationContext context)
    {
        if (value is null)
        {
            writer.WriteNil();
            return;
        }

        writer.WriteArrayHeader(value.Count);
        foreach (T item in value)
        {
            TCodec.Write(ref writer, item, context);
        }
    }

    /// <inheritdoc />
    public static ICollection<T>? Read(ref MessagePackReader reader, SerializationContext context)
    {
        if (reader.TryReadNil())
        {
            return null;
        }

        int count = reader.ReadArrayHeader();
        var list = new List<T>(count);
        for (int i = 0; i < count; i++)
        {
            list.Add(TCodec.Read(ref reader, context));
        }

        return list;
    }

    /// <inheritdoc />
    public static ICollection<T> Empty() => new List<T>();
}

/// <summary>Arrays.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct ArrayCodec<T, TCodec> : IValueCodec<T[]?>, IEmptyValue<T[]>
    where TCodec : IValueCodec<T>
{
    /// <inheritdoc />
    public static void Write(ref MessagePackWriter writer, T[]? value, SerializationContext context)
    {
        if (value is null)
        {
            writer.WriteNil();
            return;
        }

        writer.WriteArrayHeader(value.Length);
        for (int i = 0; i < value.Length; i++)
        {
            TCodec.Write(ref writer, value[i], context);
        }
    }

    /// <inheritdoc />
    public static T[]? Read(ref MessagePackReader reader, SerializationContext context)
    {
        if (reader.TryReadNil())
        {
            return null;
        }

        T[] array = ValueCodec.NewArray<T>(reader.ReadArrayHeader());
        for (int i = 0; i < array.Length; i++)
        {
            array[i] = TCodec.Read(ref reader, context);
        }

        return array;
    }

    /// <inheritdoc />
    public static T[] Empty() => [];
}

/// <summary><see cref="IReadOnlyList{T}"/> properties, read as arrays.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct IReadOnlyListCodec<T, TCodec> : IValueCodec<IReadOnlyList<T>?>, IEmptyValue<IReadOnlyList<T>>
    where TCodec : IValueCodec<T>
{
    /// <inheritdoc />
    public static void Write(ref MessagePackWriter writer, IReadOnlyList<T>? value, SerializationContext context)
    {
        if (value is null)
        {
            writer.WriteNil();
            return;
        }

        writer.WriteArrayHeader(value.Count);
        for (int i = 0; i < value.Count; i++)
        {
            TCodec.Write(ref writer, value[i], context);
        }
    }

    /// <inheritdoc />
    public static IReadOnlyList<T>? Read(ref MessagePackReader reader, SerializationContext context)
    {
        if (reader.TryReadNil())
        {
            return null;
        }

        T[] array = ValueCodec.NewArray<T>(reader.ReadArrayHeader());
        for (int i = 0; i < array.Length; i++)
        {
            array[i] = TCodec.Read(ref reader, context);
        }

        return array;
    }

    /// <inheritdoc />
    public static IReadOnlyList<T> Empty() => Array.Empty<T>();
}

/// <summary><see cref="IReadOnlyCollection{T}"/> properties, read as arrays.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct IReadOnlyCollectionCodec<T, TCodec> : IValueCodec<IReadOnlyCollection<T>?>, IEmptyValue<IReadOnlyCollection<T>>
    where TCodec : IValueCodec<T>
{
    /// <inheritdoc />
    public static void Write(ref MessagePackWriter writer, IReadOnlyCollection<T>? value, SerializationContext context)
    {
        if (value is null)
        {
            writer.WriteNil();
            return;
        }

        writer.WriteArrayHeader(value.Count);
        foreach (T item in value)
        {
            TCodec.Write(ref writer, item, context);
        }
    }

    /// <inheritdoc />
    public static IReadOnlyCollection<T>? Read(ref MessagePackReader reader, SerializationContext context)
    {
        if (reader.TryReadNil())
        {
            return null;
        }

        T[] array = ValueCodec.NewArray<T>(reader.ReadArrayHeader());
        for (int i = 0; i < array.Length; i++)
        {
            array[i] = TCodec.Read(ref reader, context);
        }

        return array;
    }

    /// <inheritdoc />
    public static IReadOnlyCollection<T> Empty() => Array.Empty<T>();
}

/// <summary>Hash sets, written in their enumeration order.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct HashSetCodec<T, TCodec> : IValueCodec<HashSet<T>?>, IEmptyValue<HashSet<T>>
    where TCodec : IValueCodec<T>
{
    /// <inheritdoc />
    public static void Write(ref MessagePackWriter writer, HashSet<T>? value, SerializationContext context)
    {
        if (value is null)
        {
            writer.WriteNil();
            return;
        }

        writer.WriteArrayHeader(value.Count);
        foreach (T item in value)
        {
            TCodec.Write(ref writer, item, context);
        }
    }

    /// <inheritdoc />
    public static HashSet<T>? Read(ref MessagePackReader reader, SerializationContext context)
    {
        if (reader.TryReadNil())
        {
            return null;
        }

        int count = reader.ReadArrayHeader();
        var set = new HashSet<T>(count);
        for (int i = 0; i < count; i++)
        {
            set.Add(TCodec.Read(ref reader, context));
        }

        return set;
    }

    /// <inheritdoc />
    public static HashSet<T> Empty() => new HashSet<T>();
}

/// <summary><see cref="ISet{T}"/> properties, read as <see cref="HashSet{T}"/>.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct ISetCodec<T, TCodec> : IValueCodec<ISet<T>?>, IEmptyValue<ISet<T>>
    where TCodec : IValueCodec<T>
{
    /// <inheritdoc />
    public static void Write(ref MessagePackWriter writer, ISet<T>? value, SerializationContext context)
    {
        if (value is null)
        {
            writer.WriteNil();
            return;
        }

        writer.WriteArrayHeader(value.Count);
        foreach (T item in value)
        {
            TCodec.Write(ref writer, item, context);
        }
    }

    /// <inheritdoc />
    public static ISet<T>? Read(ref MessagePackReader reader, SerializationContext context)
    {
        if (reader.TryReadNil())
        {
            return null;
        }

        int count = reader.ReadArrayHeader();
        var set = new HashSet<T>(count);
        for (int i = 0; i < count; i++)
        {
            set.Add(TCodec.Read(ref reader, context));
        }

        return set;
    }

    /// <inheritdoc />
    public static ISet<T> Empty() => new HashSet<T>();
}

/// <summary><see cref="IReadOnlySet{T}"/> properties, read as <see cref="HashSet{T}"/>.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct IReadOnlySetCodec<T, TCodec> : IValueCodec<IReadOnlySet<T>?>, IEmptyValue<IReadOnlySet<T>>
    where TCodec : IValueCodec<T>
{
    /// <inheritdoc />
    public static void Write(ref MessagePackWriter writer, IReadOnlySet<T>? value, SerializationContext context)
    {
        if (value is null)
        {
            writer.WriteNil();
            return;
        }

        writer.WriteArrayHeader(value.Count);
        foreach (T item in value)
        {
            TCodec.Write(ref writer, item, context);
        }
    }

    /// <inheritdoc />
    public static IReadOnlySet<T>? Read(ref MessagePackReader reader, SerializationContext context)
    {
        if (reader.TryReadNil())
        {
            return null;
        }

        int count = reader.ReadArrayHeader();
        var set = new HashSet<T>(count);
        for (int i = 0; i < count; i++)
        {
            set.Add(TCodec.Read(ref reader, context));
        }

        return set;
    }

    /// <inheritdoc />
    public static IReadOnlySet<T> Empty() => new HashSet<T>();
}

/// <summary>Dictionaries, as maps; a key stored twice keeps its last value.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct DictionaryCodec<TKey, TValue, TKeyCodec, TValueCodec> : IValueCodec<Dictionary<TKey, TValue>?>, IEmptyValue<Dictionary<TKey, TValue>>
    where TKey : notnull
    where TKeyCodec : IValueCodec<TKey>
    where TValueCodec : IValueCodec<TValue>
{
    /// <inheritdoc />
    public static void Write(ref MessagePackWriter writer, Dictionary<TKey, TValue>? value, SerializationContext context)
    {
        if (value is null)
        {
            writer.WriteNil();
            return;
        }

        writer.WriteMapHeader(value.Count);
        foreach (KeyValuePair<TKey, TValue> entry in value)
        {
            TKeyCodec.Write(ref writer, entry.Key, context);
            TValueCodec.Write(ref writer, entry.Value, context);
        }
    }

    /// <inheritdoc />
    public static Dictionary<TKey, TValue>? Read(ref MessagePackReader reader, SerializationContext context)
    {
        if (reader.TryReadNil())
        {
            return null;
        }

        int count = reader.ReadMapHeader();
        var dictionary = new Dictionary<TKey, TValue>(count);
        for (int i = 0; i < count; i++)
        {
            TKey key = TKeyCodec.Read(ref reader, context);
            dictionary[key] = TValueCodec.Read(ref reader, context);
        }

        return dictionary;
    }

    /// <inheritdoc />
    public static Dictionary<TKey, TValue> Empty() => new Dictionary<TKey, TValue>();
}

/// <summary><see cref="IDictionary{TKey, TValue}"/> properties, read as <see cref="Dictionary{TKey, TValue}"/>.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct IDictionaryCodec<TKey, TValue, TKeyCodec, TValueCodec> : IValueCodec<IDictionary<TKey, TValue>?>, IEmptyValue<IDictionary<TKey, TValue>>
    where TKey : notnull
    where TKeyCodec : IValueCodec<TKey>
    where TValueCodec : IValueCodec<TValue>
{
    /// <inheritdoc />
    public static void Write(ref MessagePackWriter writer, IDictionary<TKey, TValue>? value, SerializationContext context)
    {
        if (value is null)
        {
            writer.WriteNil();
            return;
        }

        writer.WriteMapHeader(value.Count);
        foreach (KeyValuePair<TKey, TValue> entry in value)
        {
            TKeyCodec.Write(ref writer, entry.Key, context);
            TValueCodec.Write(ref writer, entry.Value, context);
        }
    }

    /// <inheritdoc />
    public static IDictionary<TKey, TValue>? Read(ref MessagePackReader reader, SerializationContext context)
    {
        if (reader.TryReadNil())
        {
            return null;
        }

        int count = reader.ReadMapHeader();
        var dictionary = new Dictionary<TKey, TValue>(count);
        for (int i = 0; i < count; i++)
        {
            TKey key = TKeyCodec.Read(ref reader, context);
            dictionary[key] = TValueCodec.Read(ref reader, context);
        }

        return dictionary;
    }

    /// <inheritdoc />
    public static IDictionary<TKey, TValue> Empty() => new Dictionary<TKey, TValue>();
}

/// <summary><see cref="IReadOnlyDictionary{TKey, TValue}"/> properties, read as <see cref="Dictionary{TKey, TValue}"/>.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct IReadOnlyDictionaryCodec<TKey, TValue, TKeyCodec, TValueCodec> : IValueCodec<IReadOnlyDictionary<TKey, TValue>?>, IEmptyValue<IReadOnlyDictionary<TKey, TValue>>
    where TKey : notnull
    where TKeyCodec : IValueCodec<TKey>
    where TValueCodec : IValueCodec<TValue>
{
    /// <inheritdoc />
    public static void Write(ref MessagePackWriter writer, IReadOnlyDictionary<TKey, TValue>? value, SerializationContext context)
    {
        if (value is null)
        {
            writer.WriteNil();
            return;
        }

        writer.WriteMapHeader(value.Count);
        foreach (KeyValuePair<TKey, TValue> entry in value)
        {
            TKeyCodec.Write(ref writer, entry.Key, context);
            TValueCodec.Write(ref writer, entry.Value, context);
        }
    }

    /// <inheritdoc />
    public static IReadOnlyDictionary<TKey, TValue>? Read(ref MessagePackReader reader, SerializationContext context)
    {
        if (reader.TryReadNil())
        {
            return null;
        }

        int count = reader.ReadMapHeader();
        var dictionary = new Dictionary<TKey, TValue>(count);
        for (int i = 0; i < count; i++)
        {
            TKey key = TKeyCodec.Read(ref reader, context);
            dictionary[key] = TValueCodec.Read(ref reader, context);
        }

        return dictionary;
    }

    /// <inheritdoc />
    public static IReadOnlyDictionary<TKey, TValue> Empty() => new Dictionary<TKey, TValue>();
}

/// <summary>
/// A collection of a non-nullable property or element: written as <typeparamref name="TCodec"/> writes it, and
/// read as an empty collection where nil is stored.
/// </summary>
/// <typeparam name="T">The collection type.</typeparam>
/// <typeparam name="TCodec">Its codec, which reads nil as null.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct NonNullCodec<T, TCodec> : IValueCodec<T>
    where T : class
    where TCodec : IValueCodec<T?>, IEmptyValue<T>
{
    /// <inheritdoc />
    public static void Write(ref MessagePackWriter writer, T value, SerializationContext context) => TCodec.Write(ref writer, value, context);

    /// <inheritdoc />
    public static T Read(ref MessagePackReader reader, SerializationContext context) => TCodec.Read(ref reader, context) ?? TCodec.Empty();
}
