using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace Repos.Serialization;

public ref partial struct MessagePackReader
{
    /// <summary>Reads an integer in any of its encodings.</summary>
    /// <returns>The value.</returns>
    /// <exception cref="ReposFormatException">The next value is not an integer, does not fit, or is truncated.</exception>
    public sbyte ReadSByte() => (sbyte)ReadSigned(sbyte.MinValue, sbyte.MaxValue, nameof(SByte));

    /// <summary>Reads an integer in any of its encodings.</summary>
    /// <returns>The value.</returns>
    /// <exception cref="ReposFormatException">The next value is not an integer, does not fit, or is truncated.</exception>
    public byte ReadByte() => (byte)ReadUnsigned(byte.MaxValue, nameof(Byte));

    /// <summary>Reads an integer in any of its encodings.</summary>
    /// <returns>The value.</returns>
    /// <exception cref="ReposFormatException">The next value is not an integer, does not fit, or is truncated.</exception>
    public short ReadInt16() => (short)ReadSigned(short.MinValue, short.MaxValue, nameof(Int16));

    /// <summary>Reads an integer in any of its encodings.</summary>
    /// <returns>The value.</returns>
    /// <exception cref="ReposFormatException">The next value is not an integer, does not fit, or is truncated.</exception>
    public ushort ReadUInt16() => (ushort)ReadUnsigned(ushort.MaxValue, nameof(UInt16));

    /// <summary>Reads an integer in any of its encodings.</summary>
    /// <returns>The value.</returns>
    /// <exception cref="ReposFormatException">The next value is not an integer, does not fit, or is truncated.</exception>
    public int ReadInt32() => (int)ReadSigned(int.MinValue, int.MaxValue, nameof(Int32));

    /// <summary>Reads an integer in any of its encodings.</summary>
    /// <returns>The value.</returns>
    /// <exception cref="ReposFormatException">The next value is not an integer, does not fit, or is truncated.</exception>
    public uint ReadUInt32() => (uint)ReadUnsigned(uint.MaxValue, nameof(UInt32));

    /// <summary>Reads an integer in any of its encodings.</summary>
    /// <returns>The value.</returns>
    /// <exception cref="ReposFormatException">The next value is not an integer, does not fit, or is truncated.</exception>
    public long ReadInt64() => ReadSigned(long.MinValue, long.MaxValue, nameof(Int64));

    /// <summary>Reads an integer in any of its encodings.</summary>
    /// <returns>The value.</returns>
    /// <exception cref="ReposFormatException">The next value is not an integer, does not fit, or is truncated.</exception>
    public ulong ReadUInt64() => ReadUnsigned(ulong.MaxValue, nameof(UInt64));

    /// <summary>Reads a float 32, a float 64 (rounded to the nearest float) or an integer (converted).</summary>
    /// <returns>The value.</returns>
    /// <exception cref="ReposFormatException">The next value is not a number, or is truncated.</exception>
    public float ReadSingle()
    {
        var code = PeekCode();
        Span<byte> scratch = stackalloc byte[9];
        switch (code)
        {
            case MessagePackCode.Float32:
            {
                var value = BinaryPrimitives.ReadSingleBigEndian(Peek(5, scratch, code)[1..]);
                Advance(5);
                return value;
            }

            case MessagePackCode.Float64:
            {
                var value = BinaryPrimitives.ReadDoubleBigEndian(Peek(9, scratch, code)[1..]);
                Advance(9);
                return (float)value;
            }

            case MessagePackCode.UInt64:
                return ReadUInt64();

            default:
                if (MessagePackCode.ToMessagePackType(code) != MessagePackType.Integer)
                {
                    MessagePackErrors.ThrowTypeMismatch(MessagePackType.Float, code, Consumed);
                }

                return ReadInt64();
        }
    }

    /// <summary>Reads a float 64, a float 32 (widened exactly) or an integer (converted).</summary>
    /// <returns>The value.</returns>
    /// <exception cref="ReposFormatException">The next value is not a number, or is truncated.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double ReadDouble()
    {
        var position = _position;
        var span = _span;
        if (span.Length - position >= 9 && span[position] == MessagePackCode.Float64)
        {
            _position = position + 9;
            return BinaryPrimitives.ReadDoubleBigEndian(span.Slice(position + 1, 8));
        }

        return ReadDoubleSlow();
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private double ReadDoubleSlow()
    {
        var code = PeekCode();
        Span<byte> scratch = stackalloc byte[9];
        switch (code)
        {
            case MessagePackCode.Float64:
            {
                var value = BinaryPrimitives.ReadDoubleBigEndian(Peek(9, scratch, code)[1..]);
                Advance(9);
                return value;
            }

            case MessagePackCode.Float32:
            {
                var value = BinaryPrimitives.ReadSingleBigEndian(Peek(5, scratch, code)[1..]);
                Advance(5);
                return value;
            }

            case MessagePackCode.UInt64:
                return ReadUInt64();

            default:
                if (MessagePackCode.ToMessagePackType(code) != MessagePackType.Integer)
                {
                    MessagePackErrors.ThrowTypeMismatch(MessagePackType.Float, code, Consumed);
                }

                return ReadInt64();
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private long ReadSigned(long min, long max, string target)
    {
        var position = _position;
        var span = _span;
        if ((uint)position < (uint)span.Length)
        {
            var code = span[position];
            if (code <= MessagePackCode.MaxFixInt)
            {
                _position = position + 1;
                return code;
            }
        }

        return ReadSignedSlow(min, max, target);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ulong ReadUnsigned(ulong max, string target)
    {
        var position = _position;
        var span = _span;
        if ((uint)position < (uint)span.Length)
        {
            var code = span[position];
            if (code <= MessagePackCode.MaxFixInt)
            {
                _position = position + 1;
                return code;
            }
        }

        return ReadUnsignedSlow(max, target);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private long ReadSignedSlow(long min, long max, string target)
    {
        var code = PeekCode();
        if (code <= MessagePackCode.MaxFixInt)
        {
            _position++;
            return code;
        }

        if (code >= MessagePackCode.MinNegativeFixInt)
        {
            // -32..-1 fits every signed target.
            _position++;
            return (sbyte)code;
        }

        if (code is < MessagePackCode.UInt8 or > MessagePackCode.Int64)
        {
            MessagePackErrors.ThrowTypeMismatch(MessagePackType.Integer, code, Consumed);
        }

        var size = 1 + (1 << (code & 3));
        Span<byte> scratch = stackalloc byte[9];
        var payload = Peek(size, scratch, code)[1..];
        long value;
        switch (code)
        {
            case MessagePackCode.UInt8: value = payload[0]; break;
            case MessagePackCode.UInt16: value = BinaryPrimitives.ReadUInt16BigEndian(payload); break;
            case MessagePackCode.UInt32: value = BinaryPrimitives.ReadUInt32BigEndian(payload); break;
            case MessagePackCode.UInt64:
                var unsigned = BinaryPrimitives.ReadUInt64BigEndian(payload);
                if (unsigned > (ulong)max)
                {
                    MessagePackErrors.ThrowOverflow(code, unsigned, target, Consumed);
                }

                value = (long)unsigned;
                break;
            case MessagePackCode.Int8: value = (sbyte)payload[0]; break;
            case MessagePackCode.Int16: value = BinaryPrimitives.ReadInt16BigEndian(payload); break;
            case MessagePackCode.Int32: value = BinaryPrimitives.ReadInt32BigEndian(payload); break;
            default: value = BinaryPrimitives.ReadInt64BigEndian(payload); break;
        }

        if (value < min || value > max)
        {
            MessagePackErrors.ThrowOverflow(code, value, target, Consumed);
        }

        Advance(size);
        return value;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private ulong ReadUnsignedSlow(ulong max, string target)
    {
        var code = PeekCode();
        if (code <= MessagePackCode.MaxFixInt)
        {
            _position++;
            return code;
        }

        if (code >= MessagePackCode.MinNegativeFixInt)
        {
            MessagePackErrors.ThrowOverflow(code, (long)(sbyte)code, target, Consumed);
        }

        if (code is < MessagePackCode.UInt8 or > MessagePackCode.Int64)
        {
            MessagePackErrors.ThrowTypeMismatch(MessagePackType.Integer, code, Consumed);
        }

        var size = 1 + (1 << (code & 3));
        Span<byte> scratch = stackalloc byte[9];
        var payload = Peek(size, scratch, code)[1..];
        ulong value;
        if (code <= MessagePackCode.UInt64)
        {
            value = code switch
            {
                MessagePackCode.UInt8 => payload[0],
                MessagePackCode.UInt16 => BinaryPrimitives.ReadUInt16BigEndian(payload),
                MessagePackCode.UInt32 => BinaryPrimitives.ReadUInt32BigEndian(payload),
                _ => BinaryPrimitives.ReadUInt64BigEndian(payload),
            };
            if (value > max)
            {
                MessagePackErrors.ThrowOverflow(code, value, target, Consumed);
            }
        }
        else
        {
            long signed = code switch
            {
                MessagePackCode.Int8 => (sbyte)payload[0],
                MessagePackCode.Int16 => BinaryPrimitives.ReadInt16BigEndian(payload),
                MessagePackCode.Int32 => BinaryPrimitives.ReadInt32BigEndian(payload),
                _ => BinaryPrimitives.ReadInt64BigEndian(payload),
            };
            if (signed < 0 || (ulong)signed > max)
            {
                MessagePackErrors.ThrowOverflow(code, signed, target, Consumed);
            }

            value = (ulong)signed;
        }

        Advance(size);
        return value;
    }
}
