using System.Buffers;
using Repos.Serialization;

namespace Repos.Storage;

/// <summary>The CRC-32C of a whole file, computed while reading or copying it.</summary>
internal static class FileChecksum
{
    private const int ChunkSize = 1 << 20;

    /// <summary>Reads the file and returns its CRC-32C and length.</summary>
    public static (uint Checksum, long Length) Compute(string path, CancellationToken cancellationToken)
    {
        using var input = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.SequentialScan);
        return Pump(input, null, cancellationToken);
    }

    /// <summary>
    /// Copies <paramref name="source"/> into a new file at <paramref name="destination"/>, flushes it to the
    /// disk, and returns the CRC-32C and length of the bytes copied.
    /// </summary>
    public static (uint Checksum, long Length) Copy(string source, string destination, CancellationToken cancellationToken)
    {
        using var input = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.SequentialScan);
        using var output = new FileStream(destination, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1);
        output.SetLength(input.Length);
        (uint Checksum, long Length) result = Pump(input, output, cancellationToken);
        output.SetLength(result.Length);
        output.Flush(flushToDisk: true);
        return result;
    }

    private static (uint Checksum, long Length) Pump(FileStream input, FileStream? output, CancellationToken cancellationToken)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(ChunkSize);
        try
        {
            uint crc = 0;
            long length = 0;
            int read;
            while ((read = input.Read(buffer, 0, ChunkSize)) > 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                crc = Crc32C.Append(crc, buffer.AsSpan(0, read));
                output?.Write(buffer, 0, read);
                length += read;
            }

            return (crc, length);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
