using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace Repos.Serialization;

/// <summary>
/// Bytes that LZ4 blocks may copy from as if they came before the input: the field ids, strings and values that
/// recur from one entity to the next, so that a small entity, which has too little of itself to repeat, still
/// compresses. Identified by <see cref="Id"/>, the CRC-32C of its content, which every envelope compressed with
/// it names (docs/format.md).
/// </summary>
public sealed class CompressionDictionary
{
    /// <summary>The longest dictionary: 32 KB, so that a dictionary and an entity of up to 32 KB share LZ4's 64 KB reach.</summary>
    public const int MaxLength = 32 * 1024;

    /// <summary>The length <see cref="Train"/> aims for unless told otherwise: 8 KB.</summary>
    public const int DefaultLength = 8 * 1024;

    // Same table as the compressor's for inputs under 64 KB: 8192 slots, LZ4_hash4.
    private const int HashSlots = 1 << 13;

    private readonly byte[] _content;

    /// <summary>A dictionary of the given bytes.</summary>
    /// <param name="content">The dictionary's bytes, 1 to <see cref="MaxLength"/> of them; they are copied.</param>
    /// <exception cref="ArgumentException">The content is empty, longer than <see cref="MaxLength"/>, or has a CRC-32C of 0 (kept for "no dictionary").</exception>
    public CompressionDictionary(ReadOnlySpan<byte> content)
    {
        if (content.IsEmpty || content.Length > MaxLength)
        {
            throw new ArgumentException($"A compression dictionary holds 1 to {MaxLength} bytes, not {content.Length}.", nameof(content));
        }

        uint id = Crc32C.Compute(content);
        if (id == 0)
        {
            throw new ArgumentException("A compression dictionary whose CRC-32C is 0 cannot be named in an envelope; change a byte.", nameof(content));
        }

        _content = content.ToArray();
        Id = id;
        HashTable = BuildHashTable(_content);
    }

    /// <summary>The dictionary's name in envelopes: the CRC-32C of its content, never 0.</summary>
    public uint Id { get; }

    /// <summary>The dictionary's bytes.</summary>
    public ReadOnlyMemory<byte> Content => _content;

    /// <summary>The number of bytes of the dictionary.</summary>
    public int Length => _content.Length;

    /// <summary>For each LZ4 hash of 4 bytes, the last position in the dictionary with that hash (0 when none).</summary>
    internal ushort[] HashTable { get; }

    /// <summary>
    /// Builds a dictionary from samples of the data it will compress (payloads of one entity type): the segments
    /// that hold the byte strings found in the most samples, chosen across the whole sample set so that the
    /// dictionary reflects all of it, as the "fast cover" method of Zstandard's dictionary builder does. Every
    /// fifth sample is kept out of the training to judge the result.
    /// </summary>
    /// <param name="samples">The samples; only their first 1 MiB in total is read.</param>
    /// <param name="maxLength">The longest dictionary to build, at most <see cref="MaxLength"/>.</param>
    /// <returns>
    /// The dictionary, or <see langword="null"/> when none would shrink the samples' LZ4 blocks by at least 10%
    /// (no byte string recurs from sample to sample).
    /// </returns>
    /// <exception cref="ArgumentNullException"><paramref name="samples"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxLength"/> is not between 64 and <see cref="MaxLength"/>.</exception>
    public static CompressionDictionary? Train(IReadOnlyList<ReadOnlyMemory<byte>> samples, int maxLength = DefaultLength)
    {
        ArgumentNullException.ThrowIfNull(samples);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, SegmentLength);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxLength, MaxLength);
        // Every fifth sample is held out to judge the dictionary: the others' own bytes are in it.
        var training = new List<ReadOnlyMemory<byte>>(samples.Count);
        var heldOut = new List<ReadOnlyMemory<byte>>((samples.Count / 5) + 1);
        for (int i = 0; i < samples.Count; i++)
        {
            (i % 5 == 4 ? heldOut : training).Add(samples[i]);
        }

        byte[]? content = heldOut.Count == 0 ? null : DictionaryTrainer.Train(training, maxLength);
        if (content is null || Crc32C.Compute(content) == 0)
        {
            return null;
        }

        var dictionary = new CompressionDictionary(content);
        return dictionary.Pays(heldOut) ? dictionary : null;
    }

    /// <summary>Whether the held-out samples compress to at most 90% of their LZ4 size without the dictionary.</summary>
    private bool Pays(IReadOnlyList<ReadOnlyMemory<byte>> samples)
    {
        long plain = 0;
        long withDictionary = 0;
        long read = 0;
        byte[] block = [];
        foreach (ReadOnlyMemory<byte> sample in samples)
        {
            if ((read += sample.Length) > DictionaryTrainer.MaxSampleBytes)
            {
                break;
            }

            int bound = Lz4.MaxCompressedLength(sample.Length);
            if (block.Length < bound)
            {
                block = new byte[bound];
            }

            plain += Lz4.Compress(sample.Span, block);
            Lz4.TryCompress(sample.Span, block, this, out int written);
            withDictionary += written;
        }

        return withDictionary * 10 <= plain * 9;
    }

    /// <summary>The length of the segments <see cref="Train"/> picks.</summary>
    internal const int SegmentLength = 64;

    [SkipLocalsInit]
    private static ushort[] BuildHashTable(byte[] content)
    {
        var table = new ushort[HashSlots];
        for (int i = 0; i + 4 <= content.Length; i++)
        {
            uint hash = (BinaryPrimitives.ReadUInt32LittleEndian(content.AsSpan(i)) * 2654435761U) >> (32 - 13);
            table[hash] = (ushort)i;
        }

        return table;
    }
}

