using Repos.Tests.Generated;
using Repos.Transfer;

namespace Repos.Tests.Transfer;

/// <summary>Every property type, from the JSON forms apps write, into the entity; and the errors of values that do not fit.</summary>
public sealed class JsonImportConversionTests : IAsyncLifetime, IDisposable
{
    private const string Guid1 = "0f8fad5b-d9cb-469f-a165-70867728950e";
    private const string Guid2 = "10000000-0000-0000-0000-000000000000";

    private readonly TempDirectory _folder = new();
    private TypesDb _db = null!;

    public async Task InitializeAsync() => _db = await TypesDb.OpenAsync(_folder.File("types.db"));

    public async Task DisposeAsync() => await _db.DisposeAsync();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task EveryType_FromTheFormsJavaScriptWrites()
    {
        AllTypes read = await ImportAsync($$"""
            {
              "id": 7, "bool": true, "byte": 255, "sByte": -128, "int16": -32768, "uInt16": 65535,
              "int32": -2147483648, "uInt32": 4294967295, "int64": -9223372036854775808, "uInt64": 18446744073709551615,
              "single": 1.5, "double": -0.25, "decimal": 79228162514264337593543950335, "char": "€", "string": "Grüße 😀",
              "guid": "{{Guid1}}", "dateTime": "2024-05-01T08:30:00.125Z", "dateTimeOffset": "2024-05-01T10:30:00+02:00",
              "dateOnly": "2024-02-29", "timeOnly": "23:59:59.9999999", "timeSpan": "1.02:03:04.5",
              "color": "green", "access": "Read, Write", "bytes": "AAEC/w==",
              "nullableBool": false, "nullableInt32": null, "nullableInt64": 5, "nullableDouble": 2, "nullableDecimal": "0.10",
              "nullableChar": "x", "nullableString": null, "nullableGuid": "{{Guid2}}", "nullableDateTime": 0,
              "nullableDateTimeOffset": 1714550400000, "nullableDateOnly": null, "nullableTimeOnly": "07:30", "nullableTimeSpan": 1500,
              "nullableColor": 255, "nullableBytes": [0, 127, 255],
              "intArray": [1, -1, 2147483647], "nullableStringArray": ["a", null, ""], "doubleList": [1, 2.5, -3e2],
              "stringIList": ["x"], "guidCollection": ["{{Guid1}}"], "nullableIntReadOnlyList": [1, null],
              "dateCollection": ["2020-01-01", "2020-12-31"], "colorSet": ["red", "BLUE", "red"],
              "counts": {"a": 1, "": 0}, "pointsById": {"{{Guid1}}": {"x": 1, "y": 2}, "{{Guid2}}": null},
              "groups": {"1": ["a", "b"], "-2": []}, "jagged": [[1, 2], [], [3]],
              "origin": {"x": -1.25, "y": 1e300}, "target": null,
              "tree": {"label": "root", "children": [{"label": "a", "children": [{"label": "a1"}]}, {"label": "b"}]}
            }
            """);

        Assert.Equal(7, read.Id);
        Assert.True(read.Bool);
        Assert.Equal(byte.MaxValue, read.Byte);
        Assert.Equal(sbyte.MinValue, read.SByte);
        Assert.Equal(short.MinValue, read.Int16);
        Assert.Equal(ushort.MaxValue, read.UInt16);
        Assert.Equal(int.MinValue, read.Int32);
        Assert.Equal(uint.MaxValue, read.UInt32);
        Assert.Equal(long.MinValue, read.Int64);
        Assert.Equal(ulong.MaxValue, read.UInt64);
        Assert.Equal(1.5f, read.Single);
        Assert.Equal(-0.25, read.Double);
        Assert.Equal(decimal.MaxValue, read.Decimal);
        Assert.Equal('€', read.Char);
        Assert.Equal("Grüße 😀", read.String);
        Assert.Equal(Guid.Parse(Guid1), read.Guid);
        Assert.Equal(new DateTime(2024, 5, 1, 8, 30, 0, 125, DateTimeKind.Utc), read.DateTime);
        Assert.Equal(DateTimeKind.Utc, read.DateTime.Kind);
        Assert.Equal(new DateTimeOffset(2024, 5, 1, 10, 30, 0, TimeSpan.FromHours(2)), read.DateTimeOffset);
        Assert.Equal(TimeSpan.FromHours(2), read.DateTimeOffset.Offset);
        Assert.Equal(new DateOnly(2024, 2, 29), read.DateOnly);
        Assert.Equal(TimeOnly.MaxValue, read.TimeOnly);
        Assert.Equal(new TimeSpan(1, 2, 3, 4, 500), read.TimeSpan);
        Assert.Equal(Color.Green, read.Color);
        Assert.Equal(Access.Read | Access.Write, read.Access);
        Assert.Equal([0, 1, 2, 255], read.Bytes);
        Assert.False(read.NullableBool);
        Assert.Null(read.NullableInt32);
        Assert.Equal(5, read.NullableInt64);
        Assert.Equal(2.0, read.NullableDouble);
        Assert.Equal(0.10m, read.NullableDecimal);
        Assert.Equal('x', read.NullableChar);
        Assert.Null(read.NullableString);
        Assert.Equal(Guid.Parse(Guid2), read.NullableGuid);
        Assert.Equal(DateTime.UnixEpoch, read.NullableDateTime);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1714550400000), read.NullableDateTimeOffset);
        Assert.Null(read.NullableDateOnly);
        Assert.Equal(new TimeOnly(7, 30), read.NullableTimeOnly);
        Assert.Equal(TimeSpan.FromMilliseconds(1500), read.NullableTimeSpan);
        Assert.Equal(Color.Blue, read.NullableColor);
        Assert.Equal([0, 127, 255], read.NullableBytes);
        Assert.Equal([1, -1, int.MaxValue], read.IntArray);
        Assert.Equal(new string?[] { "a", null, "" }, read.NullableStringArray!.AsEnumerable());
        Assert.Equal([1, 2.5, -300], read.DoubleList);
        Assert.Equal(["x"], read.StringIList);
        Assert.Equal([Guid.Parse(Guid1)], read.GuidCollection);
        Assert.Equal([1, null], read.NullableIntReadOnlyList);
        Assert.Equal([new DateOnly(2020, 1, 1), new DateOnly(2020, 12, 31)], read.DateCollection);
        Assert.Equal(new HashSet<Color> { Color.Red, Color.Blue }, read.ColorSet);
        Assert.Equal(new Dictionary<string, int> { ["a"] = 1, [""] = 0 }, read.Counts);
        Assert.Equal(new Point(1, 2), read.PointsById[Guid.Parse(Guid1)]);
        Assert.Null(read.PointsById[Guid.Parse(Guid2)]);
        Assert.Equal(["a", "b"], read.Groups![1]);
        Assert.Empty(read.Groups[-2]);
        Assert.Equal([[1, 2], [], [3]], read.Jagged);
        Assert.Equal(new Point(-1.25, 1e300), read.Origin);
        Assert.Null(read.Target);
        Assert.Equal("root", read.Tree!.Label);
        Assert.Equal(["a", "b"], read.Tree.Children.Select(c => c.Label));
        Assert.Equal("a1", read.Tree.Children[0].Children.Single().Label);
    }

    [Theory]
    [InlineData("\"int32\": \"42\"", 42L)]
    [InlineData("\"int32\": 1.0", 1L)]
    [InlineData("\"int32\": 1e3", 1000L)]
    [InlineData("\"int32\": \"-7\"", -7L)]
    [InlineData("\"int64\": \"9007199254740993\"", 9007199254740993L)]
    [InlineData("\"int64\": 9007199254740993", 9007199254740993L)]
    public async Task Integers_FromNumbersAndNumericStrings(string member, long expected)
    {
        AllTypes read = await ImportAsync("{\"id\": 1, " + member + "}");

        Assert.Equal(expected, member.Contains("int64", StringComparison.Ordinal) ? read.Int64 : read.Int32);
    }

    [Theory]
    [InlineData("byte", "256", "256 is out of range for byte (0 to 255)")]
    [InlineData("byte", "-1", "-1 is out of range for byte (0 to 255)")]
    [InlineData("sByte", "-129", "-129 is out of range for sbyte (-128 to 127)")]
    [InlineData("int16", "40000", "40000 is out of range for short")]
    [InlineData("uInt16", "\"70000\"", "70000 is out of range for ushort")]
    [InlineData("int32", "2147483648", "2147483648 is out of range for int")]
    [InlineData("uInt32", "-1", "-1 is out of range for uint")]
    [InlineData("int64", "9223372036854775808", "9223372036854775808 is out of range for long")]
    [InlineData("uInt64", "18446744073709551616", "18446744073709551616 is out of range for ulong")]
    [InlineData("uInt64", "1e40", "1e40 is out of range for ulong")]
    [InlineData("int32", "1.5", "1.5 is not a whole number, as int needs")]
    [InlineData("int32", "\"twelve\"", "expected int (a number), found \"twelve\"")]
    [InlineData("int32", "true", "expected int (a number), found true")]
    [InlineData("single", "1e39", "1e39 is out of range for float")]
    [InlineData("double", "\"fast\"", "expected double (a number), found \"fast\"")]
    [InlineData("decimal", "1e30", "1e30 is out of range for decimal")]
    [InlineData("bool", "1", "expected bool (true or false), found 1")]
    [InlineData("char", "\"ab\"", "expected char (a single character), found \"ab\"")]
    [InlineData("string", "5", "expected string (a string), found 5")]
    [InlineData("guid", "\"not-a-guid\"", "expected Guid (a GUID), found \"not-a-guid\"")]
    [InlineData("dateTime", "\"yesterday\"", "expected DateTime (an ISO 8601 date and time, or Unix time as a number), found \"yesterday\"")]
    [InlineData("dateTime", "\"05/01/2024\"", "expected DateTime")]
    [InlineData("dateTime", "1e20", "1e20 is out of range for DateTime as Unix time in milliseconds")]
    [InlineData("dateOnly", "\"2024-02-30\"", "expected DateOnly (a date as yyyy-MM-dd), found \"2024-02-30\"")]
    [InlineData("dateOnly", "19000", "expected DateOnly (a date as yyyy-MM-dd), found 19000")]
    [InlineData("timeOnly", "\"25:00\"", "expected TimeOnly")]
    [InlineData("timeSpan", "\"P1Y\"", "expected TimeSpan")]
    [InlineData("timeSpan", "\"PT\"", "expected TimeSpan")]
    [InlineData("color", "\"purple\"", "'purple' is not a member of Color (Red, Green, Blue)")]
    [InlineData("color", "3", "3 is not a value of Color")]
    [InlineData("color", "256", "256 is out of range for byte")]
    [InlineData("color", "true", "expected Color (a member name or a number), found true")]
    [InlineData("access", "8", "8 is not a value of Access (nor a combination of its flags)")]
    [InlineData("access", "\"Read, Delete\"", "'Delete' is not a member of Access")]
    [InlineData("bytes", "\"***\"", "expected byte[] (base64 text or an array of numbers from 0 to 255)")]
    [InlineData("bytes", "[1, 256]", "found 256 at [1]")]
    [InlineData("intArray", "{}", "expected int[] (an array), found an object")]
    [InlineData("counts", "[]", "expected Dictionary<string, int> (an object), found an array")]
    [InlineData("origin", "\"0,0\"", "expected Point (an object), found \"0,0\"")]
    public async Task ValueThatDoesNotFit_IsAnError_NamingThePathAndTheExpectedType(string member, string json, string message)
    {
        JsonImportError error = await ImportErrorAsync($"{{\"id\": 1, \"{member}\": {json}}}");

        Assert.Equal(JsonImportErrorKind.InvalidValue, error.Kind);
        Assert.Equal("$." + member, error.Path);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.Equal(0, error.DocumentIndex);
    }

    [Theory]
    [InlineData("int32", "int")]
    [InlineData("color", "Color")]
    [InlineData("string", "string")]
    [InlineData("origin", "Point")]
    [InlineData("intArray", "int[]")]
    public async Task Null_WhereThePropertyIsNotNullable_IsAnError(string member, string type)
    {
        JsonImportError error = await ImportErrorAsync($"{{\"id\": 1, \"{member}\": null}}");

        Assert.Equal(JsonImportErrorKind.MissingValue, error.Kind);
        Assert.Equal("$." + member, error.Path);
        Assert.Equal($"null is not allowed here: expected {type}", error.Message);
    }

    [Fact]
    public async Task Errors_InsideCollectionsAndNestedObjects_NameTheirPath()
    {
        var e = await Assert.ThrowsAsync<JsonImportException>(() => _db.AllTypes.ImportJsonAsync(JsonText.Raw("""
            [{"id": 1, "intArray": [1, "x", 3], "groups": {"1": [], "one": ["a"]}, "jagged": [[1], [2, 2.5]],
              "tree": {"label": "root", "children": [{"label": 5}]}, "pointsById": {"nope": {"x": 1, "y": 1}},
              "origin": {"x": 1, "y": "north"}, "colorSet": ["red", "mauve"]}]
            """)).AsTask());

        Assert.Equal(
            ["$.intArray[1]", "$.colorSet[1]", "$.pointsById.nope", "$.groups.one", "$.jagged[1][1]", "$.origin.y", "$.tree.children[0].label"],
            e.Errors.Select(x => x.Path));
        Assert.All(e.Errors, x => Assert.Equal(0, x.DocumentIndex));
        Assert.Contains("the key 'nope' does not fit: expected Guid", e.Errors[2].Message, StringComparison.Ordinal);
        Assert.Contains("the key 'one' does not fit: expected int", e.Errors[3].Message, StringComparison.Ordinal);
        Assert.Equal(0, await _db.AllTypes.CountAsync());
    }

    [Theory]
    [InlineData("\"2024-05-01T08:30:00Z\"", "2024-05-01T08:30:00.0000000Z", DateTimeKind.Utc)]
    [InlineData("\"2024-05-01T10:30:00+02:00\"", "2024-05-01T08:30:00.0000000Z", DateTimeKind.Utc)]
    [InlineData("\"2024-05-01T06:30:00.5-02:00\"", "2024-05-01T08:30:00.5000000Z", DateTimeKind.Utc)]
    [InlineData("\"2024-05-01T08:30:00\"", "2024-05-01T08:30:00.0000000", DateTimeKind.Unspecified)]
    [InlineData("\"2024-05-01 08:30\"", "2024-05-01T08:30:00.0000000", DateTimeKind.Unspecified)]
    [InlineData("\"2024-05-01\"", "2024-05-01T00:00:00.0000000", DateTimeKind.Unspecified)]
    [InlineData("1714552200000", "2024-05-01T08:30:00.0000000Z", DateTimeKind.Utc)]
    [InlineData("1714552200000.5", "2024-05-01T08:30:00.0005000Z", DateTimeKind.Utc)]
    [InlineData("-86400000", "1969-12-31T00:00:00.0000000Z", DateTimeKind.Utc)]
    public async Task DateTime_FromIso8601OrUnixMilliseconds(string json, string expected, DateTimeKind kind)
    {
        AllTypes read = await ImportAsync($"{{\"id\": 1, \"dateTime\": {json}}}");

        Assert.Equal(expected, read.DateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(kind, read.DateTime.Kind);
    }

    [Fact]
    public async Task NumbersAsSeconds_WhenAsked_ForDatesAndDurations()
    {
        AllTypes read = await ImportAsync(
            "{\"id\": 1, \"dateTime\": 1714552200, \"dateTimeOffset\": 86400, \"timeSpan\": 90}",
            new JsonImportOptions { TimeNumbers = TimeNumberUnit.Seconds });

        Assert.Equal(new DateTime(2024, 5, 1, 8, 30, 0, DateTimeKind.Utc), read.DateTime);
        Assert.Equal(new DateTimeOffset(1970, 1, 2, 0, 0, 0, TimeSpan.Zero), read.DateTimeOffset);
        Assert.Equal(TimeSpan.FromSeconds(90), read.TimeSpan);
    }

    [Theory]
    [InlineData("\"2024-05-01T10:30:00+02:00\"", "2024-05-01T10:30:00.0000000+02:00")]
    [InlineData("\"2024-05-01T10:30:00Z\"", "2024-05-01T10:30:00.0000000+00:00")]
    [InlineData("\"2024-05-01T10:30:00\"", "2024-05-01T10:30:00.0000000+00:00")]
    [InlineData("\"2024-05-01T10:30:00-09:30\"", "2024-05-01T10:30:00.0000000-09:30")]
    [InlineData("0", "1970-01-01T00:00:00.0000000+00:00")]
    public async Task DateTimeOffset_KeepsTheOffset_AndTakesUtcWithoutOne(string json, string expected)
    {
        AllTypes read = await ImportAsync($"{{\"id\": 1, \"dateTimeOffset\": {json}}}");

        Assert.Equal(expected, read.DateTimeOffset.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData("\"01:30:00\"", 5_400_000L)]
    [InlineData("\"-00:00:05\"", -5_000L)]
    [InlineData("\"2.00:00:00.001\"", 172_800_001L)]
    [InlineData("\"PT1H30M\"", 5_400_000L)]
    [InlineData("\"P1DT2S\"", 86_402_000L)]
    [InlineData("\"P2W\"", 1_209_600_000L)]
    [InlineData("\"PT0.25S\"", 250L)]
    [InlineData("\"-PT5S\"", -5_000L)]
    [InlineData("250", 250L)]
    [InlineData("0.5", 0L)]
    public async Task TimeSpan_FromClockTextIso8601DurationsOrMilliseconds(string json, long milliseconds)
    {
        AllTypes read = await ImportAsync($"{{\"id\": 1, \"timeSpan\": {json}}}");

        Assert.Equal(json == "0.5" ? TimeSpan.FromTicks(5000) : TimeSpan.FromMilliseconds(milliseconds), read.TimeSpan);
    }

    [Theory]
    [InlineData("\"07:30\"", 7, 30, 0)]
    [InlineData("\"07:30:15\"", 7, 30, 15)]
    [InlineData("\"00:00:00.000\"", 0, 0, 0)]
    public async Task TimeOnly_FromIso8601(string json, int hour, int minute, int second)
    {
        AllTypes read = await ImportAsync($"{{\"id\": 1, \"timeOnly\": {json}}}");

        Assert.Equal(new TimeOnly(hour, minute, second), read.TimeOnly);
    }

    [Theory]
    [InlineData("\"Blue\"", Color.Blue)]
    [InlineData("\"blue\"", Color.Blue)]
    [InlineData("\" GREEN \"", Color.Green)]
    [InlineData("1", Color.Red)]
    [InlineData("\"255\"", Color.Blue)]
    public async Task Enum_ByNameIgnoringCase_OrByNumber(string json, Color expected)
    {
        AllTypes read = await ImportAsync($"{{\"id\": 1, \"color\": {json}}}");

        Assert.Equal(expected, read.Color);
    }

    [Theory]
    [InlineData("\"Read, Write\"", Access.Read | Access.Write)]
    [InlineData("\"read|admin\"", Access.Read | Access.Admin)]
    [InlineData("3", Access.Read | Access.Write)]
    [InlineData("4611686018427387905", Access.Read | Access.Admin)]
    [InlineData("\"None\"", Access.None)]
    [InlineData("0", Access.None)]
    public async Task FlagsEnum_ByNamesOrByCombinedNumber(string json, Access expected)
    {
        AllTypes read = await ImportAsync($"{{\"id\": 1, \"access\": {json}}}");

        Assert.Equal(expected, read.Access);
    }

    [Theory]
    [InlineData("\"AAEC/w==\"")]
    [InlineData("\"AAEC/w\"")]
    [InlineData("\"AAEC_w\"")]
    [InlineData("[0, 1, 2, 255]")]
    public async Task Bytes_FromBase64OrAnArrayOfNumbers(string json)
    {
        AllTypes read = await ImportAsync($"{{\"id\": 1, \"bytes\": {json}}}");

        Assert.Equal([0, 1, 2, 255], read.Bytes);
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData("\"true\"", true)]
    [InlineData("\"False\"", false)]
    public async Task Bool_FromBooleansOrTheirText(string json, bool expected)
    {
        AllTypes read = await ImportAsync($"{{\"id\": 1, \"bool\": {json}}}");

        Assert.Equal(expected, read.Bool);
    }

    [Theory]
    [InlineData("\"NaN\"", double.NaN)]
    [InlineData("\"Infinity\"", double.PositiveInfinity)]
    [InlineData("\"-Infinity\"", double.NegativeInfinity)]
    [InlineData("\"1.25\"", 1.25)]
    [InlineData("-0.0", -0.0)]
    public async Task Double_FromNumbersAndTheirText(string json, double expected)
    {
        AllTypes read = await ImportAsync($"{{\"id\": 1, \"double\": {json}}}");

        Assert.Equal(BitConverter.DoubleToInt64Bits(expected), BitConverter.DoubleToInt64Bits(read.Double));
    }

    [Theory]
    [InlineData("12.3400", "12.3400")]
    [InlineData("\"12.3400\"", "12.3400")]
    [InlineData("0.1", "0.1")]
    [InlineData("\"-79228162514264337593543950335\"", "-79228162514264337593543950335")]
    public async Task Decimal_KeepsItsDigits(string json, string expected)
    {
        AllTypes read = await ImportAsync($"{{\"id\": 1, \"decimal\": {json}}}");

        Assert.Equal(expected, read.Decimal.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task MissingProperties_TakeTheValuesOfAStoredRowWithoutThem()
    {
        AllTypes read = await ImportAsync("{\"id\": 3}");

        Assert.Equal(0, read.Int32);
        Assert.Equal(string.Empty, read.String);
        Assert.Empty(read.IntArray);
        Assert.Null(read.NullableInt32);
        Assert.Null(read.Groups);
    }

    private async Task<AllTypes> ImportAsync(string document, JsonImportOptions? options = null)
    {
        JsonImportResult result = await _db.AllTypes.ImportJsonAsync(JsonText.Raw("[" + document + "]"), options);
        Assert.Equal(1, result.Inserted);
        AllTypes? read = await _db.AllTypes.GetAllAsync();
        return read!;
    }

    private async Task<JsonImportError> ImportErrorAsync(string document)
    {
        var e = await Assert.ThrowsAsync<JsonImportException>(() => _db.AllTypes.ImportJsonAsync(JsonText.Raw("[" + document + "]")).AsTask());
        Assert.Equal(0, await _db.AllTypes.CountAsync());
        return Assert.Single(e.Errors);
    }
}

internal static class AllTypesRepositoryExtensions
{
    /// <summary>The one stored entity.</summary>
    public static async Task<AllTypes?> GetAllAsync(this AllTypesRepository repository)
    {
        AllTypes? found = null;
        await foreach (AllTypes entity in repository.All())
        {
            Assert.Null(found);
            found = entity;
        }

        return found;
    }
}
