using System.Buffers;
using System.Text.Json;
using Repos.Serialization;
using Repos.Storage;
using Repos.Storage.Sqlite;
using Repos.Tests.Backup;
using Repos.Tests.Generated;
using Repos.Transfer;

namespace Repos.Tests.Transfer;

/// <summary>
/// Stored rows written as JSON by the file's catalog alone, in the exact forms of docs/transfer.md (<i>Values</i>):
/// the converter every export shares, from the app or from the <c>repos</c> tool.
/// </summary>
public sealed class PayloadJsonWriterTests : IDisposable
{
    private readonly TempDirectory _folder = new();

    public void Dispose() => _folder.Dispose();

    private static AllTypes Entity() => new()
    {
        Id = 42,
        Bool = true,
        Byte = 255,
        SByte = -128,
        Int64 = long.MinValue,
        UInt64 = ulong.MaxValue,
        Single = -0.0f,
        Double = double.NaN,
        Decimal = 12.3400m,
        Char = '€',
        String = "Grüße, 日本語, emoji 😀, tab\t, nul\0 end",
        Guid = Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e"),
        DateTime = new DateTime(1969, 7, 20, 20, 17, 40, DateTimeKind.Utc).AddTicks(1234567),
        DateTimeOffset = new DateTimeOffset(2024, 2, 29, 23, 59, 59, TimeSpan.FromHours(-9.5)).AddTicks(7),
        DateOnly = new DateOnly(2024, 2, 29),
        TimeOnly = new TimeOnly(23, 59, 59, 999).Add(TimeSpan.FromTicks(9999)),
        TimeSpan = TimeSpan.FromDays(-3.5),
        Color = Color.Green,
        Access = Access.Read | Access.Write,
        Bytes = [0, 1, 2, 255],
        NullableChar = '\uD83D',
        NullableDateTime = new DateTime(2001, 1, 1, 12, 0, 0, DateTimeKind.Unspecified),
        NullableDouble = double.NegativeInfinity,
        NullableColor = Color.Blue,
        NullableStringArray = ["a", null, ""],
        ColorSet = [Color.Red],
        Counts = new Dictionary<string, int> { ["a"] = 1, ["ü"] = -5 },
        PointsById = new Dictionary<Guid, Point?> { [Guid.Empty] = new Point(1, 2) },
        Groups = new Dictionary<int, List<string>> { [7] = ["x"] },
        Origin = new Point(-1.25, 1e300),
        Tree = new Tree { Label = "root", Children = [new Tree { Label = "leaf" }] },
    };

    private async Task<JsonElement> Export(AllTypes entity)
    {
        await using TypesDb db = await TypesDb.OpenAsync(_folder.File("types.db"));
        await db.AllTypes.UpsertAsync(entity);
        return JsonDocument.Parse(ExportAll(db)).RootElement[0].Clone();
    }

    // Every stored AllTypes row as a JSON array, by the catalog.
    private static byte[] ExportAll(TypesDb db)
    {
        Internal.EntityDefinition definition = db.Entities.Single(e => e.Name == "AllTypes");
        var writer = new PayloadJsonWriter(CatalogTypes.Load(db.Writer, definition.Enums));
        var output = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(output))
        {
            json.WriteStartArray();
            using SqliteStatement select = db.Writer.PrepareOnce($"SELECT _blob FROM \"{definition.TableName}\" ORDER BY key");
            while (select.Step())
            {
                using BlobPayload payload = BlobEnvelope.Read(select.ColumnBlob(0), db.Context.Dictionaries.Find);
                writer.WriteObject(json, definition.Shape.Name, payload.Span);
            }

            json.WriteEndArray();
        }

