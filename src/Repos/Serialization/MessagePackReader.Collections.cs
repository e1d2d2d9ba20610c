using System.Runtime.CompilerServices;

namespace Repos.Serialization;

public ref partial struct MessagePackReader
{
    /// <summary>Reads the header of an array (fixarray or array 16/32); its elements are read next.</summary>
    /// <returns>
    /// The number of elements. It is checked against the input (every element takes at least one byte), so
    /// allocating an array of this size is safe.
    /// </returns>
    /// <exception cref="ReposFormatException">The next value is not an array, is truncated, or claims more elements than the input holds.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int ReadArrayHeader()
    {
        var position = _position;
        var span = _span;
        if ((uint)position < (uint)span.Length)
        {
            var count = span[position] - MessagePackCode.MinFixArray;
            if ((uint)count <= 15u && span.Length - position - 1 >= count)
            {
                _position = position + 1;
                return count;
            }
        }

        return ReadCollectionHeaderSlow(MessagePackType.Array);
    }

    /// <summary>Reads the header of a map (fixmap or map 16/32); its keys and values are read next, alternately.</summary>
    /// <returns>
    /// The number of entries. It is checked against the input (every key and value takes at least one byte), so
    /// allocating a collection of this size is safe.
    /// </returns>
    /// <exception cref="ReposFormatException">The next value is not a map, is truncated, or claims more entries than the input holds.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int ReadMapHeader()
    {
        var position = _position;
        var span = _span;
        if ((uint)position < (uint)span.Length)
        {
            var count = span[position] - MessagePackCode.MinFixMap;
            if ((uint)count <= 15u && span.Length - position - 1 >= count * 2)
            {
                _position = position + 1;
                return count;
            }
        }

        return ReadCollectionHeaderSlow(MessagePackType.Map);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private int ReadCollectionHeaderSlow(MessagePackType expected)
    {
        var code = PeekCode();
        var (fixBase, code16) = expected == MessagePackType.Array
            ? (MessagePackCode.MinFixArray, MessagePackCode.Array16)
            : (MessagePackCode.MinFixMap, MessagePackCode.Map16);
        ulong count;
        int headerSize;
        if (code >= fixBase && code <= fixBase + 15)
        {
            count = (uint)(code - fixBase);
            headerSize = 1;
        }
        else if (code == code16 || code == code16 + 1)
        {
            headerSize = code == code16 ? 3 : 5;
            Span<byte> scratch = stackalloc byte[5];
            count = ReadBigEndian(Peek(headerSize, scratch, code)[1..]);
        }
        else
        {
            MessagePackErrors.ThrowTypeMismatch(expected, code, Consumed);
            return 0;
        }

        var left = Remaining - headerSize;
        var needed = expected == MessagePackType.Map ? count * 2 : count;
        if (needed > (ulong)left)
        {
            MessagePackErrors.ThrowCountExceedsInput(code, count, left, Consumed);
        }

        if (count > int.MaxValue)
        {
            MessagePackErrors.ThrowTooLong(code, count, Consumed);
        }

        Advance(headerSize);
        return (int)count;
    }
}
