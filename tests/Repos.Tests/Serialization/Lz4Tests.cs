using System.Text;
using Repos.Serialization;
using Repos.Tests.Native;

namespace Repos.Tests.Serialization;

/// <summary>The LZ4 block codec's contract: API boundaries, empty input, and each kind of malformed block.</summary>
public sealed class Lz4Tests
{
    [Theory]
    [InlineData(0, 16)]
    [InlineData(1, 17)]
    [InlineData(254, 270)]
    [InlineData(255, 272)]
    [InlineData(65_536, 65_809)]
    [InlineData(Lz4.MaxInputLength, Lz4.MaxInputLength + (Lz4.MaxInputLength / 255) + 16)]
    public void MaxCompressedLength_ValidLength_IsCompressBound(int length, int expected)
    {
        LibLz4.EnsureAvailable();
        Assert.Equal(expected, Lz4.MaxCompressedLength(length));
        Assert.Equal(LibLz4.CompressBound(length), Lz4.MaxCompressedLength(length));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(int.MinValue)]
    [InlineData(Lz4.MaxInputLength + 1)]
    [InlineData(int.MaxValue)]
    public void MaxCompressedLength_OutOfRange_ThrowsArgumentOutOfRange(int length) =>
        Assert.Throws<ArgumentOutOfRangeException>("inputLength", () => Lz4.MaxCompressedLength(length));

    [Fact]
    public void Compress_EmptyInput_WritesOneZeroByte()
    {
        byte[] destination = [0xCC, 0xCC];
        Assert.Equal(1, Lz4.Compress([], destination));
        Assert.Equal([0x00, 0xCC], destination);
    }

    [Fact]
    public void Decompress_SingleZeroByte_IsEmptyOutput()
    {
        Assert.Equal(0, Lz4.Decompress([0x00], []));
        Assert.Equal(0, Lz4.Decompress([0x00], new byte[10]));
        Assert.True(Lz4.TryDecompress([0x00], [], out int written));
        Assert.Equal(0, written);
    }

