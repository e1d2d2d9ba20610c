using Repos.Tests.Storage;

namespace Repos.Tests.Durability;

public sealed class ConnectionSettingsTests : IDisposable
{
    private readonly TempDirectory _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Defaults_AreWal_SynchronousNormal_AndATenSecondBusyTimeout()
    {
        await using NotesDb db = await NotesDb.OpenAsync(_folder.File("a.db"));

        Assert.Equal(1, db.Writer.ExecuteScalar("PRAGMA synchronous"));   // NORMAL
        Assert.Equal(10_000, db.Writer.ExecuteScalar("PRAGMA busy_timeout"));
        var mode = db.Writer.Prepare("PRAGMA journal_mode");
        Assert.True(mode.Step());
        Assert.Equal("wal", mode.ColumnText(0));
        mode.Reset();
    }

    [Fact]
    public async Task PowerLossDurability_FlushesEveryCommit_AndTheBusyTimeoutIsTheOptions()
    {
        var options = new ReposDatabaseOptions { Durability = global::Repos.Durability.PowerLoss, BusyTimeout = TimeSpan.FromSeconds(3) };
        await using NotesDb db = await NotesDb.OpenAsync(_folder.File("b.db"), options);

        Assert.Equal(2, db.Writer.ExecuteScalar("PRAGMA synchronous"));   // FULL
        Assert.Equal(3_000, db.Writer.ExecuteScalar("PRAGMA busy_timeout"));
        using var read = db.AcquireRead();
        Assert.Equal(2, read.Connection.ExecuteScalar("PRAGMA synchronous"));
    }

    [Fact]
    public async Task PageCache_Is64MiBByDefault_OnTheWriterAndEveryReader()
    {
        await using NotesDb db = await NotesDb.OpenAsync(_folder.File("c.db"));

        Assert.Equal(-65536, db.Writer.ExecuteScalar("PRAGMA cache_size"));
        using var first = db.AcquireRead();
        using var second = db.AcquireRead();
        Assert.NotSame(first.Connection, second.Connection);
        Assert.Equal(-65536, first.Connection.ExecuteScalar("PRAGMA cache_size"));
        Assert.Equal(-65536, second.Connection.ExecuteScalar("PRAGMA cache_size"));
        Assert.Equal(0, first.Connection.ExecuteScalar("PRAGMA mmap_size"));
        Assert.Equal(0, db.Writer.ExecuteScalar("PRAGMA mmap_size"));
    }

    [Fact]
    public async Task PageCacheAndMemoryMap_AreTheOptions_ReadOnlyOpensToo()
    {
        string path = _folder.File("d.db");
        (await NotesDb.OpenAsync(path)).Dispose();
        var options = new ReposDatabaseOptions { PageCacheSize = 3 * 1024 * 1024 + 100, MemoryMapSize = 256L * 1024 * 1024 };
        foreach (bool readOnly in new[] { false, true })
        {
            await using NotesDb db = await NotesDb.OpenAsync(path, new ReposDatabaseOptions { PageCacheSize = options.PageCacheSize, MemoryMapSize = options.MemoryMapSize, ReadOnly = readOnly });
            using var read = db.AcquireRead();
            Assert.Equal(-3072, read.Connection.ExecuteScalar("PRAGMA cache_size"));   // whole KiB
            Assert.Equal(256L * 1024 * 1024, read.Connection.ExecuteScalar("PRAGMA mmap_size"));
        }
    }

    [Fact]
    public void PageCacheAndMemoryMap_OutOfRange_AreRefusedWhenSet()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ReposDatabaseOptions { PageCacheSize = 64 * 1024 - 1 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new ReposDatabaseOptions { PageCacheSize = 0 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new ReposDatabaseOptions { MemoryMapSize = -1 });
        Assert.Equal(64 * 1024, new ReposDatabaseOptions { PageCacheSize = 64 * 1024 }.PageCacheSize);
    }

    [Theory]
    [InlineData(1024L * 1024, -1024)]            // smaller than verify's 32 MiB: raised while verifying, then put back
    [InlineData(128L * 1024 * 1024, -131072)]    // larger: left as it is
    public async Task Verify_RaisesASmallPageCacheWhileItRuns_AndPutsItBack(long pageCacheSize, long expected)
    {
        await using NotesDb db = await NotesDb.OpenAsync(_folder.File($"e{pageCacheSize}.db"), new ReposDatabaseOptions { PageCacheSize = pageCacheSize });
        for (int i = 0; i < 50; i++)
        {
            await db.Notes.InsertAsync(new Note { Id = Guid.NewGuid(), UserId = "u1", Date = new DateOnly(2026, 1, 1).AddDays(i), Mood = 5, Text = new string('b', 200) });
        }

        var report = await db.VerifyAsync();
        Assert.True(report.IsHealthy);
        Assert.Equal(expected, db.Writer.ExecuteScalar("PRAGMA cache_size"));
        using var read = db.AcquireRead();
        Assert.Equal(expected, read.Connection.ExecuteScalar("PRAGMA cache_size"));
    }
}
