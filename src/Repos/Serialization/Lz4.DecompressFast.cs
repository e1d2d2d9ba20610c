using System.Runtime.CompilerServices;

namespace Repos.Serialization;

public static partial class Lz4
{
    /// <summary>
    /// The decoder every call runs first: the same rules as <see cref="DecodeBlock"/>, but it only says
    /// whether the block is valid (the length written, or -1). Keeping error positions and reasons out of it
    /// leaves its loop few enough live values to stay in registers; when it fails, <see cref="DecodeBlock"/>
    /// decodes the block again to say what was wrong and where.
    /// </summary>
    [SkipLocalsInit]
    private static unsafe int DecodeFast(byte* src, int srcLength, byte* dst, int dstLength, nuint prefix = 0)
    {
        if (srcLength == 0)
        {
            return -1;
        }

        byte* ip = src;
        byte* iend = src + srcLength;
        byte* op = dst;
        byte* oend = dst + dstLength;
        byte* lastMatchStart = null;

        // Same limits as DecodeBlock: the short path needs 32 bytes of input after its token and 48 of output.
        byte* inputShortLimit = srcLength > 32 ? iend - 32 : src;
        byte* outputShortEnd = dstLength > 48 ? oend - 47 : dst;

        while (true)
        {
            uint token = *ip++;
            nuint literalLength = token >> 4;
            nuint matchLength;
            nuint offset;

            if (ip <= inputShortLimit && op < outputShortEnd)
            {
                // Room to spare in both buffers: literals are copied in 16- or 32-byte steps that may overshoot.
                if (literalLength != RunMask)
                {
                    Copy16(op, ip);
                }
                else
                {
                    literalLength = ReadLengthBytes(ref ip, iend, literalLength);
                    if (literalLength == nuint.MaxValue)
                    {
                        return -1;
                    }

                    // A long run that ends near either buffer's end takes the exact path below.
                    if ((nuint)(iend - ip) < literalLength + WildCopyMargin || (nuint)(oend - op) < literalLength + 48)
                    {
                        goto Literals;
                    }

                    byte* end = op + literalLength;
                    byte* d = op;
                    byte* s = ip;
                    do
                    {
                        Copy16(d, s);
                        Copy16(d + 16, s + 16);
                        d += 32;
                        s += 32;
                    }
                    while (d < end);
                }

                // Either way at least 18 bytes of input and 33 of output are left, so the input cannot end
                // here and a short match fits.
                ip += literalLength;
                op += literalLength;
                offset = Read16(ip);
                ip += 2;
                matchLength = token & RunMask;
                if (matchLength != RunMask && offset >= 8 && offset <= (nuint)(op - dst) + prefix)
                {
                    // As in DecodeBlock, lastMatchStart need not move here: with this much input left, a last
                    // match taken on this path is followed by at least 14 literals.
                    byte* source = op - offset;
                    if (offset >= 16)
                    {
                        Copy16(op, source);
                        Unsafe.WriteUnaligned(op + 16, Unsafe.ReadUnaligned<uint>(source + 16));
                    }
                    else
                    {
                        // Offsets 8 to 15: each 8-byte read ends at or before the bytes the copy before it wrote.
                        Copy8(op, source);
                        Copy8(op + 8, source + 8);
                        Unsafe.WriteUnaligned(op + 16, Unsafe.ReadUnaligned<ushort>(source + 16));
                    }

                    op += matchLength + MinMatch;
                    continue;
                }

                goto Match;
            }

            if (literalLength == RunMask)
            {
                literalLength = ReadLengthBytes(ref ip, iend, literalLength);
                if (literalLength == nuint.MaxValue)
                {
                    return -1;
                }
            }

        Literals:
            if ((nuint)(iend - ip) < literalLength || (nuint)(oend - op) < literalLength)
            {
                return -1;
            }

            CopyLiterals(op, ip, literalLength, iend, oend);
            ip += literalLength;
            op += literalLength;

            if (ip == iend)
            {
                if (op == dst && token != 0)
                {
                    return -1;
                }

                if (lastMatchStart != null && (literalLength < LastLiterals || op - lastMatchStart < MatchFindLimit))
                {
                    return -1;
                }

                return (int)(op - dst);
            }

            if (iend - ip < 2)
            {
                return -1;
            }

            offset = Read16(ip);
            ip += 2;
            matchLength = token & RunMask;

        Match:
            if (offset == 0 || offset > (nuint)(op - dst) + prefix)
            {
                return -1;
            }

            if (matchLength == RunMask)
            {
                matchLength = ReadLengthBytes(ref ip, iend, matchLength);
                if (matchLength == nuint.MaxValue)
                {
                    return -1;
                }
            }

            matchLength += MinMatch;
            if (ip == iend || (nuint)(oend - op) < matchLength)
            {
                return -1;
            }

            lastMatchStart = op;
            CopyMatch(op, offset, matchLength, oend);
            op += matchLength;
        }
    }

