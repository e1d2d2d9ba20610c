using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace Repos.Serialization;

public static partial class Lz4
{
    // The fast paths copy in 8-, 16- and 32-byte steps that may run past the end of the current literal run or
    // match ("wild copies"); they are taken only when the buffers have this much room left, and the exact
    // copies near the ends of the buffers keep every access inside them.
    private const int WildCopyMargin = 32;

    // For a match whose offset is under 8, the first 8 bytes are copied in two halves; these move the match
    // pointer so that afterwards the distance is at least 8 (and a multiple of the offset) and plain 8-byte
    // copies reproduce the repeating pattern. Same tables as the reference decoder.
    private static ReadOnlySpan<byte> Increment32 => [0, 1, 2, 1, 0, 4, 4, 4];

    private static ReadOnlySpan<sbyte> Decrement64 => [0, 0, 0, -1, -4, 1, 2, 3];

    /// <summary>
    /// Decompresses one complete LZ4 block from <paramref name="source"/> into <paramref name="destination"/>.
    /// </summary>
    /// <param name="source">The whole block, and nothing after it.</param>
    /// <param name="destination">Where the uncompressed bytes go; it may be longer than needed.</param>
    /// <returns>The number of bytes written to <paramref name="destination"/>.</returns>
    /// <exception cref="ReposFormatException">
    /// The block is malformed or truncated, or decodes to more than <paramref name="destination"/> holds; the
    /// message says what was wrong and <see cref="ReposFormatException.Offset"/> where in
    /// <paramref name="source"/>.
    /// </exception>
    public static unsafe int Decompress(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        DecodeResult result;
        fixed (byte* src = source)
        fixed (byte* dst = destination)
        {
            int written = DecodeFast(src, source.Length, dst, destination.Length);
            if (written >= 0)
            {
                return written;
            }

            // A bad block: decode it again, carefully, to say what is wrong and where.
            result = DecodeBlock(src, source.Length, dst, destination.Length);
        }

        if (result.Error != DecodeError.None)
        {
            ThrowFormat(result, destination.Length);
        }

        return result.Written;
    }

    /// <summary>
    /// Decompresses one complete LZ4 block from <paramref name="source"/> into <paramref name="destination"/>,
    /// or reports that it cannot.
    /// </summary>
    /// <param name="source">The whole block, and nothing after it.</param>
    /// <param name="destination">Where the uncompressed bytes go; it may be longer than needed.</param>
    /// <param name="bytesWritten">The number of bytes written, or 0 on failure.</param>
    /// <returns>
    /// <see langword="true"/> if the block was decoded; <see langword="false"/> if it is malformed, truncated or
    /// does not fit (then the content of <paramref name="destination"/> is unspecified). Never throws.
    /// </returns>
    public static unsafe bool TryDecompress(ReadOnlySpan<byte> source, Span<byte> destination, out int bytesWritten)
    {
        int written;
        fixed (byte* src = source)
        fixed (byte* dst = destination)
        {
            written = DecodeFast(src, source.Length, dst, destination.Length);
        }

        bytesWritten = Math.Max(written, 0);
        return written >= 0;
    }

    /// <summary>
    /// Decodes with both decoders and reports whether they agree on validity and length (for tests: the fast
    /// decoder must accept exactly what the careful one accepts).
    /// </summary>
    internal static unsafe bool DecodersAgree(ReadOnlySpan<byte> source, Span<byte> fastDestination, Span<byte> carefulDestination)
    {
        fixed (byte* src = source)
        fixed (byte* fast = fastDestination)
        fixed (byte* careful = carefulDestination)
        {
            int written = DecodeFast(src, source.Length, fast, fastDestination.Length);
            DecodeResult result = DecodeBlock(src, source.Length, careful, carefulDestination.Length);
            return result.Error == DecodeError.None
                ? written == result.Written && fastDestination[..written].SequenceEqual(carefulDestination[..written])
                : written < 0;
        }
    }

    private enum DecodeError
    {
        None,
        EmptyInput,
        EmptyBlockToken,
        LiteralLengthTruncated,
        LiteralsPastInput,
        OutputOverflow,
        OffsetTruncated,
        OffsetZero,
        OffsetBeforeStart,
        MatchLengthTruncated,
        EndsWithMatch,
        LastLiteralsTooShort,
        LastMatchTooLate,
    }

    /// <summary>What <see cref="DecodeBlock"/> found: kept allocation-free so that TryDecompress stays so.</summary>
    private readonly struct DecodeResult(DecodeError error, int written, long offset, ulong value)
    {
        public DecodeError Error { get; } = error;

        public int Written { get; } = written;

        public long Offset { get; } = offset;

        public ulong Value { get; } = value;
    }

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowFormat(DecodeResult result, int destinationLength)
    {
        string reason = result.Error switch
        {
            DecodeError.EmptyInput => "an empty input is not an LZ4 block (the smallest block is one 0x00 byte)",
            DecodeError.EmptyBlockToken => $"a block with no output must be the single byte 0x00, not 0x{result.Value:X2}",
            DecodeError.LiteralLengthTruncated => "block ends inside a literal length",
            DecodeError.LiteralsPastInput => $"literal run of {result.Value} bytes runs past the end of the input",
            DecodeError.OutputOverflow => $"output exceeds destination of {destinationLength} bytes",
            DecodeError.OffsetTruncated => "block ends inside a match offset",
            DecodeError.OffsetZero => "match offset 0 is invalid",
            DecodeError.OffsetBeforeStart => $"match offset {result.Value} points before the start of the output",
            DecodeError.MatchLengthTruncated => "block ends inside a match length",
            DecodeError.EndsWithMatch => "block ends with a match; the last sequence must be literals only",
            DecodeError.LastLiteralsTooShort =>
                $"block ends with {result.Value} literals after its last match; the last {LastLiterals} bytes must be literals",
            DecodeError.LastMatchTooLate =>
                $"last match starts {result.Value} bytes before the end of the output; it must start at least {MatchFindLimit} bytes before",
            _ => "malformed LZ4 block",
        };
        throw new ReposFormatException(reason, result.Offset);
    }

