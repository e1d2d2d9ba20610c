using Repos.Querying;
using static Repos.Tests.Housekeeping.HousekeepingData;

namespace Repos.Tests.Housekeeping;

public sealed class RetentionTests : IDisposable
{
    private static readonly DateTime s_cutoff = new(2026, 3, 1, 12, 0, 0, DateTimeKind.Utc);
    private readonly TempDirectory _folder = new();

    private string DbPath => _folder.File("readings.db");

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task DeleteOlderThan_DateTime_DeletesStrictlyOlderRowsOnly()
    {
        await using ReadingsDb db = await ReadingsDb.OpenAsync(DbPath);
        TimeSpan[] offsets = [TimeSpan.FromDays(-400), TimeSpan.FromSeconds(-1), TimeSpan.FromTicks(-1), TimeSpan.Zero, TimeSpan.FromTicks(1), TimeSpan.FromDays(3)];
        await db.Settings.InsertManyAsync(offsets.Select((o, i) => new Setting { Name = $"s{i}", ChangedAt = s_cutoff + o }));

        int deleted = await db.Settings.ByChangedAt().DeleteOlderThanAsync(s_cutoff);

        Assert.Equal(3, deleted);
        List<Setting> left = await db.Settings.ByChangedAt().ToListAsync();
        Assert.Equal(["s3", "s4", "s5"], left.Select(s => s.Name));
        Assert.Equal(0, await db.Settings.ByChangedAt().DeleteOlderThanAsync(s_cutoff));
    }

    [Fact]
    public async Task DeleteOlderThan_LocalCutoff_ComparesAsUtc()
    {
        await using ReadingsDb db = await ReadingsDb.OpenAsync(DbPath);
        await db.Settings.InsertAsync(new Setting { Name = "before", ChangedAt = s_cutoff.AddMinutes(-1) });
        await db.Settings.InsertAsync(new Setting { Name = "after", ChangedAt = s_cutoff.AddMinutes(1) });

        Assert.Equal(1, await db.Settings.ByChangedAt().DeleteOlderThanAsync(s_cutoff.ToLocalTime()));

        Assert.Equal("after", Assert.Single(await db.Settings.ByChangedAt().ToListAsync()).Name);
    }

    [Fact]
    public async Task DeleteOlderThan_DateOnlyAfterAnEqualityColumn_DeletesThatDevicesOlderDaysOnly()
    {
        await using ReadingsDb db = await ReadingsDb.OpenAsync(DbPath);
        await db.Readings.InsertManyAsync(Enumerable.Range(0, 20).Select(day => NewReading(day, "d1", day)));
        await db.Readings.InsertManyAsync(Enumerable.Range(0, 20).Select(day => NewReading(100 + day, "d2", day)));
        var cutoff = new DateOnly(2026, 1, 11);

        int deleted = await db.Readings.ByDeviceIdAndTakenOn("d1").DeleteOlderThanAsync(cutoff);

        Assert.Equal(10, deleted);
        Assert.Equal(cutoff, (await db.Readings.ByDeviceIdAndTakenOn("d1").FirstOrDefaultAsync())!.TakenOn);
        Assert.Equal(20, await db.Readings.ByDeviceIdAndTakenOn("d2").CountAsync());
    }

    [Fact]
    public async Task DeleteOlderThan_DateTimeOffset_ComparesInstantsWhateverTheirOffsets()
    {
        await using ReadingsDb db = await ReadingsDb.OpenAsync(DbPath);
        var cutoff = new DateTimeOffset(2026, 5, 1, 9, 0, 0, TimeSpan.Zero);
        await db.Readings.InsertAsync(NewReading(1) with { RecordedAt = new DateTimeOffset(2026, 5, 1, 10, 0, 0, TimeSpan.FromHours(2)) });   // 08:00 UTC
        await db.Readings.InsertAsync(NewReading(2) with { RecordedAt = new DateTimeOffset(2026, 5, 1, 6, 0, 0, TimeSpan.FromHours(-3)) });   // 09:00 UTC
        await db.Readings.InsertAsync(NewReading(3) with { RecordedAt = new DateTimeOffset(2026, 5, 1, 10, 0, 0, TimeSpan.Zero) });

        int deleted = await db.Readings.ByRecordedAt().DeleteOlderThanAsync(cutoff.ToOffset(TimeSpan.FromHours(5)));

        Assert.Equal(1, deleted);
        Assert.Equal([2L, 3L], (await db.Readings.ByRecordedAt().ToListAsync()).Select(r => r.Id));
    }

    [Fact]
    public async Task DeleteOlderThan_NullableDateTime_KeepsRowsWithoutADate()
    {
        await using ReadingsDb db = await ReadingsDb.OpenAsync(DbPath);
        await db.Readings.InsertAsync(NewReading(1) with { ReviewedAt = null });
        await db.Readings.InsertAsync(NewReading(2) with { ReviewedAt = s_cutoff.AddDays(-1) });
        await db.Readings.InsertAsync(NewReading(3) with { ReviewedAt = s_cutoff });

        Assert.Equal(1, await db.Readings.ByReviewedAt().DeleteOlderThanAsync(s_cutoff));

        Assert.Equal([1L, 3L], (await db.Readings.ByReviewedAt().ToListAsync()).Select(r => r.Id).Order());
    }

