using System.Text;
using Repos.Querying;

namespace Repos.Tests.Generated;

/// <summary>
/// Every type an index column can hold: equality, ranges and order through the index give what LINQ gives over
/// the same values with the comparer docs/format.md documents for the type.
/// </summary>
public sealed class IndexOrderTests : IDisposable
{
    private const int Rows = 160;
    private readonly TempDirectory _folder = new();

    public void Dispose() => _folder.Dispose();

    /// <summary>Strings order by Unicode code point, as their UTF-8 bytes do (a lone surrogate is stored as U+FFFD).</summary>
    internal static readonly IComparer<string?> s_codePoint = Comparer<string?>.Create((a, b) =>
        a is null || b is null ? (a is null ? (b is null ? 0 : -1) : 1) : Encoding.UTF8.GetBytes(a).AsSpan().SequenceCompareTo(Encoding.UTF8.GetBytes(b)));

    private static readonly IComparer<byte[]?> s_bytes = Comparer<byte[]?>.Create((a, b) =>
        a is null || b is null ? (a is null ? (b is null ? 0 : -1) : 1) : a.AsSpan().SequenceCompareTo(b));

    private static readonly IComparer<string?> s_folded = Comparer<string?>.Create((a, b) =>
        s_codePoint.Compare(a is null ? null : Repos.Internal.ColumnValue.FoldCase(a), b is null ? null : Repos.Internal.ColumnValue.FoldCase(b)));

