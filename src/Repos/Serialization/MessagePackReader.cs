using System.Buffers;
using System.Runtime.CompilerServices;

namespace Repos.Serialization;

/// <summary>
/// Reads MessagePack values from a span or from a (possibly multi-segment) <see cref="ReadOnlySequence{T}"/>.
/// </summary>
/// <remarks>
/// <para>
/// Every malformed, truncated or out-of-range input ends in a <see cref="ReposFormatException"/> that says
/// what was wrong and gives the absolute offset of the value (from the start of the input); no other
/// exception type escapes. Lengths and counts are checked against the bytes left before anything is
/// allocated, so a hostile input cannot make the reader allocate more than its own size justifies, and
/// <see cref="ReadArrayHeader"/>/<see cref="ReadMapHeader"/> counts are safe to allocate arrays for.
/// </para>
/// <para>
/// A read that fails because of the value's type, or because an integer does not fit, leaves the position
/// unchanged. After any other <see cref="ReposFormatException"/> the position is unspecified.
/// </para>
/// <para>
/// The reader is a mutable struct: pass it by <c>ref</c>. Values may straddle the segments of a sequence;
/// reading them is correct, only slower. Span-returning methods return a slice of the input, or a copy when
/// the bytes straddle segments.
/// </para>
/// </remarks>
public ref partial struct MessagePackReader
{
    private readonly ReadOnlySequence<byte> _sequence;
    private readonly long _length;
    private readonly bool _isMultiSegment;
    private ReadOnlySpan<byte> _span;
    private int _position;
    private long _segmentOffset;
    private int _objectDepth;
    private SequencePosition _nextSegment;

    /// <summary>Creates a reader over <paramref name="input"/>.</summary>
    /// <param name="input">The encoded values.</param>
    public MessagePackReader(ReadOnlySpan<byte> input)
    {
        _sequence = default;
        _length = input.Length;
        _isMultiSegment = false;
        _span = input;
        _position = 0;
        _segmentOffset = 0;
        _nextSegment = default;
    }

    /// <summary>Creates a reader over <paramref name="input"/>, which may have any number of segments.</summary>
    /// <param name="input">The encoded values.</param>
    public MessagePackReader(ReadOnlySequence<byte> input)
    {
        _sequence = input;
        _length = input.Length;
        _position = 0;
        _segmentOffset = 0;
        if (input.IsSingleSegment)
        {
            _isMultiSegment = false;
            _span = input.FirstSpan;
            _nextSegment = default;
        }
        else
        {
            _isMultiSegment = true;
            _nextSegment = input.Start;
            input.TryGet(ref _nextSegment, out var first, advance: true);
            _span = first.Span;
        }
    }

    /// <summary>The number of bytes read so far: the offset of the next value.</summary>
    public readonly long Consumed => _segmentOffset + _position;

    /// <summary>
    /// Notes that a generated reader starts on an object nested in the one it reads (the entity is the first), and
    /// refuses one nested deeper than <see cref="ReposLimits.MaxDepth"/> objects as corrupt: no writer stores one,
    /// and reading it would take stack in proportion to what the blob claims.
    /// </summary>
    /// <exception cref="ReposFormatException">The objects nest deeper than the limit.</exception>
    [System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
    public void EnterObject()
    {
        if (++_objectDepth > ReposLimits.MaxDepth)
        {
            MessagePackErrors.ThrowTooDeep(ReposLimits.MaxDepth, Consumed);
        }
    }

    /// <summary>Notes that a generated reader finished the object it entered with <see cref="EnterObject"/>.</summary>
    [System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
    public void LeaveObject() => _objectDepth--;

    /// <summary>The number of bytes left to read.</summary>
    public readonly long Remaining => _length - Consumed;

    /// <summary>Whether all the input has been read.</summary>
    public readonly bool End => Consumed >= _length;

    /// <summary>Whether all the input has been read (the same as <see cref="End"/>).</summary>
    public readonly bool IsEnd => End;

    /// <summary>The format byte of the next value, without reading it.</summary>
    /// <exception cref="ReposFormatException">The input has ended.</exception>
    public byte NextCode
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => PeekCode();
    }

    /// <summary>The type of the next value, without reading it.</summary>
    /// <exception cref="ReposFormatException">The input has ended.</exception>
    public MessagePackType NextMessagePackType => MessagePackCode.ToMessagePackType(PeekCode());

    /// <summary>Whether the next value is nil (without reading it).</summary>
    /// <exception cref="ReposFormatException">The input has ended.</exception>
    public bool IsNil => PeekCode() == MessagePackCode.Nil;

    /// <summary>Reads nil if it is the next value.</summary>
    /// <returns>True if nil was read; false (reading nothing) if the next value is something else.</returns>
    /// <exception cref="ReposFormatException">The input has ended.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryReadNil()
    {
        if (PeekCode() == MessagePackCode.Nil)
        {
            _position++;
            return true;
        }

        return false;
    }

    /// <summary>Reads nil.</summary>
    /// <exception cref="ReposFormatException">The next value is not nil, or the input has ended.</exception>
    public void ReadNil()
    {
        var code = PeekCode();
        if (code != MessagePackCode.Nil)
        {
            MessagePackErrors.ThrowTypeMismatch(MessagePackType.Nil, code, Consumed);
        }

        _position++;
    }

    /// <summary>Reads true or false.</summary>
    /// <returns>The value.</returns>
    /// <exception cref="ReposFormatException">The next value is not a boolean, or the input has ended.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool ReadBoolean()
    {
        var code = PeekCode();
        if ((code & 0xfe) != MessagePackCode.False)
        {
            MessagePackErrors.ThrowTypeMismatch(MessagePackType.Boolean, code, Consumed);
        }

        _position++;
        return code == MessagePackCode.True;
    }

    /// <summary>The next byte, not consumed; moves to the next non-empty segment if the current one is used up.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private byte PeekCode()
    {
        var position = _position;
        var span = _span;
        if ((uint)position < (uint)span.Length)
        {
            return span[position];
        }

        return PeekCodeSlow();
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private byte PeekCodeSlow()
    {
        while (_position >= _span.Length)
        {
            if (!NextSegment())
            {
                MessagePackErrors.ThrowEndOfInput("a value", Consumed);
            }
        }

        return _span[_position];
    }

    /// <summary>Moves to the following segment; false at the end of the input.</summary>
    private bool NextSegment()
    {
        if (!_isMultiSegment)
        {
            return false;
        }

        while (_sequence.TryGet(ref _nextSegment, out var memory, advance: true))
        {
            _segmentOffset += _span.Length;
            _span = memory.Span;
            _position = 0;
            if (!_span.IsEmpty)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The next <paramref name="count"/> bytes, not consumed: a slice of the current segment, or a copy in
    /// <paramref name="scratch"/> when they straddle segments. Throws if fewer are left.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private readonly ReadOnlySpan<byte> Peek(int count, Span<byte> scratch, byte code)
    {
        if (_span.Length - _position >= count)
        {
            return _span.Slice(_position, count);
        }

        return PeekSlow(count, scratch, code);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private readonly ReadOnlySpan<byte> PeekSlow(int count, Span<byte> scratch, byte code)
    {
        if (Remaining < count)
        {
            MessagePackErrors.ThrowEndOfInput(code, Consumed);
        }

        CopyAhead(scratch[..count]);
        return scratch[..count];
    }

    /// <summary>Copies the next bytes into <paramref name="destination"/> (which the remaining input covers), without consuming them.</summary>
    private readonly void CopyAhead(Span<byte> destination)
    {
        var first = _span[_position..];
        if (first.Length >= destination.Length)
        {
            first[..destination.Length].CopyTo(destination);
            return;
        }

        first.CopyTo(destination);
        var copied = first.Length;
        var next = _nextSegment;
        while (copied < destination.Length && _sequence.TryGet(ref next, out var memory, advance: true))
        {
            var part = memory.Span;
            var take = Math.Min(part.Length, destination.Length - copied);
            part[..take].CopyTo(destination[copied..]);
            copied += take;
        }
    }

    /// <summary>Consumes <paramref name="count"/> bytes, which the caller has checked are there.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Advance(long count)
    {
        if (_span.Length - _position >= count)
        {
            _position += (int)count;
        }
        else
        {
            AdvanceSlow(count);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void AdvanceSlow(long count)
    {
        while (true)
        {
            var inSegment = _span.Length - _position;
            if (count <= inSegment)
            {
                _position += (int)count;
                return;
            }

            count -= inSegment;
            _position = _span.Length;
            if (!NextSegment())
            {
                MessagePackErrors.ThrowEndOfInput("a value", Consumed);
            }
        }
    }

    /// <summary>
    /// Consumes the next <paramref name="length"/> bytes (checked to be there) and returns them: a slice of
    /// the input, or a new array when they straddle segments.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ReadOnlySpan<byte> Take(int length)
    {
        var position = _position;
        if (_span.Length - position >= length)
        {
            _position = position + length;
            return _span.Slice(position, length);
        }

        return TakeSlow(length);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private ReadOnlySpan<byte> TakeSlow(int length)
    {
        var copy = new byte[length];
        CopyAhead(copy);
        Advance(length);
        return copy;
    }

    /// <summary>Consumes the next bytes (checked to be there) into <paramref name="destination"/>.</summary>
    private void TakeInto(Span<byte> destination)
    {
        CopyAhead(destination);
        Advance(destination.Length);
    }
}