    /// <summary>
    /// The careful decoder: it runs when <see cref="DecodeFast"/> has refused a block, to say what is wrong and
    /// where, and it is the reference the fast decoder is tested against (the two accept exactly the same
    /// blocks). LZ4_decompress_safe for a complete block. Every length read from the input is checked against what is
    /// left of both buffers before it is used, in 64-bit arithmetic so that no run of 255s can wrap it. On top of
    /// what every LZ4 decoder must check, the end-of-block rules of the format are enforced whatever the
    /// destination size (the last sequence holds only literals, at least 5 of them after a match, and the last
    /// match starts at least 12 bytes before the end); liblz4 enforces the same rules for a destination of
    /// the exact size, so a block is valid here exactly when liblz4 can decode it into an exact-size buffer.
    /// </summary>
    [SkipLocalsInit]
    private static unsafe DecodeResult DecodeBlock(byte* src, int srcLength, byte* dst, int dstLength, nuint prefix = 0)
    {
        if (srcLength == 0)
        {
            return new DecodeResult(DecodeError.EmptyInput, 0, 0, 0);
        }

        byte* ip = src;
        byte* iend = src + srcLength;
        byte* op = dst;
        byte* oend = dst + dstLength;
        byte* lastMatchStart = null; // null until the first match; dst is not null once there is output

        while (true)
        {
            byte* tokenPosition = ip;
            uint token = *ip++;
            ulong literalLength = token >> 4;
            ulong matchLength;
            nuint offset;
            byte* offsetPosition;

            // Literal run: the length is the high nibble, continued by bytes while they are 255.
            if (literalLength == RunMask)
            {
                while (true)
                {
                    if (ip >= iend)
                    {
                        return new DecodeResult(DecodeError.LiteralLengthTruncated, 0, ip - src, 0);
                    }

                    uint b = *ip++;
                    literalLength += b;
                    if (b != 255)
                    {
                        break;
                    }
                }
            }

            if ((ulong)(iend - ip) < literalLength)
            {
                return new DecodeResult(DecodeError.LiteralsPastInput, 0, ip - src, literalLength);
            }

            if ((ulong)(oend - op) < literalLength)
            {
                return new DecodeResult(DecodeError.OutputOverflow, 0, tokenPosition - src, 0);
            }

            nuint length = (nuint)literalLength;
            CopyLiterals(op, ip, length, iend, oend);
            ip += length;
            op += length;

            if (ip == iend)
            {
                // The input ends after literals: this was the last sequence.
                if (op == dst && token != 0)
                {
                    // Only the one-byte block 0x00 stands for empty data; liblz4 refuses the other 15 as well.
                    return new DecodeResult(DecodeError.EmptyBlockToken, 0, 0, token);
                }

                if (lastMatchStart != null)
                {
                    if (literalLength < LastLiterals)
                    {
                        return new DecodeResult(DecodeError.LastLiteralsTooShort, 0, tokenPosition - src, literalLength);
                    }

                    if (op - lastMatchStart < MatchFindLimit)
                    {
                        return new DecodeResult(DecodeError.LastMatchTooLate, 0, tokenPosition - src, (ulong)(op - lastMatchStart));
                    }
                }

                return new DecodeResult(DecodeError.None, (int)(op - dst), 0, 0);
            }

            // Match: a 16-bit little-endian offset back into the output, then the length.
            if (iend - ip < 2)
            {
                return new DecodeResult(DecodeError.OffsetTruncated, 0, ip - src, 0);
            }

            offsetPosition = ip;
            offset = Read16(ip);
            ip += 2;
            matchLength = token & RunMask;

            if (offset == 0)
            {
                return new DecodeResult(DecodeError.OffsetZero, 0, offsetPosition - src, 0);
            }

            if (offset > (nuint)(op - dst) + prefix)
            {
                return new DecodeResult(DecodeError.OffsetBeforeStart, 0, offsetPosition - src, offset);
            }

            if (matchLength == RunMask)
            {
                while (true)
                {
                    if (ip >= iend)
                    {
                        return new DecodeResult(DecodeError.MatchLengthTruncated, 0, ip - src, 0);
                    }

                    uint b = *ip++;
                    matchLength += b;
                    if (b != 255)
                    {
                        break;
                    }
                }
            }

            matchLength += MinMatch;
            if (ip == iend)
            {
                return new DecodeResult(DecodeError.EndsWithMatch, 0, ip - src, 0);
            }

            if ((ulong)(oend - op) < matchLength)
            {
                return new DecodeResult(DecodeError.OutputOverflow, 0, tokenPosition - src, 0);
            }

            length = (nuint)matchLength;
            lastMatchStart = op;
            CopyMatch(op, offset, length, oend);
            op += length;
        }
    }
}
