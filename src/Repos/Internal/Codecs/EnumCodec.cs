using System.ComponentModel;
using System.Runtime.CompilerServices;
using Repos.Serialization;

namespace Repos.Internal.Codecs;

/// <summary>Enums, as their underlying integer (names are kept in the catalog, not in rows).</summary>
/// <typeparam name="TEnum">The enum.</typeparam>
/// <typeparam name="TUnderlying">Its underlying integer type, as declared.</typeparam>
/// <typeparam name="TCodec">The codec of the underlying type.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct EnumCodec<TEnum, TUnderlying, TCodec> : IValueCodec<TEnum>
    where TEnum : unmanaged, Enum
    where TUnderlying : unmanaged
    where TCodec : IValueCodec<TUnderlying>
{
    /// <inheritdoc />
    public static void Write(ref MessagePackWriter writer, TEnum value, SerializationContext context) =>
        TCodec.Write(ref writer, Unsafe.As<TEnum, TUnderlying>(ref value), context);

    /// <inheritdoc />
    public static TEnum Read(ref MessagePackReader reader, SerializationContext context)
    {
        TUnderlying value = TCodec.Read(ref reader, context);
        return Unsafe.As<TUnderlying, TEnum>(ref value);
    }
}