    [Fact]
    public async Task EveryIndexedType_QueriesAndOrder_MatchLinqWithTheDocumentedComparer()
    {
        int seed = FuzzSeed.Get(20261202);
        var random = new Random(seed);
        var rows = new List<Sample>();
        for (int id = 1; id <= Rows; id++)
        {
            rows.Add(RandomSample(random, id));
        }

        await using OrderDb db = await OrderDb.OpenAsync(_folder.File("order.db"));
        await db.Samples.InsertManyAsync(rows);
        var failures = new List<string>();
        var r = db.Samples;

        await Check(failures, rows, random, "Bool", s => s.Bool, Comparer<bool>.Default, () => r.ByBool(), v => r.ByBool(v));
        await Check(failures, rows, random, "Byte", s => s.Byte, Comparer<byte>.Default, () => r.ByByte(), v => r.ByByte(v));
        await Check(failures, rows, random, "SByte", s => s.SByte, Comparer<sbyte>.Default, () => r.BySByte(), v => r.BySByte(v));
        await Check(failures, rows, random, "Int16", s => s.Int16, Comparer<short>.Default, () => r.ByInt16(), v => r.ByInt16(v));
        await Check(failures, rows, random, "UInt16", s => s.UInt16, Comparer<ushort>.Default, () => r.ByUInt16(), v => r.ByUInt16(v));
        await Check(failures, rows, random, "Int32", s => s.Int32, Comparer<int>.Default, () => r.ByInt32(), v => r.ByInt32(v));
        await Check(failures, rows, random, "UInt32", s => s.UInt32, Comparer<uint>.Default, () => r.ByUInt32(), v => r.ByUInt32(v));
        await Check(failures, rows, random, "Int64", s => s.Int64, Comparer<long>.Default, () => r.ByInt64(), v => r.ByInt64(v));
        await Check(failures, rows, random, "UInt64", s => s.UInt64, Comparer<ulong>.Default, () => r.ByUInt64(), v => r.ByUInt64(v));
        await Check(failures, rows, random, "Single", s => s.Single, Comparer<float>.Default, () => r.BySingle(), v => r.BySingle(v));
        await Check(failures, rows, random, "Double", s => s.Double, Comparer<double>.Default, () => r.ByDouble(), v => r.ByDouble(v));
        await Check(failures, rows, random, "Char", s => s.Char, Comparer<char>.Default, () => r.ByChar(), v => r.ByChar(v));
        await Check(failures, rows, random, "Text", s => s.Text, s_codePoint!, () => r.ByText(), v => r.ByText(v));
        await Check(failures, rows, random, "Guid", s => s.Guid, Comparer<Guid>.Default, () => r.ByGuid(), v => r.ByGuid(v));
        await Check(failures, rows, random, "DateTime", s => s.DateTime, Comparer<DateTime>.Default, () => r.ByDateTime(), v => r.ByDateTime(v));
        await Check(failures, rows, random, "DateTimeOffset", s => s.DateTimeOffset, Comparer<DateTimeOffset>.Default, () => r.ByDateTimeOffset(), v => r.ByDateTimeOffset(v));
        await Check(failures, rows, random, "DateOnly", s => s.DateOnly, Comparer<DateOnly>.Default, () => r.ByDateOnly(), v => r.ByDateOnly(v));
        await Check(failures, rows, random, "TimeOnly", s => s.TimeOnly, Comparer<TimeOnly>.Default, () => r.ByTimeOnly(), v => r.ByTimeOnly(v));
        await Check(failures, rows, random, "TimeSpan", s => s.TimeSpan, Comparer<TimeSpan>.Default, () => r.ByTimeSpan(), v => r.ByTimeSpan(v));
        await Check(failures, rows, random, "Huge", s => s.Huge, Comparer<Huge>.Default, () => r.ByHuge(), v => r.ByHuge(v));
        await Check(failures, rows, random, "Tiny", s => s.Tiny, Comparer<Tiny>.Default, () => r.ByTiny(), v => r.ByTiny(v));
        await Check(failures, rows, random, "Bytes", s => s.Bytes, s_bytes!, () => r.ByBytes(), v => r.ByBytes(v));
        await Check(failures, rows, random, "NullableBool", s => s.NullableBool, Comparer<bool?>.Default, () => r.ByNullableBool(), v => r.ByNullableBool(v));
        await Check(failures, rows, random, "NullableByte", s => s.NullableByte, Comparer<byte?>.Default, () => r.ByNullableByte(), v => r.ByNullableByte(v));
        await Check(failures, rows, random, "NullableSByte", s => s.NullableSByte, Comparer<sbyte?>.Default, () => r.ByNullableSByte(), v => r.ByNullableSByte(v));
        await Check(failures, rows, random, "NullableInt16", s => s.NullableInt16, Comparer<short?>.Default, () => r.ByNullableInt16(), v => r.ByNullableInt16(v));
        await Check(failures, rows, random, "NullableUInt16", s => s.NullableUInt16, Comparer<ushort?>.Default, () => r.ByNullableUInt16(), v => r.ByNullableUInt16(v));
        await Check(failures, rows, random, "NullableInt32", s => s.NullableInt32, Comparer<int?>.Default, () => r.ByNullableInt32(), v => r.ByNullableInt32(v));
        await Check(failures, rows, random, "NullableUInt32", s => s.NullableUInt32, Comparer<uint?>.Default, () => r.ByNullableUInt32(), v => r.ByNullableUInt32(v));
        await Check(failures, rows, random, "NullableInt64", s => s.NullableInt64, Comparer<long?>.Default, () => r.ByNullableInt64(), v => r.ByNullableInt64(v));
        await Check(failures, rows, random, "NullableUInt64", s => s.NullableUInt64, Comparer<ulong?>.Default, () => r.ByNullableUInt64(), v => r.ByNullableUInt64(v));
        await Check(failures, rows, random, "NullableSingle", s => s.NullableSingle, Comparer<float?>.Default, () => r.ByNullableSingle(), v => r.ByNullableSingle(v));
        await Check(failures, rows, random, "NullableDouble", s => s.NullableDouble, Comparer<double?>.Default, () => r.ByNullableDouble(), v => r.ByNullableDouble(v));
        await Check(failures, rows, random, "NullableChar", s => s.NullableChar, Comparer<char?>.Default, () => r.ByNullableChar(), v => r.ByNullableChar(v));
        await Check(failures, rows, random, "NullableText", s => s.NullableText, s_codePoint, () => r.ByNullableText(), v => r.ByNullableText(v));
        await Check(failures, rows, random, "NullableGuid", s => s.NullableGuid, Comparer<Guid?>.Default, () => r.ByNullableGuid(), v => r.ByNullableGuid(v));
        await Check(failures, rows, random, "NullableDateTime", s => s.NullableDateTime, Comparer<DateTime?>.Default, () => r.ByNullableDateTime(), v => r.ByNullableDateTime(v));
        await Check(failures, rows, random, "NullableDateTimeOffset", s => s.NullableDateTimeOffset, Comparer<DateTimeOffset?>.Default, () => r.ByNullableDateTimeOffset(), v => r.ByNullableDateTimeOffset(v));
        await Check(failures, rows, random, "NullableDateOnly", s => s.NullableDateOnly, Comparer<DateOnly?>.Default, () => r.ByNullableDateOnly(), v => r.ByNullableDateOnly(v));
        await Check(failures, rows, random, "NullableTimeOnly", s => s.NullableTimeOnly, Comparer<TimeOnly?>.Default, () => r.ByNullableTimeOnly(), v => r.ByNullableTimeOnly(v));
        await Check(failures, rows, random, "NullableTimeSpan", s => s.NullableTimeSpan, Comparer<TimeSpan?>.Default, () => r.ByNullableTimeSpan(), v => r.ByNullableTimeSpan(v));
        await Check(failures, rows, random, "NullableHuge", s => s.NullableHuge, Comparer<Huge?>.Default, () => r.ByNullableHuge(), v => r.ByNullableHuge(v));
        await Check(failures, rows, random, "NullableTiny", s => s.NullableTiny, Comparer<Tiny?>.Default, () => r.ByNullableTiny(), v => r.ByNullableTiny(v));
        await Check(failures, rows, random, "NullableBytes", s => s.NullableBytes, s_bytes, () => r.ByNullableBytes(), v => r.ByNullableBytes(v));
        await Check(failures, rows, random, "Folded", s => s.Folded, s_folded, () => r.ByFolded(), v => r.ByFolded(v));

        Assert.True(failures.Count == 0, $"Seed {seed} (set REPOS_FUZZ_SEED to repeat):\n{string.Join("\n", failures.Take(40))}");
    }

