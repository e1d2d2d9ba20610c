namespace Repos.Tests.Generated;

public sealed class RoundTripTests : IDisposable
{
    private readonly TempDirectory _folder = new();

    public void Dispose() => _folder.Dispose();

    private string DbPath => _folder.File("types.db");

    internal static AllTypes Minimums() => new()
    {
        Id = 1,
        Bool = false,
        Byte = byte.MinValue,
        SByte = sbyte.MinValue,
        Int16 = short.MinValue,
        UInt16 = ushort.MinValue,
        Int32 = int.MinValue,
        UInt32 = uint.MinValue,
        Int64 = long.MinValue,
        UInt64 = ulong.MinValue,
        Single = float.MinValue,
        Double = double.MinValue,
        Decimal = decimal.MinValue,
        Char = char.MinValue,
        String = "",
        Guid = Guid.Empty,
        DateTime = DateTime.MinValue,
        DateTimeOffset = DateTimeOffset.MinValue,
        DateOnly = DateOnly.MinValue,
        TimeOnly = TimeOnly.MinValue,
        TimeSpan = TimeSpan.MinValue,
        Color = Color.Red,
        Access = Access.None,
        Bytes = [],
        IntArray = [],
        NullableStringArray = [],
        Groups = [],
        Jagged = [],
    };

    internal static AllTypes Maximums() => new()
    {
        Id = int.MaxValue,
        Bool = true,
        Byte = byte.MaxValue,
        SByte = sbyte.MaxValue,
        Int16 = short.MaxValue,
        UInt16 = ushort.MaxValue,
        Int32 = int.MaxValue,
        UInt32 = uint.MaxValue,
        Int64 = long.MaxValue,
        UInt64 = ulong.MaxValue,
        Single = float.MaxValue,
        Double = double.MaxValue,
        Decimal = decimal.MaxValue,
        Char = char.MaxValue,
        String = new string('x', 100_000),
        Guid = Guid.Parse("ffffffff-ffff-ffff-ffff-ffffffffffff"),
        DateTime = DateTime.MaxValue,
        DateTimeOffset = DateTimeOffset.MaxValue,
        DateOnly = DateOnly.MaxValue,
        TimeOnly = TimeOnly.MaxValue,
        TimeSpan = TimeSpan.MaxValue,
        Color = Color.Blue,
        Access = Access.Read | Access.Write | Access.Admin,
        Bytes = [0, 1, 2, 255],
    };

    internal static AllTypes Typical() => new()
    {
        Id = 42,
        Single = -0.0f,
        Double = double.NaN,
        Decimal = 12.3400m,
        Char = '€',
        String = "Grüße, 日本語, emoji 😀👩‍👩‍👧, tab\t, nul\0 end",
        Guid = Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e"),
        DateTime = new DateTime(1969, 7, 20, 20, 17, 40, DateTimeKind.Utc).AddTicks(1234567),
        DateTimeOffset = new DateTimeOffset(2024, 2, 29, 23, 59, 59, TimeSpan.FromHours(-9.5)).AddTicks(7),
        DateOnly = new DateOnly(2024, 2, 29),
        TimeOnly = new TimeOnly(23, 59, 59, 999).Add(TimeSpan.FromTicks(9999)),
        TimeSpan = TimeSpan.FromDays(-3.5),
        Color = Color.Green,
        NullableBool = true,
        NullableInt32 = -1,
        NullableInt64 = 1L << 40,
        NullableDouble = double.PositiveInfinity,
        NullableDecimal = -0.000001m,
        NullableChar = '\uD83D',
        NullableString = "",
        NullableGuid = Guid.NewGuid(),
        NullableDateTime = new DateTime(2001, 1, 1, 12, 0, 0, DateTimeKind.Unspecified),
        NullableDateTimeOffset = new DateTimeOffset(1900, 1, 1, 0, 0, 0, TimeSpan.FromHours(14)),
        NullableDateOnly = new DateOnly(1, 1, 2),
        NullableTimeOnly = new TimeOnly(0, 0, 1),
        NullableTimeSpan = TimeSpan.Zero,
        NullableColor = Color.Blue,
        NullableBytes = [],
        IntArray = [1, -1, int.MaxValue],
        NullableStringArray = ["a", null, ""],
        DoubleList = [1.5, double.NegativeInfinity, double.Epsilon],
        StringIList = ["x", "y"],
        GuidCollection = [Guid.Empty, Guid.Parse("00000000-0000-0000-0000-000000000001")],
        NullableIntReadOnlyList = [1, null, 3],
        DateCollection = [new DateOnly(2020, 1, 1)],
        ColorSet = [Color.Red, Color.Blue],
        Counts = new Dictionary<string, int> { ["a"] = 1, [""] = 0, ["ü"] = -5 },
        PointsById = new Dictionary<Guid, Point?> { [Guid.Empty] = new Point(1, 2), [Guid.Parse("10000000-0000-0000-0000-000000000000")] = null },
        Groups = new Dictionary<int, List<string>> { [1] = ["a"], [2] = [] },
        Jagged = [[1, 2], [], [3]],
        Origin = new Point(-1.25, 1e300),
        Target = new Point(0, 0),
        Tree = new Tree { Label = "root", Children = [new Tree { Label = "a", Children = [new Tree { Label = "a1" }] }, new Tree { Label = "b" }] },
    };

