using System.Text.Json;
using Repos.Tests.Backup;
using Repos.Tests.Generated;
using Repos.Transfer;

namespace Repos.Tests.Transfer;

/// <summary>A file read by its catalog alone (<see cref="ReposFile"/>), as the <c>repos</c> tool reads any file.</summary>
public sealed class ReposFileTests : IDisposable
{
    private static readonly DateOnly s_start = new(2024, 1, 1);
    private static readonly DateTimeOffset s_now = new(2026, 12, 4, 10, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _folder = new();

    public void Dispose() => _folder.Dispose();

    private async Task<string> FilledAsync()
    {
        string path = _folder.File("journal.db");
        await using JournalDb db = await JournalDb.OpenAsync(path);
        for (int i = 0; i < 30; i++)
        {
            foreach (string user in (string[])["ann", "bob"])
            {
                await db.JournalEntries.InsertAsync(new JournalEntry
                {
                    Id = new Guid(i, 0, 0, [0, 0, 0, 0, 0, 0, 0, (byte)user[0]]),
                    UserId = user,
                    Date = s_start.AddDays(i),
                    Score = 1 + (i % 10),
                    Mood = Mood.Good,
                    Text = $"day {i}",
                    WrittenAt = new DateTime(2024, 1, 1, 8, 0, 0, DateTimeKind.Utc).AddDays(i),
                });
            }
        }

        await db.People.InsertAsync(new Person { Id = 5, Email = "p@example.com", Balance = 1.10m });
        return path;
    }

    [Fact]
    public async Task Export_WithoutTheAppsTypes_IsByteForByteTheAppsExport()
    {
        string path = await FilledAsync();
        var options = new BundleExportOptions { AppName = "Journal", TimeProvider = new FixedClock(s_now), Format = BundleFormat.NdJson };
        var app = new MemoryStream();
        await using (JournalDb db = await JournalDb.OpenAsync(path))
        {
            await db.ExportAsync(app, options);
        }

        var tool = new MemoryStream();
        await using (ReposFile file = await ReposFile.OpenAsync(path))
        {
            await file.ExportAsync(tool, options);
        }

        Assert.Equal(System.Text.Encoding.UTF8.GetString(app.ToArray()), System.Text.Encoding.UTF8.GetString(tool.ToArray()));
    }

    [Fact]
    public async Task Entities_Counts_RangesAndKeys_AreReadFromTheCatalog()
    {
        string path = await FilledAsync();
        await using ReposFile file = await ReposFile.OpenAsync(path);
        Assert.Equal(["JournalEntry", "Person"], file.Entities.Select(e => e.Name));
        ReposFileEntity journal = file.Entities[0];
        Assert.Equal("Blob", journal.KeyKind);
        Assert.Contains(journal.Indexes, i => i.Columns.SequenceEqual(["UserId", "Date"]) && i.Unique);
        IReadOnlyDictionary<string, long> counts = await file.CountRowsAsync();
        Assert.Equal(60, counts["JournalEntry"]);
        Assert.Equal(1, counts["Person"]);

        string index = journal.Indexes.Single(i => i.Columns.Count == 2).Name;
        var rows = new List<JsonElement>();
        await foreach (string row in file.ReadRowsAsync("JournalEntry", file.Range("JournalEntry", index, ["bob", "2024-01-05"], ["bob", "2024-01-09"])))
        {
            rows.Add(JsonDocument.Parse(row).RootElement.Clone());
        }

        Assert.Equal(["2024-01-05", "2024-01-06", "2024-01-07", "2024-01-08", "2024-01-09"], rows.Select(r => r.GetProperty("Date").GetString()));
        Assert.All(rows, r => Assert.Equal("bob", r.GetProperty("UserId").GetString()));

        // A bound of the first column only covers every row that starts with it; take limits what is read.
        int bob = 0;
        await foreach (string row in file.ReadRowsAsync("JournalEntry", file.Range("JournalEntry", index, ["bob"], ["bob"]), take: 100))
        {
            bob++;
        }

        Assert.Equal(30, bob);
        string? person = await file.GetRowAsync("Person", "5");
        Assert.Equal("1.10", JsonDocument.Parse(person!).RootElement.GetProperty("Balance").GetString());
        Assert.Null(await file.GetRowAsync("Person", "6"));
        string? entry = await file.GetRowAsync("JournalEntry", new Guid(3, 0, 0, [0, 0, 0, 0, 0, 0, 0, (byte)'a']).ToString());
        Assert.Equal("2024-01-04", JsonDocument.Parse(entry!).RootElement.GetProperty("Date").GetString());

        ArgumentException wrong = Assert.Throws<ArgumentException>(() => file.Range("JournalEntry", index, ["bob", "not a date"], null));
        Assert.Contains("'not a date' is not a value of JournalEntry.Date", wrong.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => file.Range("JournalEntry", "Nope", null, null));
    }

    [Fact]
    public async Task Vacuum_WithoutTheAppsTypes_ShrinksTheFile_AndKeepsEveryRowAndTheCatalog()
    {
        string path = await FilledAsync();
        await using (JournalDb db = await JournalDb.OpenAsync(path))
        {
            await db.JournalEntries.ByUserIdAndDate("ann").DeleteAsync();
        }

        string before;
        await using (ReposFile file = await ReposFile.OpenAsync(path))
        {
            var bundle = new MemoryStream();
            await file.ExportAsync(bundle, new BundleExportOptions { TimeProvider = new FixedClock(s_now) });
            before = System.Text.Encoding.UTF8.GetString(bundle.ToArray());
        }

        Repos.Housekeeping.VacuumResult result = await ReposFile.VacuumAsync(path);
        Assert.True(result.SizeAfterBytes <= result.SizeBeforeBytes);
        await using (ReposFile file = await ReposFile.OpenAsync(path))
        {
            var bundle = new MemoryStream();
            await file.ExportAsync(bundle, new BundleExportOptions { TimeProvider = new FixedClock(s_now) });
            Assert.Equal(before, System.Text.Encoding.UTF8.GetString(bundle.ToArray()));
        }

        await using JournalDb reopened = await JournalDb.OpenAsync(path);
        Assert.Equal(30, await reopened.JournalEntries.CountAsync());
        Assert.True((await reopened.VerifyAsync()).IsHealthy);
    }

    [Fact]
    public async Task AFileThatIsNotRepos_IsRefused()
    {
        string plain = _folder.File("plain.db");
        using (var connection = Repos.Storage.Sqlite.SqliteConnection.Open(plain, readOnly: false, create: true))
        {
            connection.Execute("CREATE TABLE t(x)");
        }

        await Assert.ThrowsAsync<ReposForeignDatabaseException>(() => ReposFile.OpenAsync(plain));
        await File.WriteAllTextAsync(_folder.File("text.db"), "this is not a database at all, just some text that is long enough to be a header......");
        await Assert.ThrowsAsync<ReposForeignDatabaseException>(() => ReposFile.OpenAsync(_folder.File("text.db")));
        await Assert.ThrowsAsync<FileNotFoundException>(() => ReposFile.OpenAsync(_folder.File("missing.db")));
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
