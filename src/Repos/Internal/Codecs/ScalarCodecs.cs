using System.ComponentModel;
using Repos.Serialization;

// The codecs of the built-in scalar types are one line each and read best side by side: they share this file.
namespace Repos.Internal.Codecs;

/// <summary>Booleans.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct BooleanCodec : IValueCodec<bool>
{
    /// <inheritdoc />
    public static void Write(ref MessagePackWriter writer, bool value, SerializationContext context) => writer.Write(value);

    /// <inheritdoc />
    public static bool Read(ref MessagePackReader reader, SerializationContext context) => reader.ReadBoolean();
}

/// <summary>Bytes.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct ByteCodec : IValueCodec<byte>
{
    /// <inheritdoc />
    public static void Write(ref MessagePackWriter writer, byte value, SerializationContext context) => writer.Write(value);

    /// <inheritdoc />
    public static byte Read(ref MessagePackReader reader, SerializationContext context) => reader.ReadByte();
}

/// <summary>Signed bytes.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct SByteCodec : IValueCodec<sbyte>
{
    /// <inheritdoc />
    public static void Write(ref MessagePackWriter writer, sbyte value, SerializationContext context) => writer.Write(value);

    /// <inheritdoc />
    public static sbyte Read(ref MessagePackReader reader, SerializationContext context) => reader.ReadSByte();
}

/// <summary>16-bit integers.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct Int16Codec : IValueCodec<short>
{
    /// <inheritdoc />
    public static void Write(ref MessagePackWriter writer, short value, SerializationContext context) => writer.Write(value);

    /// <inheritdoc />
    public static short Read(ref MessagePackReader reader, SerializationContext context) => reader.ReadInt16();
}

/// <summary>Unsigned 16-bit integers.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct UInt16Codec : IValueCodec<ushort>
{
    /// <inheritdoc />
    public static void Write(ref MessagePackWriter writer, ushort value, SerializationContext context) => writer.Write(value);

    /// <inheritdoc />
    public static ushort Read(ref MessagePackReader reader, SerializationContext context) => reader.ReadUInt16();
}

/// <summary>32-bit integers.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct Int32Codec : IValueCodec<int>
{
    /// <inheritdoc />
    public static void Write(ref MessagePackWriter writer, int value, SerializationContext context) => writer.Write(value);

    /// <inheritdoc />
    public static int Read(ref MessagePackReader reader, SerializationContext context) => reader.ReadInt32();
}

/// <summary>Unsigned 32-bit integers.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct UInt32Codec : IValueCodec<uint>
{
    /// <inheritdoc />
    public static void Write(ref MessagePackWriter writer, uint value, SerializationContext context) => writer.Write(value);

    /// <inheritdoc />
    public static uint Read(ref MessagePackReader reader, SerializationContext context) => reader.ReadUInt32();
}

/// <summary>64-bit integers.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct Int64Codec : IValueCodec<long>
{
    /// <inheritdoc />
    public static void Write(ref MessagePackWriter writer, long value, SerializationContext context) => writer.Write(value);

    /// <inheritdoc />
    public static long Read(ref MessagePackReader reader, SerializationContext context) => reader.ReadInt64();
}

/// <summary>Unsigned 64-bit integers.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct UInt64Codec : IValueCodec<ulong>
{
    /// <inheritdoc />
    public static void Write(ref MessagePackWriter writer, ulong value, SerializationContext context) => writer.Write(value);

    /// <inheritdoc />
    public static ulong Read(ref MessagePackReader reader, SerializationContext context) => reader.ReadUInt64();
}

/// <summary>Single-precision floats.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct SingleCodec : IValueCodec<float>
{
    /// <inheritdoc />
    public static void Write(ref MessagePackWriter writer, float value, SerializationContext context) => writer.Write(value);

    /// <inheritdoc />
    public static float Read(ref MessagePackReader reader, SerializationContext context) => reader.ReadSingle();
}

/// <summary>Double-precision floats.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct DoubleCodec : IValueCodec<double>
{
    /// <inheritdoc />
    public static void Write(ref MessagePackWriter writer, double value, SerializationContext context) => writer.Write(value);

    /// <inheritdoc />
    public static double Read(ref MessagePackReader reader, SerializationContext context) => reader.ReadDouble();
}

/// <summary>Decimals, as their invariant text (<see cref="ValueCodec.WriteDecimal"/>).</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct DecimalCodec : IValueCodec<decimal>
{
    /// <inheritdoc />
    public static void Write(ref MessagePackWriter writer, decimal value, SerializationContext context) => ValueCodec.WriteDecimal(ref writer, value);

    /// <inheritdoc />
    public static decimal Read(ref MessagePackReader reader, SerializationContext context) => ValueCodec.ReadDecimal(ref reader);
}