    [Fact]
    public async Task EveryType_AtItsBoundaries_ReadsBackExactly_AfterReopen()
    {
        AllTypes[] written = [Minimums(), Maximums(), Typical(), new AllTypes { Id = 0 }];
        await using (TypesDb db = await TypesDb.OpenAsync(DbPath))
        {
            await db.AllTypes.InsertManyAsync(written);
        }

        await using TypesDb reopened = await TypesDb.OpenAsync(DbPath);
        foreach (AllTypes expected in written)
        {
            AllTypes? actual = await reopened.AllTypes.GetAsync(expected.Id);
            Assert.NotNull(actual);
            AssertEqual(expected, actual);
        }
    }

    [Fact]
    public async Task DateTimeKinds_AreKept()
    {
        await using TypesDb db = await TypesDb.OpenAsync(DbPath);
        DateTime local = new DateTime(2024, 6, 1, 12, 30, 0, DateTimeKind.Local);
        DateTime unspecified = new DateTime(2024, 6, 1, 12, 30, 0, DateTimeKind.Unspecified);
        DateTime utc = new DateTime(2024, 6, 1, 12, 30, 0, DateTimeKind.Utc);

        await db.AllTypes.InsertManyAsync([new AllTypes { Id = 1, DateTime = local }, new AllTypes { Id = 2, DateTime = unspecified }, new AllTypes { Id = 3, DateTime = utc }]);

        foreach ((int id, DateTime expected) in new[] { (1, local), (2, unspecified), (3, utc) })
        {
            DateTime actual = (await db.AllTypes.GetAsync(id))!.DateTime;
            Assert.Equal(expected.Kind, actual.Kind);
            Assert.Equal(expected, actual);
        }
    }

    [Fact]
    public async Task NullCollectionsAndObjects_InNonNullableProperties_ReadBackEmpty()
    {
        await using TypesDb db = await TypesDb.OpenAsync(DbPath);
        var entity = new AllTypes { Id = 5, IntArray = null!, DoubleList = null!, Counts = null!, Origin = null!, String = null! };

        await db.AllTypes.InsertAsync(entity);
        AllTypes read = (await db.AllTypes.GetAsync(5))!;

        Assert.Empty(read.IntArray);
        Assert.Empty(read.DoubleList);
        Assert.Empty(read.Counts);
        Assert.Equal(string.Empty, read.String);
        Assert.Null(read.Origin);
        Assert.Null(read.Groups);
    }

    [Fact]
    public async Task PositionalRecordAndRequiredMembers_RoundTrip()
    {
        await using TypesDb db = await TypesDb.OpenAsync(DbPath);
        var tag = new Tag("health", 3, new DateOnly(2020, 5, 1));
        var counter = new Counter { Id = long.MinValue, Label = "min", Value = -1 };

        await db.Tags.InsertAsync(tag);
        await db.Counters.InsertAsync(counter);

        Assert.Equal(tag, await db.Tags.GetAsync("health"));
        Assert.Equal(counter, await db.Counters.GetAsync(long.MinValue));
        Assert.Null(await db.Tags.GetAsync("HEALTH"));
    }

