using System.Diagnostics.CodeAnalysis;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Repos.Serialization;

public static partial class Lz4
{
    // The reference keeps one 16 KB table (LZ4_MEMORY_USAGE = 14) and views it as 8192 16-bit positions for
    // inputs below 64 KB + 11 bytes, or as 4096 32-bit positions above. Matching its table sizes, hash
    // functions and switch-over point is what makes the output byte-identical to liblz4.
    private const int HashTableBytes = 1 << 14;
    private const int SmallInputLimit = (64 * 1024) + (MatchFindLimit - 1); // LZ4_64Klimit
    private const int SkipTrigger = 6; // after 2^6 failed probes, start skipping ahead faster

    /// <summary>
    /// Compresses <paramref name="source"/> into <paramref name="destination"/> as one LZ4 block.
    /// </summary>
    /// <param name="source">The bytes to compress, at most <see cref="MaxInputLength"/>.</param>
    /// <param name="destination">
    /// Where the block is written; <see cref="MaxCompressedLength"/> bytes are always enough.
    /// </param>
    /// <returns>The number of bytes written to <paramref name="destination"/>.</returns>
    /// <exception cref="ArgumentException">The block does not fit in <paramref name="destination"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="source"/> is longer than <see cref="MaxInputLength"/>.</exception>
    public static int Compress(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        if (!TryCompress(source, destination, out int bytesWritten))
        {
            ThrowDestinationTooSmall(source.Length, destination.Length);
        }

        return bytesWritten;
    }

    /// <summary>
    /// Compresses <paramref name="source"/> into <paramref name="destination"/> as one LZ4 block, or reports that
    /// the block would not fit.
    /// </summary>
    /// <remarks>
    /// The compressor stops as soon as it knows the output cannot fit, so passing a destination one byte
    /// shorter than the input is a cheap way to learn whether compressing is worth it. Nothing is written
    /// past the end of <paramref name="destination"/>; when the result is <see langword="false"/>, the
    /// content of <paramref name="destination"/> is unspecified.
    /// </remarks>
    /// <param name="source">The bytes to compress, at most <see cref="MaxInputLength"/>.</param>
    /// <param name="destination">Where the block is written.</param>
    /// <param name="bytesWritten">The length of the block, or 0 when it does not fit.</param>
    /// <returns><see langword="true"/> if the whole block was written; <see langword="false"/> if it does not fit.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="source"/> is longer than <see cref="MaxInputLength"/>.</exception>
    [SkipLocalsInit]
    public static unsafe bool TryCompress(ReadOnlySpan<byte> source, Span<byte> destination, out int bytesWritten)
    {
        if ((uint)source.Length > MaxInputLength)
        {
            ThrowInputLengthOutOfRange(source.Length, nameof(source));
        }

        int written;
        fixed (byte* src = source)
        fixed (byte* dst = destination)
        {
            if (source.Length < MinInputLength)
            {
                // Too short to hold a match: the reference does not touch its table for these, neither do we.
                written = WriteLastLiterals(src, source.Length, dst, destination.Length);
            }
            else if (source.Length < SmallInputLimit)
            {
                // Entity-sized inputs reuse this thread's table without clearing it (see CompressorTable).
                CompressorTable state = CompressorTable.ForThisThread;
                uint start = state.Reserve(source.Length);
                written = CompressBlock<U16Table, NoDictionary>(src, source.Length, dst, destination.Length, state.Table, start, null, 0);
            }
            else
            {
                // The table must start zeroed: an empty slot means "position 0", exactly as in the reference.
                byte* table = stackalloc byte[HashTableBytes];
                new Span<byte>(table, HashTableBytes).Clear();
                written = CompressBlock<U32Table, NoDictionary>(src, source.Length, dst, destination.Length, table, 0, null, 0);
            }
        }

        bytesWritten = written;
        return written != 0;
    }

    [DoesNotReturn]
    private static void ThrowDestinationTooSmall(int sourceLength, int destinationLength) =>
        throw new ArgumentException(
            $"The LZ4 block for {sourceLength} bytes does not fit in a destination of {destinationLength} bytes; " +
            $"a destination of Lz4.MaxCompressedLength({sourceLength}) = {MaxCompressedLength(sourceLength)} bytes always fits.",
            "destination");

