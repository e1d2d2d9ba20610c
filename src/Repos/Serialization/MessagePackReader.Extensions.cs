using System.Buffers.Binary;

namespace Repos.Serialization;

public ref partial struct MessagePackReader
{
    /// <summary>Reads the header of an extension value (fixext 1/2/4/8/16 or ext 8/16/32); its data is read next.</summary>
    /// <returns>The type code and data length, checked to be in the input.</returns>
    /// <exception cref="ReposFormatException">The next value is not an extension, or is truncated.</exception>
    public ExtensionHeader ReadExtensionFormatHeader()
    {
        var header = PeekExtensionHeader(out var headerSize);
        Advance(headerSize);
        return header;
    }

    /// <summary>Reads a whole extension value: its type code and data.</summary>
    /// <returns>The type code and data (a slice of the input, or a copy if it straddles segments).</returns>
    /// <exception cref="ReposFormatException">The next value is not an extension, or is truncated.</exception>
    public ExtensionResult ReadExtensionFormat()
    {
        var header = PeekExtensionHeader(out var headerSize);
        if (header.Length > int.MaxValue)
        {
            MessagePackErrors.ThrowTooLong(PeekCode(), header.Length, Consumed);
        }

        Advance(headerSize);
        return new ExtensionResult(header.TypeCode, Take((int)header.Length));
    }

    /// <summary>Reads a timestamp extension (type -1) of any of its three sizes (32, 64 or 96 bits).</summary>
    /// <returns>The timestamp.</returns>
    /// <exception cref="ReposFormatException">
    /// The next value is not a timestamp extension, has an invalid length, nanoseconds of 1e9 or more, or is truncated.
    /// </exception>
    public MessagePackTimestamp ReadTimestamp()
    {
        var timestamp = PeekTimestamp(out var size);
        Advance(size);
        return timestamp;
    }

    /// <summary>Reads a timestamp extension (type -1) of any of its three sizes as a UTC <see cref="DateTime"/>.</summary>
    /// <returns>The time, with <see cref="DateTimeKind.Utc"/>, truncated to 100 ns ticks.</returns>
    /// <exception cref="ReposFormatException">
    /// The next value is not a valid timestamp, or it is outside the range of <see cref="DateTime"/> (years 1..9999).
    /// </exception>
    public DateTime ReadDateTime()
    {
        // The 32- and 64-bit forms cover 1970..2514 and are always in DateTime's range.
        var position = _position;
        var span = _span;
        if (span.Length - position >= 10 && span[position + 1] == unchecked((byte)MessagePackCode.TimestampExtensionType))
        {
            var code = span[position];
            if (code == MessagePackCode.FixExt8)
            {
                var packed = BinaryPrimitives.ReadUInt64BigEndian(span.Slice(position + 2, 8));
                var nanoseconds = packed >> 34;
                if (nanoseconds < MessagePackTimestamp.NanosecondsPerSecond)
                {
                    _position = position + 10;
                    return new DateTime(
                        UnixEpochTicks + (long)(packed & 0x3_ffff_ffffUL) * TimeSpan.TicksPerSecond + (long)(nanoseconds / 100),
                        DateTimeKind.Utc);
                }
            }
            else if (code == MessagePackCode.FixExt4)
            {
                var seconds = BinaryPrimitives.ReadUInt32BigEndian(span.Slice(position + 2, 4));
                _position = position + 6;
                return new DateTime(UnixEpochTicks + seconds * TimeSpan.TicksPerSecond, DateTimeKind.Utc);
            }
        }

        return ReadDateTimeSlow();
    }

    private const long UnixEpochTicks = 621_355_968_000_000_000;

    private DateTime ReadDateTimeSlow()
    {
        var timestamp = PeekTimestamp(out var size);
        if (!timestamp.TryToDateTime(out var result))
        {
            MessagePackErrors.ThrowTimestampOutOfRange(timestamp, Consumed);
        }

        Advance(size);
        return result;
    }

    private MessagePackTimestamp PeekTimestamp(out int size)
    {
        var header = PeekExtensionHeader(out var headerSize);
        if (header.TypeCode != MessagePackCode.TimestampExtensionType)
        {
            MessagePackErrors.ThrowNotTimestamp(header.TypeCode, Consumed);
        }

        if (header.Length is not (4 or 8 or 12))
        {
            MessagePackErrors.ThrowTimestampLength(header.Length, Consumed);
        }

        size = headerSize + (int)header.Length;
        Span<byte> scratch = stackalloc byte[15];
        var data = Peek(size, scratch, _span[_position])[headerSize..];
        long seconds;
        uint nanoseconds;
        switch (data.Length)
        {
            case 4:
                seconds = BinaryPrimitives.ReadUInt32BigEndian(data);
                nanoseconds = 0;
                break;
            case 8:
                var packed = BinaryPrimitives.ReadUInt64BigEndian(data);
                nanoseconds = (uint)(packed >> 34);
                seconds = (long)(packed & 0x3_ffff_ffffUL);
                break;
            default:
                nanoseconds = BinaryPrimitives.ReadUInt32BigEndian(data);
                seconds = BinaryPrimitives.ReadInt64BigEndian(data[4..]);
                break;
        }

        if (nanoseconds >= MessagePackTimestamp.NanosecondsPerSecond)
        {
            MessagePackErrors.ThrowTimestampNanoseconds(nanoseconds, Consumed);
        }

        return new MessagePackTimestamp(seconds, nanoseconds);
    }

    /// <summary>The next extension header, not consumed; its length is checked against the input.</summary>
    private ExtensionHeader PeekExtensionHeader(out int headerSize)
    {
        var code = PeekCode();
        Span<byte> scratch = stackalloc byte[6];
        uint length;
        sbyte typeCode;
        switch (code)
        {
            case >= MessagePackCode.FixExt1 and <= MessagePackCode.FixExt16:
            {
                headerSize = 2;
                var bytes = Peek(2, scratch, code);
                length = 1u << (code - MessagePackCode.FixExt1);
                typeCode = (sbyte)bytes[1];
                break;
            }

            case MessagePackCode.Ext8:
            {
                headerSize = 3;
                var bytes = Peek(3, scratch, code);
                length = bytes[1];
                typeCode = (sbyte)bytes[2];
                break;
            }

            case MessagePackCode.Ext16:
            {
                headerSize = 4;
                var bytes = Peek(4, scratch, code);
                length = BinaryPrimitives.ReadUInt16BigEndian(bytes[1..]);
                typeCode = (sbyte)bytes[3];
                break;
            }

            case MessagePackCode.Ext32:
            {
                headerSize = 6;
                var bytes = Peek(6, scratch, code);
                length = BinaryPrimitives.ReadUInt32BigEndian(bytes[1..]);
                typeCode = (sbyte)bytes[5];
                break;
            }

            default:
                MessagePackErrors.ThrowTypeMismatch(MessagePackType.Extension, code, Consumed);
                headerSize = 0;
                return default;
        }

        var left = Remaining - headerSize;
        if (length > left)
        {
            MessagePackErrors.ThrowLengthExceedsInput(code, length, left, Consumed);
        }

        return new ExtensionHeader(typeCode, length);
    }
}
