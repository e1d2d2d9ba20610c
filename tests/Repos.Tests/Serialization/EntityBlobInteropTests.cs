using System.Buffers;
using System.Buffers.Binary;
using K4os.Compression.LZ4;
using Repos.Serialization;
using Repos.Storage.Sqlite;
using Repos.Tests.Generated;
using Xunit.Abstractions;
using static Repos.Tests.Serialization.MessagePackValues;
using ContractlessStandardResolver = MessagePack.Resolvers.ContractlessStandardResolver;
using MessagePackSerializer = MessagePack.MessagePackSerializer;
using MessagePackSerializerOptions = MessagePack.MessagePackSerializerOptions;

namespace Repos.Tests.Serialization;

/// <summary>
/// Entity blobs as a real database stores them, opened with the libraries the design names for their formats:
/// K4os.Compression.LZ4 for the block and MessagePack-CSharp for the payload; and blobs those libraries
/// write, read back by Repos as the same entities.
/// </summary>
public sealed class EntityBlobInteropTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempDirectory _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task StoredBlobs_DecodeWithK4osAndMessagePackCSharp_ToTheSameValues()
    {
        int seed = FuzzSeed.Get(31_337);
        string typesPath = _folder.File("types.db");
        string journalPath = _folder.File("journal.db");
        await StoreAsync(typesPath, journalPath, seed);

        int blobs = 0, compressed = 0;
        foreach ((string path, string entity) in new[] { (typesPath, "AllTypes"), (journalPath, "JournalEntry") })
        {
            foreach ((long rowId, byte[] blob) in ReadBlobs(path, entity))
            {
                string what = $"seed {seed} (REPOS_FUZZ_SEED), {entity} row {rowId}";
                byte[] payload = ReadPayload(blob);
                BlobHeader header = BlobEnvelope.ReadHeader(blob);
                if (header.IsCompressed)
                {
                    compressed++;
                    ReadOnlySpan<byte> block = blob.AsSpan(BlobEnvelope.CompressedHeaderLength);
                    Assert.True(payload.AsSpan().SequenceEqual(Lz4K4osInteropTests.DecodeWithK4os(block, header.PayloadLength)), $"{what}: K4os decoded another payload");
                    Assert.True(block.SequenceEqual(Lz4K4osInteropTests.EncodeWithK4os(payload, LZ4Level.L00_FAST)), $"{what}: the stored block differs from K4os' fast level");
                }

                object? ours = ReadAllWithRepos(payload);
                AssertSame(ours, ReadAllWithMessagePackCSharp(payload), $"{what}, MessagePack-CSharp's reader");
                AssertSame(ours, MessagePackSerializer.Deserialize<object>(payload, Contractless), $"{what}, MessagePack-CSharp's serializer");
                blobs++;
            }
        }

        output.WriteLine($"{blobs} blobs, {compressed} compressed");
        Assert.Equal(2 * EntitiesPerTable, blobs);
        Assert.True(compressed > blobs / 8, $"only {compressed} of {blobs} blobs compressed");
    }

    [Theory]
    [InlineData(LZ4Level.L00_FAST)]
    [InlineData(LZ4Level.L09_HC)]
    public async Task BlobsWrittenByMessagePackCSharpAndK4os_ReadBackAsTheSameEntities(LZ4Level level)
    {
        int seed = FuzzSeed.Get(31_338);
        string typesPath = _folder.File("types.db");
        string journalPath = _folder.File("journal.db");
        List<Guid> journalIds = await StoreAsync(typesPath, journalPath, seed);

        // The payload as MessagePack-CSharp writes it (from what its reader read), compressed by K4os, in an envelope built by hand.
        var expected = new Dictionary<(string, long), string>();
        foreach ((string path, string entity) in new[] { (typesPath, "AllTypes"), (journalPath, "JournalEntry") })
        {
            string table = Table(path, entity);
            var rewritten = new List<(long, byte[])>();
            foreach ((long rowId, byte[] blob) in ReadBlobs(path, entity))
            {
                byte[] payload = ReadPayload(blob);
                expected[(entity, rowId)] = Render(ReadAllWithRepos(payload));
                byte[] theirs = EncodeWithMessagePackCSharp(ReadAllWithMessagePackCSharp(payload));
                rewritten.Add((rowId, CompressedEnvelope(theirs, BlobEnvelope.ReadHeader(blob).SchemaVersion, level)));
            }

            using SqliteConnection connection = SqliteConnection.Open(path, readOnly: false, create: false);
            foreach ((long rowId, byte[] blob) in rewritten)
            {
                using SqliteStatement update = connection.PrepareOnce($"UPDATE \"{table}\" SET _blob=?1 WHERE rowid=?2");
                update.BindBlob(1, blob);
                update.BindInt64(2, rowId);
                update.Execute();
            }
        }

        // Read as entities and written again by Repos, they are the payloads Repos first stored.
        await using (TypesDb db = await TypesDb.OpenAsync(typesPath))
        {
            Assert.True((await db.VerifyAsync()).IsHealthy);
            foreach ((long rowId, int id) in Keys(typesPath, "AllTypes"))
            {
                AllTypes entity = (await db.AllTypes.GetAsync(id))!;
                byte[] payload = Encode((ref MessagePackWriter writer) => AllTypesSerializer.Write(ref writer, entity, db.Context));
                Assert.True(expected[("AllTypes", rowId)] == Render(ReadAllWithRepos(payload)), $"seed {seed} (REPOS_FUZZ_SEED), AllTypes {id} read back different");
            }
        }

        await using (JournalDb db = await JournalDb.OpenAsync(journalPath))
        {
            Assert.True((await db.VerifyAsync()).IsHealthy);
            var stored = expected.Where(e => e.Key.Item1 == "JournalEntry").Select(e => e.Value).ToHashSet(StringComparer.Ordinal);
            foreach (Guid id in journalIds)
            {
                JournalEntry entity = (await db.JournalEntries.GetAsync(id))!;
                byte[] payload = Encode((ref MessagePackWriter writer) => JournalEntrySerializer.Write(ref writer, entity, db.Context));
                Assert.True(stored.Contains(Render(ReadAllWithRepos(payload))), $"seed {seed} (REPOS_FUZZ_SEED), JournalEntry {id} read back different");
            }
        }
    }

    private const int EntitiesPerTable = 80;

    private static readonly MessagePackSerializerOptions Contractless =
        MessagePackSerializerOptions.Standard.WithResolver(ContractlessStandardResolver.Instance);

    private static byte[] Encode(WriteAction write) => MessagePackTestHelpers.Encode(write);

    private static byte[] ReadPayload(byte[] blob)
    {
        using BlobPayload payload = BlobEnvelope.Read(blob);
        return payload.Span.ToArray();
    }

    private static byte[] CompressedEnvelope(byte[] payload, int schemaVersion, LZ4Level level)
    {
        // Stored as it is first, for the header with its checksum (which covers the payload, not how it is stored).
        var plain = new ArrayBufferWriter<byte>();
        BlobEnvelope.Write(payload, schemaVersion, plain, allowCompression: false);
        byte[] block = Lz4K4osInteropTests.EncodeWithK4os(payload, level);
        byte[] blob = new byte[BlobEnvelope.CompressedHeaderLength + block.Length];
        plain.WrittenSpan[..BlobEnvelope.HeaderLength].CopyTo(blob);
        blob[1] = (byte)BlobFlags.Compressed;
        BinaryPrimitives.WriteUInt32LittleEndian(blob.AsSpan(BlobEnvelope.HeaderLength), (uint)payload.Length);
        block.CopyTo(blob, BlobEnvelope.CompressedHeaderLength);
        return blob;
    }

    private static async Task<List<Guid>> StoreAsync(string typesPath, string journalPath, int seed)
    {
        var random = new Random(seed);
        await using (TypesDb db = await TypesDb.OpenAsync(typesPath))
        {
            await db.AllTypes.InsertManyAsync(Enumerable.Range(1, EntitiesPerTable).Select(id => RandomAllTypes(random, id)).ToList());
        }

        await using (JournalDb db = await JournalDb.OpenAsync(journalPath))
        {
            List<JournalEntry> entries = Enumerable.Range(1, EntitiesPerTable).Select(i => RandomJournalEntry(random, i)).ToList();
            await db.JournalEntries.InsertManyAsync(entries);
            return entries.Select(e => e.Id).ToList();
        }
    }

    private static List<(long RowId, byte[] Blob)> ReadBlobs(string path, string entity)
    {
        var blobs = new List<(long, byte[])>();
        using SqliteConnection connection = SqliteConnection.Open(path, readOnly: true, create: false);
        using SqliteStatement select = connection.PrepareOnce($"SELECT rowid, _blob FROM \"{Table(connection, entity)}\" ORDER BY rowid");
        while (select.Step())
        {
            blobs.Add((select.ColumnInt64(0), select.ColumnBlob(1).ToArray()));
        }

        return blobs;
    }

    private static List<(long RowId, int Key)> Keys(string path, string entity)
    {
        var keys = new List<(long, int)>();
        using SqliteConnection connection = SqliteConnection.Open(path, readOnly: true, create: false);
        using SqliteStatement select = connection.PrepareOnce($"SELECT rowid, key FROM \"{Table(connection, entity)}\" ORDER BY rowid");
        while (select.Step())
        {
            keys.Add((select.ColumnInt64(0), checked((int)select.ColumnInt64(1))));
        }

        return keys;
    }

    private static string Table(string path, string entity)
    {
        using SqliteConnection connection = SqliteConnection.Open(path, readOnly: true, create: false);
        return Table(connection, entity);
    }

    private static string Table(SqliteConnection connection, string entity)
    {
        using SqliteStatement select = connection.PrepareOnce($"SELECT table_name FROM _repos_entities WHERE entity='{entity}'");
        Assert.True(select.Step());
        return select.ColumnText(0);
    }

    private static JournalEntry RandomJournalEntry(Random random, int i) => new()
    {
        Id = new Guid(SampleData.Random(16, random.Next())),
        UserId = $"user-{random.Next(1000):D4}@example.org",
        Date = new DateOnly(2020, 1, 1).AddDays(i),
        Score = random.Next(1, 11),
        Mood = (Mood)random.Next(1, 4),
        // Every third entry has a long note that repeats itself, as diaries do: its blob compresses well past the
        // 30% a stored blob must save, so compressed blobs are among those checked.
        Text = i % 3 == 0
            ? RepeatedNote(RandomString(random, random.Next(4, 9)) + " ")
            : random.Next(4) == 0 ? null : RandomString(random, random.Next(0, 120)),
        Activities = Enumerable.Range(0, random.Next(5)).Select(_ => new Activity(RandomString(random, random.Next(3, 12)), random.Next(0, 1441))).ToList(),
        Counters = Enumerable.Range(0, random.Next(4)).ToDictionary(k => $"c{k}", _ => random.Next(-1000, 1000)),
        WrittenAt = RandomTime(random),
    };

    /// <summary>A note of at most 200 characters (the model's MaxLength) that repeats <paramref name="unit"/>.</summary>
    private static string RepeatedNote(string unit) => string.Concat(Enumerable.Repeat(unit, 200 / unit.Length));

    private static AllTypes RandomAllTypes(Random random, int id)
    {
        T Pick<T>(params T[] values) => values[random.Next(values.Length)];
        Point RandomPoint() => new(RandomDouble(random), RandomDouble(random));
        DateTime time = RandomTime(random);
        return new AllTypes
        {
            Id = id,
            Bool = random.Next(2) == 0,
            Byte = (byte)random.Next(256),
            SByte = (sbyte)random.Next(-128, 128),
            Int16 = Pick(short.MinValue, short.MaxValue, (short)random.Next(-200, 200)),
            UInt16 = Pick(ushort.MaxValue, (ushort)random.Next(300)),
            Int32 = Pick(int.MinValue, int.MaxValue, random.Next(), -random.Next(100)),
            UInt32 = Pick(uint.MaxValue, (uint)random.Next(70_000)),
            Int64 = Pick(long.MinValue, long.MaxValue, random.NextInt64() >> random.Next(64)),
            UInt64 = Pick(ulong.MaxValue, (ulong)random.NextInt64()),
            Single = Pick(float.NaN, float.NegativeInfinity, -0f, (float)random.NextDouble()),
            Double = RandomDouble(random),
            Decimal = Pick(decimal.MinValue, decimal.MaxValue, 12.3400m, (decimal)random.NextDouble()),
            Char = (char)random.Next(0x20, 0xd7ff),
            String = RandomString(random, random.Next(8) == 0 ? random.Next(20_000, 70_000) : random.Next(0, 300)),
            Guid = new Guid(SampleData.Random(16, random.Next())),
            DateTime = Pick(time, DateTime.MinValue, DateTime.MaxValue, DateTime.SpecifyKind(time, DateTimeKind.Unspecified)),
            DateTimeOffset = new DateTimeOffset(new DateTime(random.NextInt64(TimeSpan.TicksPerDay, DateTime.MaxValue.Ticks - TimeSpan.TicksPerDay)), TimeSpan.FromMinutes(15 * random.Next(-56, 57))),
            DateOnly = DateOnly.FromDayNumber(random.Next(DateOnly.MaxValue.DayNumber)),
            TimeOnly = new TimeOnly(random.NextInt64(TimeOnly.MaxValue.Ticks)),
            TimeSpan = TimeSpan.FromTicks(random.NextInt64(long.MinValue, long.MaxValue)),
            Color = Pick(Color.Red, Color.Green, Color.Blue),
            Access = Pick(Access.None, Access.Read | Access.Admin),
            Bytes = SampleData.Random(random.Next(0, 400), random.Next()),
            NullableBool = Pick<bool?>(null, true),
            NullableInt32 = Pick<int?>(null, random.Next(int.MinValue, int.MaxValue)),
            NullableInt64 = Pick<long?>(null, long.MinValue),
            NullableDouble = Pick<double?>(null, double.PositiveInfinity),
            NullableDecimal = Pick<decimal?>(null, -0.000001m),
            NullableChar = Pick<char?>(null, '€'),
            NullableString = Pick<string?>(null, "", "Grüße, 日本語, 😀"),
            NullableGuid = Pick<Guid?>(null, Guid.Empty),
            NullableDateTime = Pick<DateTime?>(null, RandomTime(random)),
            NullableDateTimeOffset = Pick<DateTimeOffset?>(null, DateTimeOffset.UnixEpoch),
            NullableDateOnly = Pick<DateOnly?>(null, DateOnly.MinValue),
            NullableTimeOnly = Pick<TimeOnly?>(null, TimeOnly.MaxValue),
            NullableTimeSpan = Pick<TimeSpan?>(null, TimeSpan.Zero),
            NullableColor = Pick<Color?>(null, Color.Blue),
            NullableBytes = Pick<byte[]?>(null, [], [1, 2, 3]),
            IntArray = Enumerable.Range(0, random.Next(20)).Select(_ => random.Next(int.MinValue, int.MaxValue)).ToArray(),
            NullableStringArray = Pick<string?[]?>(null, ["a", null, ""]),
            DoubleList = Enumerable.Range(0, random.Next(20)).Select(_ => RandomDouble(random)).ToList(),
            StringIList = Enumerable.Range(0, random.Next(20)).Select(_ => RandomString(random, random.Next(40))).ToList(),
            GuidCollection = Enumerable.Range(0, random.Next(4)).Select(_ => new Guid(SampleData.Random(16, random.Next()))).ToList(),
            NullableIntReadOnlyList = [1, null, random.Next()],
            DateCollection = [DateOnly.FromDayNumber(random.Next(800_000))],
            ColorSet = [Pick(Color.Red, Color.Green), Color.Blue],
            Counts = Enumerable.Range(0, random.Next(20)).ToDictionary(k => $"k{k}-{RandomString(random, 3)}", _ => random.Next()),
            PointsById = new Dictionary<Guid, Point?> { [Guid.Empty] = RandomPoint(), [new Guid(SampleData.Random(16, random.Next()))] = null },
            Groups = Pick<Dictionary<int, List<string>>?>(null, new() { [1] = ["a"], [random.Next(2, 1000)] = [] }),
            Jagged = [[1, 2], [], [random.Next()]],
            Origin = RandomPoint(),
            Target = Pick<Point?>(null, RandomPoint()),
            Tree = new Tree { Label = "root", Children = [new Tree { Label = RandomString(random, 5), Children = [new Tree { Label = "a1" }] }] },
        };
    }

    private static double RandomDouble(Random random) => random.Next(4) switch
    {
        0 => BitConverter.Int64BitsToDouble(random.NextInt64(long.MinValue, long.MaxValue)),
        1 => double.NaN,
        _ => (random.NextDouble() - 0.5) * 1e6,
    };
}