    /// <summary>How one of the two reference table layouts hashes a position and stores it.</summary>
    private unsafe interface IHashTable
    {
        /// <summary>Whether an entry can be more than <see cref="MaxDistance"/> behind the current position.</summary>
        static abstract bool NeedsDistanceCheck { get; }

        static abstract uint Hash(byte* p);

        static abstract uint Get(byte* table, uint hash);

        static abstract void Put(byte* table, uint hash, uint position);
    }

    /// <summary>Whether a block is compressed with a dictionary in front of it.</summary>
    private interface IDictionaryMode
    {
        static abstract bool UsesDictionary { get; }
    }

    private readonly struct NoDictionary : IDictionaryMode
    {
        public static bool UsesDictionary => false;
    }

    private readonly struct WithDictionary : IDictionaryMode
    {
        public static bool UsesDictionary => true;
    }

    /// <summary>Inputs under 64 KB + 11: 8192 16-bit positions, LZ4_hash4 on 4 bytes.</summary>
    private readonly unsafe struct U16Table : IHashTable
    {
        public static bool NeedsDistanceCheck => false; // every position is within 64 KB of every other

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static uint Hash(byte* p) => (Read32(p) * 2654435761U) >> ((MinMatch * 8) - 13);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static uint Get(byte* table, uint hash) => ((ushort*)table)[hash];

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Put(byte* table, uint hash, uint position) => ((ushort*)table)[hash] = (ushort)position;
    }

    /// <summary>Larger inputs: 4096 32-bit positions, LZ4_hash5 on 5 bytes (the 64-bit reference's choice).</summary>
    private readonly unsafe struct U32Table : IHashTable
    {
        public static bool NeedsDistanceCheck => true;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static uint Hash(byte* p) => (uint)(((Read64(p) << 24) * 889523592379UL) >> (64 - 12));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static uint Get(byte* table, uint hash) => ((uint*)table)[hash];

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Put(byte* table, uint hash, uint position) => ((uint*)table)[hash] = position;
    }