    internal static void AssertEqual(AllTypes expected, AllTypes actual)
    {
        Assert.Equal(expected.Bool, actual.Bool);
        Assert.Equal(expected.Byte, actual.Byte);
        Assert.Equal(expected.SByte, actual.SByte);
        Assert.Equal(expected.Int16, actual.Int16);
        Assert.Equal(expected.UInt16, actual.UInt16);
        Assert.Equal(expected.Int32, actual.Int32);
        Assert.Equal(expected.UInt32, actual.UInt32);
        Assert.Equal(expected.Int64, actual.Int64);
        Assert.Equal(expected.UInt64, actual.UInt64);
        Assert.Equal(BitConverter.SingleToInt32Bits(expected.Single), BitConverter.SingleToInt32Bits(actual.Single));
        Assert.Equal(BitConverter.DoubleToInt64Bits(expected.Double), BitConverter.DoubleToInt64Bits(actual.Double));
        Assert.Equal(expected.Decimal, actual.Decimal);
        Assert.Equal(decimal.GetBits(expected.Decimal), decimal.GetBits(actual.Decimal));
        Assert.Equal(expected.Char, actual.Char);
        Assert.Equal(expected.String, actual.String);
        Assert.Equal(expected.Guid, actual.Guid);
        Assert.Equal(expected.DateTime, actual.DateTime);
        Assert.Equal(expected.DateTime.Kind, actual.DateTime.Kind);
        Assert.Equal(expected.DateTimeOffset, actual.DateTimeOffset);
        Assert.Equal(expected.DateTimeOffset.Offset, actual.DateTimeOffset.Offset);
        Assert.Equal(expected.DateOnly, actual.DateOnly);
        Assert.Equal(expected.TimeOnly, actual.TimeOnly);
        Assert.Equal(expected.TimeSpan, actual.TimeSpan);
        Assert.Equal(expected.Color, actual.Color);
        Assert.Equal(expected.Access, actual.Access);
        Assert.Equal(expected.Bytes, actual.Bytes);
        Assert.Equal(expected.NullableBool, actual.NullableBool);
        Assert.Equal(expected.NullableInt32, actual.NullableInt32);
        Assert.Equal(expected.NullableInt64, actual.NullableInt64);
        Assert.Equal(expected.NullableDouble, actual.NullableDouble);
        Assert.Equal(expected.NullableDecimal, actual.NullableDecimal);
        Assert.Equal(expected.NullableChar, actual.NullableChar);
        Assert.Equal(expected.NullableString, actual.NullableString);
        Assert.Equal(expected.NullableGuid, actual.NullableGuid);
        Assert.Equal(expected.NullableDateTime, actual.NullableDateTime);
        Assert.Equal(expected.NullableDateTime?.Kind, actual.NullableDateTime?.Kind);
        Assert.Equal(expected.NullableDateTimeOffset, actual.NullableDateTimeOffset);
        Assert.Equal(expected.NullableDateTimeOffset?.Offset, actual.NullableDateTimeOffset?.Offset);
        Assert.Equal(expected.NullableDateOnly, actual.NullableDateOnly);
        Assert.Equal(expected.NullableTimeOnly, actual.NullableTimeOnly);
        Assert.Equal(expected.NullableTimeSpan, actual.NullableTimeSpan);
        Assert.Equal(expected.NullableColor, actual.NullableColor);
        Assert.Equal(expected.NullableBytes, actual.NullableBytes);
        Assert.Equal(expected.IntArray, actual.IntArray);
        Assert.Equal(expected.NullableStringArray, actual.NullableStringArray);
        Assert.Equal(expected.DoubleList, actual.DoubleList);
        Assert.Equal(expected.StringIList, actual.StringIList);
        Assert.Equal(expected.GuidCollection, actual.GuidCollection);
        Assert.Equal(expected.NullableIntReadOnlyList, actual.NullableIntReadOnlyList);
        Assert.Equal(expected.DateCollection, actual.DateCollection);
        Assert.Equal(expected.ColorSet, actual.ColorSet);
        Assert.Equal(expected.Counts, actual.Counts);
        Assert.Equal(expected.PointsById, actual.PointsById);
        Assert.Equal(expected.Groups?.Keys, actual.Groups?.Keys);
        Assert.Equal(expected.Groups?.Values.SelectMany(v => v), actual.Groups?.Values.SelectMany(v => v));
        Assert.Equal(expected.Jagged, actual.Jagged);
        Assert.Equal(expected.Origin, actual.Origin);
        Assert.Equal(expected.Target, actual.Target);
        Assert.Equal(Flatten(expected.Tree), Flatten(actual.Tree));
    }

    private static string Flatten(Tree? tree) =>
        tree is null ? "null" : $"{tree.Label}({string.Join(",", tree.Children.Select(Flatten))})";
}