/// <summary>Characters, as their UTF-16 code unit.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct CharCodec : IValueCodec<char>
{
    /// <inheritdoc />
    public static void Write(ref MessagePackWriter writer, char value, SerializationContext context) => ValueCodec.WriteChar(ref writer, value);

    /// <inheritdoc />
    public static char Read(ref MessagePackReader reader, SerializationContext context) => ValueCodec.ReadChar(ref reader);
}

/// <summary>Strings of a non-nullable property: a null one is written as nil, and nil reads as the empty string.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct StringCodec : IValueCodec<string>
{
    /// <inheritdoc />
    public static void Write(ref MessagePackWriter writer, string value, SerializationContext context) => writer.Write(value);

    /// <inheritdoc />
    public static string Read(ref MessagePackReader reader, SerializationContext context) => reader.ReadString() ?? string.Empty;
}

/// <summary>Strings of a nullable property: null and nil stand for each other.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct NullableStringCodec : IValueCodec<string?>
{
    /// <inheritdoc />
    public static void Write(ref MessagePackWriter writer, string? value, SerializationContext context) => writer.Write(value);

    /// <inheritdoc />
    public static string? Read(ref MessagePackReader reader, SerializationContext context) => reader.ReadString();
}

/// <summary>Byte arrays of a non-nullable property: a null one is written as nil, and nil reads as an empty array.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct BytesCodec : IValueCodec<byte[]>
{
    /// <inheritdoc />
    public static void Write(ref MessagePackWriter writer, byte[] value, SerializationContext context) => writer.Write(value);

    /// <inheritdoc />
    public static byte[] Read(ref MessagePackReader reader, SerializationContext context) => reader.ReadBytes() ?? [];
}

/// <summary>Byte arrays of a nullable property: null and nil stand for each other.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct NullableBytesCodec : IValueCodec<byte[]?>
{
    /// <inheritdoc />
    public static void Write(ref MessagePackWriter writer, byte[]? value, SerializationContext context) => writer.Write(value);

    /// <inheritdoc />
    public static byte[]? Read(ref MessagePackReader reader, SerializationContext context) => reader.ReadBytes();
}

/// <summary>GUIDs (<see cref="ValueCodec.WriteGuid"/>).</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct GuidCodec : IValueCodec<Guid>
{
    /// <inheritdoc />
    public static void Write(ref MessagePackWriter writer, Guid value, SerializationContext context) => ValueCodec.WriteGuid(ref writer, value);

    /// <inheritdoc />
    public static Guid Read(ref MessagePackReader reader, SerializationContext context) => ValueCodec.ReadGuid(ref reader);
}

/// <summary>Dates and times, with their kind (<see cref="ValueCodec.WriteDateTime"/>).</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct DateTimeCodec : IValueCodec<DateTime>
{
    /// <inheritdoc />
    public static void Write(ref MessagePackWriter writer, DateTime value, SerializationContext context) => ValueCodec.WriteDateTime(ref writer, value);

    /// <inheritdoc />
    public static DateTime Read(ref MessagePackReader reader, SerializationContext context) => ValueCodec.ReadDateTime(ref reader);
}

/// <summary>Dates and times with their offset (<see cref="ValueCodec.WriteDateTimeOffset"/>).</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct DateTimeOffsetCodec : IValueCodec<DateTimeOffset>
{
    /// <inheritdoc />
    public static void Write(ref MessagePackWriter writer, DateTimeOffset value, SerializationContext context) => ValueCodec.WriteDateTimeOffset(ref writer, value);

    /// <inheritdoc />
    public static DateTimeOffset Read(ref MessagePackReader reader, SerializationContext context) => ValueCodec.ReadDateTimeOffset(ref reader);
}

/// <summary>Dates, as their day number.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct DateOnlyCodec : IValueCodec<DateOnly>
{
    /// <inheritdoc />
    public static void Write(ref MessagePackWriter writer, DateOnly value, SerializationContext context) => ValueCodec.WriteDateOnly(ref writer, value);

    /// <inheritdoc />
    public static DateOnly Read(ref MessagePackReader reader, SerializationContext context) => ValueCodec.ReadDateOnly(ref reader);
}

/// <summary>Times of day, as their ticks.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct TimeOnlyCodec : IValueCodec<TimeOnly>
{
    /// <inheritdoc />
    public static void Write(ref MessagePackWriter writer, TimeOnly value, SerializationContext context) => ValueCodec.WriteTimeOnly(ref writer, value);

    /// <inheritdoc />
    public static TimeOnly Read(ref MessagePackReader reader, SerializationContext context) => ValueCodec.ReadTimeOnly(ref reader);
}

/// <summary>Time spans, as their ticks.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct TimeSpanCodec : IValueCodec<TimeSpan>
{
    /// <inheritdoc />
    public static void Write(ref MessagePackWriter writer, TimeSpan value, SerializationContext context) => ValueCodec.WriteTimeSpan(ref writer, value);

    /// <inheritdoc />
    public static TimeSpan Read(ref MessagePackReader reader, SerializationContext context) => ValueCodec.ReadTimeSpan(ref reader);
}
