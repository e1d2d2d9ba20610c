using Repos.Housekeeping;
using static Repos.Tests.Housekeeping.HousekeepingData;

namespace Repos.Tests.Housekeeping;

public sealed class StorageInfoTests : IDisposable
{
    private readonly TempDirectory _folder = new();

    private string DbPath => _folder.File("readings.db");

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task GetStorageInfo_CountsRowsExactly_AndItsSizesAreConsistent()
    {
        await using ReadingsDb db = await ReadingsDb.OpenAsync(DbPath);
        await db.Readings.InsertManyAsync(Enumerable.Range(1, 800).Select(i => NewReading(i, noteLength: 600)));
        await db.Settings.InsertManyAsync(Enumerable.Range(1, 30).Select(i => new Setting { Name = $"s{i}", Value = "on", ChangedAt = DateTime.UtcNow }));

        StorageInfo info = await db.GetStorageInfoAsync();

        Assert.Equal(db.Path, info.DatabasePath);
        Assert.Equal(["Reading", "Setting"], info.Entities.Select(e => e.Name));
        EntityStorageInfo readings = info.Entities[0];
        EntityStorageInfo settings = info.Entities[1];
        Assert.Equal(800, readings.RowCount);
        Assert.Equal(30, settings.RowCount);
        Assert.Equal("Reading", readings.TableName);
        Assert.Equal(Scalar(DbPath, "SELECT sum(length(_blob)) FROM \"Reading\""), readings.PayloadBytes);
        Assert.Equal(Scalar(DbPath, "SELECT sum(length(_blob)) FROM \"Setting\""), settings.PayloadBytes);

        Assert.Equal(Scalar(DbPath, "PRAGMA page_size"), info.PageSize);
        Assert.Equal(Scalar(DbPath, "PRAGMA page_count"), info.PageCount);
        Assert.Equal(info.PageCount * info.PageSize, info.DatabaseSizeBytes);
        Assert.Equal(0, info.FreePages);
        Assert.Equal(info.DatabaseSizeBytes, info.UsedBytes);
        Assert.Equal(new FileInfo(DbPath).Length, info.FileSizeBytes);
        Assert.Equal(new FileInfo(DbPath + "-wal").Length, info.WalSizeBytes);
        Assert.True(info.WalSizeBytes > 0, "the log holds the commits until a checkpoint");
        Assert.True(info.FileSizeBytes + info.WalSizeBytes >= info.DatabaseSizeBytes);
        Assert.Null(info.MaxSizeBytes);

        // The bundled SQLite has no dbstat table: entity sizes are estimates that share out the used pages.
        Assert.Equal(!StorageMeasurement.HasDbstat, info.EntityBytesAreEstimates);
        Assert.True(readings.Bytes >= readings.PayloadBytes, $"{readings.Bytes} bytes for {readings.PayloadBytes} of blobs");
        Assert.True(readings.Bytes <= info.UsedBytes);
        Assert.True(settings.Bytes >= info.PageSize, "a table and its index hold at least a page each");
        Assert.True(readings.Bytes > 20 * settings.Bytes);
        Assert.True(readings.Bytes + settings.Bytes <= info.UsedBytes);
        Assert.True(readings.Bytes + settings.Bytes >= info.UsedBytes - (12 * info.PageSize), "only the catalog's and SQLite's own pages are left out");
    }

    [Fact]
    public async Task GetStorageInfo_AfterDeletes_ReportsFreePages()
    {
        await using ReadingsDb db = await ReadingsDb.OpenAsync(DbPath);
        await db.Readings.InsertManyAsync(Enumerable.Range(1, 500).Select(i => NewReading(i, noteLength: 1000)));
        StorageInfo before = await db.GetStorageInfoAsync();

        await db.Readings.DeleteManyAsync(Enumerable.Range(1, 400).Select(i => (long)i));
        StorageInfo after = await db.GetStorageInfoAsync();

        Assert.Equal(100, after.Entities[0].RowCount);
        Assert.Equal(before.PageCount, after.PageCount);
        Assert.True(after.FreePages > before.PageCount / 2, $"{after.FreePages} of {after.PageCount} pages free");
        Assert.Equal(after.FreePages * after.PageSize, after.FreeBytes);
        Assert.True(after.Entities[0].Bytes < before.Entities[0].Bytes / 2);
    }

    [Fact]
    public async Task GetStorageInfo_AddsUpTheBackupFolder()
    {
        await using ReadingsDb db = await ReadingsDb.OpenAsync(DbPath);
        Assert.Equal(DbPath + ".backups", (await db.GetStorageInfoAsync()).BackupFolderPath);
        Assert.Equal(0, (await db.GetStorageInfoAsync()).BackupFolderSizeBytes);

        Directory.CreateDirectory(Path.Combine(DbPath + ".backups", "daily"));
        await File.WriteAllBytesAsync(Path.Combine(DbPath + ".backups", "a.db"), new byte[1000]);
        await File.WriteAllBytesAsync(Path.Combine(DbPath + ".backups", "daily", "b.db"), new byte[234]);

        StorageInfo info = await db.GetStorageInfoAsync();

        Assert.Equal(1234, info.BackupFolderSizeBytes);
    }

    [Fact]
    public async Task GetStorageInfo_OnAnEmptyDatabase_ListsEveryEntityWithNoRows()
    {
        await using ReadingsDb db = await ReadingsDb.OpenAsync(DbPath, new ReposDatabaseOptions { MaxSizeBytes = 1 << 20 });

        StorageInfo info = await db.GetStorageInfoAsync();

        Assert.All(info.Entities, e => Assert.Equal(0, e.RowCount));
        Assert.All(info.Entities, e => Assert.Equal(0, e.PayloadBytes));
        Assert.Equal(1 << 20, info.MaxSizeBytes);
    }

    [Fact]
    public async Task GetStorageInfo_InsideATransaction_SeesItsUncommittedRows()
    {
        await using ReadingsDb db = await ReadingsDb.OpenAsync(DbPath);
        await using ReposTransaction tx = await db.BeginTransactionAsync();
        await db.Readings.InsertAsync(NewReading(1));

        StorageInfo info = await db.GetStorageInfoAsync();

        Assert.Equal(1, info.Entities[0].RowCount);
    }
}
