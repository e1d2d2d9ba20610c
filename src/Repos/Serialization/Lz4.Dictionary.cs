using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Repos.Serialization;

public static partial class Lz4
{
    /// <summary>
    /// Compresses <paramref name="source"/> as one LZ4 block whose matches may reach back into
    /// <paramref name="dictionary"/>, or reports that the block would not fit. Decode it with
    /// <see cref="Decompress(ReadOnlySpan{byte}, Span{byte}, CompressionDictionary)"/> or liblz4's
    /// <c>LZ4_decompress_safe_usingDict</c> given the same dictionary bytes.
    /// </summary>
    /// <remarks>
    /// Matches are 16-bit offsets, so the dictionary is used only while it and the input together are under
    /// 64 KB; a longer input is compressed as <see cref="TryCompress(ReadOnlySpan{byte}, Span{byte}, out int)"/>
    /// does, which decodes the same with or without the dictionary.
    /// </remarks>
    /// <param name="source">The bytes to compress, at most <see cref="MaxInputLength"/>.</param>
    /// <param name="destination">Where the block is written.</param>
    /// <param name="dictionary">The dictionary the decoder will be given.</param>
    /// <param name="bytesWritten">The length of the block, or 0 when it does not fit.</param>
    /// <returns><see langword="true"/> if the whole block was written; <see langword="false"/> if it does not fit.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="dictionary"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="source"/> is longer than <see cref="MaxInputLength"/>.</exception>
    public static unsafe bool TryCompress(ReadOnlySpan<byte> source, Span<byte> destination, CompressionDictionary dictionary, out int bytesWritten)
    {
        ArgumentNullException.ThrowIfNull(dictionary);
        if (!UsesDictionary(dictionary, source.Length))
        {
            return TryCompress(source, destination, out bytesWritten);
        }

        DictionaryWindow window = DictionaryWindow.ForThisThread;
        byte* input = window.Load(dictionary, source);
        CompressorTable state = CompressorTable.ForThisThread;
        uint start = state.Reserve(source.Length);
        int written;
        fixed (byte* dst = destination)
        fixed (ushort* dictionaryTable = dictionary.HashTable)
        {
            written = CompressBlock<U16Table, WithDictionary>(
                input, source.Length, dst, destination.Length, state.Table, start, dictionaryTable, dictionary.Length);
        }

        bytesWritten = written;
        return written != 0;
    }

    /// <summary>Whether <see cref="TryCompress(ReadOnlySpan{byte}, Span{byte}, CompressionDictionary, out int)"/> uses the dictionary for an input of <paramref name="length"/> bytes.</summary>
    internal static bool UsesDictionary(CompressionDictionary dictionary, int length) =>
        length >= MinInputLength && DictionaryWindow.Fits(dictionary, length);

    /// <summary>
    /// Decompresses one complete LZ4 block that was compressed with <paramref name="dictionary"/> into
    /// <paramref name="destination"/>.
    /// </summary>
    /// <param name="source">The whole block, and nothing after it.</param>
    /// <param name="destination">Where the uncompressed bytes go; it may be longer than needed.</param>
    /// <param name="dictionary">The dictionary the block was compressed with.</param>
    /// <returns>The number of bytes written to <paramref name="destination"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="dictionary"/> is null.</exception>
    /// <exception cref="ReposFormatException">
    /// The block is malformed or truncated, reaches back beyond the start of the dictionary, or decodes to more
    /// than <paramref name="destination"/> holds.
    /// </exception>
    public static unsafe int Decompress(ReadOnlySpan<byte> source, Span<byte> destination, CompressionDictionary dictionary)
    {
        ArgumentNullException.ThrowIfNull(dictionary);

        // The decoder works in one buffer holding the dictionary and then the output, so a match copies from
        // either alike: this thread's window (which keeps the last dictionary in place), or, for outputs
        // too large for it, a rented buffer.
        byte[]? rented = null;
        byte* output;
        DictionaryWindow? window = null;
        if (DictionaryWindow.Fits(dictionary, destination.Length))
        {
            window = DictionaryWindow.ForThisThread;
            output = window.Load(dictionary, []);
        }
        else
        {
            rented = ArrayPool<byte>.Shared.Rent(dictionary.Length + destination.Length);
            dictionary.Content.Span.CopyTo(rented);
            output = null;
        }

        try
        {
            fixed (byte* bytes = rented)
            {
                if (rented is not null)
                {
                    output = bytes + dictionary.Length;
                }

                DecodeResult result;
                fixed (byte* src = source)
                {
                    int written = DecodeFast(src, source.Length, output, destination.Length, (nuint)dictionary.Length);
                    if (written >= 0)
                    {
                        new ReadOnlySpan<byte>(output, written).CopyTo(destination);
                        return written;
                    }

                    result = DecodeBlock(src, source.Length, output, destination.Length, (nuint)dictionary.Length);
                }

                if (result.Error != DecodeError.None)
                {
                    ThrowFormat(result, destination.Length);
                }

                new ReadOnlySpan<byte>(output, result.Written).CopyTo(destination);
                return result.Written;
            }
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }

            GC.KeepAlive(window);
        }
    }

    /// <summary>
    /// A thread's buffer of a dictionary followed by the input being compressed or the output being decoded: LZ4
    /// matches are offsets back from the current position, so with the dictionary right in front, a match into
    /// it is an ordinary one. The last dictionary stays in place, so entity after entity of the same type costs
    /// no copy of it.
    /// </summary>
    private sealed unsafe class DictionaryWindow
    {
        // Offsets are 16 bits: dictionary and block together stay under 64 KB. The margin is for wild copies.
        private const int Capacity = MaxDistance;

        [ThreadStatic]
        private static DictionaryWindow? t_current;

        private readonly byte[] _buffer = GC.AllocateArray<byte>(Capacity + WildCopyMargin, pinned: true);
        private CompressionDictionary? _dictionary;

        public static DictionaryWindow ForThisThread => t_current ??= new DictionaryWindow();

        /// <summary>Whether a block of <paramref name="length"/> bytes fits behind <paramref name="dictionary"/>.</summary>
        public static bool Fits(CompressionDictionary dictionary, int length) => (long)dictionary.Length + length <= Capacity;

        /// <summary>Puts the dictionary in front and <paramref name="input"/> after it; returns where the block starts.</summary>
        public byte* Load(CompressionDictionary dictionary, ReadOnlySpan<byte> input)
        {
            if (!ReferenceEquals(_dictionary, dictionary))
            {
                _dictionary = null;
                dictionary.Content.Span.CopyTo(_buffer);
                _dictionary = dictionary;
            }

            input.CopyTo(_buffer.AsSpan(dictionary.Length));
            return (byte*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_buffer)) + dictionary.Length;
        }
    }
}
