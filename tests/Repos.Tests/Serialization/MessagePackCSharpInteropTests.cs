using System.Buffers;
using System.Text;
using Repos.Serialization;
using Xunit.Abstractions;
using static Repos.Tests.Serialization.MessagePackValues;
using ContractlessStandardResolver = MessagePack.Resolvers.ContractlessStandardResolver;
using MessagePackSerializer = MessagePack.MessagePackSerializer;
using MessagePackSerializerOptions = MessagePack.MessagePackSerializerOptions;
using MpcReader = MessagePack.MessagePackReader;
using MpcWriter = MessagePack.MessagePackWriter;

namespace Repos.Tests.Serialization;

/// <summary>
/// Repos' MessagePack writer and reader against MessagePack-CSharp 2.5, the library the design names for the
/// format: every type family and header size, in both directions, value for value.
/// </summary>
public sealed class MessagePackCSharpInteropTests(ITestOutputHelper output)
{
    private static readonly MessagePackSerializerOptions s_contractless =
        MessagePackSerializerOptions.Standard.WithResolver(ContractlessStandardResolver.Instance);

    private static readonly Dictionary<string, object?> s_values = BuildValues();

    public static IEnumerable<object[]> Values => s_values.Keys.Select(name => new object[] { name });

    [Theory]
    [MemberData(nameof(Values))]
    public void ReposWrites_MessagePackCSharpReads_SameValue(string name)
    {
        object? value = s_values[name];
        byte[] bytes = EncodeWithRepos(value);

        Assert.Equal(Render(value), Render(ReadAllWithMessagePackCSharp(bytes)));
        if (IsScalar(value))
        {
            // And through the reader's own method for the .NET type, as a serializer would read it.
            var reader = new MpcReader(bytes);
            Assert.Equal(Render(value), Render(ReadTyped(ref reader, value!.GetType())));
        }
    }

    [Theory]
    [MemberData(nameof(Values))]
    public void MessagePackCSharpWrites_ReposReads_SameValue(string name)
    {
        object? value = s_values[name];
        byte[] bytes = EncodeWithMessagePackCSharp(value);

        Assert.Equal(Render(value), Render(ReadAllWithRepos(bytes)));
        if (IsScalar(value))
        {
            var reader = new MessagePackReader(bytes);
            Assert.Equal(Render(value), Render(ReadTyped(ref reader, value!.GetType())));
        }
    }

    [Theory]
    [MemberData(nameof(Values))]
    public void ReposAndMessagePackCSharp_WriteTheSameBytes(string name)
    {
        // Both write the shortest encoding the specification allows, so not only the values but the bytes agree.
        object? value = s_values[name];
        byte[] ours = EncodeWithRepos(value);
        byte[] theirs = EncodeWithMessagePackCSharp(value);

        int firstDifference = ours.AsSpan().CommonPrefixLength(theirs);
        Assert.True(ours.Length == theirs.Length && firstDifference == ours.Length,
            $"{name}: Repos {ours.Length} bytes, MessagePack-CSharp {theirs.Length}, first difference at {firstDifference}: " +
            $"{Convert.ToHexStringLower(ours.AsSpan(firstDifference, Math.Min(16, ours.Length - firstDifference)))} vs " +
            $"{Convert.ToHexStringLower(theirs.AsSpan(firstDifference, Math.Min(16, theirs.Length - firstDifference)))}");
    }

    [Fact]
    public void RandomValues_WrittenByEither_ReadByBoth_ToTheSameValue()
    {
        int seed = FuzzSeed.Get(20_261_202);
        var random = new Random(seed);
        for (int i = 0; i < 400; i++)
        {
            object? value = RandomValue(random, depth: 4, extensions: true);
            string expected = Render(value);
            byte[] ours = EncodeWithRepos(value);
            byte[] theirs = EncodeWithMessagePackCSharp(value);
            try
            {
                Assert.Equal(expected, Render(ReadAllWithMessagePackCSharp(ours)));
                Assert.Equal(expected, Render(ReadAllWithRepos(theirs)));
                Assert.True(ours.AsSpan().SequenceEqual(theirs), "the two writers wrote different bytes");
            }
            catch
            {
                output.WriteLine($"seed {seed} (REPOS_FUZZ_SEED), value {i}: {Truncate(expected)}");
                throw;
            }
        }
    }

