using Repos.Housekeeping;
using static Repos.Tests.Housekeeping.HousekeepingData;

namespace Repos.Tests.Housekeeping;

public sealed class QuotaTests : IDisposable
{
    private const long Quota = 512 * 1024;
    private readonly TempDirectory _folder = new();

    private string DbPath => _folder.File("readings.db");

    public void Dispose() => _folder.Dispose();

    /// <summary>Inserts readings one by one until the quota stops one; returns the ids written and the error.</summary>
    private static async Task<(List<long> Written, ReposStorageFullException Error)> FillAsync(ReadingsDb db, long firstId = 1)
    {
        var written = new List<long>();
        for (long id = firstId; id < firstId + 100_000; id++)
        {
            try
            {
                await db.Readings.InsertAsync(NewReading(id, noteLength: 2000));
            }
            catch (ReposStorageFullException e)
            {
                return (written, e);
            }

            written.Add(id);
        }

        throw new InvalidOperationException("The quota never stopped a write.");
    }

    [Fact]
    public async Task Quota_WhenReached_ThrowsStorageFullNamingTheQuota_AndKeepsTheFileIntact()
    {
        List<long> written;
        await using (ReadingsDb db = await ReadingsDb.OpenAsync(DbPath, new ReposDatabaseOptions { MaxSizeBytes = Quota }))
        {
            (written, ReposStorageFullException error) = await FillAsync(db);

            Assert.True(error.IsQuotaReached);
            Assert.Equal(Quota, error.MaxSizeBytes);
            Assert.Equal(db.Path, error.DatabasePath);
            Assert.Contains("quota of 524,288 bytes", error.Message, StringComparison.Ordinal);
            Assert.Contains("intact", error.Message, StringComparison.Ordinal);
            Assert.True(written.Count > 100, $"{written.Count} rows fit");

            StorageInfo info = await db.GetStorageInfoAsync();
            Assert.True(info.DatabaseSizeBytes <= Quota, $"{info.DatabaseSizeBytes} bytes");

            // The next write fails the same way, and reads carry on.
            await Assert.ThrowsAsync<ReposStorageFullException>(() => db.Readings.InsertAsync(NewReading(999_999, noteLength: 2000)).AsTask());
            Assert.Equal(written.Count, await db.Readings.CountAsync());
        }

        Assert.Equal("ok", IntegrityCheck(DbPath));
        await using (ReadingsDb db = await ReadingsDb.OpenAsync(DbPath))
        {
            Assert.Equal(written.Count, await db.Readings.CountAsync());
            foreach (long id in written)
            {
                Assert.Equal(NewReading(id, noteLength: 2000), await db.Readings.GetAsync(id));
            }
        }
    }

    [Fact]
    public async Task Quota_AfterRowsAreDeleted_TakesWritesAgain()
    {
        await using ReadingsDb db = await ReadingsDb.OpenAsync(DbPath, new ReposDatabaseOptions { MaxSizeBytes = Quota });
        (List<long> written, _) = await FillAsync(db);

        int deleted = await db.Readings.DeleteManyAsync(written.Take(50));

        Assert.Equal(50, deleted);
        await db.Readings.InsertManyAsync(Enumerable.Range(0, 40).Select(i => NewReading(500_000 + i, noteLength: 2000)));
        Assert.Equal(written.Count - 10, await db.Readings.CountAsync());
        Assert.True((await db.GetStorageInfoAsync()).DatabaseSizeBytes <= Quota);
    }

    [Fact]
    public async Task Quota_RaisedAtTheNextOpen_TakesWritesAgain()
    {
        List<long> written;
        await using (ReadingsDb db = await ReadingsDb.OpenAsync(DbPath, new ReposDatabaseOptions { MaxSizeBytes = Quota }))
        {
            (written, _) = await FillAsync(db);
        }

        await using (ReadingsDb db = await ReadingsDb.OpenAsync(DbPath, new ReposDatabaseOptions { MaxSizeBytes = 2 * Quota }))
        {
            (List<long> more, ReposStorageFullException error) = await FillAsync(db, firstId: 1_000_000);

            Assert.True(more.Count > written.Count / 2, $"{more.Count} more rows after {written.Count}");
            Assert.Equal(2 * Quota, error.MaxSizeBytes);
            Assert.Equal(written.Count + more.Count, await db.Readings.CountAsync());
        }

        Assert.Equal("ok", IntegrityCheck(DbPath));
    }

    [Fact]
    public async Task Quota_InsideATransaction_FailsTheWriteAndKeepsEarlierCommits()
    {
        await using ReadingsDb db = await ReadingsDb.OpenAsync(DbPath, new ReposDatabaseOptions { MaxSizeBytes = Quota });
        await db.Readings.InsertAsync(NewReading(1));

        await using (ReposTransaction tx = await db.BeginTransactionAsync())
        {
            await Assert.ThrowsAsync<ReposStorageFullException>(async () =>
            {
                for (int id = 2; ; id++)
                {
                    await db.Readings.InsertAsync(NewReading(id, noteLength: 2000));
                }
            });
        }

        Assert.Equal(1, await db.Readings.CountAsync());
        Assert.Equal("ok", IntegrityCheck(DbPath));
        await db.Readings.InsertAsync(NewReading(2));
        Assert.Equal(2, await db.Readings.CountAsync());
    }

