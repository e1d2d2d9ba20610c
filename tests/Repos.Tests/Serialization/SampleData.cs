using System.Buffers;
using System.Text;
using Repos.Serialization;

namespace Repos.Tests.Serialization;

/// <summary>
/// Deterministic inputs for codec tests and benchmarks: MessagePack-encoded entity payloads shaped like the
/// ones Repos stores (maps from small integer field ids to strings, integers and nested arrays), English-like
/// text, and the usual extremes. Everything is a pure function of its arguments.
/// </summary>
internal static class SampleData
{
    private static readonly string[] s_words =
    [
        "the", "of", "and", "to", "in", "a", "is", "that", "for", "it", "as", "was", "with", "be", "by", "on", "not",
        "he", "this", "are", "or", "his", "from", "at", "which", "but", "have", "an", "had", "they", "you", "were",
        "their", "one", "all", "we", "can", "her", "has", "there", "been", "if", "more", "when", "will", "would",
        "who", "so", "no", "headache", "fatigue", "nausea", "morning", "evening", "medication", "dose", "symptom",
        "sleep", "walked", "better", "worse", "today", "yesterday", "appointment", "doctor", "pain", "mild",
        "severe", "moderate", "breakfast", "lunch", "dinner", "water", "coffee", "exercise", "stress", "work",
        "weather", "rain", "sunny", "cold", "warm", "tired", "energy", "mood", "anxious", "calm", "notes",
        "repository", "entity", "offline", "synchronise", "database", "record", "value", "index", "version",
    ];

    private static readonly string[] s_symptoms =
        ["Headache", "Fatigue", "Nausea", "Dizziness", "Joint pain", "Insomnia", "Back pain", "Cough"];

    /// <summary>English-like text of exactly <paramref name="length"/> bytes: words, punctuation, line breaks.</summary>
    public static byte[] Text(int length, int seed = 1)
    {
        var random = new Random(seed);
        var builder = new StringBuilder(length + 32);
        int sentenceWords = 0;
        bool capital = true;
        while (builder.Length < length)
        {
            string word = s_words[Zipf(random, s_words.Length)];
            builder.Append(capital ? char.ToUpperInvariant(word[0]) + word[1..] : word);
            capital = false;
            sentenceWords++;
            if (sentenceWords > 6 && random.Next(8) == 0)
            {
                builder.Append(random.Next(10) == 0 ? "?" : ".");
                builder.Append(random.Next(6) == 0 ? "\n" : " ");
                sentenceWords = 0;
                capital = true;
            }
            else
            {
                builder.Append(random.Next(12) == 0 ? ", " : " ");
            }
        }

        return Encoding.ASCII.GetBytes(builder.ToString(0, length));
    }

    /// <summary>One serialized entity of roughly <paramref name="approximateSize"/> bytes (at least 16).</summary>
    public static byte[] Entity(int seed, int approximateSize)
    {
        var random = new Random(seed);
        var output = new ArrayBufferWriter<byte>(approximateSize + 256);
        WriteEntity(output, random, approximateSize);
        return output.WrittenSpan.ToArray();
    }

    /// <summary>
    /// Serialized entities back to back, trimmed to exactly <paramref name="length"/> bytes: the shape of a
    /// large payload (an export, a batch) built from many similar records.
    /// </summary>
    public static byte[] Entities(int length, int seed = 1)
    {
        var random = new Random(seed);
        var output = new ArrayBufferWriter<byte>(length + 4096);
        while (output.WrittenCount < length)
        {
            WriteEntity(output, random, 200 + random.Next(1200));
        }

        return output.WrittenSpan[..length].ToArray();
    }

    /// <summary>Uniformly random bytes: incompressible.</summary>
    public static byte[] Random(int length, int seed = 1)
    {
        byte[] bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    /// <summary>A random pattern of <paramref name="period"/> bytes repeated to <paramref name="length"/> bytes.</summary>
    public static byte[] Periodic(int length, int period, int seed = 1)
    {
        byte[] pattern = Random(period, seed);
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++)
        {
            bytes[i] = pattern[i % period];
        }

        return bytes;
    }

    private static void WriteEntity(ArrayBufferWriter<byte> output, Random random, int approximateSize)
    {
        int start = output.WrittenCount;
        var writer = new MessagePackWriter(output);
        int budget = Math.Max(approximateSize, 16);

        // Field ids 0..n, as the catalog assigns them: key, owner, date, scores, a list of nested records, notes.
        int fields = budget < 40 ? 2 : budget < 120 ? 5 : 8;
        writer.WriteMapHeader(fields);
        writer.Write(0);
        writer.Write(random.Next(1, 1_000_000));
        writer.Write(1);
        writer.Write(budget < 40 ? "u" + random.Next(100) : $"user-{random.Next(1000):D4}@example.org");
        if (fields == 2)
        {
            writer.Flush();
            return;
        }

        writer.Write(2);
        writer.Write(738_000 + random.Next(3000)); // a DateOnly day number
        writer.Write(3);
        writer.Write(random.Next(1, 11));
        writer.Write(4);
        writer.Write(random.Next(2) == 0);
        if (fields == 5)
        {
            writer.Flush();
            return;
        }

        writer.Write(5);
        writer.Write(1_700_000_000_000L + random.Next()); // a timestamp in ms

        // Nested records: [ [symptomId, severity, "name"], ... ]
        int remaining = budget - (Written(ref writer, output) - start);
        int nested = Math.Clamp(remaining / 60, 0, 15);
        writer.Write(6);
        writer.WriteArrayHeader(nested);
        for (int i = 0; i < nested; i++)
        {
            writer.WriteArrayHeader(3);
            writer.Write(random.Next(1, 40));
            writer.Write(random.Next(1, 11));
            writer.Write(s_symptoms[random.Next(s_symptoms.Length)]);
        }

        // Free-text notes take up the rest of the budget.
        remaining = Math.Max(budget - (Written(ref writer, output) - start) - 4, 0);
        writer.Write(7);
        writer.Write(Encoding.ASCII.GetString(Text(remaining, random.Next())));
        writer.Flush();
    }

    // How much the entity has taken so far: the writer commits to the buffer when flushed.
    private static int Written(ref MessagePackWriter writer, ArrayBufferWriter<byte> output)
    {
        writer.Flush();
        return output.WrittenCount;
    }

    private static int Zipf(Random random, int n)
    {
        // A cheap skew: low ranks (common words) are picked far more often, as in real text.
        double u = random.NextDouble();
        return Math.Min((int)(n * u * u * u), n - 1);
    }
}