    /// <summary>
    /// Checks order (ascending and descending), equality for every stored value and some others, and each
    /// range operator for probes: stored values, edge values and random ones. A range never holds null values,
    /// as C#'s lifted comparison operators say (<c>null &lt; 5</c> is false); null sorts first.
    /// </summary>
    private static async Task Check<T>(
        List<string> failures,
        List<Sample> rows,
        Random random,
        string name,
        Func<Sample, T> get,
        IComparer<T> comparer,
        Func<IndexQuery<Sample, int, T>> all,
        Func<T, IndexQuery<Sample, int>> equal)
    {
        List<int> Keys(IEnumerable<Sample> samples) => samples.Select(s => s.Id).ToList();
        async Task Expect(string what, IEnumerable<Sample> expected, IAsyncEnumerable<Sample> query, bool ordered)
        {
            List<int> want = ordered ? Keys(expected) : Keys(expected).Order().ToList();
            var got = new List<int>();
            await foreach (Sample s in query)
            {
                got.Add(s.Id);
            }

            if (!ordered)
            {
                got.Sort();
            }

            if (!want.SequenceEqual(got))
            {
                failures.Add($"{name} {what}: expected [{string.Join(",", want.Take(12))}] ({want.Count}), got [{string.Join(",", got.Take(12))}] ({got.Count})");
            }
        }

        bool IsNull(T value) => value is null;
        int Compare(T a, T b) => comparer.Compare(a, b);

        await Expect("order", rows.OrderBy(get, comparer).ThenBy(s => s.Id), all(), ordered: true);
        await Expect("descending", rows.OrderByDescending(get, comparer).ThenByDescending(s => s.Id), all().Descending(), ordered: true);

        var probes = rows.Select(get).Distinct().Take(40).ToList();
        probes.AddRange(Enumerable.Range(0, 6).Select(i => get(RandomSample(random, 0))));
        foreach (T probe in probes)
        {
            string p = Describe(probe);
            await Expect($"== {p}", rows.Where(s => Compare(get(s), probe) == 0), equal(probe), ordered: false);
            if (IsNull(probe))
            {
                continue;
            }

            IEnumerable<Sample> nonNull = rows.Where(s => !IsNull(get(s)));
            await Expect($"> {p}", nonNull.Where(s => Compare(get(s), probe) > 0), all().GreaterThan(probe), ordered: false);
            await Expect($">= {p}", nonNull.Where(s => Compare(get(s), probe) >= 0), all().GreaterThanOrEqual(probe), ordered: false);
            await Expect($"< {p}", nonNull.Where(s => Compare(get(s), probe) < 0), all().LessThan(probe), ordered: false);
            await Expect($"<= {p}", nonNull.Where(s => Compare(get(s), probe) <= 0), all().LessThanOrEqual(probe), ordered: false);
            T other = probes[random.Next(probes.Count)];
            if (!IsNull(other))
            {
                (T from, T to) = Compare(probe, other) <= 0 ? (probe, other) : (other, probe);
                await Expect($"between {Describe(from)} and {Describe(to)}", nonNull.Where(s => Compare(get(s), from) >= 0 && Compare(get(s), to) <= 0), all().Between(from, to), ordered: false);
            }
        }
    }

