using Repos.Serialization;
using Repos.Tests.Native;
using Xunit.Abstractions;

namespace Repos.Tests.Serialization;

/// <summary>Our LZ4 block codec against the reference liblz4, in both directions, over <see cref="Lz4Cases"/>.</summary>
public sealed class Lz4LibLz4InteropTests(ITestOutputHelper output)
{
    public static IEnumerable<object[]> Cases => Lz4Cases.Names;

    [Fact]
    public void LibLz4_IsLoadable_AndVersion194OrLater()
    {
        LibLz4.EnsureAvailable();
        int version = LibLz4.VersionNumber();
        output.WriteLine($"liblz4 version number {version}");
        Assert.True(version >= 10904, $"liblz4 {version} is older than 1.9.4, the version this codec follows.");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Compress_Input_DecompressesWithLibLz4(string name)
    {
        LibLz4.EnsureAvailable();
        byte[] input = Lz4Cases.Get(name);

        byte[] compressed = CompressWithOurs(input);
        byte[] decoded = new byte[input.Length + 64];
        int length = LibLz4.Decompress(compressed, decoded);

        Assert.Equal(input.Length, length);
        Assert.True(input.AsSpan().SequenceEqual(decoded.AsSpan(0, length)), $"{name}: liblz4 decoded different bytes");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Decompress_LibLz4Output_ReturnsOriginal(string name)
    {
        LibLz4.EnsureAvailable();
        byte[] input = Lz4Cases.Get(name);
        byte[] compressed = LibLz4.Compress(input);

        // Exact-size destination: the strictest case for the end-of-block rules.
        byte[] decoded = new byte[input.Length];
        int length = Lz4.Decompress(compressed, decoded);
        Assert.Equal(input.Length, length);
        Assert.True(input.AsSpan().SequenceEqual(decoded), $"{name}: decoded different bytes");

        // Larger destination, through TryDecompress.
        byte[] roomy = new byte[input.Length + 100];
        Assert.True(Lz4.TryDecompress(compressed, roomy, out int written));
        Assert.Equal(input.Length, written);
        Assert.True(input.AsSpan().SequenceEqual(roomy.AsSpan(0, written)), $"{name}: decoded different bytes");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Compress_Input_SizeWithin3PercentOfLibLz4(string name)
    {
        LibLz4.EnsureAvailable();
        byte[] input = Lz4Cases.Get(name);

        byte[] ours = CompressWithOurs(input);
        byte[] theirs = LibLz4.Compress(input);

        output.WriteLine($"{name}: {input.Length} -> ours {ours.Length}, liblz4 {theirs.Length}, " +
                         $"identical: {ours.AsSpan().SequenceEqual(theirs)}");
        Assert.True(ours.Length <= theirs.Length * 1.03 + 1, $"{name}: ours {ours.Length} bytes, liblz4 {theirs.Length}");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Compress_Input_ByteIdenticalToLibLz4(string name)
    {
        // Same algorithm, same tables, same hash functions: the blocks must match byte for byte.
        LibLz4.EnsureAvailable();
        byte[] input = Lz4Cases.Get(name);

        byte[] ours = CompressWithOurs(input);
        byte[] theirs = LibLz4.Compress(input);

        Assert.Equal(theirs.Length, ours.Length);
        int firstDifference = ours.AsSpan().CommonPrefixLength(theirs);
        Assert.True(firstDifference == ours.Length, $"{name}: first difference at byte {firstDifference}");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void TryCompress_DestinationOfExactLibLz4Size_SucceedsAndOneLessFails(string name)
    {
        // Limited-output mode must fail exactly when the block does not fit, never before.
        LibLz4.EnsureAvailable();
        byte[] input = Lz4Cases.Get(name);
        int size = LibLz4.Compress(input).Length;

        byte[] exact = new byte[size];
        Assert.True(Lz4.TryCompress(input, exact, out int written), $"{name}: exact size {size} refused");
        Assert.Equal(size, written);

        byte[] tooSmall = new byte[size - 1];
        Assert.False(Lz4.TryCompress(input, tooSmall, out written), $"{name}: {size - 1} bytes accepted");
        Assert.Equal(0, written);
    }

    [Fact]
    public void Compress_ThousandsOfInputsInSequence_EachByteIdenticalToLibLz4()
    {
        // A thread's table is reused from one input to the next without clearing it; what an earlier input
        // left there must change nothing. Many small inputs in a row wrap the table's 16-bit positions many
        // times; inputs that share their first bytes with earlier ones (like the entities of one type) are where
        // a stale entry read as a real position would change the output.
        LibLz4.EnsureAvailable();
        int seed = FuzzSeed.Get(11_2026);
        var random = new Random(seed);
        byte[] prefix = new byte[64];
        random.NextBytes(prefix);
        long total = 0;
        for (int i = 0; i < 3000; i++)
        {
            int length = (i % 97) switch
            {
                0 => random.Next(4_000, 70_000),
                1 => random.Next(0, 13),
                _ => random.Next(13, 1_200),
            };
            byte[] input = new byte[length];
            FillEntityLike(random, input, prefix);
            total += length;

            byte[] ours = CompressWithOurs(input);
            byte[] theirs = LibLz4.Compress(input);
            int firstDifference = ours.AsSpan().CommonPrefixLength(theirs);
            Assert.True(
                ours.Length == theirs.Length && firstDifference == ours.Length,
                $"seed {seed}, input {i} ({length} bytes): {ours.Length} bytes against liblz4's {theirs.Length}, first difference at byte {firstDifference}");
        }

        Assert.True(total > 20 * ushort.MaxValue, $"seed {seed}: only {total} bytes compressed, too few to wrap the table");
    }

    /// <summary>Bytes like a stored entity's: a shared start, then runs of repeated and of random bytes.</summary>
    private static void FillEntityLike(Random random, byte[] input, byte[] prefix)
    {
        int position = 0;
        if (random.Next(2) == 0)
        {
            int shared = Math.Min(input.Length, random.Next(4, prefix.Length));
            prefix.AsSpan(0, shared).CopyTo(input);
            position = shared;
        }

        while (position < input.Length)
        {
            int run = Math.Min(input.Length - position, random.Next(1, 24));
            if (random.Next(3) == 0)
            {
                input.AsSpan(position, run).Fill((byte)random.Next(4));
            }
            else
            {
                random.NextBytes(input.AsSpan(position, run));
            }

            position += run;
        }
    }

    private static byte[] CompressWithOurs(byte[] input)
    {
        byte[] buffer = new byte[Lz4.MaxCompressedLength(input.Length)];
        int length = Lz4.Compress(input, buffer);
        return buffer.AsSpan(0, length).ToArray();
    }
}