    /// <summary>Adds the length bytes that follow a nibble of 15 (each 255 means more follow); MaxValue when the input ends first.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe nuint ReadLengthBytes(ref byte* ip, byte* iend, nuint length)
    {
        uint b;
        do
        {
            if (ip >= iend)
            {
                return nuint.MaxValue;
            }

            b = *ip++;
            length += b;
        }
        while (b == 255);

        return length;
    }

    /// <summary>
    /// Copies a literal run whose length both buffers were checked to hold: one 16-byte move when it is short
    /// and there is room, 32-byte steps that may overshoot when far from both ends, an exact copy otherwise.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void CopyLiterals(byte* op, byte* ip, nuint length, byte* iend, byte* oend)
    {
        if (length <= 16 && iend - ip >= 16 && oend - op >= 16)
        {
            Copy16(op, ip);
        }
        else if ((nuint)(iend - ip) - length >= WildCopyMargin && (nuint)(oend - op) - length >= WildCopyMargin)
        {
            byte* end = op + length;
            do
            {
                Copy16(op, ip);
                Copy16(op + 16, ip + 16);
                op += 32;
                ip += 32;
            }
            while (op < end);
        }
        else
        {
            Unsafe.CopyBlockUnaligned(op, ip, (uint)length);
        }
    }

    /// <summary>
    /// Copies a match whose offset and length were checked: wide steps away from the end of the output (with
    /// the reference decoder's pattern tricks for offsets under 16), exact copies near it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void CopyMatch(byte* op, nuint offset, nuint length, byte* oend)
    {
        byte* match = op - offset;
        byte* copyEnd = op + length;
        if ((nuint)(oend - copyEnd) >= WildCopyMargin)
        {
            if (offset >= 16)
            {
                // Each 16-byte read ends at or before the write position, so it only sees finished bytes.
                do
                {
                    Copy16(op, match);
                    Copy16(op + 16, match + 16);
                    op += 32;
                    match += 32;
                }
                while (op < copyEnd);
            }
            else
            {
                if (offset < 8)
                {
                    // Overlapping match: a repeating pattern shorter than 8 bytes.
                    op[0] = match[0];
                    op[1] = match[1];
                    op[2] = match[2];
                    op[3] = match[3];
                    match += Increment32[(int)offset];
                    Unsafe.WriteUnaligned(op + 4, Unsafe.ReadUnaligned<uint>(match));
                    match -= Decrement64[(int)offset];
                }
                else
                {
                    Copy8(op, match);
                    match += 8;
                }

                op += 8;
                while (op < copyEnd)
                {
                    Copy8(op, match);
                    op += 8;
                    match += 8;
                }
            }
        }
        else if (offset >= length)
        {
            // Near the end of the destination: exact copies only. Source and target do not overlap here.
            Unsafe.CopyBlockUnaligned(op, match, (uint)length);
        }
        else
        {
            // Overlapping and near the end: byte by byte, which repeats the pattern as the format requires.
            for (byte* p = op; p < copyEnd; p++, match++)
            {
                *p = *match;
            }
        }
    }
}
