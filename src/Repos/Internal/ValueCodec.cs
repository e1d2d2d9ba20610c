using System.ComponentModel;
using System.Globalization;
using Repos.Serialization;

namespace Repos.Internal;

/// <summary>
/// MessagePack encodings of the .NET types MessagePack has no type for, shared by every generated
/// serializer (docs/format.md lists them).
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class ValueCodec
{
    /// <summary>Writes a GUID as bin 16 in RFC 9562 (big-endian) byte order.</summary>
    public static void WriteGuid(ref MessagePackWriter writer, Guid value)
    {
        Span<byte> bytes = stackalloc byte[16];
        value.TryWriteBytes(bytes, bigEndian: true, out _);
        writer.Write(bytes);
    }

    /// <summary>Reads a GUID written by <see cref="WriteGuid"/>.</summary>
    public static Guid ReadGuid(ref MessagePackReader reader)
    {
        long offset = reader.Consumed;
        ReadOnlySpan<byte> bytes = reader.ReadBinarySpan();
        if (bytes.Length != 16)
        {
            throw new ReposFormatException($"A Guid is 16 bytes, found {bytes.Length}", offset);
        }

        return new Guid(bytes, bigEndian: true);
    }

    /// <summary>Writes a decimal as its invariant-culture text, which keeps its value and scale exactly.</summary>
    public static void WriteDecimal(ref MessagePackWriter writer, decimal value)
    {
        Span<char> text = stackalloc char[64];
        value.TryFormat(text, out int length, provider: CultureInfo.InvariantCulture);
        writer.Write(text[..length]);
    }

    /// <summary>Reads a decimal written by <see cref="WriteDecimal"/> (integers and floats are accepted too).</summary>
    public static decimal ReadDecimal(ref MessagePackReader reader)
    {
        long offset = reader.Consumed;
        switch (reader.NextMessagePackType)
        {
            case MessagePackType.Integer:
                return reader.ReadInt64();
            case MessagePackType.Float:
                double number = reader.ReadDouble();
                if (double.IsFinite(number) && Math.Abs(number) < 7.9e28)
                {
                    return (decimal)number;
                }

                throw new ReposFormatException($"{number} does not fit in a decimal", offset);
            default:
                ReadOnlySpan<byte> utf8 = reader.ReadStringSpan();
                if (decimal.TryParse(utf8, NumberStyles.Number | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out decimal value))
                {
                    return value;
                }

                throw new ReposFormatException("Invalid decimal text", offset);
        }
    }

    /// <summary>
    /// Writes a date and time: a UTC value as the standard timestamp extension, a local or unspecified one as
    /// the int64 of <see cref="DateTime.ToBinary"/>, which keeps its kind.
    /// </summary>
    public static void WriteDateTime(ref MessagePackWriter writer, DateTime value)
    {
        if (value.Kind == DateTimeKind.Utc)
        {
            writer.Write(value);
        }
        else
        {
            writer.Write(value.ToBinary());
        }
    }

    /// <summary>Reads a date and time written by <see cref="WriteDateTime"/>.</summary>
    public static DateTime ReadDateTime(ref MessagePackReader reader) =>
        reader.NextMessagePackType != MessagePackType.Integer ? reader.ReadDateTime() : ReadBinaryDateTime(ref reader);

    // Apart, so that the common case (a UTC timestamp) inlines into the serializers: a method with a try does not.
    private static DateTime ReadBinaryDateTime(ref MessagePackReader reader)
    {
        long offset = reader.Consumed;
        long binary = reader.ReadInt64();
        try
        {
            return DateTime.FromBinary(binary);
        }
        catch (ArgumentException)
        {
            throw new ReposFormatException($"{binary} is not a valid DateTime", offset);
        }
    }

    /// <summary>Writes a date, time and offset as a two-element array: the instant as a timestamp, the offset in minutes.</summary>
    public static void WriteDateTimeOffset(ref MessagePackWriter writer, DateTimeOffset value)
    {
        writer.WriteArrayHeader(2);
        writer.Write(value.UtcDateTime);
        writer.Write((short)value.TotalOffsetMinutes);
    }

    /// <summary>Reads a value written by <see cref="WriteDateTimeOffset"/>.</summary>
    public static DateTimeOffset ReadDateTimeOffset(ref MessagePackReader reader)
    {
        long offset = reader.Consumed;
        if (reader.ReadArrayHeader() != 2)
        {
            throw new ReposFormatException("A DateTimeOffset is an array of two values", offset);
        }

        DateTime utc = reader.ReadDateTime();
        short minutes = reader.ReadInt16();
        if (minutes is < -14 * 60 or > 14 * 60)
        {
            throw new ReposFormatException($"Offset of {minutes} minutes is out of range", offset);
        }

        long localTicks = utc.Ticks + (minutes * TimeSpan.TicksPerMinute);
        if (localTicks < DateTime.MinValue.Ticks || localTicks > DateTime.MaxValue.Ticks)
        {
            throw new ReposFormatException("DateTimeOffset is out of range", offset);
        }

        return new DateTimeOffset(localTicks, TimeSpan.FromMinutes(minutes));
    }

    /// <summary>Writes a date as its day number (days since 0001-01-01).</summary>
    public static void WriteDateOnly(ref MessagePackWriter writer, DateOnly value) => writer.Write(value.DayNumber);

    /// <summary>Reads a date written by <see cref="WriteDateOnly"/>.</summary>
    public static DateOnly ReadDateOnly(ref MessagePackReader reader)
    {
        long offset = reader.Consumed;
        int day = reader.ReadInt32();
        if ((uint)day > (uint)DateOnly.MaxValue.DayNumber)
        {
            throw new ReposFormatException($"Day number {day} is out of range", offset);
        }

        return DateOnly.FromDayNumber(day);
    }

    /// <summary>Writes a time of day as ticks since midnight.</summary>
    public static void WriteTimeOnly(ref MessagePackWriter writer, TimeOnly value) => writer.Write(value.Ticks);

    /// <summary>Reads a time of day written by <see cref="WriteTimeOnly"/>.</summary>
    public static TimeOnly ReadTimeOnly(ref MessagePackReader reader)
    {
        long offset = reader.Consumed;
        long ticks = reader.ReadInt64();
        if ((ulong)ticks > (ulong)TimeOnly.MaxValue.Ticks)
        {
            throw new ReposFormatException($"{ticks} ticks is not a time of day", offset);
        }

        return new TimeOnly(ticks);
    }

    /// <summary>Writes a duration as ticks.</summary>
    public static void WriteTimeSpan(ref MessagePackWriter writer, TimeSpan value) => writer.Write(value.Ticks);

    /// <summary>Reads a duration written by <see cref="WriteTimeSpan"/>.</summary>
    public static TimeSpan ReadTimeSpan(ref MessagePackReader reader) => new(reader.ReadInt64());

    /// <summary>Writes a character as its UTF-16 code unit.</summary>
    public static void WriteChar(ref MessagePackWriter writer, char value) => writer.Write((ushort)value);

    /// <summary>Reads a character written by <see cref="WriteChar"/>.</summary>
    public static char ReadChar(ref MessagePackReader reader) => (char)reader.ReadUInt16();

    /// <summary>A new array of <paramref name="length"/> elements (emitted code cannot write <c>new T[n]</c> when T is an array type).</summary>
    public static T[] NewArray<T>(int length) => length == 0 ? [] : new T[length];

    /// <summary>Reads a string that the model declares non-nullable: nil reads as the empty string.</summary>
    public static string ReadRequiredString(ref MessagePackReader reader) => reader.ReadString() ?? string.Empty;
}
