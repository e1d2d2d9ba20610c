using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Repos.Transfer;

namespace Repos.Cli.Tests;

/// <summary>The commands that only read a file: <c>info</c>, <c>show</c>, <c>export</c>, <c>verify</c> and <c>stats</c> on a healthy file.</summary>
public sealed partial class ReadCommandTests(HealthFileFixture file) : IClassFixture<HealthFileFixture>
{
    private static readonly Guid s_annDay2 = HealthLog.Id("ann", 2);

    [Fact]
    public void Info_Json_ListsEntitiesRowCountsVersionsAndIndexes()
    {
        ToolRun run = ReposTool.Run("info", file.Path, "--json");

        Assert.True(run.ExitCode == 0, run.ToString());
        JsonElement info = run.Json();
        Assert.Equal(file.Path, info.GetProperty("path").GetString());
        Assert.Equal(1, info.GetProperty("databaseVersion").GetInt32());
        Assert.Equal(0, info.GetProperty("migrationsApplied").GetInt32());
        Assert.Equal(new FileInfo(file.Path).Length, info.GetProperty("fileSizeBytes").GetInt64());
        JsonElement[] entities = [.. info.GetProperty("entities").EnumerateArray()];
        Assert.Equal(["Clinic", "HealthEntry"], entities.Select(e => e.GetProperty("name").GetString()));
        Assert.Equal([2L, HealthLog.Users.Length * HealthLog.Days], entities.Select(e => e.GetProperty("rows").GetInt64()));
        Assert.All(entities, e => Assert.Equal(1, e.GetProperty("version").GetInt32()));
        JsonElement entry = entities[1];
        Assert.Equal("Id", entry.GetProperty("key").GetString());
        Assert.Equal("Blob", entry.GetProperty("keyKind").GetString());
        Assert.Equal("Repos.Cli.Tests.HealthEntry", entry.GetProperty("type").GetString());
        Assert.Equal(JsonValueKind.Null, entry.GetProperty("bytes").ValueKind);
        JsonElement index = Assert.Single(entry.GetProperty("indexes").EnumerateArray());
        Assert.Equal("UserId_Date", index.GetProperty("name").GetString());
        Assert.Equal(["UserId", "Date"], index.GetProperty("columns").EnumerateArray().Select(c => c.GetString()));
        Assert.True(index.GetProperty("unique").GetBoolean());
    }

