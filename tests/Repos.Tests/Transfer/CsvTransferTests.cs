using System.Text;
using System.Text.Json;
using Repos.Tests.Backup;
using Repos.Tests.Generated;
using Repos.Transfer;

namespace Repos.Tests.Transfer;

/// <summary>CSV export and import (docs/transfer.md, <i>CSV export</i>): RFC 4180, exact values, flattened nesting.</summary>
public sealed class CsvTransferTests : IDisposable
{
    private static readonly AllTypes[] s_values = [RoundTripTests.Minimums(), RoundTripTests.Maximums(), RoundTripTests.Typical()];
    private readonly TempDirectory _folder = new();

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData(CsvNesting.Flatten)]
    [InlineData(CsvNesting.JsonCells)]
    public async Task EveryType_RoundTripsThroughCsv_IntoAnEmptyFile(CsvNesting nesting)
    {
        var csv = new MemoryStream();
        string before;
        await using (TypesDb source = await TypesDb.OpenAsync(_folder.File("source.db")))
        {
            foreach (AllTypes value in s_values)
            {
                await source.AllTypes.UpsertAsync(value);
            }

            ExportedEntity written = await source.ExportCsvAsync("AllTypes", csv, new CsvExportOptions { Nesting = nesting });
            Assert.Equal(3, written.Rows);
            before = await RowsOf(source);
        }

        await using TypesDb target = await TypesDb.OpenAsync(_folder.File("target.db"));
        csv.Position = 0;
        JsonImportResult imported = await target.AllTypes.ImportCsvAsync(csv);
        Assert.Equal(3, imported.Inserted);
        Assert.Equal(before, await RowsOf(target));
    }

    [Fact]
    public async Task Csv_IsRfc4180_WithAHeader_FlattenedColumns_QuotedWhereNeeded_AndNullApartFromEmpty()
    {
        await using TypesDb db = await TypesDb.OpenAsync(_folder.File("types.db"));
        await db.Counters.InsertAsync(new Counter { Id = 1, Label = "plain", Value = 1 });
        await db.Counters.InsertAsync(new Counter { Id = 2, Label = "with, comma and \"quotes\"\r\nand a line", Value = -2 });
        await db.Counters.InsertAsync(new Counter { Id = 3, Label = "", Value = 0 });
        var csv = new MemoryStream();
        await db.ExportCsvAsync("Counter", csv);
        Assert.Equal(
            "Id,Label,Value\r\n1,plain,1\r\n2,\"with, comma and \"\"quotes\"\"\r\nand a line\",-2\r\n3,\"\",0\r\n",
            Encoding.UTF8.GetString(csv.ToArray()));

        await db.AllTypes.InsertAsync(new AllTypes { Id = 9, Origin = new Point(1.5, -2), String = null! });
        var all = new MemoryStream();
        await db.ExportCsvAsync("AllTypes", all);
        string[] lines = Encoding.UTF8.GetString(all.ToArray()).Split("\r\n");
        string[] header = lines[0].Split(',');
        Assert.Contains("Origin.X", header);
        Assert.Contains("Origin.Y", header);
        string[] row = lines[1].Split(',');
        Assert.Equal("1.5", row[Array.IndexOf(header, "Origin.X")]);
        Assert.Equal(string.Empty, row[Array.IndexOf(header, "String")]);
    }

    [Fact]
    public async Task ARange_HoldsExactlyItsRows()
    {
        await using JournalDb db = await JournalDb.OpenAsync(_folder.File("journal.db"));
        for (int i = 0; i < 20; i++)
        {
            await db.JournalEntries.InsertAsync(new JournalEntry { Id = Guid.CreateVersion7(), UserId = i % 2 == 0 ? "ann" : "bob", Date = new DateOnly(2024, 1, 1).AddDays(i), Score = 5 });
        }

        var csv = new MemoryStream();
        ExportedEntity written = await db.ExportCsvAsync("JournalEntry", csv, new CsvExportOptions
        {
            Range = ExportRange.From(db.JournalEntries.ByUserIdAndDate("ann").Between(new DateOnly(2024, 1, 5), new DateOnly(2024, 1, 13))),
        });

        string[] lines = Encoding.UTF8.GetString(csv.ToArray()).TrimEnd().Split("\r\n");
        Assert.Equal(5, written.Rows);
        Assert.Equal(6, lines.Length);
        int date = Array.IndexOf(lines[0].Split(','), "Date");
        Assert.Equal(["2024-01-05", "2024-01-07", "2024-01-09", "2024-01-11", "2024-01-13"], lines[1..].Select(l => l.Split(',')[date]));
    }

    [Fact]
    public async Task Import_MapsColumns_ReportsBadCellsByRowAndProperty_AndRefusesUnknownColumns()
    {
        await using TypesDb db = await TypesDb.OpenAsync(_folder.File("types.db"));
        string sheet = "Number,Name,Amount\r\n1,one,10\r\n2,two,20\r\n";
        var columns = new Dictionary<string, string> { ["Number"] = "Id", ["Name"] = "Label", ["Amount"] = "Value" };
        JsonImportResult result = await db.Counters.ImportCsvAsync(new MemoryStream(Encoding.UTF8.GetBytes(sheet)), new CsvImportOptions { Columns = columns });
        Assert.Equal(2, result.Inserted);
        Assert.Equal("two", (await db.Counters.GetAsync(2))!.Label);

        JsonImportException bad = await Assert.ThrowsAsync<JsonImportException>(() =>
            db.Counters.ImportCsvAsync(new MemoryStream(Encoding.UTF8.GetBytes("Id,Label,Value\n3,three,x\n")), null).AsTask());
        JsonImportError error = Assert.Single(bad.Errors);
        Assert.Equal(0, error.DocumentIndex);
        Assert.Equal("$.Value", error.Path);
        Assert.Null(await db.Counters.GetAsync(3));

        ArgumentException unknown = await Assert.ThrowsAsync<ArgumentException>(() =>
            db.Counters.ImportCsvAsync(new MemoryStream(Encoding.UTF8.GetBytes("Id,Label,Valeu\n3,three,3\n"))).AsTask());
        Assert.Contains("'Valeu'", unknown.Message, StringComparison.Ordinal);

        CsvFormatException broken = await Assert.ThrowsAsync<CsvFormatException>(() =>
            db.Counters.ImportCsvAsync(new MemoryStream(Encoding.UTF8.GetBytes("Id,Label,Value\n3,\"three,3\n"))).AsTask());
        Assert.Equal(2, broken.Line);
        Assert.Null(await db.Counters.GetAsync(3));
    }

    // Every AllTypes row as a bundle holds it.
    private static async Task<string> RowsOf(TypesDb db)
    {
        var output = new MemoryStream();
        await db.ExportAsync(output, new BundleExportOptions { Entities = ["AllTypes"] });
        return JsonDocument.Parse(output.ToArray()).RootElement.GetProperty("entities").GetRawText();
    }
}