/// <summary>
/// The dictionary builder behind <see cref="CompressionDictionary.Train"/>: count in how many samples each
/// 6-byte string occurs; split the samples into as many stretches ("epochs") as the dictionary has segments;
/// in each, take the 64-byte segment whose distinct strings have the highest total count, and zero the counts
/// of its strings so that later segments bring new ones. Linear in the sample bytes; memory is two tables of
/// 2^18 counters whatever the samples.
/// </summary>
internal static class DictionaryTrainer
{
    public const int MaxSampleBytes = 1 << 20;
    private const int StringLength = 6;
    private const int TableBits = 18;

    public static byte[]? Train(IReadOnlyList<ReadOnlyMemory<byte>> samples, int maxLength)
    {
        // The samples end to end, with where each starts, so that segments never straddle two.
        int total = 0;
        var starts = new List<int>(samples.Count + 1);
        foreach (ReadOnlyMemory<byte> each in samples)
        {
            if (total + each.Length > MaxSampleBytes)
            {
                break;
            }

            starts.Add(total);
            total += each.Length;
        }

        starts.Add(total);
        var data = new byte[total];
        for (int s = 0; s < starts.Count - 1; s++)
        {
            samples[s].Span.CopyTo(data.AsSpan(starts[s]));
        }

        // In how many samples each string occurs (a string repeated inside one sample LZ4 finds without help).
        var frequency = new int[1 << TableBits];
        var seenIn = new int[1 << TableBits];
        for (int s = 0; s < starts.Count - 1; s++)
        {
            for (int i = starts[s]; i + StringLength <= starts[s + 1]; i++)
            {
                uint hash = Hash(data, i);
                if (seenIn[hash] != s + 1)
                {
                    seenIn[hash] = s + 1;
                    frequency[hash]++;
                }
            }
        }

        int segments = Math.Max(1, maxLength / CompressionDictionary.SegmentLength);
        int epoch = Math.Max(CompressionDictionary.SegmentLength, total / segments);
        var dictionary = new List<byte>(maxLength);
        var inWindow = seenIn; // reused: how many times each string is in the current window
        Array.Clear(inWindow);
        int sample = 0;
        for (int begin = 0; begin < total && dictionary.Count + CompressionDictionary.SegmentLength <= maxLength; begin += epoch)
        {
            int end = Math.Min(total, begin + epoch);
            (int at, long score) = BestSegment(data, starts, ref sample, begin, end, frequency, inWindow);

            // A segment of strings that no two samples share would only take room.
            if (score <= 0)
            {
                continue;
            }

            int length = Math.Min(CompressionDictionary.SegmentLength, total - at);
            for (int i = at; i + StringLength <= at + length; i++)
            {
                frequency[Hash(data, i)] = 0;
            }

            dictionary.AddRange(data.AsSpan(at, length));
        }

        return dictionary.Count < 4 ? null : dictionary.ToArray();
    }

    /// <summary>
    /// The start and score of the best segment starting in [begin, end) that lies inside one sample: the sum of
    /// the counts (above one) of its distinct strings, found with a window sliding one byte at a time.
    /// </summary>
    private static (int At, long Score) BestSegment(byte[] data, List<int> starts, ref int sample, int begin, int end, int[] frequency, int[] inWindow)
    {
        const int Strings = CompressionDictionary.SegmentLength - StringLength + 1;
        int bestAt = begin;
        long bestScore = 0;
        while (sample < starts.Count - 2 && starts[sample + 1] <= begin)
        {
            sample++;
        }

        int s = sample;
        int position = begin;
        while (position < end && s < starts.Count - 1)
        {
            int sampleEnd = starts[s + 1];
            int last = Math.Min(end, sampleEnd - CompressionDictionary.SegmentLength + 1);
            if (position < last)
            {
                // Slide a window of Strings strings over [position, last + Strings) inside this sample.
                long score = 0;
                for (int i = position; i < position + Strings; i++)
                {
                    score += Add(data, i, frequency, inWindow);
                }

                for (int at = position; ; at++)
                {
                    if (score > bestScore)
                    {
                        bestScore = score;
                        bestAt = at;
                    }

                    if (at + 1 >= last)
                    {
                        break;
                    }

                    score -= Remove(data, at, frequency, inWindow);
                    score += Add(data, at + Strings, frequency, inWindow);
                }

                for (int i = last - 1; i < last - 1 + Strings; i++)
                {
                    inWindow[Hash(data, i)] = 0;
                }
            }

            position = sampleEnd;
            s++;
        }

        return (bestAt, bestScore);
    }

    private static long Add(byte[] data, int i, int[] frequency, int[] inWindow)
    {
        uint hash = Hash(data, i);
        return inWindow[hash]++ == 0 && frequency[hash] > 1 ? frequency[hash] : 0;
    }

    private static long Remove(byte[] data, int i, int[] frequency, int[] inWindow)
    {
        uint hash = Hash(data, i);
        return --inWindow[hash] == 0 && frequency[hash] > 1 ? frequency[hash] : 0;
    }

    private static uint Hash(byte[] data, int i)
    {
        ulong value = BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(i)) | ((ulong)BinaryPrimitives.ReadUInt16LittleEndian(data.AsSpan(i + 4)) << 32);
        return (uint)((value * 0xCF1BBCDCB7A56463UL) >> (64 - TableBits));
    }
}
