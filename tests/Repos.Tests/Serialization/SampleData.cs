using System.Buffers.Binary;
using System.Text;

namespace Repos.Tests.Serialization;

/// <summary>
/// Deterministic inputs for codec tests and benchmarks: MessagePack-encoded entity payloads shaped like the
/// ones Repos stores (maps from small integer field ids to strings, integers and nested arrays), English-like
/// text, and the usual extremes. Everything is a pure function of its arguments.
/// </summary>
/// <remarks>
/// The MessagePack is hand-encoded here for now; it is meant to switch to the project's MessagePackWriter.
/// </remarks>
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
        var writer = new Writer(approximateSize + 256);
        WriteEntity(ref writer, random, approximateSize);
        return writer.ToArray();
    }

    /// <summary>
    /// Serialized entities back to back, trimmed to exactly <paramref name="length"/> bytes: the shape of a
    /// large payload (an export, a batch) built from many similar records.
    /// </summary>
    public static byte[] Entities(int length, int seed = 1)
    {
        var random = new Random(seed);
        var writer = new Writer(length + 4096);
        while (writer.Length < length)
        {
            WriteEntity(ref writer, random, 200 + random.Next(1200));
        }

        return writer.ToArray().AsSpan(0, length).ToArray();
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

    private static void WriteEntity(ref Writer writer, Random random, int approximateSize)
    {
        int start = writer.Length;
        int budget = Math.Max(approximateSize, 16);

        // Field ids 0..n, as the catalog assigns them: key, owner, date, scores, a list of nested records, notes.
        int fields = budget < 40 ? 2 : budget < 120 ? 5 : 8;
        writer.MapHeader(fields);
        writer.Int(0);
        writer.Int(random.Next(1, 1_000_000));
        writer.Int(1);
        writer.String(budget < 40 ? "u" + random.Next(100) : $"user-{random.Next(1000):D4}@example.org");
        if (fields == 2)
        {
            return;
        }

        writer.Int(2);
        writer.Int(738_000 + random.Next(3000)); // a DateOnly day number
        writer.Int(3);
        writer.Int(random.Next(1, 11));
        writer.Int(4);
        writer.Bool(random.Next(2) == 0);
        if (fields == 5)
        {
            return;
        }

        writer.Int(5);
        writer.Int(1_700_000_000_000L + random.Next()); // a timestamp in ms

        // Nested records: [ [symptomId, severity, "name"], ... ]
        int remaining = budget - (writer.Length - start);
        int nested = Math.Clamp(remaining / 60, 0, 15);
        writer.Int(6);
        writer.ArrayHeader(nested);
        for (int i = 0; i < nested; i++)
        {
            writer.ArrayHeader(3);
            writer.Int(random.Next(1, 40));
            writer.Int(random.Next(1, 11));
            writer.String(s_symptoms[random.Next(s_symptoms.Length)]);
        }

        // Free-text notes take up the rest of the budget.
        remaining = Math.Max(budget - (writer.Length - start) - 4, 0);
        writer.Int(7);
        writer.String(Encoding.ASCII.GetString(Text(remaining, random.Next())));
    }

    private static int Zipf(Random random, int n)
    {
        // A cheap skew: low ranks (common words) are picked far more often, as in real text.
        double u = random.NextDouble();
        return Math.Min((int)(n * u * u * u), n - 1);
    }

    /// <summary>The MessagePack subset the entities need, written as the spec says (big-endian, smallest form).</summary>
    private struct Writer(int capacity)
    {
        private byte[] _buffer = new byte[capacity];

        public int Length { get; private set; }

        public readonly byte[] ToArray() => _buffer.AsSpan(0, Length).ToArray();

        public void MapHeader(int count) => Byte((byte)(0x80 | count)); // fixmap, count < 16

        public void ArrayHeader(int count) => Byte((byte)(0x90 | count)); // fixarray, count < 16

        public void Bool(bool value) => Byte(value ? (byte)0xC3 : (byte)0xC2);

        public void Int(long value)
        {
            if (value is >= 0 and < 128)
            {
                Byte((byte)value);
            }
            else if (value is >= 0 and <= ushort.MaxValue)
            {
                Byte(0xCD);
                BinaryPrimitives.WriteUInt16BigEndian(Span(2), (ushort)value);
            }
            else if (value is >= 0 and <= uint.MaxValue)
            {
                Byte(0xCE);
                BinaryPrimitives.WriteUInt32BigEndian(Span(4), (uint)value);
            }
            else
            {
                Byte(0xD3);
                BinaryPrimitives.WriteInt64BigEndian(Span(8), value);
            }
        }

        public void String(string value)
        {
            int length = Encoding.UTF8.GetByteCount(value);
            if (length < 32)
            {
                Byte((byte)(0xA0 | length));
            }
            else if (length < 256)
            {
                Byte(0xD9);
                Byte((byte)length);
            }
            else if (length < 65536)
            {
                Byte(0xDA);
                BinaryPrimitives.WriteUInt16BigEndian(Span(2), (ushort)length);
            }
            else
            {
                Byte(0xDB);
                BinaryPrimitives.WriteUInt32BigEndian(Span(4), (uint)length);
            }

            Encoding.UTF8.GetBytes(value, Span(length));
        }

        private void Byte(byte value) => Span(1)[0] = value;

        private Span<byte> Span(int length)
        {
            if (Length + length > _buffer.Length)
            {
                Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, Length + length));
            }

            Span<byte> span = _buffer.AsSpan(Length, length);
            Length += length;
            return span;
        }
    }
}
