using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using Repos.Serialization;

namespace Repos.Tests.Serialization;

public class BlobEnvelopeTests
{
    private static readonly byte[] s_compressible =
        Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("headache, moderate, after lunch; ", 40)));

    private static byte[] Envelope(ReadOnlySpan<byte> payload, int schemaVersion = 3, bool allowCompression = true)
    {
        var output = new ArrayBufferWriter<byte>();
        BlobEnvelope.Write(payload, schemaVersion, output, allowCompression);
        return output.WrittenSpan.ToArray();
    }

    private static byte[] RandomBytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    [Fact]
    public void Write_CompressiblePayload_StoresItCompressedAndReadsItBack()
    {
        byte[] blob = Envelope(s_compressible);

        BlobHeader header = BlobEnvelope.ReadHeader(blob);
        Assert.True(header.IsCompressed);
        Assert.Equal(BlobEnvelope.CompressedHeaderLength, header.HeaderLength);
        Assert.Equal(s_compressible.Length, header.PayloadLength);
        Assert.Equal(3, header.SchemaVersion);
        Assert.True(blob.Length < s_compressible.Length / 4, $"compressed envelope is {blob.Length} bytes");

        using BlobPayload payload = BlobEnvelope.Read(blob);
        Assert.Equal(s_compressible, payload.Span.ToArray());
        Assert.Equal(3, payload.SchemaVersion);
    }

    [Fact]
    public void Write_IncompressiblePayload_StoresItAsItIs()
    {
        byte[] data = RandomBytes(600, seed: 11);
        byte[] blob = Envelope(data);

        Assert.Equal(BlobEnvelope.HeaderLength + data.Length, blob.Length);
        Assert.Equal(BlobFlags.None, BlobEnvelope.ReadHeader(blob).Flags);
        Assert.Equal(data, blob.AsSpan(BlobEnvelope.HeaderLength).ToArray());
        using BlobPayload payload = BlobEnvelope.Read(blob);
        Assert.Equal(data, payload.Span.ToArray());
    }

    [Theory]
    [InlineData(11)]
    [InlineData(12)]
    [InlineData(13)]
    public void Write_PayloadsAroundTheMinimumSaving_CompressedExactlyWhenTheySaveThirtyPercent(int seed)
    {
        // Payloads of a random half and a repeated half compress by about half their length, give or take:
        // sweeping the share of random bytes crosses the 30% line. Each one must be stored compressed exactly
        // when its compressed envelope is at most 70% of its stored envelope.
        var random = new Random(seed);
        int compressedCount = 0, storedCount = 0;
        for (int randomShare = 30; randomShare <= 90; randomShare++)
        {
            byte[] data = new byte[400];
            int randomBytes = data.Length * randomShare / 100;
            random.NextBytes(data.AsSpan(0, randomBytes));
            data.AsSpan(randomBytes).Fill((byte)'a');

            byte[] block = new byte[Lz4.MaxCompressedLength(data.Length)];
            int blockLength = Lz4.Compress(data, block);
            bool pays = BlobEnvelope.CompressedHeaderLength + blockLength
                <= (BlobEnvelope.HeaderLength + data.Length) * (100 - BlobEnvelope.MinimumSavingPercent) / 100;

            byte[] blob = Envelope(data);
            Assert.True(pays == BlobEnvelope.ReadHeader(blob).IsCompressed, $"seed {seed}, {randomShare}% random: LZ4 block of {blockLength} bytes for {data.Length}, compressed {!pays}");
            Assert.Equal(pays ? BlobEnvelope.CompressedHeaderLength + blockLength : BlobEnvelope.HeaderLength + data.Length, blob.Length);
            using BlobPayload payload = BlobEnvelope.Read(blob);
            Assert.True(data.AsSpan().SequenceEqual(payload.Span), $"seed {seed}, {randomShare}% random: read back different bytes");
            compressedCount += pays ? 1 : 0;
            storedCount += pays ? 0 : 1;
        }

        Assert.True(compressedCount > 5 && storedCount > 5, $"seed {seed}: {compressedCount} compressed, {storedCount} stored; the sweep missed the line");
    }

    [Fact]
    public void Write_CompressionDisallowed_StoresItAsItIs()
    {
        byte[] blob = Envelope(s_compressible, allowCompression: false);

        Assert.False(BlobEnvelope.ReadHeader(blob).IsCompressed);
        Assert.Equal(BlobEnvelope.HeaderLength + s_compressible.Length, blob.Length);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(23)]
    [InlineData(24)]
    [InlineData(100)]
    [InlineData(65_547)]
    public void Write_ThenRead_ReturnsThePayload_ForEveryLength(int length)
    {
        var payload = new byte[length];
        for (int i = 0; i < length; i++)
        {
            payload[i] = (byte)(i % 7 == 0 ? i : 'a' + (i % 5));
        }

        byte[] blob = Envelope(payload, schemaVersion: int.MaxValue);

        Assert.True(blob.Length <= BlobEnvelope.GetMaxLength(length));
        var destination = new byte[length + 3];
        int read = BlobEnvelope.Read(blob, destination, out BlobHeader header);
        Assert.Equal(length, read);
        Assert.Equal(int.MaxValue, header.SchemaVersion);
        Assert.Equal(payload, destination.AsSpan(0, read).ToArray());
    }

    [Fact]
    public void Write_LayoutMatchesTheDocumentedFormat()
    {
        byte[] payload = [0x81, 0x01, 0xA2, (byte)'h', (byte)'i'];
        byte[] blob = Envelope(payload, schemaVersion: 0x01020304);

        Assert.Equal(
            new byte[] { 0x01, 0x00, 0x04, 0x03, 0x02, 0x01 },
            blob.AsSpan(0, 6).ToArray());
        byte[] checksummed = [0x01, 0x04, 0x03, 0x02, 0x01, .. payload];
        Assert.Equal(Crc32C.Compute(checksummed), BinaryPrimitives.ReadUInt32LittleEndian(blob.AsSpan(6)));
        Assert.Equal(payload, blob.AsSpan(10).ToArray());
    }

    [Fact]
    public void Checksum_DoesNotDependOnCompression()
    {
        byte[] compressed = Envelope(s_compressible);
        byte[] plain = Envelope(s_compressible, allowCompression: false);

        Assert.Equal(BlobEnvelope.ReadHeader(plain).Checksum, BlobEnvelope.ReadHeader(compressed).Checksum);
    }

    [Fact]
    public void Read_FlippedPayloadBit_ThrowsChecksumException()
    {
        byte[] blob = Envelope(RandomBytes(64, seed: 5));
        blob[BlobEnvelope.HeaderLength + 20] ^= 0x10;

        var e = Assert.Throws<ReposChecksumException>(() => BlobEnvelope.Read(blob).Dispose());
        Assert.Equal(6, e.Offset);
        Assert.NotEqual(e.Expected, e.Actual);
        Assert.Contains("Checksum mismatch", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_AnySingleBitFlip_IsRejectedOrReadsTheOriginalPayload()
    {
        // An LZ4 decoder ignores the match-length bits of a block's last token, so a flip there is
        // harmless; every other flip must be caught. Either way no changed payload is ever returned.
        byte[][] payloads = [s_compressible, RandomBytes(40, seed: 9), []];
        foreach (byte[] original in payloads)
        {
            byte[] envelope = Envelope(original);
            int accepted = 0;
            for (int bit = 0; bit < envelope.Length * 8; bit++)
            {
                byte[] blob = (byte[])envelope.Clone();
                blob[bit / 8] ^= (byte)(1 << (bit % 8));
                try
                {
                    using BlobPayload payload = BlobEnvelope.Read(blob);
                    Assert.True(payload.Span.SequenceEqual(original), $"bit {bit} of {Convert.ToHexString(envelope)} changed the payload");
                    accepted++;
                }
                catch (ReposFormatException)
                {
                }
            }

            Assert.True(accepted <= 4, $"{accepted} harmless flips in {Convert.ToHexString(envelope)}");
        }
    }

    [Theory]
    [InlineData(new byte[] { }, 0, "shorter than the 10-byte envelope header")]
    [InlineData(new byte[] { 1, 0, 0, 0, 0, 0, 0, 0, 0 }, 9, "shorter than the 10-byte envelope header")]
    [InlineData(new byte[] { 3, 0, 0, 0, 0, 0, 0, 0, 0, 0 }, 0, "Unknown blob envelope format 0x03")]
    [InlineData(new byte[] { 2, 0, 0, 0, 0, 0, 0, 0, 0, 0 }, 1, "flags 0x00 are not valid in envelope format 2")]
    [InlineData(new byte[] { 1, 2, 0, 0, 0, 0, 0, 0, 0, 0 }, 1, "flags 0x02 are not valid in envelope format 1")]
    [InlineData(new byte[] { 1, 4, 0, 0, 0, 0, 0, 0, 0, 0 }, 1, "flags 0x04 are not valid in envelope format 1")]
    [InlineData(new byte[] { 1, 0, 0, 0, 0, 0x80, 0, 0, 0, 0 }, 2, "Schema version 2147483648 is out of range")]
    [InlineData(new byte[] { 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 }, 14, "too short for its 14-byte header")]
    [InlineData(new byte[] { 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x80, 0 }, 10, "declares 2147483648 uncompressed bytes")]
    [InlineData(new byte[] { 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0x10 }, 10, "declares 256 uncompressed bytes, more than its 1 compressed bytes")]
    public void ReadHeader_Malformed_ThrowsFormatExceptionNamingOffset(byte[] blob, long offset, string reason)
    {
        var e = Assert.Throws<ReposFormatException>(() => BlobEnvelope.ReadHeader(blob));
        Assert.Equal(offset, e.Offset);
        Assert.Contains(reason, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_HugeDeclaredLengthInTinyInput_AllocatesNothingLarge()
    {
        byte[] blob = [1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0x7F, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00];
        long before = GC.GetAllocatedBytesForCurrentThread();

        Assert.ThrowsAny<ReposFormatException>(() => BlobEnvelope.Read(blob).Dispose());

        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 64 * 1024);
    }

    [Fact]
    public void Read_DeclaredLengthDisagreesWithBlock_ThrowsFormatException()
    {
        byte[] blob = Envelope(s_compressible);
        BinaryPrimitives.WriteUInt32LittleEndian(blob.AsSpan(10), (uint)s_compressible.Length - 1);

        var e = Assert.ThrowsAny<ReposFormatException>(() => BlobEnvelope.Read(blob).Dispose());
        Assert.True(e.Offset >= 10, e.Message);
    }

    [Fact]
    public void Read_DestinationTooSmall_ThrowsArgumentException()
    {
        byte[] blob = Envelope(s_compressible);

        Assert.Throws<ArgumentException>(() => BlobEnvelope.Read(blob, new byte[10], out _));
    }

    [Fact]
    public void Write_DestinationTooSmall_ThrowsArgumentExceptionAndNegativeVersionIsRefused()
    {
        Assert.Throws<ArgumentException>(() => BlobEnvelope.Write(s_compressible, 1, new byte[s_compressible.Length]));
        Assert.Throws<ArgumentOutOfRangeException>(() => BlobEnvelope.Write(s_compressible, -1, new byte[2000]));
    }
}
