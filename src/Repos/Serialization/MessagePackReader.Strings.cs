using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Unicode;

namespace Repos.Serialization;

public ref partial struct MessagePackReader
{
    /// <summary>Reads a string (fixstr or str 8/16/32), or nil as null.</summary>
    /// <returns>The string, or null for nil.</returns>
    /// <exception cref="ReposFormatException">The next value is not a string or nil, is truncated, or is not valid UTF-8.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public string? ReadString()
    {
        var position = _position;
        var span = _span;
        if ((uint)position < (uint)span.Length)
        {
            var code = span[position];
            var length = code - MessagePackCode.MinFixStr;
            if ((uint)length <= 31u && span.Length - position - 1 >= length)
            {
                var value = DecodeUtf8(span.Slice(position + 1, length), _segmentOffset + position);
                _position = position + 1 + length;
                return value;
            }

            if (code == MessagePackCode.Str8 && span.Length - position >= 2)
            {
                length = span[position + 1];
                if (span.Length - position - 2 >= length)
                {
                    var value = DecodeUtf8(span.Slice(position + 2, length), _segmentOffset + position);
                    _position = position + 2 + length;
                    return value;
                }
            }
        }

        return ReadStringSlow();
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private string? ReadStringSlow()
    {
        if (TryReadNil())
        {
            return null;
        }

        var start = Consumed;
        var length = ReadLengthHeader(MessagePackType.String);
        if (_span.Length - _position >= length)
        {
            var value = DecodeUtf8(_span.Slice(_position, length), start);
            _position += length;
            return value;
        }

        // The bytes straddle segments: decode from a pooled copy.
        var rented = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            var bytes = rented.AsSpan(0, length);
            TakeInto(bytes);
            return DecodeUtf8(bytes, start);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>Reads a string's raw UTF-8 bytes (not validated).</summary>
    /// <returns>The bytes: a slice of the input, or a copy if they straddle segments.</returns>
    /// <exception cref="ReposFormatException">The next value is not a string (nil is not), or is truncated.</exception>
    public ReadOnlySpan<byte> ReadStringSpan() => Take(ReadLengthHeader(MessagePackType.String));

    /// <summary>Reads a string's raw UTF-8 bytes (not validated), or nil.</summary>
    /// <param name="utf8">The bytes: a slice of the input, or a copy if they straddle segments; empty for nil.</param>
    /// <returns>True for a string; false when the next value was nil (which is read).</returns>
    /// <exception cref="ReposFormatException">The next value is neither a string nor nil, or is truncated.</exception>
    public bool TryReadStringSpan(out ReadOnlySpan<byte> utf8)
    {
        if (TryReadNil())
        {
            utf8 = default;
            return false;
        }

        utf8 = ReadStringSpan();
        return true;
    }

    /// <summary>Reads the header of a string and returns its length in bytes; the bytes are read next (for example by <see cref="Skip"/>).</summary>
    /// <returns>The number of UTF-8 bytes, checked to be in the input.</returns>
    /// <exception cref="ReposFormatException">The next value is not a string, or is truncated.</exception>
    public int ReadStringHeader() => ReadLengthHeader(MessagePackType.String);

    /// <summary>Reads a bin 8/16/32 into a new array, or nil as null.</summary>
    /// <returns>The bytes, or null for nil.</returns>
    /// <exception cref="ReposFormatException">The next value is not binary or nil, or is truncated.</exception>
    public byte[]? ReadBytes()
    {
        if (TryReadNil())
        {
            return null;
        }

        var length = ReadLengthHeader(MessagePackType.Binary);
        if (length == 0)
        {
            return [];
        }

        var bytes = new byte[length];
        TakeInto(bytes);
        return bytes;
    }

    /// <summary>Reads a bin 8/16/32 without copying it.</summary>
    /// <returns>The bytes: a slice of the input, or a copy if they straddle segments.</returns>
    /// <exception cref="ReposFormatException">The next value is not binary (nil is not), or is truncated.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ReadOnlySpan<byte> ReadBinarySpan()
    {
        var position = _position;
        var span = _span;
        if (span.Length - position >= 2 && span[position] == MessagePackCode.Bin8)
        {
            var length = span[position + 1];
            if (span.Length - position - 2 >= length)
            {
                _position = position + 2 + length;
                return span.Slice(position + 2, length);
            }
        }

        return Take(ReadLengthHeader(MessagePackType.Binary));
    }

    /// <summary>Reads the header of a bin value and returns its length; the bytes are read next.</summary>
    /// <returns>The number of bytes, checked to be in the input.</returns>
    /// <exception cref="ReposFormatException">The next value is not binary, or is truncated.</exception>
    public int ReadBinHeader() => ReadLengthHeader(MessagePackType.Binary);

    /// <summary>
    /// Reads the header of a string or bin value; returns its length after checking the input holds that
    /// many more bytes.
    /// </summary>
    private int ReadLengthHeader(MessagePackType expected)
    {
        var code = PeekCode();
        ulong length;
        int headerSize;
        if (expected == MessagePackType.String && code is >= MessagePackCode.MinFixStr and <= MessagePackCode.MaxFixStr)
        {
            length = (uint)(code & 0x1f);
            headerSize = 1;
        }
        else
        {
            var lengthSize = (expected, code) switch
            {
                (MessagePackType.String, MessagePackCode.Str8) or (MessagePackType.Binary, MessagePackCode.Bin8) => 1,
                (MessagePackType.String, MessagePackCode.Str16) or (MessagePackType.Binary, MessagePackCode.Bin16) => 2,
                (MessagePackType.String, MessagePackCode.Str32) or (MessagePackType.Binary, MessagePackCode.Bin32) => 4,
                _ => 0,
            };
            if (lengthSize == 0)
            {
                MessagePackErrors.ThrowTypeMismatch(expected, code, Consumed);
            }

            headerSize = 1 + lengthSize;
            Span<byte> scratch = stackalloc byte[5];
            length = ReadBigEndian(Peek(headerSize, scratch, code)[1..]);
        }

        var left = Remaining - headerSize;
        if (length > (ulong)left)
        {
            MessagePackErrors.ThrowLengthExceedsInput(code, length, left, Consumed);
        }

        if (length > int.MaxValue)
        {
            MessagePackErrors.ThrowTooLong(code, length, Consumed);
        }

        Advance(headerSize);
        return (int)length;
    }

    /// <summary>An unsigned big-endian number of 1, 2, 4 or 8 bytes.</summary>
    private static ulong ReadBigEndian(ReadOnlySpan<byte> bytes) => bytes.Length switch
    {
        1 => bytes[0],
        2 => BinaryPrimitives.ReadUInt16BigEndian(bytes),
        4 => BinaryPrimitives.ReadUInt32BigEndian(bytes),
        _ => BinaryPrimitives.ReadUInt64BigEndian(bytes),
    };

    private static string DecodeUtf8(ReadOnlySpan<byte> bytes, long offset)
    {
        if (bytes.IsEmpty)
        {
            return string.Empty;
        }

        // Encoding.UTF8 would silently replace bad bytes with U+FFFD; stored data must round-trip exactly. The
        // strict encoding finds bad bytes in the same pass that counts the characters.
        try
        {
            return s_strictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            MessagePackErrors.ThrowInvalidUtf8(offset);
            return null!;
        }
    }

    private static readonly UTF8Encoding s_strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
}
