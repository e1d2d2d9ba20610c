using K4os.Compression.LZ4;
using Repos.Serialization;
using Xunit.Abstractions;

namespace Repos.Tests.Serialization;

/// <summary>
/// Repos' LZ4 block codec against K4os.Compression.LZ4 1.3, the managed library the design names for the
/// blob's compression, in both directions, over <see cref="Lz4Cases"/> and seeded random inputs.
/// </summary>
public sealed class Lz4K4osInteropTests(ITestOutputHelper output)
{
    // The empty input is the one place the two differ (see EmptyInput_K4osWritesNoBlock_ReposAndLibLz4OneZeroByte).
    public static IEnumerable<object[]> Cases => Lz4Cases.Names.Where(name => (string)name[0] != "empty");

    public static IEnumerable<object[]> Levels => new[] { LZ4Level.L00_FAST, LZ4Level.L03_HC, LZ4Level.L09_HC, LZ4Level.L12_MAX }.Select(level => new object[] { level });

    [Theory]
    [MemberData(nameof(Cases))]
    public void ReposCompresses_K4osDecodes_Original(string name)
    {
        byte[] input = Lz4Cases.Get(name);

        Assert.True(input.AsSpan().SequenceEqual(DecodeWithK4os(CompressWithRepos(input), input.Length)), $"{name}: K4os decoded different bytes");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void K4osEncodesFast_ReposDecompresses_Original(string name)
    {
        byte[] input = Lz4Cases.Get(name);

        Assert.True(input.AsSpan().SequenceEqual(DecompressWithRepos(EncodeWithK4os(input, LZ4Level.L00_FAST), input.Length)), $"{name}: Repos decoded different bytes");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void K4osEncodesHighCompression_ReposDecompresses_Original(string name)
    {
        byte[] input = Lz4Cases.Get(name);

        Assert.True(input.AsSpan().SequenceEqual(DecompressWithRepos(EncodeWithK4os(input, LZ4Level.L09_HC), input.Length)), $"{name}: Repos decoded different bytes");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void ReposCompress_ByteIdenticalToK4osFast(string name)
    {
        // K4os' fast level is a port of LZ4_compress_default, as Repos' compressor is: the blocks match byte for byte.
        byte[] input = Lz4Cases.Get(name);
        byte[] ours = CompressWithRepos(input);
        byte[] theirs = EncodeWithK4os(input, LZ4Level.L00_FAST);

        Assert.Equal(theirs.Length, ours.Length);
        int firstDifference = ours.AsSpan().CommonPrefixLength(theirs);
        Assert.True(firstDifference == ours.Length, $"{name}: first difference at byte {firstDifference}");
    }

    [Fact]
    public void EmptyInput_K4osWritesNoBlock_ReposAndLibLz4OneZeroByte()
    {
        // K4os encodes nothing as nothing and refuses the one-byte block liblz4 and Repos write for it, which
        // Repos in turn refuses as no block at all. Stored blobs never meet this: the envelope stores payloads
        // this short uncompressed.
        Assert.Equal([0], CompressWithRepos([]));
        Assert.Equal(0, LZ4Codec.Encode(ReadOnlySpan<byte>.Empty, new byte[16], LZ4Level.L00_FAST));
        Assert.Equal(-1, LZ4Codec.Decode(new byte[] { 0 }, Span<byte>.Empty));
        Assert.Throws<ReposFormatException>(() => Lz4.Decompress(ReadOnlySpan<byte>.Empty, Span<byte>.Empty));

        var blob = new System.Buffers.ArrayBufferWriter<byte>();
        BlobEnvelope.Write([], schemaVersion: 1, blob);
        Assert.False(BlobEnvelope.ReadHeader(blob.WrittenSpan).IsCompressed);
    }

    [Theory]
    [MemberData(nameof(Levels))]
    public void RandomInputs_EncodedByEither_DecodeWithTheOther(LZ4Level level)
    {
        // Sizes from empty through entity-sized (200-400 bytes, what a blob holds) to 256 KB, in every kind of
        // content: serialized entities, text, repeats of any period, and incompressible noise.
        int seed = FuzzSeed.Get(4_000 + (int)level);
        var random = new Random(seed);
        int identical = 0, inputs = 0;
        for (int i = 0; i < 300; i++)
        {
            int size = random.Next(4) switch
            {
                0 => random.Next(1, 40),
                1 => random.Next(200, 401),
                2 => random.Next(1, 5000),
                _ => random.Next(1, 256 * 1024),
            };
            int contentSeed = random.Next();
            byte[] input = (random.Next(4)) switch
            {
                0 => size < 16 ? SampleData.Random(size, contentSeed) : SampleData.Entity(contentSeed, size),
                1 => SampleData.Text(size, contentSeed),
                2 => SampleData.Periodic(size, random.Next(1, 300), contentSeed),
                _ => SampleData.Random(size, contentSeed),
            };
            string what = $"seed {seed} (REPOS_FUZZ_SEED), input {i} of {input.Length} bytes";

            byte[] theirs = EncodeWithK4os(input, level);
            Assert.True(input.AsSpan().SequenceEqual(DecompressWithRepos(theirs, input.Length)), $"{what}: Repos decoded K4os' block wrong");
            byte[] ours = CompressWithRepos(input);
            Assert.True(input.AsSpan().SequenceEqual(DecodeWithK4os(ours, input.Length)), $"{what}: K4os decoded Repos' block wrong");
            if (level == LZ4Level.L00_FAST)
            {
                Assert.True(ours.AsSpan().SequenceEqual(theirs), $"{what}: Repos' block differs from K4os' fast level");
            }

            identical += ours.AsSpan().SequenceEqual(theirs) ? 1 : 0;
            inputs++;
        }

        output.WriteLine($"{level}: {identical}/{inputs} blocks byte-identical to Repos'");
    }

    [Fact]
    public void ReposTryCompress_IntoRoomOfK4osSize_SucceedsAndOneByteLessFails()
    {
        // The envelope compresses into limited room; the limit must fall exactly where K4os' block ends.
        int seed = FuzzSeed.Get(4_100);
        var random = new Random(seed);
        for (int i = 0; i < 200; i++)
        {
            byte[] input = SampleData.Entity(random.Next(), random.Next(200, 401));
            int size = EncodeWithK4os(input, LZ4Level.L00_FAST).Length;

            Assert.True(Lz4.TryCompress(input, new byte[size], out int written) && written == size, $"seed {seed} (REPOS_FUZZ_SEED), input {i}: {size} bytes refused");
            Assert.False(Lz4.TryCompress(input, new byte[size - 1], out _), $"seed {seed} (REPOS_FUZZ_SEED), input {i}: {size - 1} bytes accepted");
        }
    }

    internal static byte[] CompressWithRepos(ReadOnlySpan<byte> input)
    {
        byte[] buffer = new byte[Lz4.MaxCompressedLength(input.Length)];
        return buffer.AsSpan(0, Lz4.Compress(input, buffer)).ToArray();
    }

    internal static byte[] EncodeWithK4os(ReadOnlySpan<byte> input, LZ4Level level)
    {
        byte[] buffer = new byte[LZ4Codec.MaximumOutputSize(input.Length)];
        int length = LZ4Codec.Encode(input, buffer, level);
        Assert.True(length >= 0, $"K4os refused {input.Length} bytes");
        return buffer.AsSpan(0, length).ToArray();
    }

    internal static byte[] DecodeWithK4os(ReadOnlySpan<byte> block, int length)
    {
        // Exact-size destination: the strictest case for the end-of-block rules.
        byte[] decoded = new byte[length];
        Assert.Equal(length, LZ4Codec.Decode(block, decoded));
        return decoded;
    }

    private static byte[] DecompressWithRepos(ReadOnlySpan<byte> block, int length)
    {
        byte[] decoded = new byte[length];
        Assert.Equal(length, Lz4.Decompress(block, decoded));
        return decoded;
    }
}