    [Fact]
    public void MessagePackSerializer_SerializesRandomDictionariesAndArrays_ReposReadsSameValues()
    {
        int seed = FuzzSeed.Get(7_300);
        var random = new Random(seed);
        for (int i = 0; i < 200; i++)
        {
            object? value = RandomValue(random, depth: 4, extensions: false);
            byte[] bytes = MessagePackSerializer.Serialize(ToSerializerObject(value), s_contractless);
            Assert.True(Render(value) == Render(ReadAllWithRepos(bytes)), $"seed {seed} (REPOS_FUZZ_SEED), value {i}: {Truncate(Render(value))}");
        }
    }

    [Fact]
    public void MessagePackSerializer_DeserializesWhatReposWrites_ToSameValues()
    {
        int seed = FuzzSeed.Get(7_301);
        var random = new Random(seed);
        for (int i = 0; i < 200; i++)
        {
            object? value = RandomValue(random, depth: 4, extensions: false);
            object? theirs = MessagePackSerializer.Deserialize<object>(EncodeWithRepos(value), s_contractless);
            Assert.True(Render(value) == Render(theirs), $"seed {seed} (REPOS_FUZZ_SEED), value {i}: {Truncate(Render(value))}");
        }
    }

    [Fact]
    public void MessagePackSerializer_ContractlessObject_ReposReadsItsMembers()
    {
        var entry = new ContractlessEntry
        {
            Id = 42,
            UserId = "user-7f3a9c2e",
            Written = new DateTime(2025, 3, 14, 21, 42, 17, DateTimeKind.Utc).AddTicks(1234567),
            Score = 7.25,
            Ratio = 0.5f,
            Big = long.MinValue,
            Huge = ulong.MaxValue,
            Done = true,
            Notes = "Mild headache after lunch — eased by an evening walk. 頭痛 😀",
            Tags = ["a", "", "ü"],
            Counts = new() { ["walks"] = 2, ["naps"] = -1 },
            Data = [0, 1, 255],
            Symptoms = [new() { Name = "Headache", Severity = 3 }, new() { Name = "Fatigue", Severity = 200 }],
        };
        byte[] bytes = MessagePackSerializer.Serialize(entry, s_contractless);

        // Contractless objects are maps from member names to values; compared whatever order the members come in.
        var expected = new MapValue(
        [
            new("Id", 42), new("UserId", entry.UserId), new("Written", entry.Written), new("Score", 7.25), new("Ratio", 0.5f),
            new("Big", long.MinValue), new("Huge", ulong.MaxValue), new("Done", true), new("Notes", entry.Notes),
            new("Missing", null), new("Tags", new List<object?> { "a", "", "ü" }),
            new("Counts", new MapValue([new("walks", 2), new("naps", -1)])),
            new("Data", new byte[] { 0, 1, 255 }),
            new("Symptoms", new List<object?>
            {
                new MapValue([new("Name", "Headache"), new("Severity", 3)]),
                new MapValue([new("Name", "Fatigue"), new("Severity", 200)]),
            }),
        ]);
        Assert.Equal(Render(SortMaps(expected)), Render(SortMaps(ReadAllWithRepos(bytes))));
    }