    [Fact]
    public async Task StorageWarning_IsRaisedOnceWhenUseCrossesTheThreshold_AndAgainAfterFallingBelowIt()
    {
        await using ReadingsDb db = await ReadingsDb.OpenAsync(DbPath, new ReposDatabaseOptions { MaxSizeBytes = Quota });
        var warnings = new List<(StorageWarningEventArgs Args, int RowsThen)>();
        int rows = 0;
        db.StorageWarning += (sender, e) =>
        {
            Assert.Same(db, sender);
            warnings.Add((e, rows));
        };

        var written = new List<long>();
        for (long id = 1; ; id++)
        {
            try
            {
                await db.Readings.InsertAsync(NewReading(id, noteLength: 2000));
            }
            catch (ReposStorageFullException)
            {
                break;
            }

            written.Add(id);
            rows++;
        }

        (StorageWarningEventArgs warning, int rowsThen) = Assert.Single(warnings);
        Assert.Equal(db.Path, warning.DatabasePath);
        Assert.Equal(Quota, warning.MaxSizeBytes);
        Assert.Equal(0.9, warning.Threshold);
        Assert.InRange(warning.UsedFraction, 0.9, 0.95);
        Assert.InRange(rowsThen, written.Count * 8 / 10, written.Count - 1);

        // Below the threshold again (deleted rows free their pages), then past it once more: a second warning.
        await db.Readings.DeleteManyAsync(written.Take(written.Count / 2));
        Assert.Single(warnings);
        for (long id = 1_000_000; warnings.Count < 2; id++)
        {
            await db.Readings.InsertAsync(NewReading(id, noteLength: 2000));
        }

        Assert.InRange(warnings[1].Args.UsedFraction, 0.9, 0.95);
    }

    [Fact]
    public async Task StorageWarning_HandlerMayWriteToTheDatabase_AndTransactionsRaiseItAtCommit()
    {
        await using ReadingsDb db = await ReadingsDb.OpenAsync(DbPath, new ReposDatabaseOptions { MaxSizeBytes = Quota, StorageWarningThreshold = 0.3 });
        int raised = 0;
        db.StorageWarning += (_, e) =>
        {
            raised++;
            db.Settings.UpsertAsync(new Setting { Name = "warned", Value = e.UsedBytes.ToString(System.Globalization.CultureInfo.InvariantCulture) }).AsTask().GetAwaiter().GetResult();
        };

        await using (ReposTransaction tx = await db.BeginTransactionAsync())
        {
            await db.Readings.InsertManyAsync(Enumerable.Range(1, 60).Select(i => NewReading(i, noteLength: 2000)));
            Assert.Equal(0, raised);
            await tx.CommitAsync();
        }

        Assert.Equal(1, raised);
        Assert.NotNull(await db.Settings.GetAsync("warned"));
    }

    [Fact]
    public async Task StorageWarning_NoticesGrowthByAnotherWriter_WithinAHundredCommits()
    {
        var options = new ReposDatabaseOptions { MaxSizeBytes = Quota };
        await using ReadingsDb watcher = await ReadingsDb.OpenAsync(DbPath, options);
        int raised = 0;
        watcher.StorageWarning += (_, _) => raised++;
        await watcher.Settings.UpsertAsync(new Setting { Name = "first" });

        // Another connection (another process, as far as this one can tell) fills the file past the threshold.
        await using (ReadingsDb other = await ReadingsDb.OpenAsync(DbPath, options))
        {
            await FillAsync(other);
        }

        int commits = 0;
        while (raised == 0 && commits < 100)
        {
            await watcher.Settings.UpsertAsync(new Setting { Name = "tick", Value = commits.ToString(System.Globalization.CultureInfo.InvariantCulture) });
            commits++;
        }

        Assert.Equal(1, raised);
    }

    [Fact]
    public async Task StorageWarning_WithoutAQuota_IsNeverRaised()
    {
        await using ReadingsDb db = await ReadingsDb.OpenAsync(DbPath);
        int raised = 0;
        db.StorageWarning += (_, _) => raised++;

        await db.Readings.InsertManyAsync(Enumerable.Range(1, 300).Select(i => NewReading(i, noteLength: 2000)));

        Assert.Equal(0, raised);
    }

    [Fact]
    public void Options_RefuseAQuotaOrThresholdOutOfRange()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ReposDatabaseOptions { MaxSizeBytes = 0 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new ReposDatabaseOptions { StorageWarningThreshold = 0 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new ReposDatabaseOptions { StorageWarningThreshold = 1.5 });
        Assert.Equal(0.9, new ReposDatabaseOptions().StorageWarningThreshold);
        Assert.Null(ReposDatabaseOptions.Default.MaxSizeBytes);
    }
}
