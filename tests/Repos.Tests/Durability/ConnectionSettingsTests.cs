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
}
