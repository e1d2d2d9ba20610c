using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Repos.Tests.Backup;
using Repos.Tests.Generated;
using Repos.Transfer;

namespace Repos.Tests.Transfer;

/// <summary>The bundle an export writes (docs/transfer.md, <i>The bundle</i>): its layout, its checksum, its selections.</summary>
public sealed class BundleExportTests : IDisposable
{
    private static readonly DateOnly s_start = new(2024, 1, 1);
    private readonly TempDirectory _folder = new();

    public void Dispose() => _folder.Dispose();

    private async Task<JournalDb> FilledAsync(int days = 40)
    {
        JournalDb db = await JournalDb.OpenAsync(_folder.File("journal.db"));
        foreach (string user in (string[])["ann", "bob"])
        {
            for (int i = 0; i < days; i++)
            {
                await db.JournalEntries.InsertAsync(new JournalEntry
                {
                    Id = Guid.CreateVersion7(),
                    UserId = user,
                    Date = s_start.AddDays(i),
                    Score = 1 + (i % 10),
                    Mood = (Mood)(1 + (i % 3)),
                    Text = i % 4 == 0 ? null : $"day {i}, \"quoted\"\nline",
                    WrittenAt = new DateTime(2024, 1, 1, 8, 0, 0, DateTimeKind.Utc).AddDays(i),
                });
            }
        }

        await db.People.InsertAsync(new Person { Id = 1, Email = "a@example.com", Tags = ["x"], Balance = 10.50m });
        return db;
    }

