using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace Repos.Serialization;

/// <summary>
/// The LZ4 block format (no frame, no checksum): the codec behind every compressed entity blob.
/// </summary>
/// <remarks>
/// <para>
/// The compressor is the reference <c>LZ4_compress_default</c> algorithm (acceleration 1), so it produces the
/// same bytes as liblz4 1.9.x: a block written here can be read by any LZ4 decoder, and a block written by
/// liblz4 or the <c>lz4</c> tool can be read here.
/// </para>
/// <para>
/// The decompressor has the semantics of <c>LZ4_decompress_safe</c>: it decodes one complete block, never
/// reads outside the source nor writes outside the destination, whatever the input, and reports bad input
/// with <see cref="ReposFormatException"/> only. Neither direction allocates.
/// </para>
/// </remarks>
public static partial class Lz4
{
    /// <summary>The largest input the LZ4 block format accepts (<c>LZ4_MAX_INPUT_SIZE</c>).</summary>
    public const int MaxInputLength = 0x7E000000;

    // Format constants, named as in the reference implementation and the block format description.
    private const int MinMatch = 4;              // MINMATCH: shortest match the format can express
    private const int LastLiterals = 5;          // LASTLITERALS: the last 5 bytes of a block are always literals
    private const int MatchFindLimit = 12;       // MFLIMIT: the last match must start at least 12 bytes before the end
    private const int MinInputLength = MatchFindLimit + 1; // shorter inputs are stored as one literal run
    private const int RunMask = 15;              // a 4-bit length of 15 means "more length bytes follow"
    private const int MaxDistance = 65535;       // offsets are 16 bits

    /// <summary>
    /// The size of the largest block <see cref="Compress"/> can produce for <paramref name="inputLength"/> bytes
    /// (<c>LZ4_compressBound</c>): a destination at least this long always receives the whole result.
    /// </summary>
    /// <param name="inputLength">The length of the uncompressed input.</param>
    /// <returns><c>inputLength + inputLength / 255 + 16</c>.</returns>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="inputLength"/> is negative or larger than <see cref="MaxInputLength"/>.
    /// </exception>
    public static int MaxCompressedLength(int inputLength)
    {
        if ((uint)inputLength > MaxInputLength)
        {
            ThrowInputLengthOutOfRange(inputLength, nameof(inputLength));
        }

        return inputLength + (inputLength / 255) + 16;
    }

    [DoesNotReturn]
    private static void ThrowInputLengthOutOfRange(int length, string paramName) =>
        throw new ArgumentOutOfRangeException(
            paramName,
            length,
            $"An LZ4 block holds between 0 and {MaxInputLength} (0x7E000000) uncompressed bytes.");

    // Unaligned little-endian loads: the hash functions and the match-length counter are defined on the
    // little-endian value, and the JIT removes the endianness test on the platforms .NET runs on.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe uint Read32(byte* p)
    {
        uint value = Unsafe.ReadUnaligned<uint>(p);
        return BitConverter.IsLittleEndian ? value : BinaryPrimitives.ReverseEndianness(value);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe ulong Read64(byte* p)
    {
        ulong value = Unsafe.ReadUnaligned<ulong>(p);
        return BitConverter.IsLittleEndian ? value : BinaryPrimitives.ReverseEndianness(value);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe ushort Read16(byte* p)
    {
        ushort value = Unsafe.ReadUnaligned<ushort>(p);
        return BitConverter.IsLittleEndian ? value : BinaryPrimitives.ReverseEndianness(value);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Write16(byte* p, ushort value) =>
        Unsafe.WriteUnaligned(p, BitConverter.IsLittleEndian ? value : BinaryPrimitives.ReverseEndianness(value));

    // Plain 8- and 16-byte moves; the JIT turns these into one register or one SIMD load and store.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Copy8(byte* destination, byte* source) =>
        Unsafe.WriteUnaligned(destination, Unsafe.ReadUnaligned<ulong>(source));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Copy16(byte* destination, byte* source) =>
        Unsafe.WriteUnaligned(destination, Unsafe.ReadUnaligned<System.Runtime.Intrinsics.Vector128<byte>>(source));
}