    [Fact]
    public void MessagePackSerializer_DeserializesReposMap_IntoContractlessObject()
    {
        var value = new MapValue(
        [
            new("Id", -7), new("UserId", "ü-user"), new("Written", new DateTime(1969, 7, 20, 20, 17, 40, DateTimeKind.Utc)),
            new("Score", double.NegativeInfinity), new("Ratio", float.Epsilon), new("Big", 1L << 40), new("Huge", 1UL << 63),
            new("Done", false), new("Notes", new string('n', 300)), new("Missing", null),
            new("Tags", new List<object?> { "x" }), new("Counts", new MapValue([new("k", 65536)])),
            new("Data", SampleData.Random(70_000)),
            new("Symptoms", new List<object?> { new MapValue([new("Severity", -129), new("Name", "Cough")]) }),
        ]);

        ContractlessEntry entry = MessagePackSerializer.Deserialize<ContractlessEntry>(EncodeWithRepos(value), s_contractless);

        Assert.Equal(-7, entry.Id);
        Assert.Equal("ü-user", entry.UserId);
        Assert.Equal(new DateTime(1969, 7, 20, 20, 17, 40, DateTimeKind.Utc), entry.Written);
        Assert.Equal(double.NegativeInfinity, entry.Score);
        Assert.Equal(float.Epsilon, entry.Ratio);
        Assert.Equal(1L << 40, entry.Big);
        Assert.Equal(1UL << 63, entry.Huge);
        Assert.False(entry.Done);
        Assert.Equal(new string('n', 300), entry.Notes);
        Assert.Null(entry.Missing);
        Assert.Equal(["x"], entry.Tags);
        Assert.Equal(65536, entry.Counts["k"]);
        Assert.Equal(SampleData.Random(70_000), entry.Data);
        Assert.Equal("Cough", Assert.Single(entry.Symptoms).Name);
        Assert.Equal(-129, entry.Symptoms[0].Severity);
    }

    private static bool IsScalar(object? value) => value is not (null or MapValue or ExtensionValue or System.Collections.IList) || value is byte[];

    private static object? ReadTyped(ref MpcReader reader, Type type) => type switch
    {
        _ when type == typeof(bool) => (object?)reader.ReadBoolean(),
        _ when type == typeof(sbyte) => (object?)reader.ReadSByte(),
        _ when type == typeof(byte) => (object?)reader.ReadByte(),
        _ when type == typeof(short) => (object?)reader.ReadInt16(),
        _ when type == typeof(ushort) => (object?)reader.ReadUInt16(),
        _ when type == typeof(int) => (object?)reader.ReadInt32(),
        _ when type == typeof(uint) => (object?)reader.ReadUInt32(),
        _ when type == typeof(long) => (object?)reader.ReadInt64(),
        _ when type == typeof(ulong) => (object?)reader.ReadUInt64(),
        _ when type == typeof(float) => (object?)reader.ReadSingle(),
        _ when type == typeof(double) => (object?)reader.ReadDouble(),
        _ when type == typeof(string) => (object?)reader.ReadString(),
        _ when type == typeof(byte[]) => (object?)reader.ReadBytes()!.Value.ToArray(),
        _ when type == typeof(DateTime) => (object?)reader.ReadDateTime(),
        _ => throw new ArgumentException($"no typed read for {type}", nameof(type)),
    };

    private static object? ReadTyped(ref MessagePackReader reader, Type type) => type switch
    {
        _ when type == typeof(bool) => (object?)reader.ReadBoolean(),
        _ when type == typeof(sbyte) => (object?)reader.ReadSByte(),
        _ when type == typeof(byte) => (object?)reader.ReadByte(),
        _ when type == typeof(short) => (object?)reader.ReadInt16(),
        _ when type == typeof(ushort) => (object?)reader.ReadUInt16(),
        _ when type == typeof(int) => (object?)reader.ReadInt32(),
        _ when type == typeof(uint) => (object?)reader.ReadUInt32(),
        _ when type == typeof(long) => (object?)reader.ReadInt64(),
        _ when type == typeof(ulong) => (object?)reader.ReadUInt64(),
        _ when type == typeof(float) => (object?)reader.ReadSingle(),
        _ when type == typeof(double) => (object?)reader.ReadDouble(),
        _ when type == typeof(string) => (object?)reader.ReadString(),
        _ when type == typeof(byte[]) => (object?)reader.ReadBytes(),
        _ when type == typeof(DateTime) => (object?)reader.ReadDateTime(),
        _ => throw new ArgumentException($"no typed read for {type}", nameof(type)),
    };