    private static string Describe<T>(T value) => value switch
    {
        null => "null",
        byte[] bytes => Convert.ToHexString(bytes),
        string text => string.Concat(text.Select(c => c < 128 && !char.IsControl(c) ? c.ToString() : $"\\u{(int)c:X4}")),
        double d => d.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
        float f => f.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
        _ => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "?",
    };

    /// <summary>A sample whose every value is an edge value (min, max, zero, around long.MaxValue...) or a random one; nullable ones are null a fifth of the time.</summary>
    internal static Sample RandomSample(Random random, int id)
    {
        T Pick<T>(T[] edges, Func<T> next) => random.Next(3) == 0 ? edges[random.Next(edges.Length)] : next();
        T? Maybe<T>(T value) where T : struct => random.Next(5) == 0 ? null : value;
        long Long() => random.NextInt64(long.MinValue, long.MaxValue);
        ulong ULong() => unchecked((ulong)Long());
        double Double() => random.Next(4) switch
        {
            0 => BitConverter.Int64BitsToDouble(Long()),
            1 => random.Next(-3, 4) * 0.5,
            _ => (random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-10, 10)),
        };
        double[] doubleEdges = [0.0, -0.0, double.NaN, double.PositiveInfinity, double.NegativeInfinity, double.MinValue, double.MaxValue, double.Epsilon, -double.Epsilon, 1, -1];
        float[] floatEdges = [0f, -0f, float.NaN, float.PositiveInfinity, float.NegativeInfinity, float.MinValue, float.MaxValue, float.Epsilon, -float.Epsilon];
        ulong[] ulongEdges = [0, 1, long.MaxValue - 1UL, long.MaxValue, (ulong)long.MaxValue + 1, (ulong)long.MaxValue + 2, ulong.MaxValue - 1, ulong.MaxValue];
        long[] longEdges = [long.MinValue, long.MinValue + 1, -1, 0, 1, long.MaxValue - 1, long.MaxValue];
        string Text() => Pick(["", "a", "A", "ab", "\uE000", "\uFFFF", "\uFFFD", "\U00010000", "\U0010FFFF", "\uD800", "z\uDC00", "é", "ÉCOLE", "école", "ſ", "S", "s", "straße", "STRASSE", "ǅ", "ǆ", "Ǆ"], () =>
        {
            var text = new StringBuilder();
            int length = random.Next(0, 5);
            for (int i = 0; i < length; i++)
            {
                text.Append(random.Next(6) switch
                {
                    0 => char.ConvertFromUtf32(random.Next(0x10000, 0x110000)),
                    1 => ((char)random.Next(0xE000, 0x10000)).ToString(),
                    2 => ((char)random.Next(0xD800, 0xE000)).ToString(),
                    3 => ((char)random.Next(0x80, 0x800)).ToString(),
                    _ => ((char)random.Next('A', 'z' + 1)).ToString(),
                });
            }

            return text.ToString();
        });
        byte[] Bytes() => Pick([[], [0], [0, 0], [255], [255, 0], [1, 2, 3]], () =>
        {
            var bytes = new byte[random.Next(0, 4)];
            random.NextBytes(bytes);
            return bytes;
        });
        Guid Guid() => Pick([System.Guid.Empty, System.Guid.AllBitsSet, new Guid("80000000-0000-0000-0000-000000000000"), new Guid("7fffffff-ffff-ffff-ffff-ffffffffffff"), new Guid("00000000-0000-0000-8000-000000000000")], () =>
        {
            var bytes = new byte[16];
            random.NextBytes(bytes);
            return new Guid(bytes);
        });
        DateTime DateTime() => Pick([System.DateTime.MinValue, System.DateTime.MaxValue, System.DateTime.UnixEpoch], () =>
            new DateTime(random.NextInt64(System.DateTime.MinValue.Ticks, System.DateTime.MaxValue.Ticks), random.Next(2) == 0 ? DateTimeKind.Utc : DateTimeKind.Unspecified));
        DateTimeOffset DateTimeOffset() => Pick([System.DateTimeOffset.MinValue, System.DateTimeOffset.MaxValue, System.DateTimeOffset.UnixEpoch], () =>
            new DateTimeOffset(random.NextInt64(System.DateTime.MinValue.Ticks + System.TimeSpan.TicksPerDay, System.DateTime.MaxValue.Ticks - System.TimeSpan.TicksPerDay), System.TimeSpan.FromMinutes(random.Next(-14 * 60, 14 * 60 + 1))));
        DateOnly DateOnly() => Pick([System.DateOnly.MinValue, System.DateOnly.MaxValue], () => System.DateOnly.FromDayNumber(random.Next(System.DateOnly.MinValue.DayNumber, System.DateOnly.MaxValue.DayNumber + 1)));
        TimeOnly TimeOnly() => Pick([System.TimeOnly.MinValue, System.TimeOnly.MaxValue], () => new TimeOnly(random.NextInt64(0, System.TimeOnly.MaxValue.Ticks + 1)));
        TimeSpan TimeSpan() => Pick([System.TimeSpan.MinValue, System.TimeSpan.MaxValue, System.TimeSpan.Zero, System.TimeSpan.FromTicks(-1)], () => System.TimeSpan.FromTicks(Long()));
        Huge Huge() => (Huge)Pick(ulongEdges, ULong);
        Tiny Tiny() => (Tiny)(sbyte)random.Next(sbyte.MinValue, sbyte.MaxValue + 1);
        char Char() => Pick(['\0', '\uD800', '\uDFFF', '\uE000', '\uFFFF', 'a'], () => (char)random.Next(0, 0x10000));

