using System.Text;
using Repos.Serialization;
using Repos.Tests.Native;
using Xunit.Abstractions;

namespace Repos.Tests.Serialization;

/// <summary>
/// LZ4 blocks compressed with a <see cref="CompressionDictionary"/>, against liblz4's dictionary API in both
/// directions, and the dictionary builder.
/// </summary>
public sealed class Lz4DictionaryTests(ITestOutputHelper output)
{
    public static IEnumerable<object[]> Cases => Lz4Cases.Names;

    /// <summary>Diary-like records: shared field names and words, a random id and numbers in each.</summary>
    internal static List<byte[]> Records(int count, int seed)
    {
        string[] words = ["slept", "badly", "well", "headache", "after", "lunch", "walked", "the", "dog", "tired", "medication", "morning"];
        var random = new Random(seed);
        var records = new List<byte[]>(count);
        var id = new byte[16];
        for (int i = 0; i < count; i++)
        {
            random.NextBytes(id);
            var text = new StringBuilder();
            text.Append("{\"id\":\"").Append(new Guid(id)).Append("\",\"user\":\"user-").Append(random.Next(30).ToString("D2"));
            text.Append("\",\"health\":").Append(random.Next(1, 11)).Append(",\"notes\":\"");
            int length = random.Next(20, 200);
            while (text.Length < length + 80)
            {
                text.Append(words[random.Next(words.Length)]).Append(' ');
            }

            text.Append("\"}");
            records.Add(Encoding.UTF8.GetBytes(text.ToString()));
        }

        return records;
    }

    internal static CompressionDictionary TrainOn(List<byte[]> records, int length = CompressionDictionary.DefaultLength) =>
        CompressionDictionary.Train(records.Select(r => (ReadOnlyMemory<byte>)r).ToList(), length)
        ?? throw new InvalidOperationException("no dictionary trained");

    private static readonly Lazy<CompressionDictionary> s_dictionary = new(() => TrainOn(Records(300, 17)));