    [Fact]
    public async Task DeleteAsync_ManyBatches_DeletesEveryMatchInOneTransaction()
    {
        await using ReadingsDb db = await ReadingsDb.OpenAsync(DbPath);
        await db.Readings.InsertManyAsync(Enumerable.Range(0, 3500).Select(i => NewReading(i, day: i % 100, noteLength: 10)));

        await using (ReposTransaction tx = await db.BeginTransactionAsync())
        {
            Assert.Equal(2450, await db.Readings.ByRecordedAt().LessThan(new DateTimeOffset(2026, 3, 12, 0, 0, 0, TimeSpan.Zero)).DeleteAsync());
            Assert.Equal(1050, await db.Readings.CountAsync());
        }

        // Rolled back with the transaction it joined.
        Assert.Equal(3500, await db.Readings.CountAsync());

        Assert.Equal(2450, await db.Readings.ByRecordedAt().DeleteOlderThanAsync(new DateTimeOffset(2026, 3, 12, 0, 0, 0, TimeSpan.Zero)));
        Assert.Equal(1050, await db.Readings.CountAsync());
        Assert.Equal(70, (await db.Readings.ByRecordedAt().FirstOrDefaultAsync())!.TakenOn.DayNumber - new DateOnly(2026, 1, 1).DayNumber);
    }

    [Fact]
    public async Task DeleteAsync_WithSkipTakeAndDescending_DeletesThoseResultsOnly()
    {
        await using ReadingsDb db = await ReadingsDb.OpenAsync(DbPath);
        await db.Readings.InsertManyAsync(Enumerable.Range(0, 2500).Select(i => NewReading(i, day: i, noteLength: 0)));

        // The newest 1,200 after skipping the newest 100: more than a batch, so later batches must skip the same rows.
        int deleted = await db.Readings.ByRecordedAt().Descending().Skip(100).Take(1200).DeleteAsync();

        Assert.Equal(1200, deleted);
        List<long> left = (await db.Readings.ByRecordedAt().ToListAsync()).Select(r => r.Id).ToList();
        Assert.Equal(Enumerable.Range(0, 1200).Concat(Enumerable.Range(2400, 100)).Select(i => (long)i), left);
    }

    [Fact]
    public async Task DeleteAsync_OnStringKeys_DeletesTheMatches()
    {
        await using ReadingsDb db = await ReadingsDb.OpenAsync(DbPath);
        await db.Settings.InsertManyAsync(Enumerable.Range(0, 10).Select(i => new Setting { Name = $"s{i}", ChangedAt = s_cutoff.AddDays(i % 2) }));

        Assert.Equal(5, await db.Settings.ByChangedAt().LessThanOrEqual(s_cutoff).DeleteAsync());

        Assert.All(await db.Settings.ByChangedAt().ToListAsync(), s => Assert.Equal(s_cutoff.AddDays(1), s.ChangedAt));
    }

    [Fact]
    public async Task DeleteAsync_Cancelled_DeletesNothing()
    {
        await using ReadingsDb db = await ReadingsDb.OpenAsync(DbPath);
        await db.Readings.InsertManyAsync(Enumerable.Range(0, 50).Select(i => NewReading(i, day: i)));
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => db.Readings.ByRecordedAt().DeleteOlderThanAsync(DateTimeOffset.MaxValue, cancelled.Token).AsTask());

        Assert.Equal(50, await db.Readings.CountAsync());
    }

    [Fact]
    public async Task DeleteAsync_OnAGeneratedEqualityQuery_DeletesTheMatches()
    {
        await using Generated.JournalDb db = await Generated.JournalDb.OpenAsync(_folder.File("journal.db"));
        await db.JournalEntries.InsertManyAsync(Enumerable.Range(0, 6).Select(i => new Generated.JournalEntry
        {
            Id = Guid.NewGuid(),
            UserId = i < 4 ? "ann" : "bob",
            Date = new DateOnly(2026, 1, 1).AddDays(i),
            Score = 5,
            Mood = Generated.Mood.Good,
            WrittenAt = s_cutoff.AddDays(i),
        }));

        IndexQuery<Generated.JournalEntry, Guid> query = db.JournalEntries.ByUserIdAndDate("ann", new DateOnly(2026, 1, 2));
        Assert.Equal(1, await query.DeleteAsync());
        Assert.Equal(2, await db.JournalEntries.ByWrittenAt().DeleteOlderThanAsync(s_cutoff.AddDays(3)));
        Assert.Equal(3, await db.JournalEntries.CountAsync());
    }
}