    /// <summary>
    /// LZ4_compress_generic for one block with no dictionary, always in limited-output mode. Each output check
    /// is a lower bound of what the rest of the block needs, so the function fails (returns 0) exactly when the
    /// whole block cannot fit, and fails early: as soon as the pending literals alone would not fit.
    /// </summary>
    /// <remarks>
    /// Positions are stored in the table as <paramref name="start"/> plus their offset in the input. An entry
    /// below <paramref name="start"/> was left by an earlier input and reads as position 0, which is what an
    /// empty slot of a zeroed table means: so the output is the same as with a table cleared for this input.
    /// <para>
    /// With a dictionary (<typeparamref name="TMode"/> <see cref="WithDictionary"/>), its
    /// <paramref name="dictionaryLength"/> bytes lie in memory right before <paramref name="src"/>, and a slot
    /// left by an earlier input is looked up in the dictionary's own table (<paramref name="dictionaryTable"/>)
    /// instead: matches may then begin in the dictionary, as liblz4's attached-dictionary mode does.
    /// </para>
    /// </remarks>
    private static unsafe int CompressBlock<TTable, TMode>(
        byte* src, int srcLength, byte* dst, int dstLength, byte* table, uint start, ushort* dictionaryTable, int dictionaryLength)
        where TTable : struct, IHashTable
        where TMode : struct, IDictionaryMode
    {
        byte* lowLimit = src - dictionaryLength;
        byte* ip = src;
        byte* anchor = src;
        byte* iend = src + srcLength;
        byte* mflimitPlusOne = iend - MatchFindLimit + 1;
        byte* matchLimit = iend - LastLiterals;
        byte* op = dst;
        byte* olimit = dst + dstLength;
        byte* match;
        byte* token;

        TTable.Put(table, TTable.Hash(ip), start);
        ip++;
        uint forwardHash = TTable.Hash(ip);

        while (true)
        {
            // Find a match: probe forward, storing each position; after 64 misses the step grows by one every
            // 64 probes, so incompressible data is skipped over quickly.
            {
                byte* forwardIp = ip;
                int step = 1;
                int searchMatchCount = 1 << SkipTrigger;
                while (true)
                {
                    uint hash = forwardHash;
                    uint current = (uint)(forwardIp - src);
                    uint entry = TTable.Get(table, hash);
                    uint matchIndex = Position(entry, start);
                    ip = forwardIp;
                    forwardIp += step;
                    step = searchMatchCount++ >> SkipTrigger;

                    if (forwardIp > mflimitPlusOne)
                    {
                        goto LastLiteralsRun;
                    }

                    match = TMode.UsesDictionary && entry < start ? lowLimit + dictionaryTable[hash] : src + matchIndex;
                    forwardHash = TTable.Hash(forwardIp);
                    TTable.Put(table, hash, start + current);

                    if (TTable.NeedsDistanceCheck && matchIndex + MaxDistance < current)
                    {
                        continue;
                    }

                    if (Unsafe.ReadUnaligned<uint>(match) == Unsafe.ReadUnaligned<uint>(ip))
                    {
                        break;
                    }
                }
            }

            // Extend the match backwards over bytes that were pending as literals.
            while (ip > anchor && match > lowLimit && ip[-1] == match[-1])
            {
                ip--;
                match--;
            }

            // Encode the literal run.
            {
                nuint literalLength = (nuint)(ip - anchor);

                // This token, the literals with their length bytes, an offset, and a final token with 5 literals
                // must still fit: the reference's early bail-out, checked before the token is written.
                if ((nuint)(olimit - op) < 1 + literalLength + (2 + 1 + LastLiterals) + (literalLength / 255))
                {
                    return 0;
                }

                token = op++;

                if (literalLength >= RunMask)
                {
                    nuint rest = literalLength - RunMask;
                    *token = RunMask << 4;
                    for (; rest >= 255; rest -= 255)
                    {
                        *op++ = 255;
                    }

                    *op++ = (byte)rest;
                }
                else
                {
                    *token = (byte)(literalLength << 4);
                }

                // Wild copy in 8-byte steps: the check above leaves at least 8 bytes of room after the
                // literals, and the source has at least MFLIMIT bytes after the match start.
                byte* end = op + literalLength;
                byte* s = anchor;
                do
                {
                    Copy8(op, s);
                    op += 8;
                    s += 8;
                }
                while (op < end);

                op = end;
            }

        NextMatch:
            // Encode the offset, then the match length.
            Write16(op, (ushort)(ip - match));
            op += 2;

            {
                nuint matchCode = Count(ip + MinMatch, match + MinMatch, matchLimit);
                ip += matchCode + MinMatch;

                if ((nuint)(olimit - op) < (1 + LastLiterals) + ((matchCode + 240) / 255))
                {
                    return 0;
                }

                if (matchCode >= RunMask)
                {
                    *token += RunMask;
                    matchCode -= RunMask;

                    // Length bytes of 255 written four at a time; the check above covers the overshoot.
                    Unsafe.WriteUnaligned(op, 0xFFFFFFFFu);
                    while (matchCode >= 4 * 255)
                    {
                        op += 4;
                        Unsafe.WriteUnaligned(op, 0xFFFFFFFFu);
                        matchCode -= 4 * 255;
                    }

                    op += matchCode / 255;
                    *op++ = (byte)(matchCode % 255);
                }
                else
                {
                    *token += (byte)matchCode;
                }
            }

            anchor = ip;
            if (ip >= mflimitPlusOne)
            {
                break;
            }

            // Remember a position inside the match, then try for an immediate next match with no literals.
            TTable.Put(table, TTable.Hash(ip - 2), start + (uint)(ip - 2 - src));
            {
                uint hash = TTable.Hash(ip);
                uint current = (uint)(ip - src);
                uint entry = TTable.Get(table, hash);
                uint matchIndex = Position(entry, start);
                match = TMode.UsesDictionary && entry < start ? lowLimit + dictionaryTable[hash] : src + matchIndex;
                TTable.Put(table, hash, start + current);
                if ((!TTable.NeedsDistanceCheck || matchIndex + MaxDistance >= current)
                    && Unsafe.ReadUnaligned<uint>(match) == Unsafe.ReadUnaligned<uint>(ip))
                {
                    token = op++;
                    *token = 0;
                    goto NextMatch;
                }
            }

            forwardHash = TTable.Hash(++ip);
        }

    LastLiteralsRun:
        int lastRun = (int)(iend - anchor);
        int written = WriteLastLiterals(anchor, lastRun, op, (int)(olimit - op));
        return written == 0 ? 0 : (int)(op - dst) + written;
    }