    [Theory]
    [MemberData(nameof(Cases))]
    public void Compress_WithDictionary_LibLz4DecodesWithTheSameDictionary(string name)
    {
        LibLz4.EnsureAvailable();
        byte[] input = Lz4Cases.Get(name);
        CompressionDictionary dictionary = s_dictionary.Value;
        byte[] block = new byte[Lz4.MaxCompressedLength(input.Length)];
        Assert.True(Lz4.TryCompress(input, block, dictionary, out int length));

        byte[] decoded = new byte[input.Length + 64];
        int written = LibLz4.DecompressWithDictionary(block.AsSpan(0, length), decoded, dictionary.Content.Span);
        Assert.Equal(input.Length, written);
        Assert.True(input.AsSpan().SequenceEqual(decoded.AsSpan(0, written)), $"{name}: liblz4 decoded different bytes");

        byte[] ours = new byte[input.Length];
        Assert.Equal(input.Length, Lz4.Decompress(block.AsSpan(0, length), ours, dictionary));
        Assert.True(input.AsSpan().SequenceEqual(ours), $"{name}: decoded different bytes");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Decompress_LibLz4BlockWithDictionary_ReturnsOriginal(string name)
    {
        LibLz4.EnsureAvailable();
        byte[] input = Lz4Cases.Get(name);
        CompressionDictionary dictionary = s_dictionary.Value;
        byte[] block = LibLz4.CompressWithDictionary(input, dictionary.Content.Span);

        byte[] decoded = new byte[input.Length];
        Assert.Equal(input.Length, Lz4.Decompress(block, decoded, dictionary));
        Assert.True(input.AsSpan().SequenceEqual(decoded), $"{name}: decoded different bytes");
    }

    [Fact]
    public void Records_ManyInARow_EachDecodesByLibLz4_AndTheDictionaryPays()
    {
        LibLz4.EnsureAvailable();
        const int Seed = 4242;
        List<byte[]> records = Records(3000, Seed);
        CompressionDictionary dictionary = TrainOn(records.Take(300).ToList());
        long plain = 0;
        long withDictionary = 0;
        long raw = 0;
        var block = new byte[Lz4.MaxCompressedLength(1024)];
        var decoded = new byte[1024];
        for (int i = 0; i < records.Count; i++)
        {
            byte[] record = records[i];
            raw += record.Length;
            plain += Lz4.Compress(record, block);
            Assert.True(Lz4.TryCompress(record, block, dictionary, out int length));
            withDictionary += length;
            int written = LibLz4.DecompressWithDictionary(block.AsSpan(0, length), decoded, dictionary.Content.Span);
            Assert.True(written == record.Length && record.AsSpan().SequenceEqual(decoded.AsSpan(0, written)), $"record {i} (seed {Seed})");
        }

        output.WriteLine($"raw {raw}, LZ4 {plain}, with dictionary {withDictionary}");
        Assert.True(withDictionary < plain * 0.75, $"dictionary {withDictionary} bytes against {plain} without (seed {Seed})");
    }

    [Fact]
    public void Compress_InputTooLongToShareTheWindow_IsAPlainBlockThatDecodesEitherWay()
    {
        var random = new Random(99);
        byte[] input = new byte[70_000];
        for (int i = 0; i < input.Length; i++)
        {
            input[i] = (byte)"abcdefgh"[random.Next(8)];
        }

        CompressionDictionary dictionary = s_dictionary.Value;
        byte[] block = new byte[Lz4.MaxCompressedLength(input.Length)];
        Assert.True(Lz4.TryCompress(input, block, dictionary, out int length));
        byte[] plain = new byte[input.Length];
        Assert.Equal(input.Length, Lz4.Decompress(block.AsSpan(0, length), plain));
        byte[] withDictionary = new byte[input.Length];
        Assert.Equal(input.Length, Lz4.Decompress(block.AsSpan(0, length), withDictionary, dictionary));
        Assert.Equal(input, plain);
        Assert.Equal(input, withDictionary);
    }

    [Fact]
    public void Decompress_LargeOutputOfAnotherWriter_UsesTheDictionaryOutsideTheWindow()
    {
        LibLz4.EnsureAvailable();
        CompressionDictionary dictionary = s_dictionary.Value;
        byte[] input = Records(600, 5).SelectMany(r => r).ToArray();
        Assert.True(input.Length > 70_000);
        byte[] block = LibLz4.CompressWithDictionary(input, dictionary.Content.Span);
        byte[] decoded = new byte[input.Length];
        Assert.Equal(input.Length, Lz4.Decompress(block, decoded, dictionary));
        Assert.Equal(input, decoded);
    }

    [Fact]
    public void Decompress_MatchBeforeTheDictionary_IsRefused()
    {
        CompressionDictionary dictionary = new("0123456789abcdef"u8);

        // A token of 0 literals and a 4-byte match at offset 17 (one byte before the 16-byte dictionary), then 12 literals.
        byte[] block = [0x00, 17, 0, 0xC0, .. "vwxyzvwxyzvw"u8];
        var e = Assert.Throws<ReposFormatException>(() => Lz4.Decompress(block, new byte[64], dictionary));
        Assert.Contains("before the start", e.Message);

        // Offset 16 reaches the dictionary's first byte: valid.
        block[1] = 16;
        byte[] decoded = new byte[16];
        Assert.Equal(16, Lz4.Decompress(block, decoded, dictionary));
        Assert.Equal("0123vwxyzvwxyzvw"u8.ToArray(), decoded);

        // Without the dictionary, the same block is refused.
        Assert.Throws<ReposFormatException>(() => Lz4.Decompress(block, new byte[64]));
    }

    [Fact]
    public void Decompress_MutatedDictionaryBlocks_NeverFailOtherwise_AndAgreeWithLibLz4WhenValid()
    {
        LibLz4.EnsureAvailable();
        const int Seed = 777;
        var random = new Random(Seed);
        CompressionDictionary dictionary = s_dictionary.Value;
        List<byte[]> records = Records(200, 3);
        var ours = new byte[2048];
        var theirs = new byte[2048];
        for (int round = 0; round < 4000; round++)
        {
            byte[] record = records[round % records.Count];
            byte[] block = new byte[Lz4.MaxCompressedLength(record.Length)];
            Assert.True(Lz4.TryCompress(record, block, dictionary, out int length));
            byte[] mutated = block.AsSpan(0, length).ToArray();
            for (int m = random.Next(1, 4); m > 0; m--)
            {
                mutated[random.Next(mutated.Length)] = (byte)random.Next(256);
            }

            int written;
            try
            {
                written = Lz4.Decompress(mutated, ours, dictionary);
            }
            catch (ReposFormatException)
            {
                continue;
            }

            int reference = LibLz4.DecompressWithDictionary(mutated, theirs, dictionary.Content.Span);
            Assert.True(reference == written && ours.AsSpan(0, written).SequenceEqual(theirs.AsSpan(0, written)),
                $"round {round} (seed {Seed}): ours {written} bytes, liblz4 {reference}");
        }
    }

    [Fact]
    public void Train_SameSamples_SameDictionary_WithinTheLength()
    {
        List<byte[]> records = Records(500, 8);
        CompressionDictionary first = TrainOn(records, 4096);
        CompressionDictionary second = TrainOn(records, 4096);
        Assert.Equal(first.Id, second.Id);
        Assert.True(first.Content.Span.SequenceEqual(second.Content.Span));
        Assert.InRange(first.Length, 64, 4096);
        Assert.Equal(Crc32C.Compute(first.Content.Span), first.Id);
    }

    [Fact]
    public void Train_SamplesThatShareNothing_GivesNoDictionary()
    {
        var random = new Random(12);
        var samples = new List<ReadOnlyMemory<byte>>();
        for (int i = 0; i < 200; i++)
        {
            byte[] sample = new byte[300];
            random.NextBytes(sample);
            samples.Add(sample);
        }

        Assert.Null(CompressionDictionary.Train(samples));
    }

    [Fact]
    public void Train_SamplesShorterThanASegment_OrNone_GiveNoDictionary()
    {
        Assert.Null(CompressionDictionary.Train([]));
        Assert.Null(CompressionDictionary.Train(Enumerable.Repeat((ReadOnlyMemory<byte>)"short"u8.ToArray(), 50).ToList()));
    }

    [Fact]
    public void Constructor_RefusesEmptyAndOversizedContent()
    {
        Assert.Throws<ArgumentException>(() => new CompressionDictionary([]));
        Assert.Throws<ArgumentException>(() => new CompressionDictionary(new byte[CompressionDictionary.MaxLength + 1]));
        Assert.Throws<ArgumentOutOfRangeException>(() => CompressionDictionary.Train([], CompressionDictionary.MaxLength + 1));
    }
}
