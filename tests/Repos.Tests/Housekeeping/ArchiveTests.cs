using Repos.Querying;
using Repos.Storage.Sqlite;
using static Repos.Tests.Housekeeping.HousekeepingData;

namespace Repos.Tests.Housekeeping;

public sealed class ArchiveTests : IDisposable
{
    private static readonly DateTimeOffset s_cutoff = new(2026, 1, 21, 0, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _folder = new();

    private string DbPath => _folder.File("readings.db");

    private string ArchivePath => Path.Combine(_folder.Path, "archive", "2025.db");

    public void Dispose() => _folder.Dispose();

    /// <summary>Every stored row of a table as the bytes of its columns, by key.</summary>
    private static Dictionary<long, string> RawRows(string path, string table)
    {
        using SqliteConnection connection = SqliteConnection.Open(path, readOnly: true, create: false);
        using SqliteStatement select = connection.PrepareOnce($"SELECT key, _schema, hex(_blob), \"RecordedAt\", \"ReviewedAt\", \"DeviceId\", \"TakenOn\" FROM \"{table}\"");
        var rows = new Dictionary<long, string>();
        while (select.Step())
        {
            rows[select.ColumnInt64(0)] = string.Join('|', Enumerable.Range(1, 6).Select(i => select.IsNull(i) ? "null" : select.ColumnText(i)));
        }

        return rows;
    }

    [Fact]
    public async Task ArchiveOlderThan_MovesTheRowsIntoAFileThatOpensWithTheModel()
    {
        await using ReadingsDb db = await ReadingsDb.OpenAsync(DbPath);
        await db.Readings.InsertManyAsync(Enumerable.Range(0, 40).Select(day => NewReading(day, day % 2 == 0 ? "d1" : "d2", day)));
        await db.Settings.InsertAsync(new Setting { Name = "kept", ChangedAt = DateTime.UtcNow });
        Dictionary<long, string> before = RawRows(DbPath, "Reading");

        int moved = await db.Readings.ByRecordedAt().ArchiveOlderThanAsync(s_cutoff, ArchivePath);

        Assert.Equal(20, moved);
        Assert.Equal(Enumerable.Range(20, 20).Select(i => (long)i), (await db.Readings.ByRecordedAt().ToListAsync()).Select(r => r.Id));
        Assert.Equal(1, await db.Settings.CountAsync());
        Assert.Equal("ok", IntegrityCheck(DbPath));
        Assert.Equal("ok", IntegrityCheck(ArchivePath));

        // The archived rows are the deleted ones, stored byte for byte as they were.
        Dictionary<long, string> archived = RawRows(ArchivePath, "Reading");
        Assert.Equal(Enumerable.Range(0, 20).Select(i => (long)i), archived.Keys.Order());
        Assert.All(archived, row => Assert.Equal(before[row.Key], row.Value));

        await using ReadingsDb archive = await ReadingsDb.OpenAsync(ArchivePath, new ReposDatabaseOptions { ReadOnly = true });
        List<Reading> read = await archive.Readings.ByRecordedAt().ToListAsync();
        Assert.Equal(Enumerable.Range(0, 20).Select(day => NewReading(day, day % 2 == 0 ? "d1" : "d2", day)), read);
        Assert.Equal(10, await archive.Readings.ByDeviceIdAndTakenOn("d1").CountAsync());
        Assert.Equal(0, await archive.Settings.CountAsync());
    }

    [Fact]
    public async Task Archive_AgainIntoTheSameFile_AddsTheNewRows_AndTheArchiveStaysWritableByTheApp()
    {
        await using (ReadingsDb db = await ReadingsDb.OpenAsync(DbPath))
        {
            await db.Readings.InsertManyAsync(Enumerable.Range(0, 30).Select(day => NewReading(day, day: day)));
            Assert.Equal(10, await db.Readings.ByRecordedAt().ArchiveOlderThanAsync(s_cutoff.AddDays(-10), ArchivePath));
            Assert.Equal(10, await db.Readings.ByRecordedAt().ArchiveOlderThanAsync(s_cutoff, ArchivePath));
            Assert.Equal(0, await db.Readings.ByRecordedAt().ArchiveOlderThanAsync(s_cutoff, ArchivePath));
            Assert.Equal(10, await db.Readings.CountAsync());
        }

        await using ReadingsDb archive = await ReadingsDb.OpenAsync(ArchivePath);
        Assert.Equal(Enumerable.Range(0, 20).Select(i => (long)i), (await archive.Readings.ByRecordedAt().ToListAsync()).Select(r => r.Id));
        await archive.Settings.InsertAsync(new Setting { Name = "note", ChangedAt = DateTime.UtcNow });
        Assert.Equal(1, await archive.Settings.CountAsync());
    }

    [Fact]
    public async Task Archive_IntoAnArchiveWithConflictingUniqueValues_FailsAndDeletesNothing()
    {
        string journalPath = _folder.File("journal.db");
        string archivePath = _folder.File("journal-archive.db");
        var day = new DateOnly(2026, 1, 5);
        Generated.JournalEntry Entry(Guid id) => new()
        {
            Id = id,
            UserId = "ann",
            Date = day,
            Score = 5,
            Mood = Generated.Mood.Good,
            WrittenAt = new DateTime(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc),
        };

        await using Generated.JournalDb db = await Generated.JournalDb.OpenAsync(journalPath);
        var first = Guid.NewGuid();
        await db.JournalEntries.InsertAsync(Entry(first));
        Assert.Equal(1, await db.JournalEntries.ByWrittenAt().ArchiveOlderThanAsync(DateTime.UtcNow, archivePath));

        // A new entry for the same user and day: the archive's unique index already has one.
        var second = Guid.NewGuid();
        await db.JournalEntries.InsertAsync(Entry(second));
        var e = await Assert.ThrowsAsync<ReposStorageException>(() => db.JournalEntries.ByWrittenAt().ArchiveOlderThanAsync(DateTime.UtcNow, archivePath).AsTask());

        Assert.Contains("Nothing was deleted", e.Message, StringComparison.Ordinal);
        Assert.Contains(second.ToString(), e.Message, StringComparison.Ordinal);
        Assert.NotNull(await db.JournalEntries.GetAsync(second));
        await using Generated.JournalDb archive = await Generated.JournalDb.OpenAsync(archivePath, new ReposDatabaseOptions { ReadOnly = true });
        Assert.Equal(first, Assert.Single(await archive.JournalEntries.ByWrittenAt().ToListAsync()).Id);
    }

    [Fact]
    public async Task Archive_IntoAFileThatIsNotAReposFile_FailsAndDeletesNothing()
    {
        await using ReadingsDb db = await ReadingsDb.OpenAsync(DbPath);
        await db.Readings.InsertManyAsync(Enumerable.Range(0, 5).Select(day => NewReading(day, day: day)));
        string other = _folder.File("other.db");
        using (SqliteConnection connection = SqliteConnection.Open(other, readOnly: false, create: true))
        {
            connection.Execute("CREATE TABLE notes(x)");
        }

        await Assert.ThrowsAsync<ReposSchemaException>(() => db.Readings.ByRecordedAt().ArchiveOlderThanAsync(DateTimeOffset.MaxValue, other).AsTask());

        Assert.Equal(5, await db.Readings.CountAsync());
    }

    [Fact]
    public async Task Archive_IntoAnArchiveWhoseFieldIdsDisagree_FailsAndDeletesNothing()
    {
        await using ReadingsDb db = await ReadingsDb.OpenAsync(DbPath);
        await db.Readings.InsertManyAsync(Enumerable.Range(0, 10).Select(day => NewReading(day, day: day)));
        Assert.Equal(5, await db.Readings.ByRecordedAt().LessThan(s_cutoff.AddDays(-15)).ArchiveAsync(ArchivePath));
        using (SqliteConnection connection = SqliteConnection.Open(ArchivePath, readOnly: false, create: false))
        {
            connection.Execute("UPDATE _repos_fields SET name='Remark' WHERE type LIKE '%Reading' AND name='Note'");
        }

        var e = await Assert.ThrowsAsync<ReposSchemaException>(() => db.Readings.ByRecordedAt().ArchiveOlderThanAsync(s_cutoff, ArchivePath).AsTask());

        Assert.Contains("numbers the fields", e.Message, StringComparison.Ordinal);
        Assert.Equal(5, await db.Readings.CountAsync());
    }

    [Fact]
    public async Task Archive_Cancelled_DeletesNothing()
    {
        await using ReadingsDb db = await ReadingsDb.OpenAsync(DbPath);
        await db.Readings.InsertManyAsync(Enumerable.Range(0, 5).Select(day => NewReading(day, day: day)));
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => db.Readings.ByRecordedAt().ArchiveOlderThanAsync(DateTimeOffset.MaxValue, ArchivePath, cancelled.Token).AsTask());

        Assert.Equal(5, await db.Readings.CountAsync());
    }

    [Fact]
    public async Task Archive_InsideATransaction_OrIntoTheDatabaseItself_Throws()
    {
        await using ReadingsDb db = await ReadingsDb.OpenAsync(DbPath);
        await db.Readings.InsertAsync(NewReading(1));

        await Assert.ThrowsAsync<ArgumentException>(() => db.Readings.ByRecordedAt().ArchiveAsync(DbPath).AsTask());
        await using (ReposTransaction tx = await db.BeginTransactionAsync())
        {
            await Assert.ThrowsAsync<InvalidOperationException>(() => db.Readings.ByRecordedAt().ArchiveAsync(ArchivePath).AsTask());
        }

        Assert.Equal(1, await db.Readings.CountAsync());
        Assert.False(File.Exists(ArchivePath));
    }
}
