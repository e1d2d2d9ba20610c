using System.ComponentModel;
using Repos.Serialization;

namespace Repos.Internal.Codecs;

/// <summary>Objects of a stored type in a non-nullable property or element: a null one is written as nil, which reads back as null.</summary>
/// <typeparam name="T">The stored type.</typeparam>
/// <typeparam name="TSerializer">Its generated serializer.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct ObjectCodec<T, TSerializer> : IValueCodec<T>
    where T : class
    where TSerializer : IObjectSerializer<T>
{
    /// <inheritdoc />
    public static void Write(ref MessagePackWriter writer, T value, SerializationContext context) =>
        NullableObjectCodec<T, TSerializer>.Write(ref writer, value, context);

    /// <inheritdoc />
    public static T Read(ref MessagePackReader reader, SerializationContext context) =>
        NullableObjectCodec<T, TSerializer>.Read(ref reader, context)!;
}

/// <summary>Objects of a stored type in a nullable property or element: null and nil stand for each other.</summary>
/// <typeparam name="T">The stored type.</typeparam>
/// <typeparam name="TSerializer">Its generated serializer.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct NullableObjectCodec<T, TSerializer> : IValueCodec<T?>
    where T : class
    where TSerializer : IObjectSerializer<T>
{
    /// <inheritdoc />
    public static void Write(ref MessagePackWriter writer, T? value, SerializationContext context)
    {
        if (value is null)
        {
            writer.WriteNil();
        }
        else
        {
            // Repos stores exactly the declared type: a derived object's own values would be lost.
            if (value.GetType() != typeof(T))
            {
                ThrowDerived(value);
            }

            TSerializer.Write(ref writer, value, context);
        }
    }

    private static void ThrowDerived(T value) => throw new DerivedValueException(typeof(T), value.GetType());

    /// <inheritdoc />
    public static T? Read(ref MessagePackReader reader, SerializationContext context) =>
        reader.TryReadNil() ? null : TSerializer.Read(ref reader, context);
}