    private static string Truncate(string text) => text.Length <= 300 ? text : text[..300] + "...";

    private static Dictionary<string, object?> BuildValues()
    {
        var values = new Dictionary<string, object?>
        {
            ["nil"] = null,
            ["true"] = true,
            ["false"] = false,
        };

        // Every integer width at its limits and at the edges of each encoding (fixint, 8, 16, 32, 64 bits).
        foreach (object integer in new object[]
        {
            sbyte.MinValue, sbyte.MaxValue, (sbyte)-33, (sbyte)-32, (sbyte)-1, (sbyte)0,
            byte.MinValue, byte.MaxValue, (byte)127, (byte)128,
            short.MinValue, short.MaxValue, (short)-129, (short)-128, (short)255, (short)256,
            ushort.MinValue, ushort.MaxValue, (ushort)255, (ushort)256,
            int.MinValue, int.MaxValue, -32769, -32768, 65535, 65536, 127, 128, -32, -33,
            uint.MinValue, uint.MaxValue, (uint)65535, (uint)65536,
            long.MinValue, long.MaxValue, (long)int.MinValue - 1, (long)int.MinValue, (long)uint.MaxValue, (long)uint.MaxValue + 1, 0L,
            ulong.MinValue, ulong.MaxValue, (ulong)long.MaxValue, (ulong)long.MaxValue + 1, (ulong)uint.MaxValue + 1,
        })
        {
            values[$"{integer.GetType().Name} {integer}"] = integer;
        }

        foreach (float single in new[] { 0f, -0f, 1.5f, float.Epsilon, float.MinValue, float.MaxValue, float.PositiveInfinity, float.NegativeInfinity, float.NaN, BitConverter.Int32BitsToSingle(0x7fa0_0001), BitConverter.Int32BitsToSingle(unchecked((int)0xffc0_1234)) })
        {
            values[$"float32 {BitConverter.SingleToUInt32Bits(single):x8}"] = single;
        }

        foreach (double number in new[] { 0d, -0d, 1e300, double.Epsilon, double.MinValue, double.MaxValue, double.PositiveInfinity, double.NegativeInfinity, double.NaN, BitConverter.Int64BitsToDouble(0x7ff4_0000_0000_0001), BitConverter.Int64BitsToDouble(unchecked((long)0xfff8_0000_dead_beef)) })
        {
            values[$"float64 {BitConverter.DoubleToUInt64Bits(number):x16}"] = number;
        }

        // Strings at each header's limits in UTF-8 bytes (fixstr 31, str8 255, str16 65535), in one-, two-,
        // three- and four-byte characters, across the writer's char-count thresholds (10, 1024).
        foreach (int bytes in new[] { 0, 1, 30, 31, 32, 255, 256, 3072, 3075, 65535, 65536, 100_000 })
        {
            values[$"ascii string {bytes} bytes"] = new string('a', bytes);
        }

        foreach ((string unit, int[] counts) in new[]
        {
            ("é", new[] { 10, 11, 15, 16, 127, 128, 1024, 1025, 32767, 32768 }),
            ("€", new[] { 10, 11, 85, 86, 1024, 1025, 21845, 21846 }),
            ("😀", new[] { 5, 6, 7, 8, 63, 64, 512, 513, 16383, 16384 }),
        })
        {
            foreach (int count in counts)
            {
                string text = string.Concat(Enumerable.Repeat(unit, count));
                values[$"string {count} x {unit} ({Encoding.UTF8.GetByteCount(text)} bytes)"] = text;
            }
        }

        values["string mixed scripts"] = "Grüße, 日本語, emoji 😀👩‍👩‍👧, tab\t, nul\0 end";
        values["string lone surrogate"] = "a\uD83Db";

        foreach (int length in new[] { 0, 1, 255, 256, 65535, 65536 })
        {
            values[$"bin {length}"] = SampleData.Random(length, seed: length);
        }

        // Arrays and maps at each header's limits (fix 15, 16-bit 65535, then 32-bit).
        foreach (int count in new[] { 0, 1, 15, 16, 65535, 65536 })
        {
            values[$"array {count}"] = Enumerable.Range(0, count).Select(i => (object?)(i % 3 == 0 ? i : i % 3 == 1 ? $"s{i}" : null)).ToList();
            values[$"map {count}"] = new MapValue(Enumerable.Range(0, count).Select(i => new KeyValuePair<object?, object?>(i, i % 2 == 0 ? -i : $"v{i}")).ToList());
        }

        values["nested"] = new MapValue(
        [
            new("list", new List<object?> { 1, new List<object?> { "a", new MapValue([new(true, null)]) }, new byte[] { 9 } }),
            new(-1, new MapValue([new(2.5, new List<object?>())])),
            new(new List<object?> { 1 }, "array key"),
        ]);

        // The timestamp extension in its three sizes, and the edges of each.
        foreach ((string form, DateTime time) in new[]
        {
            ("32-bit epoch", DateTime.UnixEpoch),
            ("32-bit", new DateTime(2025, 3, 14, 21, 42, 17, DateTimeKind.Utc)),
            ("32-bit last", DateTime.UnixEpoch.AddSeconds(uint.MaxValue)),
            ("64-bit first", DateTime.UnixEpoch.AddSeconds((double)uint.MaxValue + 1)),
            ("64-bit fraction", new DateTime(2025, 3, 14, 21, 42, 17, DateTimeKind.Utc).AddTicks(1234567)),
            ("64-bit one tick", DateTime.UnixEpoch.AddTicks(1)),
            ("64-bit last", DateTime.UnixEpoch.AddTicks((1L << 34) * TimeSpan.TicksPerSecond - 1)),
            ("96-bit first", DateTime.UnixEpoch.AddTicks((1L << 34) * TimeSpan.TicksPerSecond)),
            ("96-bit before epoch", DateTime.UnixEpoch.AddTicks(-1)),
            ("96-bit 1969", new DateTime(1969, 7, 20, 20, 17, 40, DateTimeKind.Utc)),
            ("96-bit min", DateTime.SpecifyKind(DateTime.MinValue, DateTimeKind.Utc)),
            ("96-bit max", DateTime.SpecifyKind(DateTime.MaxValue, DateTimeKind.Utc)),
        })
        {
            values[$"timestamp {form}"] = time;
        }

        // Other extensions: every fixext length, and ext 8/16/32 at their edges.
        foreach (int length in new[] { 0, 1, 2, 3, 4, 5, 8, 16, 17, 255, 256, 65535, 65536 })
        {
            values[$"ext {length}"] = new ExtensionValue((sbyte)(length % 128), SampleData.Random(length, seed: length + 1));
        }

        values["ext type 127"] = new ExtensionValue(127, [1, 2, 3, 4]);
        values["ext type -2"] = new ExtensionValue(-2, [5]);
        return values;
    }
}

/// <summary>A plain class for MessagePack-CSharp's contractless resolver: a map from member names to values.</summary>
public sealed class ContractlessEntry
{
    public int Id { get; set; }

    public string UserId { get; set; } = "";

    public DateTime Written { get; set; }

    public double Score { get; set; }

    public float Ratio { get; set; }

    public long Big { get; set; }

    public ulong Huge { get; set; }

    public bool Done { get; set; }

    public string Notes { get; set; } = "";

    public string? Missing { get; set; }

    public List<string> Tags { get; set; } = [];

    public Dictionary<string, int> Counts { get; set; } = [];

    public byte[] Data { get; set; } = [];

    public List<ContractlessSymptom> Symptoms { get; set; } = [];
}

/// <summary>One nested object of <see cref="ContractlessEntry"/>.</summary>
public sealed class ContractlessSymptom
{
    public string Name { get; set; } = "";

    public int Severity { get; set; }
}
