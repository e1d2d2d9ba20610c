using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

namespace Repos.Serialization;

/// <summary>
/// Writes MessagePack values into an <see cref="IBufferWriter{T}"/>, always in the shortest encoding
/// the specification allows (the one its reference implementations produce).
/// </summary>
/// <remarks>
/// <para>
/// The writer caches the span it got from the buffer writer and commits what it wrote only in
/// <see cref="Flush"/>: call <see cref="Flush"/> before using the output. Flushing twice is harmless.
/// </para>
/// <para>
/// The writer is a mutable struct: pass it by <c>ref</c>. It never allocates on the heap, except what
/// the buffer writer allocates to grow.
/// </para>
/// </remarks>
public ref struct MessagePackWriter
{
    private readonly IBufferWriter<byte> _output;
    private Span<byte> _span;
    private int _buffered;
    private int _objectDepth;

    /// <summary>Creates a writer that appends to <paramref name="output"/>.</summary>
    /// <param name="output">The destination. The writer calls <see cref="IBufferWriter{T}.Advance"/> on it in <see cref="Flush"/>.</param>
    public MessagePackWriter(IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        _output = output;
        _span = default;
        _buffered = 0;
        _objectDepth = 0;
    }

    /// <summary>
    /// Notes that a generated serializer starts writing an object, and refuses one nested deeper than
    /// <see cref="ReposLimits.MaxDepth"/> objects: its row could not be read back, and writing it would take stack
    /// in proportion to the graph. Validation refuses such graphs first; this holds for every other path.
    /// </summary>
    /// <exception cref="InvalidOperationException">The objects nest deeper than the limit.</exception>
    [System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
    public void EnterObject()
    {
        if (++_objectDepth > ReposLimits.MaxDepth)
        {
            ThrowTooDeep();
        }
    }

    /// <summary>Notes that a generated serializer finished the object it entered with <see cref="EnterObject"/>.</summary>
    [System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
    public void LeaveObject() => _objectDepth--;

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    private static void ThrowTooDeep() => throw new ObjectNestingException();

    /// <summary>
    /// Commits everything written so far to the buffer writer. Call it before using the output; calling
    /// it again (with nothing written in between) does nothing.
    /// </summary>
    public void Flush()
    {
        if (_buffered > 0)
        {
            _output.Advance(_buffered);
            _buffered = 0;
        }

        // The buffer writer's span is invalid after Advance; the next write asks for a new one.
        _span = default;
    }

    /// <summary>Writes nil.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteNil() => WriteByte(MessagePackCode.Nil);

    /// <summary>Writes true or false.</summary>
    /// <param name="value">The value.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Write(bool value) => WriteByte(value ? MessagePackCode.True : MessagePackCode.False);

    /// <summary>Writes an integer in its shortest encoding.</summary>
    /// <param name="value">The value.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Write(sbyte value) => Write((int)value);

    /// <summary>Writes an integer in its shortest encoding.</summary>
    /// <param name="value">The value.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Write(byte value) => Write((uint)value);

    /// <summary>Writes an integer in its shortest encoding.</summary>
    /// <param name="value">The value.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Write(short value) => Write((int)value);

    /// <summary>Writes an integer in its shortest encoding.</summary>
    /// <param name="value">The value.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Write(ushort value) => Write((uint)value);

    /// <summary>Writes an integer in its shortest encoding.</summary>
    /// <param name="value">The value.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Write(int value)
    {
        if ((uint)value <= MessagePackCode.MaxFixInt)
        {
            WriteByte((byte)value);
        }
        else
        {
            WriteInt32Slow(value);
        }
    }

    /// <summary>Writes an integer in its shortest encoding.</summary>
    /// <param name="value">The value.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Write(uint value)
    {
        if (value <= MessagePackCode.MaxFixInt)
        {
            WriteByte((byte)value);
        }
        else
        {
            WriteUInt64Slow(value);
        }
    }

    /// <summary>Writes an integer in its shortest encoding.</summary>
    /// <param name="value">The value.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Write(long value)
    {
        if ((ulong)value <= MessagePackCode.MaxFixInt)
        {
            WriteByte((byte)value);
        }
        else if (value >= 0)
        {
            WriteUInt64Slow((ulong)value);
        }
        else
        {
            WriteNegativeSlow(value);
        }
    }

    /// <summary>Writes an integer in its shortest encoding.</summary>
    /// <param name="value">The value.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Write(ulong value)
    {
        if (value <= MessagePackCode.MaxFixInt)
        {
            WriteByte((byte)value);
        }
        else
        {
            WriteUInt64Slow(value);
        }
    }

    /// <summary>Writes a float 32.</summary>
    /// <param name="value">The value; NaN payloads, infinities and -0.0 are kept bit for bit.</param>
    public void Write(float value)
    {
        var span = GetSpan(5);
        span[0] = MessagePackCode.Float32;
        WriteBigEndian(span, 1, BitConverter.SingleToUInt32Bits(value));
        _buffered += 5;
    }

    /// <summary>Writes a float 64.</summary>
    /// <param name="value">The value; NaN payloads, infinities and -0.0 are kept bit for bit.</param>
    public void Write(double value)
    {
        var span = GetSpan(9);
        span[0] = MessagePackCode.Float64;
        WriteBigEndian(span, 1, BitConverter.DoubleToUInt64Bits(value));
        _buffered += 9;
    }

    /// <summary>Writes a string as UTF-8 (fixstr or str 8/16/32), or nil when it is null.</summary>
    /// <param name="value">The string.</param>
    /// <remarks>
    /// A lone (unpaired) surrogate cannot be encoded in UTF-8; it is written as U+FFFD, the replacement
    /// character (bytes EF BF BD), as <see cref="Encoding.UTF8"/> does.
    /// </remarks>
    public void Write(string? value)
    {
        if (value is null)
        {
            WriteNil();
        }
        else
        {
            Write(value.AsSpan());
        }
    }

    /// <summary>Writes characters as a UTF-8 string (fixstr or str 8/16/32).</summary>
    /// <param name="value">The characters; lone surrogates are written as U+FFFD.</param>
    public void Write(scoped ReadOnlySpan<char> value)
    {
        if (value.Length <= MaxFixStrChars)
        {
            // Up to 10 chars make at most 30 bytes: a fixstr whatever they are. Encode, then fill in the header.
            var span = GetSpan(1 + value.Length * 3);
            var written = Encoding.UTF8.GetBytes(value, span[1..]);
            span[0] = (byte)(MessagePackCode.MinFixStr | written);
            _buffered += 1 + written;
        }
        else if (value.Length <= MaxSinglePassChars)
        {
            // Encode once, after room for a str16 header (the largest these chars can need), then
            // move the bytes back when the real length takes a shorter header.
            var span = GetSpan(3 + value.Length * 3);
            var written = Encoding.UTF8.GetBytes(value, span[3..]);
            int headerSize;
            if (written <= 31)
            {
                headerSize = 1;
                span[0] = (byte)(MessagePackCode.MinFixStr | written);
            }
            else if (written <= byte.MaxValue)
            {
                headerSize = 2;
                span[0] = MessagePackCode.Str8;
                span[1] = (byte)written;
            }
            else
            {
                headerSize = 3;
                span[0] = MessagePackCode.Str16;
                BinaryPrimitives.WriteUInt16BigEndian(span[1..], (ushort)written);
            }

            if (headerSize != 3)
            {
                span.Slice(3, written).CopyTo(span[headerSize..]);
            }

            _buffered += headerSize + written;
        }
        else
        {
            // Long strings: count first (vectorised) so the buffer request is exact, not 3 bytes per char.
            var byteCount = Encoding.UTF8.GetByteCount(value);
            WriteStringHeader(byteCount);
            var destination = GetSpan(byteCount);
            _buffered += Encoding.UTF8.GetBytes(value, destination);
        }
    }

    /// <summary>Writes already-encoded UTF-8 bytes as a string (fixstr or str 8/16/32).</summary>
    /// <param name="utf8">The UTF-8 bytes; they are not validated.</param>
    public void WriteString(scoped ReadOnlySpan<byte> utf8)
    {
        WriteStringHeader(utf8.Length);
        WriteRaw(utf8);
    }

    /// <summary>Writes bytes as a bin 8/16/32.</summary>
    /// <param name="value">The bytes.</param>
    public void Write(scoped ReadOnlySpan<byte> value)
    {
        WriteBinHeader(value.Length);
        WriteRaw(value);
    }

    /// <summary>Writes bytes as a bin 8/16/32, or nil when the array is null.</summary>
    /// <param name="value">The bytes.</param>
    public void Write(byte[]? value)
    {
        if (value is null)
        {
            WriteNil();
        }
        else
        {
            Write(value.AsSpan());
        }
    }

    /// <summary>Writes the header of a bin value; the caller writes exactly <paramref name="length"/> bytes next (<see cref="WriteRaw"/>).</summary>
    /// <param name="length">The number of bytes.</param>
    public void WriteBinHeader(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        if (length <= byte.MaxValue)
        {
            var span = GetSpan(2);
            span[0] = MessagePackCode.Bin8;
            span[1] = (byte)length;
            _buffered += 2;
        }
        else if (length <= ushort.MaxValue)
        {
            WriteCodeAndUInt16(MessagePackCode.Bin16, (ushort)length);
        }
        else
        {
            WriteCodeAndUInt32(MessagePackCode.Bin32, (uint)length);
        }
    }

    /// <summary>Writes the header of a string; the caller writes exactly <paramref name="byteCount"/> UTF-8 bytes next (<see cref="WriteRaw"/>).</summary>
    /// <param name="byteCount">The number of UTF-8 bytes.</param>
    public void WriteStringHeader(int byteCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(byteCount);
        if (byteCount <= 31)
        {
            WriteByte((byte)(MessagePackCode.MinFixStr | byteCount));
        }
        else if (byteCount <= byte.MaxValue)
        {
            var span = GetSpan(2);
            span[0] = MessagePackCode.Str8;
            span[1] = (byte)byteCount;
            _buffered += 2;
        }
        else if (byteCount <= ushort.MaxValue)
        {
            WriteCodeAndUInt16(MessagePackCode.Str16, (ushort)byteCount);
        }
        else
        {
            WriteCodeAndUInt32(MessagePackCode.Str32, (uint)byteCount);
        }
    }

    /// <summary>Writes the header of an array; the caller writes exactly <paramref name="count"/> values next.</summary>
    /// <param name="count">The number of elements.</param>
    public void WriteArrayHeader(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        WriteArrayHeader((uint)count);
    }

    /// <summary>Writes the header of an array; the caller writes exactly <paramref name="count"/> values next.</summary>
    /// <param name="count">The number of elements.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteArrayHeader(uint count)
    {
        if (count <= 15)
        {
            WriteByte((byte)(MessagePackCode.MinFixArray | count));
        }
        else
        {
            WriteCollectionHeaderSlow(MessagePackCode.Array16, count);
        }
    }

    /// <summary>Writes the header of a map; the caller writes exactly <paramref name="count"/> key/value pairs next.</summary>
    /// <param name="count">The number of entries.</param>
    public void WriteMapHeader(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        WriteMapHeader((uint)count);
    }

    /// <summary>Writes the header of a map; the caller writes exactly <paramref name="count"/> key/value pairs next.</summary>
    /// <param name="count">The number of entries.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteMapHeader(uint count)
    {
        if (count <= 15)
        {
            WriteByte((byte)(MessagePackCode.MinFixMap | count));
        }
        else
        {
            WriteCollectionHeaderSlow(MessagePackCode.Map16, count);
        }
    }

    /// <summary>
    /// Writes the header of an extension value (fixext 1/2/4/8/16 when the length is one of those, else
    /// ext 8/16/32); the caller writes exactly <see cref="ExtensionHeader.Length"/> bytes next.
    /// </summary>
    /// <param name="header">The type code and data length.</param>
    public void WriteExtensionFormatHeader(ExtensionHeader header)
    {
        var length = header.Length;
        var span = GetSpan(6);
        var fixCode = length switch
        {
            1 => MessagePackCode.FixExt1,
            2 => MessagePackCode.FixExt2,
            4 => MessagePackCode.FixExt4,
            8 => MessagePackCode.FixExt8,
            16 => MessagePackCode.FixExt16,
            _ => (byte)0,
        };
        if (fixCode != 0)
        {
            span[0] = fixCode;
            span[1] = (byte)header.TypeCode;
            _buffered += 2;
        }
        else if (length <= byte.MaxValue)
        {
            span[0] = MessagePackCode.Ext8;
            span[1] = (byte)length;
            span[2] = (byte)header.TypeCode;
            _buffered += 3;
        }
        else if (length <= ushort.MaxValue)
        {
            span[0] = MessagePackCode.Ext16;
            BinaryPrimitives.WriteUInt16BigEndian(span[1..], (ushort)length);
            span[3] = (byte)header.TypeCode;
            _buffered += 4;
        }
        else
        {
            span[0] = MessagePackCode.Ext32;
            BinaryPrimitives.WriteUInt32BigEndian(span[1..], length);
            span[5] = (byte)header.TypeCode;
            _buffered += 6;
        }
    }

    /// <summary>Writes a whole extension value: its header (<see cref="WriteExtensionFormatHeader"/>) and data.</summary>
    /// <param name="typeCode">The extension type code.</param>
    /// <param name="data">The data bytes.</param>
    public void WriteExtensionFormat(sbyte typeCode, scoped ReadOnlySpan<byte> data)
    {
        WriteExtensionFormatHeader(new ExtensionHeader(typeCode, (uint)data.Length));
        WriteRaw(data);
    }

    /// <summary>
    /// Writes a time as the timestamp extension (type -1) in the smallest of its three sizes: 32-bit when
    /// it has no fraction of a second and 0 &lt;= seconds &lt; 2^32, 64-bit when 0 &lt;= seconds &lt; 2^34,
    /// else 96-bit.
    /// </summary>
    /// <param name="value">
    /// The time. A <see cref="DateTimeKind.Local"/> value is converted to UTC; an
    /// <see cref="DateTimeKind.Unspecified"/> one is taken to be UTC already (it is written unchanged).
    /// </param>
    public void Write(DateTime value) => WriteTimestamp(MessagePackTimestamp.FromDateTime(value));

    /// <summary>Writes a timestamp extension (type -1) in the smallest of its three sizes (see <see cref="Write(DateTime)"/>).</summary>
    /// <param name="value">The timestamp; its nanoseconds must be below 1e9.</param>
    public void WriteTimestamp(MessagePackTimestamp value)
    {
        if (value.Nanoseconds >= MessagePackTimestamp.NanosecondsPerSecond)
        {
            throw new ArgumentOutOfRangeException(nameof(value), "timestamp nanoseconds must be below 1,000,000,000");
        }

        var seconds = value.Seconds;
        if ((ulong)seconds >> 34 == 0)
        {
            var data64 = ((ulong)value.Nanoseconds << 34) | (ulong)seconds;
            if ((data64 & 0xffffffff_00000000UL) == 0)
            {
                var span = GetSpan(6);
                span[0] = MessagePackCode.FixExt4;
                span[1] = unchecked((byte)MessagePackCode.TimestampExtensionType);
                WriteBigEndian(span, 2, (uint)data64);
                _buffered += 6;
            }
            else
            {
                var span = GetSpan(10);
                span[0] = MessagePackCode.FixExt8;
                span[1] = unchecked((byte)MessagePackCode.TimestampExtensionType);
                WriteBigEndian(span, 2, data64);
                _buffered += 10;
            }
        }
        else
        {
            var span = GetSpan(15);
            span[0] = MessagePackCode.Ext8;
            span[1] = 12;
            span[2] = unchecked((byte)MessagePackCode.TimestampExtensionType);
            WriteBigEndian(span, 3, value.Nanoseconds);
            WriteBigEndian(span, 7, (ulong)seconds);
            _buffered += 15;
        }
    }

    /// <summary>Copies bytes to the output unchanged: an already-encoded value, or the body after a header.</summary>
    /// <param name="bytes">The bytes.</param>
    public void WriteRaw(scoped ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length <= _span.Length - _buffered)
        {
            bytes.CopyTo(_span[_buffered..]);
            _buffered += bytes.Length;
        }
        else
        {
            var span = GetSpan(bytes.Length);
            bytes.CopyTo(span);
            _buffered += bytes.Length;
        }
    }

    private const int MaxFixStrChars = 10;

    /// <summary>
    /// Strings up to this many chars are encoded in one pass: their UTF-8 (at most 3 bytes a char) always
    /// fits a str16, and reserving 3 bytes a char keeps the buffer request small.
    /// </summary>
    private const int MaxSinglePassChars = 1024;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void WriteByte(byte value)
    {
        var buffered = _buffered;
        var span = _span;
        if ((uint)buffered < (uint)span.Length)
        {
            span[buffered] = value;
            _buffered = buffered + 1;
        }
        else
        {
            WriteByteSlow(value);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void WriteByteSlow(byte value)
    {
        GetSpan(1)[0] = value;
        _buffered++;
    }

    /// <summary>A span of at least <paramref name="size"/> bytes at the write position.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Span<byte> GetSpan(int size)
    {
        var available = _span.Length - _buffered;
        if (available >= size)
        {
            return MemoryMarshal.CreateSpan(ref Unsafe.Add(ref MemoryMarshal.GetReference(_span), (nint)(uint)_buffered), available);
        }

        return GetSpanSlow(size);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private Span<byte> GetSpanSlow(int size)
    {
        Flush();
        _span = _output.GetSpan(Math.Max(size, MinimumBufferRequest));
        if (_span.Length < size)
        {
            throw new InvalidOperationException($"the buffer writer returned {_span.Length} bytes where {size} were requested");
        }

        return _span;
    }

    private const int MinimumBufferRequest = 256;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void WriteBigEndian(Span<byte> span, int offset, uint value)
    {
        // Callers got the span from GetSpan with room for the value; skip the slice's bounds check.
        Debug.Assert(span.Length >= offset + sizeof(uint));
        Unsafe.WriteUnaligned(
            ref Unsafe.Add(ref MemoryMarshal.GetReference(span), offset),
            BitConverter.IsLittleEndian ? BinaryPrimitives.ReverseEndianness(value) : value);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void WriteBigEndian(Span<byte> span, int offset, ulong value)
    {
        Debug.Assert(span.Length >= offset + sizeof(ulong));
        Unsafe.WriteUnaligned(
            ref Unsafe.Add(ref MemoryMarshal.GetReference(span), offset),
            BitConverter.IsLittleEndian ? BinaryPrimitives.ReverseEndianness(value) : value);
    }

    private void WriteCodeAndUInt16(byte code, ushort value)
    {
        var span = GetSpan(3);
        span[0] = code;
        BinaryPrimitives.WriteUInt16BigEndian(span[1..], value);
        _buffered += 3;
    }

    private void WriteCodeAndUInt32(byte code, uint value)
    {
        var span = GetSpan(5);
        span[0] = code;
        WriteBigEndian(span, 1, value);
        _buffered += 5;
    }

    private void WriteCollectionHeaderSlow(byte code16, uint count)
    {
        if (count <= ushort.MaxValue)
        {
            WriteCodeAndUInt16(code16, (ushort)count);
        }
        else
        {
            WriteCodeAndUInt32((byte)(code16 + 1), count);
        }
    }

    private void WriteInt32Slow(int value)
    {
        if (value >= 0)
        {
            WriteUInt64Slow((uint)value);
        }
        else
        {
            WriteNegativeSlow(value);
        }
    }

    /// <summary>A value above 127, in the smallest of uint 8/16/32/64.</summary>
    private void WriteUInt64Slow(ulong value)
    {
        if (value <= byte.MaxValue)
        {
            var span = GetSpan(2);
            span[0] = MessagePackCode.UInt8;
            span[1] = (byte)value;
            _buffered += 2;
        }
        else if (value <= ushort.MaxValue)
        {
            WriteCodeAndUInt16(MessagePackCode.UInt16, (ushort)value);
        }
        else if (value <= uint.MaxValue)
        {
            WriteCodeAndUInt32(MessagePackCode.UInt32, (uint)value);
        }
        else
        {
            var span = GetSpan(9);
            span[0] = MessagePackCode.UInt64;
            WriteBigEndian(span, 1, value);
            _buffered += 9;
        }
    }

    /// <summary>A negative value, in the smallest of negative fixint and int 8/16/32/64.</summary>
    private void WriteNegativeSlow(long value)
    {
        if (value >= -32)
        {
            WriteByte(unchecked((byte)value));
        }
        else if (value >= sbyte.MinValue)
        {
            var span = GetSpan(2);
            span[0] = MessagePackCode.Int8;
            span[1] = unchecked((byte)value);
            _buffered += 2;
        }
        else if (value >= short.MinValue)
        {
            WriteCodeAndUInt16(MessagePackCode.Int16, unchecked((ushort)value));
        }
        else if (value >= int.MinValue)
        {
            WriteCodeAndUInt32(MessagePackCode.Int32, unchecked((uint)value));
        }
        else
        {
            var span = GetSpan(9);
            span[0] = MessagePackCode.Int64;
            WriteBigEndian(span, 1, unchecked((ulong)value));
            _buffered += 9;
        }
    }
}
