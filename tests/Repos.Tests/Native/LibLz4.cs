using System.Runtime.InteropServices;

namespace Repos.Tests.Native;

/// <summary>
/// The reference LZ4 library (Debian's liblz4.so.1), called directly so our codec is checked against the real
/// thing and benchmarked against it. Shared by the tests and the benchmarks.
/// </summary>
internal static unsafe class LibLz4
{
    /// <summary>The soname; Debian ships no unversioned liblz4.so without the -dev package.</summary>
    public const string LibraryName = "liblz4.so.1";

    private static readonly Lazy<string?> s_loadError = new(() =>
        NativeLibrary.TryLoad(LibraryName, typeof(LibLz4).Assembly, null, out _)
            ? null
            : $"The native LZ4 library '{LibraryName}' could not be loaded. Install it with `apt-get install liblz4-1` " +
              "(Debian/Ubuntu); the LZ4 interop tests and benchmarks need the real reference implementation.");

    /// <summary>Throws with installation instructions when liblz4 cannot be loaded, so tests fail instead of skipping.</summary>
    public static void EnsureAvailable()
    {
        if (s_loadError.Value is { } error)
        {
            throw new InvalidOperationException(error);
        }
    }

    [DllImport(LibraryName, EntryPoint = "LZ4_compress_default")]
    public static extern int CompressDefault(byte* source, byte* destination, int sourceSize, int maxDestinationSize);

    [DllImport(LibraryName, EntryPoint = "LZ4_decompress_safe")]
    public static extern int DecompressSafe(byte* source, byte* destination, int compressedSize, int maxDecompressedSize);

    [DllImport(LibraryName, EntryPoint = "LZ4_compressBound")]
    public static extern int CompressBound(int inputSize);

    [DllImport(LibraryName, EntryPoint = "LZ4_decompress_safe_usingDict")]
    public static extern int DecompressSafeUsingDict(byte* source, byte* destination, int compressedSize, int maxDecompressedSize, byte* dictionary, int dictionarySize);

    [DllImport(LibraryName, EntryPoint = "LZ4_createStream")]
    public static extern IntPtr CreateStream();

    [DllImport(LibraryName, EntryPoint = "LZ4_freeStream")]
    public static extern int FreeStream(IntPtr stream);

    [DllImport(LibraryName, EntryPoint = "LZ4_loadDict")]
    public static extern int LoadDict(IntPtr stream, byte* dictionary, int dictionarySize);

    [DllImport(LibraryName, EntryPoint = "LZ4_compress_fast_continue")]
    public static extern int CompressFastContinue(IntPtr stream, byte* source, byte* destination, int sourceSize, int maxDestinationSize, int acceleration);

    [DllImport(LibraryName, EntryPoint = "LZ4_versionNumber")]
    public static extern int VersionNumber();

    /// <summary>LZ4_compress_default over spans; returns the block length, or 0 if it does not fit.</summary>
    public static int Compress(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        fixed (byte* s = source)
        fixed (byte* d = destination)
        {
            return CompressDefault(s, d, source.Length, destination.Length);
        }
    }

    /// <summary>LZ4_decompress_safe over spans; returns the decoded length, or a negative number on error.</summary>
    public static int Decompress(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        fixed (byte* s = source)
        fixed (byte* d = destination)
        {
            return DecompressSafe(s, d, source.Length, destination.Length);
        }
    }

    /// <summary>Compresses with liblz4 into a new array of exactly the block's length.</summary>
    public static byte[] Compress(ReadOnlySpan<byte> source)
    {
        byte[] buffer = new byte[CompressBound(source.Length)];
        int length = Compress(source, buffer);
        if (length <= 0)
        {
            throw new InvalidOperationException($"LZ4_compress_default failed for {source.Length} bytes.");
        }

        return buffer.AsSpan(0, length).ToArray();
    }

    /// <summary>LZ4_decompress_safe_usingDict over spans; returns the decoded length, or a negative number on error.</summary>
    public static int DecompressWithDictionary(ReadOnlySpan<byte> source, Span<byte> destination, ReadOnlySpan<byte> dictionary)
    {
        fixed (byte* s = source)
        fixed (byte* d = destination)
        fixed (byte* dict = dictionary)
        {
            return DecompressSafeUsingDict(s, d, source.Length, destination.Length, dict, dictionary.Length);
        }
    }

    /// <summary>Compresses with liblz4 after LZ4_loadDict (a fresh stream per call) into a new array of the block's length.</summary>
    public static byte[] CompressWithDictionary(ReadOnlySpan<byte> source, ReadOnlySpan<byte> dictionary)
    {
        byte[] buffer = new byte[CompressBound(source.Length)];
        IntPtr stream = CreateStream();
        try
        {
            fixed (byte* s = source)
            fixed (byte* d = buffer)
            fixed (byte* dict = dictionary)
            {
                LoadDict(stream, dict, dictionary.Length);
                int length = CompressFastContinue(stream, s, d, source.Length, buffer.Length, 1);
                if (length <= 0)
                {
                    throw new InvalidOperationException($"LZ4_compress_fast_continue failed for {source.Length} bytes.");
                }

                return buffer.AsSpan(0, length).ToArray();
            }
        }
        finally
        {
            FreeStream(stream);
        }
    }
}