    /// <summary>A table entry's position in the current input: entries of earlier inputs read as position 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Position(uint entry, uint start) => entry >= start ? entry - start : 0;

    /// <summary>
    /// A thread's hash table for inputs under 64 KB, kept between calls so that compressing a small input does
    /// not begin by clearing 16 KB (for a 300-byte entity, clearing cost more than compressing). Each input gets
    /// the positions after the previous one's; entries below its start are stale and read as empty (see
    /// <see cref="CompressBlock"/>). When the 16-bit positions would run out, the table is cleared and
    /// numbering starts again at 0. liblz4's <c>LZ4_compress_fast_extState_fastReset</c> reuses its state the
    /// same way.
    /// </summary>
    private sealed unsafe class CompressorTable
    {
        [ThreadStatic]
        private static CompressorTable? t_current;

        // Pinned, so the table's address is stable; it is freed with the thread's last reference to it.
        private readonly byte[] _table = GC.AllocateArray<byte>(HashTableBytes, pinned: true);
        private uint _next;

        public static CompressorTable ForThisThread => t_current ??= new CompressorTable();

        public byte* Table => (byte*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_table));

        /// <summary>The first position of an input of <paramref name="length"/> bytes, clearing the table when needed.</summary>
        public uint Reserve(int length)
        {
            if (_next + (uint)length > ushort.MaxValue)
            {
                Array.Clear(_table);
                _next = 0;
            }

            uint start = _next;
            _next += (uint)length;
            return start;
        }
    }

    /// <summary>Writes the final sequence (token, length bytes, literals); returns 0 if it does not fit.</summary>
    private static unsafe int WriteLastLiterals(byte* anchor, int lastRun, byte* op, int room)
    {
        long needed = (long)lastRun + 1 + ((lastRun + 255 - RunMask) / 255);
        if (needed > room)
        {
            return 0;
        }

        byte* start = op;
        if (lastRun >= RunMask)
        {
            int rest = lastRun - RunMask;
            *op++ = RunMask << 4;
            for (; rest >= 255; rest -= 255)
            {
                *op++ = 255;
            }

            *op++ = (byte)rest;
        }
        else
        {
            *op++ = (byte)(lastRun << 4);
        }

        Unsafe.CopyBlockUnaligned(op, anchor, (uint)lastRun);
        op += lastRun;
        return (int)(op - start);
    }

    /// <summary>
    /// LZ4_count: how many bytes at <paramref name="p"/> equal those at <paramref name="match"/>, stopping at
    /// <paramref name="limit"/>. Eight bytes per step; the first differing byte is found from the trailing zero
    /// bits of the XOR of the two little-endian words.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe nuint Count(byte* p, byte* match, byte* limit)
    {
        byte* start = p;
        while (p < limit - 7)
        {
            ulong diff = Read64(match) ^ Read64(p);
            if (diff != 0)
            {
                return (nuint)(p - start) + (nuint)(BitOperations.TrailingZeroCount(diff) >> 3);
            }

            p += 8;
            match += 8;
        }

        if (p < limit - 3 && Unsafe.ReadUnaligned<uint>(match) == Unsafe.ReadUnaligned<uint>(p))
        {
            p += 4;
            match += 4;
        }

        if (p < limit - 1 && Unsafe.ReadUnaligned<ushort>(match) == Unsafe.ReadUnaligned<ushort>(p))
        {
            p += 2;
            match += 2;
        }

        if (p < limit && *match == *p)
        {
            p++;
        }

        return (nuint)(p - start);
    }
}
