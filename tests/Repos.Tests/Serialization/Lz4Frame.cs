using System.Buffers.Binary;
using System.Numerics;
using Repos.Serialization;

namespace Repos.Tests.Serialization;

/// <summary>
/// Just enough of the LZ4 frame format (what the <c>lz4</c> command reads and writes) to wrap our blocks for
/// the real tool and to take apart its output with our block decoder. Test code only: Repos stores bare blocks.
/// </summary>
internal static class Lz4Frame
{
    public const uint Magic = 0x184D2204;
    private const int MaxBlockSize = 4 << 20; // BD code 7

    /// <summary>A frame of independent 4 MB blocks compressed by <see cref="Lz4"/>, no checksums.</summary>
    /// <param name="compressedBlocks">How many blocks were stored compressed (the rest are stored raw).</param>
    public static byte[] Write(ReadOnlySpan<byte> content, out int compressedBlocks)
    {
        var frame = new List<byte>(content.Length + 64);
        Span<byte> header = [0, 0, 0, 0, 0x60, 0x70, 0]; // magic, FLG: version 01 + independent blocks, BD: 4 MB
        BinaryPrimitives.WriteUInt32LittleEndian(header, Magic);
        header[6] = (byte)(XxHash32.Hash(header[4..6]) >> 8);
        frame.AddRange(header);

        compressedBlocks = 0;
        byte[] block = new byte[Lz4.MaxCompressedLength(MaxBlockSize)];
        Span<byte> size = stackalloc byte[4];
        for (int start = 0; start < content.Length; start += MaxBlockSize)
        {
            ReadOnlySpan<byte> chunk = content.Slice(start, Math.Min(MaxBlockSize, content.Length - start));

            // The frame format's own rule: a block that does not shrink is stored as is, flagged by the high bit.
            if (Lz4.TryCompress(chunk, block.AsSpan(0, chunk.Length - 1 < 0 ? 0 : chunk.Length - 1), out int written))
            {
                BinaryPrimitives.WriteUInt32LittleEndian(size, (uint)written);
                frame.AddRange(size);
                frame.AddRange(block.AsSpan(0, written));
                compressedBlocks++;
            }
            else
            {
                BinaryPrimitives.WriteUInt32LittleEndian(size, (uint)chunk.Length | 0x80000000u);
                frame.AddRange(size);
                frame.AddRange(chunk);
            }
        }

        frame.AddRange(new byte[4]); // end mark
        return [.. frame];
    }

    /// <summary>Decodes a frame of independent blocks with <see cref="Lz4.Decompress"/>, checking every checksum.</summary>
    /// <param name="compressedBlocks">How many blocks were compressed (the rest were stored raw).</param>
    public static byte[] Read(ReadOnlySpan<byte> frame, out int compressedBlocks)
    {
        if (BinaryPrimitives.ReadUInt32LittleEndian(frame) != Magic)
        {
            throw new InvalidDataException("not an LZ4 frame");
        }

        byte flags = frame[4];
        byte blockDescriptor = frame[5];
        if (flags >> 6 != 1)
        {
            throw new InvalidDataException($"frame version {flags >> 6}");
        }

        bool independent = (flags & 0x20) != 0;
        bool blockChecksum = (flags & 0x10) != 0;
        bool contentSize = (flags & 0x08) != 0;
        bool contentChecksum = (flags & 0x04) != 0;
        bool dictionaryId = (flags & 0x01) != 0;
        if (!independent || dictionaryId)
        {
            throw new InvalidDataException("linked blocks and dictionaries need a streaming decoder");
        }

        int descriptorLength = 2 + (contentSize ? 8 : 0);
        byte headerChecksum = frame[4 + descriptorLength];
        if (headerChecksum != (byte)(XxHash32.Hash(frame.Slice(4, descriptorLength)) >> 8))
        {
            throw new InvalidDataException("frame header checksum mismatch");
        }

        int maxBlockSize = 1 << (8 + (2 * ((blockDescriptor >> 4) & 7)));
        int position = 4 + descriptorLength + 1;
        var content = new List<byte>();
        byte[] decoded = new byte[maxBlockSize];
        compressedBlocks = 0;
        while (true)
        {
            uint size = BinaryPrimitives.ReadUInt32LittleEndian(frame[position..]);
            position += 4;
            if (size == 0)
            {
                break;
            }

            int length = (int)(size & 0x7FFFFFFF);
            ReadOnlySpan<byte> block = frame.Slice(position, length);
            position += length;
            if (blockChecksum)
            {
                if (BinaryPrimitives.ReadUInt32LittleEndian(frame[position..]) != XxHash32.Hash(block))
                {
                    throw new InvalidDataException("block checksum mismatch");
                }

                position += 4;
            }

            if ((size & 0x80000000u) != 0)
            {
                content.AddRange(block);
            }
            else
            {
                int written = Lz4.Decompress(block, decoded);
                content.AddRange(decoded.AsSpan(0, written));
                compressedBlocks++;
            }
        }

        byte[] result = [.. content];
        if (contentChecksum && BinaryPrimitives.ReadUInt32LittleEndian(frame[position..]) != XxHash32.Hash(result))
        {
            throw new InvalidDataException("content checksum mismatch");
        }

        return result;
    }
}

/// <summary>xxHash32 (seed 0), the checksum of the LZ4 frame format, written from its specification.</summary>
internal static class XxHash32
{
    private const uint Prime1 = 2654435761U;
    private const uint Prime2 = 2246822519U;
    private const uint Prime3 = 3266489917U;
    private const uint Prime4 = 668265263U;
    private const uint Prime5 = 374761393U;

    public static uint Hash(ReadOnlySpan<byte> data, uint seed = 0)
    {
        int length = data.Length;
        uint hash;
        if (length >= 16)
        {
            uint v1 = seed + Prime1 + Prime2, v2 = seed + Prime2, v3 = seed, v4 = seed - Prime1;
            while (data.Length >= 16)
            {
                v1 = Round(v1, BinaryPrimitives.ReadUInt32LittleEndian(data));
                v2 = Round(v2, BinaryPrimitives.ReadUInt32LittleEndian(data[4..]));
                v3 = Round(v3, BinaryPrimitives.ReadUInt32LittleEndian(data[8..]));
                v4 = Round(v4, BinaryPrimitives.ReadUInt32LittleEndian(data[12..]));
                data = data[16..];
            }

            hash = BitOperations.RotateLeft(v1, 1) + BitOperations.RotateLeft(v2, 7) +
                   BitOperations.RotateLeft(v3, 12) + BitOperations.RotateLeft(v4, 18);
        }
        else
        {
            hash = seed + Prime5;
        }

        hash += (uint)length;
        while (data.Length >= 4)
        {
            hash = BitOperations.RotateLeft(hash + (BinaryPrimitives.ReadUInt32LittleEndian(data) * Prime3), 17) * Prime4;
            data = data[4..];
        }

        foreach (byte b in data)
        {
            hash = BitOperations.RotateLeft(hash + (b * Prime5), 11) * Prime1;
        }

        hash ^= hash >> 15;
        hash *= Prime2;
        hash ^= hash >> 13;
        hash *= Prime3;
        hash ^= hash >> 16;
        return hash;
    }

    private static uint Round(uint accumulator, uint lane) =>
        BitOperations.RotateLeft(accumulator + (lane * Prime2), 13) * Prime1;
}
