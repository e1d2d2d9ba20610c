using System.ComponentModel;
using Repos.Serialization;

namespace Repos.Internal.Codecs;

/// <summary>Nullable value types: null is nil, any other value is written by <typeparamref name="TCodec"/>.</summary>
/// <typeparam name="T">The underlying value type.</typeparam>
/// <typeparam name="TCodec">Its codec.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct NullableCodec<T, TCodec> : IValueCodec<T?>
    where T : struct
    where TCodec : IValueCodec<T>
{
    /// <inheritdoc />
    public static void Write(ref MessagePackWriter writer, T? value, SerializationContext context)
    {
        if (value is { } present)
        {
            TCodec.Write(ref writer, present, context);
        }
        else
        {
            writer.WriteNil();
        }
    }

    /// <inheritdoc />
    public static T? Read(ref MessagePackReader reader, SerializationContext context) =>
        reader.TryReadNil() ? null : TCodec.Read(ref reader, context);
}