    [Fact]
    public void TryCompress_EmptyInputIntoEmptyDestination_ReturnsFalse()
    {
        Assert.False(Lz4.TryCompress([], [], out int written));
        Assert.Equal(0, written);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    [InlineData(13)]
    [InlineData(600)]
    [InlineData(70_000)]
    public void TryCompress_EveryTooSmallDestination_ReturnsFalseWithoutWritingPastIt(int inputLength)
    {
        byte[] input = SampleData.Entities(Math.Max(inputLength, 1), seed: inputLength)[..inputLength];
        byte[] full = new byte[Lz4.MaxCompressedLength(input.Length)];
        int size = Lz4.Compress(input, full);

        const int Guard = 64;
        byte[] buffer = new byte[size + Guard];
        int step = size > 2000 ? 97 : 1; // every size for small blocks, a sample of sizes for large ones
        for (int room = 0; room < size; room += step)
        {
            buffer.AsSpan().Fill(0xCC);
            Assert.False(Lz4.TryCompress(input, buffer.AsSpan(0, room), out int written), $"room {room} of {size}");
            Assert.Equal(0, written);
            Assert.True(buffer.AsSpan(room).IndexOfAnyExcept((byte)0xCC) < 0, $"wrote past a destination of {room} bytes");
        }

        Assert.True(Lz4.TryCompress(input, buffer.AsSpan(0, size), out int exactWritten));
        Assert.Equal(size, exactWritten);
        Assert.True(buffer.AsSpan(0, size).SequenceEqual(full.AsSpan(0, size)));
    }

    [Fact]
    public void TryCompress_IncompressibleInputIntoShorterDestination_ReturnsFalse()
    {
        // The envelope's "store it uncompressed" test: a destination one byte shorter than the input.
        byte[] input = SampleData.Random(1 << 20);
        Assert.False(Lz4.TryCompress(input, new byte[input.Length - 1], out int written));
        Assert.Equal(0, written);
    }

    [Fact]
    public void Compress_DestinationTooSmall_ThrowsArgumentExceptionNamingTheBound()
    {
        byte[] input = SampleData.Random(1000);
        var exception = Assert.Throws<ArgumentException>("destination", () => Lz4.Compress(input, new byte[500]));
        Assert.Contains("MaxCompressedLength(1000) = 1019", exception.Message);
    }

    [Fact]
    public void Compress_RoundTrip_AtEveryLengthUpTo300()
    {
        byte[] text = SampleData.Text(300);
        byte[] compressed = new byte[Lz4.MaxCompressedLength(300)];
        byte[] decoded = new byte[300];
        for (int length = 0; length <= 300; length++)
        {
            int size = Lz4.Compress(text.AsSpan(0, length), compressed);
            Assert.Equal(length, Lz4.Decompress(compressed.AsSpan(0, size), decoded.AsSpan(0, length)));
            Assert.True(decoded.AsSpan(0, length).SequenceEqual(text.AsSpan(0, length)), $"length {length}");
        }
    }

    [Fact]
    public void Decompress_ValidHandWrittenBlock_RepeatsOverlappingMatch()
    {
        // "a", then a match of 4 at offset 1 ("aaaa"), then 8 final literals: the smallest legal block with a match.
        byte[] block = [0x10, (byte)'a', 0x01, 0x00, 0x80, .. "bcdefghi"u8];
        byte[] output = new byte[13];
        Assert.Equal(13, Lz4.Decompress(block, output));
        Assert.Equal("aaaaabcdefghi", Encoding.ASCII.GetString(output));
    }

    public static TheoryData<string, byte[], int, string, long> MalformedBlocks => new()
    {
        { "empty input", [], 10, "an empty input is not an LZ4 block (the smallest block is one 0x00 byte)", 0 },
        { "empty output with a match length", [0x0F], 10, "a block with no output must be the single byte 0x00, not 0x0F", 0 },
        { "literal length cut after token", [0xF0], 100, "block ends inside a literal length", 1 },
        { "literal length cut inside 255s", [0xF0, 0xFF, 0xFF], 1000, "block ends inside a literal length", 3 },
        { "literals past input", [0x50, 0x61, 0x62], 10, "literal run of 5 bytes runs past the end of the input", 1 },
        {
            "huge literal length run",
            [0xF0, .. Enumerable.Repeat((byte)0xFF, 100), 0x00, 0x61],
            100_000,
            "literal run of 25515 bytes runs past the end of the input",
            102
        },
        { "literals past destination", [0x30, 0x61, 0x62, 0x63], 2, "output exceeds destination of 2 bytes", 0 },
        { "literal into empty destination", [0x10, 0x61], 0, "output exceeds destination of 0 bytes", 0 },
        { "offset cut", [0x10, 0x61, 0x01], 10, "block ends inside a match offset", 2 },
        { "offset zero", [0x10, 0x61, 0x00, 0x00, 0x80, .. "bcdefghi"u8], 20, "match offset 0 is invalid", 2 },
        {
            "offset before output start",
            [0x10, 0x61, 0x02, 0x00, 0x80, .. "bcdefghi"u8],
            20,
            "match offset 2 points before the start of the output",
            2
        },
        {
            "offset 65535 before output start",
            [0x10, 0x61, 0xFF, 0xFF, 0x80, .. "bcdefghi"u8],
            20,
            "match offset 65535 points before the start of the output",
            2
        },
        { "match length cut after offset", [0x1F, 0x61, 0x01, 0x00], 100, "block ends inside a match length", 4 },
        { "match length cut inside 255s", [0x1F, 0x61, 0x01, 0x00, 0xFF], 1000, "block ends inside a match length", 5 },
        {
            "block ends with a match",
            [0x10, 0x61, 0x01, 0x00],
            100,
            "block ends with a match; the last sequence must be literals only",
            4
        },
        {
            "match past destination",
            [0x1F, 0x61, 0x01, 0x00, 0x10, 0x80, .. "bcdefghi"u8],
            20,
            "output exceeds destination of 20 bytes",
            0
        },
        {
            "too few last literals",
            [0x10, 0x61, 0x01, 0x00, 0x40, .. "bcde"u8],
            20,
            "block ends with 4 literals after its last match; the last 5 bytes must be literals",
            4
        },
        {
            "last match too close to the end",
            [0x10, 0x61, 0x01, 0x00, 0x70, .. "bcdefgh"u8],
            20,
            "last match starts 11 bytes before the end of the output; it must start at least 12 bytes before",
            4
        },
    };

    [Theory]
    [MemberData(nameof(MalformedBlocks))]
    public void Decompress_MalformedBlock_ThrowsReposFormatExceptionWithReasonAndOffset(
        string name, byte[] block, int destinationLength, string reason, long offset)
    {
        byte[] destination = new byte[destinationLength];

        var exception = Assert.Throws<ReposFormatException>(() => Lz4.Decompress(block, destination));
        Assert.Equal(reason, exception.Reason);
        Assert.Equal(offset, exception.Offset);
        Assert.Contains($"(at offset {offset})", exception.Message);

        Assert.False(Lz4.TryDecompress(block, destination, out int written), name);
        Assert.Equal(0, written);
    }
}
