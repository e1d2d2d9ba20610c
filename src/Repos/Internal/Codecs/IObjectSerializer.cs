using System.ComponentModel;
using Repos.Serialization;

namespace Repos.Internal.Codecs;

/// <summary>
/// The generated serializer of a stored type (an entity or a type stored inside entities): its fields, and the
/// map of field ids to values it writes and reads. <see cref="ObjectCodec{T, TSerializer}"/> and
/// <see cref="NullableObjectCodec{T, TSerializer}"/> wrap it for properties, elements and values.
/// </summary>
/// <typeparam name="T">The stored type.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public interface IObjectSerializer<T>
    where T : class
{
    /// <summary>The stored fields, in declaration order; each database file assigns their ids.</summary>
    static abstract TypeShape Shape { get; }

    /// <summary>Writes <paramref name="value"/> as a map of field ids to values.</summary>
    static abstract void Write(ref MessagePackWriter writer, T value, SerializationContext context);

    /// <summary>Reads a value written by any version of <see cref="Write"/>; fields it does not know are skipped.</summary>
    static abstract T Read(ref MessagePackReader reader, SerializationContext context);

    /// <summary>Adds every rule <paramref name="value"/> breaks to <paramref name="errors"/>, naming properties under the objects it entered.</summary>
    static abstract void Validate(T value, ValidationErrors errors);
}