        return new Sample
        {
            Id = id,
            Bool = random.Next(2) == 0,
            Byte = (byte)random.Next(256),
            SByte = (sbyte)random.Next(-128, 128),
            Int16 = (short)random.Next(short.MinValue, short.MaxValue + 1),
            UInt16 = (ushort)random.Next(0, ushort.MaxValue + 1),
            Int32 = Pick([int.MinValue, -1, 0, 1, int.MaxValue], () => random.Next(int.MinValue, int.MaxValue)),
            UInt32 = Pick<uint>([0u, 1u, (uint)int.MaxValue, (uint)int.MaxValue + 1, uint.MaxValue], () => (uint)Long()),
            Int64 = Pick(longEdges, Long),
            UInt64 = Pick(ulongEdges, ULong),
            Single = Pick(floatEdges, () => (float)Double()),
            Double = Pick(doubleEdges, Double),
            Char = Char(),
            Text = Text(),
            Guid = Guid(),
            DateTime = DateTime(),
            DateTimeOffset = DateTimeOffset(),
            DateOnly = DateOnly(),
            TimeOnly = TimeOnly(),
            TimeSpan = TimeSpan(),
            Huge = Huge(),
            Tiny = Tiny(),
            Bytes = Bytes(),
            NullableBool = Maybe(random.Next(2) == 0),
            NullableByte = Maybe((byte)random.Next(256)),
            NullableSByte = Maybe((sbyte)random.Next(-128, 128)),
            NullableInt16 = Maybe((short)random.Next(short.MinValue, short.MaxValue + 1)),
            NullableUInt16 = Maybe((ushort)random.Next(0, ushort.MaxValue + 1)),
            NullableInt32 = Maybe(random.Next(int.MinValue, int.MaxValue)),
            NullableUInt32 = Maybe((uint)Long()),
            NullableInt64 = Maybe(Pick(longEdges, Long)),
            NullableUInt64 = Maybe(Pick(ulongEdges, ULong)),
            NullableSingle = Maybe(Pick(floatEdges, () => (float)Double())),
            NullableDouble = Maybe(Pick(doubleEdges, Double)),
            NullableChar = Maybe(Char()),
            NullableText = random.Next(5) == 0 ? null : Text(),
            NullableGuid = Maybe(Guid()),
            NullableDateTime = Maybe(DateTime()),
            NullableDateTimeOffset = Maybe(DateTimeOffset()),
            NullableDateOnly = Maybe(DateOnly()),
            NullableTimeOnly = Maybe(TimeOnly()),
            NullableTimeSpan = Maybe(TimeSpan()),
            NullableHuge = Maybe(Huge()),
            NullableTiny = Maybe(Tiny()),
            NullableBytes = random.Next(5) == 0 ? null : Bytes(),
            Folded = random.Next(5) == 0 ? null : Text(),
        };
    }
}
