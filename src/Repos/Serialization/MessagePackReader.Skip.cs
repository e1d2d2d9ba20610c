using System.Buffers;
using System.Buffers.Binary;

namespace Repos.Serialization;

public ref partial struct MessagePackReader
{
    /// <summary>Reads past the next value, whatever it is, including everything nested in it.</summary>
    /// <remarks>
    /// Iterative, not recursive: it counts the values still to skip, so any depth of nesting is safe. It
    /// checks every length and count against the input before moving, and fails as soon as the values still
    /// pending could not fit in the bytes left.
    /// </remarks>
    /// <exception cref="ReposFormatException">The value is malformed or truncated.</exception>
    public void Skip()
    {
        Span<byte> scratch = stackalloc byte[6];
        long pending = 1;
        while (pending > 0)
        {
            pending--;
            var code = PeekCode();
            long size;
            ulong count = 0;
            var isMap = false;
            switch (code)
            {
                case <= MessagePackCode.MaxFixInt:
                case >= MessagePackCode.MinNegativeFixInt:
                case MessagePackCode.Nil:
                case MessagePackCode.False:
                case MessagePackCode.True:
                    size = 1;
                    break;

                case <= MessagePackCode.MaxFixMap:
                    count = (uint)(code & 0x0f);
                    isMap = true;
                    size = 1;
                    break;

                case <= MessagePackCode.MaxFixArray:
                    count = (uint)(code & 0x0f);
                    size = 1;
                    break;

                case <= MessagePackCode.MaxFixStr:
                    size = 1 + (code & 0x1f);
                    break;

                case MessagePackCode.NeverUsed:
                    MessagePackErrors.ThrowInvalidCode(code, Consumed);
                    return;

                case MessagePackCode.Bin8 or MessagePackCode.Str8:
                    size = SizeWithLength(code, 1, 0, scratch);
                    break;

                case MessagePackCode.Bin16 or MessagePackCode.Str16:
                    size = SizeWithLength(code, 2, 0, scratch);
                    break;

                case MessagePackCode.Bin32 or MessagePackCode.Str32:
                    size = SizeWithLength(code, 4, 0, scratch);
                    break;

                case MessagePackCode.Ext8:
                    size = SizeWithLength(code, 1, 1, scratch);
                    break;

                case MessagePackCode.Ext16:
                    size = SizeWithLength(code, 2, 1, scratch);
                    break;

                case MessagePackCode.Ext32:
                    size = SizeWithLength(code, 4, 1, scratch);
                    break;

                case MessagePackCode.Float32:
                    size = 5;
                    break;

                case MessagePackCode.Float64:
                    size = 9;
                    break;

                case >= MessagePackCode.UInt8 and <= MessagePackCode.Int64:
                    size = 1 + (1 << (code & 3));
                    break;

                case >= MessagePackCode.FixExt1 and <= MessagePackCode.FixExt16:
                    size = 2 + (1 << (code - MessagePackCode.FixExt1));
                    break;

                case MessagePackCode.Array16 or MessagePackCode.Map16:
                    size = 3;
                    count = BinaryPrimitives.ReadUInt16BigEndian(Peek(3, scratch, code)[1..]);
                    isMap = code == MessagePackCode.Map16;
                    break;

                default: // Array32, Map32
                    size = 5;
                    count = BinaryPrimitives.ReadUInt32BigEndian(Peek(5, scratch, code)[1..]);
                    isMap = code == MessagePackCode.Map32;
                    break;
            }

            var left = Remaining;
            if (size > left)
            {
                MessagePackErrors.ThrowEndOfInput(code, Consumed);
            }

            if (count != 0)
            {
                left -= size;
                var values = isMap ? count * 2 : count;
                if (values > (ulong)left)
                {
                    MessagePackErrors.ThrowCountExceedsInput(code, count, left, Consumed);
                }

                // Every pending value takes at least one byte: stop early rather than walk into the end.
                pending += (long)values;
                if (pending > left)
                {
                    throw new ReposFormatException(
                        $"unexpected end of input: {pending} more values expected in {left} bytes", Consumed);
                }
            }

            Advance(size);
        }
    }

    /// <summary>Reads the next whole value (see <see cref="Skip"/>) and returns its encoded bytes.</summary>
    /// <returns>The bytes: a slice of the input, or a copy when they straddle segments.</returns>
    /// <exception cref="ReposFormatException">The value is malformed or truncated.</exception>
    public ReadOnlySpan<byte> ReadRaw()
    {
        PeekCode(); // moves past an exhausted segment, so the value starts in _span
        var startSpan = _span;
        var startPosition = _position;
        var start = Consumed;
        Skip();
        var length = Consumed - start;
        if (startSpan.Length - startPosition >= length)
        {
            return startSpan.Slice(startPosition, (int)length);
        }

        if (length > int.MaxValue)
        {
            throw new ReposFormatException($"value of {length} bytes exceeds the maximum of {int.MaxValue}", start);
        }

        return _sequence.Slice(start, length).ToArray();
    }

    /// <summary>
    /// The whole size of a str, bin or ext value from its header (the code, a length of
    /// <paramref name="lengthSize"/> bytes and <paramref name="extra"/> bytes of type code), checked against the input.
    /// </summary>
    private readonly long SizeWithLength(byte code, int lengthSize, int extra, Span<byte> scratch)
    {
        var headerSize = 1 + lengthSize + extra;
        var length = ReadBigEndian(Peek(1 + lengthSize, scratch, code).Slice(1, lengthSize));
        var left = Remaining - headerSize;
        if (left < 0)
        {
            MessagePackErrors.ThrowEndOfInput(code, Consumed);
        }

        if (length > (ulong)left)
        {
            MessagePackErrors.ThrowLengthExceedsInput(code, length, left, Consumed);
        }

        return headerSize + (long)length;
    }
}