        return output.WrittenSpan.ToArray();
    }

    private static AllTypes WithId(AllTypes entity, int id)
    {
        entity.Id = id;
        return entity;
    }

    [Fact]
    public async Task EveryType_AtItsBoundaries_RoundTripsExactly_ThroughTheExport_AndTheImporterReadingExactValues()
    {
        AllTypes[] written =
        [
            RoundTripTests.Minimums(),
            RoundTripTests.Maximums(),
            RoundTripTests.Typical(),
            WithId(Entity(), 43),
            new AllTypes { Id = 0 },
            new AllTypes { Id = 7, DateTime = new DateTime(2024, 6, 1, 12, 30, 0, DateTimeKind.Local), NullableDateTime = DateTime.UnixEpoch },
        ];
        byte[] json;
        await using (TypesDb source = await TypesDb.OpenAsync(_folder.File("source.db")))
        {
            await source.AllTypes.InsertManyAsync(written);
            json = ExportAll(source);
        }

        await using TypesDb target = await TypesDb.OpenAsync(_folder.File("target.db"));
        JsonImportResult result;
        try
        {
            result = await target.AllTypes.ImportJsonAsync(new MemoryStream(json), new JsonImportOptions { ExactValues = true });
        }
        catch (JsonImportException e)
        {
            throw new Xunit.Sdk.XunitException(string.Join("\n", e.Errors.Select(x => $"{x.DocumentIndex} {x.Path}: {x.Message}")));
        }

        Assert.Equal(written.Length, result.Inserted);
        foreach (AllTypes expected in written)
        {
            AllTypes actual = (await target.AllTypes.GetAsync(expected.Id))!;
            RoundTripTests.AssertEqual(expected, actual);
            Assert.Equal(expected.DateTime.Kind, actual.DateTime.Kind);
        }

        // And the export of what was imported is the same bytes.
        Assert.Equal(json, ExportAll(target));
    }

    [Fact]
    public async Task EveryType_IsWrittenInItsExactForm()
    {
        JsonElement row = await Export(Entity());

        Assert.Equal(42, row.GetProperty("Id").GetInt32());
        Assert.True(row.GetProperty("Bool").GetBoolean());
        Assert.Equal(255, row.GetProperty("Byte").GetInt32());
        Assert.Equal(-128, row.GetProperty("SByte").GetInt32());
        Assert.Equal("-9223372036854775808", row.GetProperty("Int64").GetRawText());
        Assert.Equal("18446744073709551615", row.GetProperty("UInt64").GetRawText());
        Assert.Equal("-0", row.GetProperty("Single").GetRawText());
        Assert.Equal("NaN", row.GetProperty("Double").GetString());
        Assert.Equal("12.3400", row.GetProperty("Decimal").GetString());
        Assert.Equal("€", row.GetProperty("Char").GetString());
        Assert.Equal("Grüße, 日本語, emoji 😀, tab\t, nul\0 end", row.GetProperty("String").GetString());
        Assert.Equal("0f8fad5b-d9cb-469f-a165-70867728950e", row.GetProperty("Guid").GetString());
        Assert.Equal("1969-07-20T20:17:40.1234567Z", row.GetProperty("DateTime").GetString());
        Assert.Equal("2024-02-29T23:59:59.0000007-09:30", row.GetProperty("DateTimeOffset").GetString());
        Assert.Equal("2024-02-29", row.GetProperty("DateOnly").GetString());
        Assert.Equal("23:59:59.9999999", row.GetProperty("TimeOnly").GetString());
        Assert.Equal("-3.12:00:00", row.GetProperty("TimeSpan").GetString());
        Assert.Equal("Green", row.GetProperty("Color").GetString());
        Assert.Equal(3, row.GetProperty("Access").GetInt64());
        Assert.Equal(Convert.ToBase64String([0, 1, 2, 255]), row.GetProperty("Bytes").GetString());
        Assert.Equal(0xD83D, row.GetProperty("NullableChar").GetInt32());
        Assert.Equal("2001-01-01T12:00:00.0000000", row.GetProperty("NullableDateTime").GetString());
        Assert.Equal("-Infinity", row.GetProperty("NullableDouble").GetString());
        Assert.Equal("Blue", row.GetProperty("NullableColor").GetString());
        Assert.Equal(JsonValueKind.Null, row.GetProperty("NullableInt32").ValueKind);
        Assert.Equal(["a", null, ""], row.GetProperty("NullableStringArray").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["Red"], row.GetProperty("ColorSet").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(-5, row.GetProperty("Counts").GetProperty("ü").GetInt32());

        // Keys that are not strings: an array of [key, value] pairs.
        JsonElement pair = Assert.Single(row.GetProperty("PointsById").EnumerateArray().ToList());
        Assert.Equal(Guid.Empty.ToString("D"), pair[0].GetString());
        Assert.Equal(2, pair[1].GetProperty("Y").GetDouble());
        Assert.Equal("x", row.GetProperty("Groups")[0][1][0].GetString());

        Assert.Equal((-1.25, 1e300), (row.GetProperty("Origin").GetProperty("X").GetDouble(), row.GetProperty("Origin").GetProperty("Y").GetDouble()));
        Assert.Equal("leaf", row.GetProperty("Tree").GetProperty("Children")[0].GetProperty("Label").GetString());
    }

    [Fact]
    public async Task APairThatIsNotAKeyAndAValue_IsAnError_NamingItsPlace_AndWithoutExactValuesAnOffsetIsUtc()
    {
        await using TypesDb db = await TypesDb.OpenAsync(_folder.File("types.db"));
        JsonImportException error = await Assert.ThrowsAsync<JsonImportException>(() =>
            db.AllTypes.ImportJsonAsync(new MemoryStream("""[{"Id": 9, "Groups": [[1, ["a"]], [2]]}]"""u8.ToArray())).AsTask());
        JsonImportError problem = Assert.Single(error.Errors);
        Assert.Equal("$.Groups[1]", problem.Path);
        Assert.Contains("expected a [key, value] pair", problem.Message);
        Assert.Equal(0, await db.AllTypes.CountAsync());

        await db.AllTypes.ImportJsonAsync(new MemoryStream("""[{"Id": 9, "DateTime": "2024-06-01T12:30:00.0000000+02:00"}]"""u8.ToArray()));
        Assert.Equal(new DateTime(2024, 6, 1, 10, 30, 0, DateTimeKind.Utc), (await db.AllTypes.GetAsync(9))!.DateTime);
        Assert.Equal(DateTimeKind.Utc, (await db.AllTypes.GetAsync(9))!.DateTime.Kind);
    }

    [Fact]
    public async Task LocalTimes_KeepTheirOffset_AndUnknownEnumValuesAreNumbers()
    {
        DateTime local = new DateTime(2024, 6, 1, 12, 30, 0, DateTimeKind.Local);
        JsonElement row = await Export(new AllTypes { Id = 1, DateTime = local, Color = (Color)77 });

        Assert.Equal(local.ToString("O", System.Globalization.CultureInfo.InvariantCulture), row.GetProperty("DateTime").GetString());
        Assert.Equal(DateTimeOffset.Parse(row.GetProperty("DateTime").GetString()!, System.Globalization.CultureInfo.InvariantCulture).LocalDateTime, local);
        Assert.Equal(77, row.GetProperty("Color").GetInt32());
    }

    [Fact]
    public async Task Fields_AreNamedByTheCatalog_NotTheModel_AndEnumsByTheCatalogsMembers()
    {
        await using (TypesDb db = await TypesDb.OpenAsync(_folder.File("types.db")))
        {
            await db.AllTypes.InsertAsync(new AllTypes { Id = 3, Color = Color.Blue });
        }

        // The catalog, not the model, names the fields: what a renamed field is called in the file is what goes out.
        using (var connection = SqliteConnection.Open(_folder.File("types.db"), readOnly: false, create: false))
        {
            connection.Execute("UPDATE _repos_fields SET name='Flag' WHERE name='Bool' AND type='Repos.Tests.Generated.AllTypes'");
            JsonElement row = WriteRow(connection);
            Assert.False(row.GetProperty("Flag").GetBoolean());
            Assert.False(row.TryGetProperty("Bool", out _));

            // Without the model's types, an enum is named by the members the catalog records.
            Assert.Equal("Blue", row.GetProperty("Color").GetString());

            // A file that records no members (written before they were recorded) has its enums as numbers.
            connection.Execute("DELETE FROM _repos_meta WHERE key='enum:Repos.Tests.Generated.Color'");
            Assert.Equal((int)Color.Blue, WriteRow(connection).GetProperty("Color").GetInt32());
        }
    }

    [Fact]
    public async Task EnumMembers_TheModelDrops_StayInTheCatalog_AndAnOpenRewritesNothing()
    {
        await using (TypesDb db = await TypesDb.OpenAsync(_folder.File("types.db")))
        {
            await db.AllTypes.InsertAsync(new AllTypes { Id = 3, Color = Color.Blue });
        }

        using (var connection = SqliteConnection.Open(_folder.File("types.db"), readOnly: false, create: false))
        {
            Assert.Equal("Red=1,Green=2,Blue=255", Meta(connection, "enum:Repos.Tests.Generated.Color"));

            // As if an older app had a member this one dropped: the next open keeps its name for the rows that hold it.
            connection.Execute("UPDATE _repos_meta SET value='Red=1,Green=2,Purple=9,Blue=255' WHERE key='enum:Repos.Tests.Generated.Color'");
            Assert.True(CatalogSeal.Seal(connection));
        }

        string generation;
        using (var connection = SqliteConnection.Open(_folder.File("types.db"), readOnly: false, create: false))
        {
            generation = Meta(connection, CatalogSeal.GenerationKey);
        }

        await using (TypesDb db = await TypesDb.OpenAsync(_folder.File("types.db")))
        {
            Assert.Equal(Color.Blue, (await db.AllTypes.GetAsync(3))!.Color);
        }

        using (var connection = SqliteConnection.Open(_folder.File("types.db"), readOnly: false, create: false))
        {
            Assert.Equal("Red=1,Green=2,Purple=9,Blue=255", Meta(connection, "enum:Repos.Tests.Generated.Color"));
            Assert.Equal(generation, Meta(connection, CatalogSeal.GenerationKey));
        }
    }

    private static string Meta(SqliteConnection connection, string key)
    {
        using SqliteStatement select = connection.PrepareOnce("SELECT value FROM _repos_meta WHERE key=?1");
        select.BindText(1, key);
        Assert.True(select.Step(), key);
        return select.ColumnText(0);
    }

    private static JsonElement WriteRow(SqliteConnection connection)
    {
        using SqliteStatement select = connection.PrepareOnce("SELECT _blob FROM \"AllTypes\" WHERE key=3");
        Assert.True(select.Step());
        using BlobPayload payload = BlobEnvelope.Read(select.ColumnBlob(0), _ => null);
        var output = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(output))
        {
            new PayloadJsonWriter(CatalogTypes.Load(connection, [])).WriteObject(json, "Repos.Tests.Generated.AllTypes", payload.Span);
        }

        return JsonDocument.Parse(output.WrittenMemory).RootElement.Clone();
    }
}
