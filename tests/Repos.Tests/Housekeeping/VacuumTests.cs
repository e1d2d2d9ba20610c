using Repos.Housekeeping;
using static Repos.Tests.Housekeeping.HousekeepingData;

namespace Repos.Tests.Housekeeping;

public sealed class VacuumTests : IDisposable
{
    private readonly TempDirectory _folder = new();

    private string DbPath => _folder.File("readings.db");

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Vacuum_AfterDeletes_ShrinksTheFile_AndKeepsEveryRow()
    {
        await using ReadingsDb db = await ReadingsDb.OpenAsync(DbPath);
        await db.Readings.InsertManyAsync(Enumerable.Range(1, 2000).Select(i => NewReading(i, noteLength: 800)));
        await db.Readings.DeleteManyAsync(Enumerable.Range(1, 1800).Select(i => (long)i));
        StorageInfo before = await db.GetStorageInfoAsync();

        VacuumResult result = await db.VacuumAsync();

        StorageInfo after = await db.GetStorageInfoAsync();
        Assert.True(result.SizeBeforeBytes >= before.DatabaseSizeBytes);
        Assert.True(result.SizeAfterBytes < result.SizeBeforeBytes / 4, $"{result.SizeBeforeBytes} -> {result.SizeAfterBytes}");
        Assert.Equal(result.SizeBeforeBytes - result.SizeAfterBytes, result.ReclaimedBytes);
        Assert.Equal(new FileInfo(DbPath).Length + after.WalSizeBytes, result.SizeAfterBytes);
        Assert.Equal(0, after.FreePages);
        Assert.Equal(after.DatabaseSizeBytes, after.FileSizeBytes);
        Assert.Equal(200, await db.Readings.CountAsync());
        Assert.Equal(NewReading(1999, noteLength: 800), await db.Readings.GetAsync(1999));
        Assert.Equal("ok", IntegrityCheck(DbPath));

        // The database works as before.
        await db.Readings.InsertAsync(NewReading(5000));
        Assert.Equal(201, await db.Readings.CountAsync());
    }

    [Fact]
    public async Task Vacuum_WhileAnotherProcessReads_DoesNotWaitForTheReader_AndKeepsEveryRow()
    {
        await using ReadingsDb db = await ReadingsDb.OpenAsync(DbPath);
        await db.Readings.InsertManyAsync(Enumerable.Range(1, 2000).Select(i => NewReading(i, noteLength: 800)));
        await db.Readings.DeleteManyAsync(Enumerable.Range(1, 1800).Select(i => (long)i));

        // A reader elsewhere (here, a second database object, as another process would be) in the middle of a read.
        await using ReadingsDb other = await ReadingsDb.OpenAsync(DbPath);
        await using IAsyncEnumerator<Reading> reading = other.Readings.All().GetAsyncEnumerator();
        Assert.True(await reading.MoveNextAsync());
        var watch = System.Diagnostics.Stopwatch.StartNew();

        VacuumResult result = await db.VacuumAsync();

        // The truncating checkpoint would wait up to the busy timeout (10 s) for the reader; it must not.
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"the vacuum took {watch.Elapsed}");
        Assert.True(result.SizeAfterBytes > 0);
        Assert.Equal(200, await db.Readings.CountAsync());
        Assert.Equal(10_000, db.Writer.ExecuteScalar("PRAGMA busy_timeout"));
    }

    [Fact]
    public async Task Vacuum_InsideATransaction_Throws()
    {
        await using ReadingsDb db = await ReadingsDb.OpenAsync(DbPath);
        await using ReposTransaction tx = await db.BeginTransactionAsync();

        await Assert.ThrowsAsync<InvalidOperationException>(() => db.VacuumAsync().AsTask());
    }

    [Fact]
    public async Task Vacuum_OnAReadOnlyDatabase_Throws()
    {
        await (await ReadingsDb.OpenAsync(DbPath)).DisposeAsync();
        await using ReadingsDb db = await ReadingsDb.OpenAsync(DbPath, new ReposDatabaseOptions { ReadOnly = true });

        await Assert.ThrowsAsync<InvalidOperationException>(() => db.VacuumAsync().AsTask());
    }
}