    [Fact]
    public async Task Json_HasTheHeaderCatalogRowsAndCounts_AndItsChecksumCoversEverythingThroughTheEntities()
    {
        await using JournalDb db = await FilledAsync();
        var output = new MemoryStream();
        var clock = new FixedClock(new DateTimeOffset(2026, 12, 4, 10, 0, 0, TimeSpan.Zero));
        BundleExportResult result = await db.ExportAsync(output, new BundleExportOptions { AppName = "Journal", TimeProvider = clock });

        byte[] bytes = output.ToArray();
        Assert.Equal(bytes.Length, result.Bytes);
        JsonElement root = JsonDocument.Parse(bytes).RootElement;
        Assert.Equal("repos-bundle", root.GetProperty("format").GetString());
        Assert.Equal(1, root.GetProperty("formatVersion").GetInt32());
        Assert.Equal("Journal", root.GetProperty("app").GetString());
        Assert.Equal("2026-12-04T10:00:00.0000000Z", root.GetProperty("exportedAt").GetString());
        Assert.True(root.GetProperty("exactNumbers").GetBoolean());
        Assert.Equal(["format", "formatVersion", "app", "exportedAt", "exactNumbers", "catalog", "entities", "sha256"], root.EnumerateObject().Select(p => p.Name));

        JsonElement journal = root.GetProperty("entities").GetProperty("JournalEntry");
        Assert.Equal(80, journal.GetProperty("rows").GetArrayLength());
        Assert.Equal(80, journal.GetProperty("count").GetInt64());
        Assert.Equal(1, journal.GetProperty("version").GetInt32());
        Assert.Equal(2, root.GetProperty("entities").GetProperty("Person").GetProperty("version").GetInt32());
        JsonElement person = root.GetProperty("entities").GetProperty("Person").GetProperty("rows")[0];
        Assert.Equal("10.50", person.GetProperty("Balance").GetString());
        Assert.Contains(journal.GetProperty("rows").EnumerateArray(), r => r.GetProperty("Mood").GetString() == "Good");

        // The catalog names every entity with its key, version and indexes, and every field with its id and type.
        JsonElement catalog = root.GetProperty("catalog");
        JsonElement entry = catalog.GetProperty("entities").EnumerateArray().Single(e => e.GetProperty("name").GetString() == "JournalEntry");
        Assert.Equal("Id", entry.GetProperty("key").GetString());
        Assert.Contains(entry.GetProperty("indexes").EnumerateArray(), i => i.GetProperty("columns").GetString() == "UserId,Date" && i.GetProperty("unique").GetBoolean());
        Assert.Contains(catalog.GetProperty("enums").EnumerateArray(), e => e.GetProperty("name").GetString() == "Repos.Tests.Generated.Mood");

        // The checksum: SHA-256 of every byte from the opening brace through the closing brace of "entities".
        int end = IndexOfLast(bytes, ",\"sha256\":"u8);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes.AsSpan(0, end))), root.GetProperty("sha256").GetString());
        Assert.Equal(result.Sha256, root.GetProperty("sha256").GetString());
        Assert.Equal((byte)'}', bytes[end - 1]);
    }

    [Fact]
    public async Task NdJson_IsAHeaderLine_OneLinePerRow_AndALastLineWithCountsAndTheChecksumOfEveryLineBefore()
    {
        await using JournalDb db = await FilledAsync();
        var output = new MemoryStream();
        await db.ExportAsync(output, new BundleExportOptions { Format = BundleFormat.NdJson });

        byte[] bytes = output.ToArray();
        string[] lines = Encoding.UTF8.GetString(bytes).Split('\n');
        Assert.Equal(string.Empty, lines[^1]);
        Assert.Equal(1 + 80 + 1 + 1 + 1, lines.Length);
        JsonElement header = JsonDocument.Parse(lines[0]).RootElement;
        Assert.Equal("repos-bundle-ndjson", header.GetProperty("format").GetString());
        Assert.Equal(1, header.GetProperty("entities").GetProperty("JournalEntry").GetProperty("version").GetInt32());
        for (int i = 1; i <= 81; i++)
        {
            JsonElement line = JsonDocument.Parse(lines[i]).RootElement;
            Assert.Equal(i <= 80 ? "JournalEntry" : "Person", line.GetProperty("e").GetString());
            Assert.Equal(JsonValueKind.Object, line.GetProperty("r").ValueKind);
        }

        JsonElement last = JsonDocument.Parse(lines[^2]).RootElement;
        Assert.Equal(80, last.GetProperty("counts").GetProperty("JournalEntry").GetInt64());
        Assert.Equal(1, last.GetProperty("counts").GetProperty("Person").GetInt64());
        int before = bytes.Length - Encoding.UTF8.GetByteCount(lines[^2]) - 1;
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes.AsSpan(0, before))), last.GetProperty("sha256").GetString());
    }

    [Fact]
    public async Task ARange_HoldsExactlyTheRowsOfTheRange_InIndexOrder()
    {
        await using JournalDb db = await FilledAsync();
        DateOnly from = s_start.AddDays(10);
        DateOnly to = s_start.AddDays(19);
        var output = new MemoryStream();
        BundleExportResult result = await db.ExportAsync(output, new BundleExportOptions
        {
            Ranges = [ExportRange.From(db.JournalEntries.ByUserIdAndDate("bob").Between(from, to))],
        });

        JsonElement entities = JsonDocument.Parse(output.ToArray()).RootElement.GetProperty("entities");
        Assert.Equal(["JournalEntry"], entities.EnumerateObject().Select(p => p.Name));
        JsonElement[] rows = [.. entities.GetProperty("JournalEntry").GetProperty("rows").EnumerateArray()];
        List<JournalEntry> expected = await db.JournalEntries.ByUserIdAndDate("bob").Between(from, to).ToListAsync();
        Assert.Equal(10, rows.Length);
        Assert.Equal(expected.Select(e => e.Id.ToString()), rows.Select(r => r.GetProperty("Id").GetString()));
        Assert.All(rows, r => Assert.Equal("bob", r.GetProperty("UserId").GetString()));
        Assert.Equal(10, result.Entities.Single().Rows);
    }

    [Fact]
    public async Task Entities_SelectWhatIsExported_AndAnUnknownNameIsRefused()
    {
        await using JournalDb db = await FilledAsync(3);
        var output = new MemoryStream();
        await db.ExportAsync(output, new BundleExportOptions { Entities = ["Person"] });
        JsonElement entities = JsonDocument.Parse(output.ToArray()).RootElement.GetProperty("entities");
        Assert.Equal(["Person"], entities.EnumerateObject().Select(p => p.Name));

        ArgumentException refused = await Assert.ThrowsAsync<ArgumentException>(() => db.ExportAsync(new MemoryStream(), new BundleExportOptions { Entities = ["Nope"] }));
        Assert.Contains("no entity Nope", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Progress_ReportsEveryEntityToItsTotal()
    {
        await using JournalDb db = await FilledAsync();
        var reports = new List<TransferProgress>();
        await db.ExportAsync(Stream.Null, new BundleExportOptions { Format = BundleFormat.NdJson, Progress = new SyncProgress<TransferProgress>(reports.Add) });
        TransferProgress journal = reports.Last(r => r.Entity == "JournalEntry");
        Assert.Equal(80, journal.Rows);
        Assert.Equal(80, journal.TotalRows);
        Assert.Equal(1, reports.Last(r => r.Entity == "Person").Rows);
    }

    private static int IndexOfLast(byte[] bytes, ReadOnlySpan<byte> value) => bytes.AsSpan().LastIndexOf(value);

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    private sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