    [Fact]
    public void Info_Sizes_Table_ShowsEntitiesRowsAndBytes()
    {
        ToolRun run = ReposTool.Run("info", file.Path, "--sizes");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("database version 1", run.Output, StringComparison.Ordinal);
        Assert.Matches(@"│ HealthEntry +│ Id \(Blob\) +│ 1 +│ +20 │ +[\d.]+ KiB │ UserId_Date \(UserId, Date\) unique", run.Output);
        Assert.DoesNotContain("\u001b[", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Show_ByKey_Json_IsTheRowTheAppWrote()
    {
        ToolRun run = ReposTool.Run("show", file.Path, "HealthEntry", "--key", s_annDay2.ToString(), "--json");

        Assert.True(run.ExitCode == 0, run.ToString());
        JsonElement row = Assert.Single(run.Json().EnumerateArray());
        HealthEntry written = HealthLog.Entry("ann", 2);
        Assert.Equal(s_annDay2.ToString(), row.GetProperty("Id").GetString());
        Assert.Equal("ann", row.GetProperty("UserId").GetString());
        Assert.Equal("2024-01-03", row.GetProperty("Date").GetString());
        Assert.Equal("Good", row.GetProperty("Feeling").GetString());
        Assert.Equal("62.50", row.GetProperty("WeightKg").GetString());
        Assert.Equal(written.Note, row.GetProperty("Note").GetString());
        Assert.Equal(
            written.Doses.Select(d => ((string?)d.Medicine, (string?)d.Milligrams.ToString(System.Globalization.CultureInfo.InvariantCulture))),
            row.GetProperty("Doses").EnumerateArray().Select(d => (d.GetProperty("Medicine").GetString(), d.GetProperty("Milligrams").GetString())));
    }

    [Fact]
    public void Show_ByIndexRange_Json_GivesTheRowsBetweenTheBoundsInIndexOrder()
    {
        ToolRun run = ReposTool.Run("show", file.Path, "HealthEntry", "--index", "UserId_Date", "--from", "bob,2024-01-04", "--to", "bob,2024-01-07", "--json");

        Assert.True(run.ExitCode == 0, run.ToString());
        JsonElement[] rows = [.. run.Json().EnumerateArray()];
        Assert.Equal(["2024-01-04", "2024-01-05", "2024-01-06", "2024-01-07"], rows.Select(r => r.GetProperty("Date").GetString()));
        Assert.All(rows, r => Assert.Equal("bob", r.GetProperty("UserId").GetString()));
    }

    [Fact]
    public void Show_Take_Table_ShowsThatManyRowsAndSaysMoreFollow()
    {
        ToolRun run = ReposTool.Run("show", file.Path, "HealthEntry", "--index", "UserId_Date", "--from", "ann", "--to", "ann", "--take", "3");

        Assert.True(run.ExitCode == 0, run.ToString());
        string[] lines = run.Output.Split('\n');
        Assert.Equal(3, lines.Count(l => l.StartsWith("│ 0000000", StringComparison.Ordinal)));
        Assert.Contains("3 row(s) of HealthEntry; more follow", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Show_Table_HasAColumnPerPropertyAndTheValues_WithNestedValuesAsCutJson()
    {
        ToolRun run = ReposTool.Run("show", file.Path, "HealthEntry", "--index", "UserId_Date", "--from", "ann,2024-01-03", "--to", "ann,2024-01-03");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Matches(@"│ Id +│ UserId │ Date +│ Feeling │ WeightKg │ Note +│ Doses +│", run.Output);
        string row = Assert.Single(run.Output.Split('\n'), l => l.Contains(s_annDay2.ToString(), StringComparison.Ordinal));
        Assert.Contains("│ ann ", row, StringComparison.Ordinal);
        Assert.Contains("│ 2024-01-03 ", row, StringComparison.Ordinal);
        Assert.Contains("│ Good ", row, StringComparison.Ordinal);
        Assert.Contains("│ 62.50 ", row, StringComparison.Ordinal);
        Assert.Contains("│ Καλή μέρα ", row, StringComparison.Ordinal);

        // The doses are 94 characters of JSON: cut to 40, the last an ellipsis.
        Assert.Contains("│ [{\"Medicine\":\"ibuprofen\",\"Milligrams\":\"…", row, StringComparison.Ordinal);
        Assert.Contains("1 row(s) of HealthEntry", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Export_Json_IsTheAppsOwnExport_ButForItsTimeAndChecksum()
    {
        string bundle = System.IO.Path.Combine(file.Folder, "tool.reposbundle.json");
        ToolRun run = ReposTool.Run("export", file.Path, "--format", "json", "--app", "HealthLog", "-o", bundle, "--json");

        Assert.True(run.ExitCode == 0, run.ToString());
        var app = new MemoryStream();
        await using (HealthDb db = await HealthDb.OpenAsync(file.Path))
        {
            await db.ExportAsync(app, new BundleExportOptions { Format = BundleFormat.Json, AppName = "HealthLog" });
        }

        byte[] tool = await File.ReadAllBytesAsync(bundle);
        Assert.Equal(WithoutTimeAndChecksum(Encoding.UTF8.GetString(app.ToArray())), WithoutTimeAndChecksum(Encoding.UTF8.GetString(tool)));

        // The tool's checksum is its own bytes' (docs/transfer.md: from the '{' through the end of "entities").
        string text = Encoding.UTF8.GetString(tool);
        int end = text.LastIndexOf(",\"sha256\":", StringComparison.Ordinal);
        string sha256 = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text[..end])));
        Assert.Equal(sha256, JsonDocument.Parse(tool).RootElement.GetProperty("sha256").GetString());
        JsonElement result = run.Json();
        Assert.Equal(sha256, result.GetProperty("sha256").GetString());
        Assert.Equal(tool.Length, result.GetProperty("bytes").GetInt64());
        Assert.Equal([2L, 20L], result.GetProperty("entities").EnumerateArray().Select(e => e.GetProperty("rows").GetInt64()));
    }

    [Fact]
    public async Task Export_NdJson_OfAnIndexRange_IsTheAppsExportOfTheSameQuery()
    {
        string bundle = System.IO.Path.Combine(file.Folder, "range.reposbundle.ndjson");
        ToolRun run = ReposTool.Run(
            "export", file.Path, "--entity", "HealthEntry", "--index", "UserId_Date", "--from", "ann,2024-01-03", "--to", "ann,2024-01-05",
            "--format", "ndjson", "--app", "HealthLog", "-o", bundle);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("Wrote 3 rows to", run.Output, StringComparison.Ordinal);
        var app = new MemoryStream();
        await using (HealthDb db = await HealthDb.OpenAsync(file.Path))
        {
            ExportRange range = ExportRange.From(db.HealthEntries.ByUserIdAndDate("ann").Between(new DateOnly(2024, 1, 3), new DateOnly(2024, 1, 5)));
            await db.ExportAsync(app, new BundleExportOptions { Format = BundleFormat.NdJson, AppName = "HealthLog", Ranges = [range] });
        }

        string[] lines = (await File.ReadAllTextAsync(bundle)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(5, lines.Length);
        Assert.Equal(
            WithoutTimeAndChecksum(Encoding.UTF8.GetString(app.ToArray())).Split('\n', StringSplitOptions.RemoveEmptyEntries),
            lines.Select(WithoutTimeAndChecksum));
    }

    [Fact]
    public async Task Export_Csv_OfAnIndexRange_IsTheAppsCsvOfTheSameQuery()
    {
        string csv = System.IO.Path.Combine(file.Folder, "range.csv");
        ToolRun run = ReposTool.Run(
            "export", file.Path, "--entity", "HealthEntry", "--index", "UserId_Date", "--from", "ann,2024-01-03", "--to", "ann,2024-01-05",
            "--format", "csv", "-o", csv, "--json");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("csv", run.Json().GetProperty("format").GetString());
        var app = new MemoryStream();
        await using (HealthDb db = await HealthDb.OpenAsync(file.Path))
        {
            ExportRange range = ExportRange.From(db.HealthEntries.ByUserIdAndDate("ann").Between(new DateOnly(2024, 1, 3), new DateOnly(2024, 1, 5)));
            await db.ExportCsvAsync("HealthEntry", app, new CsvExportOptions { Range = range });
        }

        Assert.Equal(Encoding.UTF8.GetString(app.ToArray()), await File.ReadAllTextAsync(csv));
        Assert.Equal(4, (await File.ReadAllTextAsync(csv)).Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length);

        ToolRun two = ReposTool.Run("export", file.Path, "--format", "csv", "-o", System.IO.Path.Combine(file.Folder, "all.csv"));
        Assert.Equal(1, two.ExitCode);
        Assert.Contains("one entity", two.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_HealthyFile_ExitsZero_AndCountsEveryRow()
    {
        ToolRun run = ReposTool.Run("verify", file.Path, "--json");

        Assert.True(run.ExitCode == 0, run.ToString());
        JsonElement report = run.Json();
        Assert.True(report.GetProperty("healthy").GetBoolean());
        Assert.Equal(22, report.GetProperty("rowsChecked").GetInt64());
        Assert.Empty(report.GetProperty("badRows").EnumerateArray());
        Assert.Empty(report.GetProperty("integrityErrors").EnumerateArray());
    }

    [Fact]
    public void Stats_Json_MeasuresTheFileAndEachEntity()
    {
        ToolRun run = ReposTool.Run("stats", file.Path, "--json");

        Assert.True(run.ExitCode == 0, run.ToString());
        JsonElement stats = run.Json();
        Assert.Equal(stats.GetProperty("pageCount").GetInt64() * stats.GetProperty("pageSize").GetInt64(), stats.GetProperty("databaseSizeBytes").GetInt64());
        JsonElement[] entities = [.. stats.GetProperty("entities").EnumerateArray()];
        Assert.Equal(["Clinic", "HealthEntry"], entities.Select(e => e.GetProperty("name").GetString()));
        Assert.Equal([2L, 20L], entities.Select(e => e.GetProperty("rows").GetInt64()));
        Assert.All(entities, e => Assert.True(e.GetProperty("payloadBytes").GetInt64() > 0 && e.GetProperty("bytes").GetInt64() >= e.GetProperty("payloadBytes").GetInt64()));
        Assert.True(stats.GetProperty("usedBytes").GetInt64() >= entities.Sum(e => e.GetProperty("bytes").GetInt64()));
    }

    private static string WithoutTimeAndChecksum(string bundle) => TimeAndChecksum().Replace(bundle, "\"$1\":\"-\"");

    [GeneratedRegex("\"(exportedAt|sha256)\":\"[^\"]*\"")]
    private static partial Regex TimeAndChecksum();
}
