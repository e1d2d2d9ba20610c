using System.ComponentModel;
using Repos.Serialization;

namespace Repos.Internal.Codecs;

/// <summary>
/// Encodes and decodes values of <typeparamref name="T"/> as MessagePack. Generated serializers name a codec per
/// property, as a struct type argument, so the JIT compiles each composition (a list of nullable enums, a
/// dictionary of objects) into code as direct as if it were written out by hand, while the generated file holds
/// one line per property.
/// </summary>
/// <typeparam name="T">The values, as the property declares them.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public interface IValueCodec<T>
{
    /// <summary>Writes <paramref name="value"/>.</summary>
    static abstract void Write(ref MessagePackWriter writer, T value, SerializationContext context);

    /// <summary>Reads a value written by <see cref="Write"/>.</summary>
    static abstract T Read(ref MessagePackReader reader, SerializationContext context);
}

/// <summary>A codec of a reference type whose values read as null from nil, and the empty value a non-nullable property of it takes instead.</summary>
/// <typeparam name="T">The values.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public interface IEmptyValue<T>
    where T : class
{
    /// <summary>A new empty value: an empty collection.</summary>
    static abstract T Empty();
}
