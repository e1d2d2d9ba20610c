using Repos.Backup;
using Repos.Tests.Storage;

namespace Repos.Tests.Backup;

public sealed class BackupScheduleTests : IDisposable
{
    private static readonly DateTimeOffset s_start = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(30);
    private readonly TempDirectory _folder = new();
    private readonly FakeTimeProvider _clock = new(s_start);

    public void Dispose() => _folder.Dispose();

    private async Task<NotesDb> OpenAsync()
    {
        NotesDb db = await NotesDb.OpenAsync(_folder.File("notes.db"), new ReposDatabaseOptions { TimeProvider = _clock });
        await db.Notes.InsertAsync(new Note { Id = Guid.NewGuid(), UserId = "u", Mood = 3, Text = "hello" });
        return db;
    }

    [Fact]
    public async Task RunAsync_TakesABackupEachInterval_AndAppliesRetention()
    {
        await using NotesDb db = await OpenAsync();
        var schedule = new BackupSchedule(db.Backup, TimeSpan.FromHours(1)) { Retention = new BackupRetention { KeepLast = 2 } };
        var completed = new List<BackupCompletedEventArgs>();
        using var signal = new SemaphoreSlim(0);
        schedule.BackupCompleted += (_, e) =>
        {
            lock (completed)
            {
                completed.Add(e);
            }

            signal.Release();
        };
        using var stop = new CancellationTokenSource();

        Task run = schedule.RunAsync(stop.Token);

        Assert.True(await signal.WaitAsync(s_wait), "no first backup");
        await _clock.WaitForTimerAsync();
        Assert.Equal(s_start.AddHours(1), _clock.NextDue);
        _clock.Advance(TimeSpan.FromMinutes(59));
        Assert.Single(completed);
        _clock.Advance(TimeSpan.FromMinutes(1));
        Assert.True(await signal.WaitAsync(s_wait), "no second backup");
        await _clock.WaitForTimerAsync();
        _clock.Advance(TimeSpan.FromHours(1));
        Assert.True(await signal.WaitAsync(s_wait), "no third backup");
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);

        Assert.Equal([s_start, s_start.AddHours(1), s_start.AddHours(2)], completed.Select(e => e.Backup.CreatedAt));
        Assert.All(completed, e => Assert.Equal(BackupKind.Scheduled, e.Backup.Kind));
        Assert.Empty(completed[1].Deleted);
        Assert.Equal(completed[0].Backup.Id, Assert.Single(completed[2].Deleted).Id);
        Assert.Equal([completed[2].Backup.Id, completed[1].Backup.Id], (await db.Backup.ListAsync()).Select(b => b.Id));
    }

    [Fact]
    public async Task RunAsync_ReportsAFailure_AndTriesAgainAfterTheRetryDelay()
    {
        await using NotesDb db = await OpenAsync();
        await File.WriteAllTextAsync(db.Backup.Folder, "a file where the backups folder should be");
        var schedule = new BackupSchedule(db.Backup, TimeSpan.FromHours(6)) { RetryDelay = TimeSpan.FromMinutes(10) };
        BackupFailedEventArgs? failure = null;
        using var failed = new SemaphoreSlim(0);
        using var done = new SemaphoreSlim(0);
        schedule.BackupFailed += (_, e) =>
        {
            failure = e;
            failed.Release();
        };
        schedule.BackupCompleted += (_, _) => done.Release();
        using var stop = new CancellationTokenSource();

        Task run = schedule.RunAsync(stop.Token);

        Assert.True(await failed.WaitAsync(s_wait), "the failure was not reported");
        Assert.IsAssignableFrom<IOException>(failure!.Exception);
        Assert.Equal(s_start.AddMinutes(10), failure.NextAttempt);
        await _clock.WaitForTimerAsync();
        Assert.Equal(s_start.AddMinutes(10), _clock.NextDue);
        File.Delete(db.Backup.Folder);
        _clock.Advance(TimeSpan.FromMinutes(10));
        Assert.True(await done.WaitAsync(s_wait), "no backup after the retry");
        Assert.False(run.IsCompleted);
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);

        Assert.Equal(s_start.AddMinutes(10), Assert.Single(await db.Backup.ListAsync()).CreatedAt);
    }

    [Fact]
    public async Task RunOnceAsync_CountsABackupTakenByHand()
    {
        await using NotesDb db = await OpenAsync();
        var schedule = new BackupSchedule(db.Backup, TimeSpan.FromDays(1));
        BackupInfo manual = await db.Backup.CreateAsync();

        _clock.Advance(TimeSpan.FromHours(23));
        Assert.Null(await schedule.RunOnceAsync());
        _clock.Advance(TimeSpan.FromHours(1));
        BackupInfo? due = await schedule.RunOnceAsync();

        Assert.NotNull(due);
        Assert.Equal(manual.CreatedAt.AddDays(1), due.CreatedAt);
        Assert.Equal(BackupKind.Scheduled, due.Kind);
    }

    [Fact]
    public async Task RunAsync_EndsWhenTheDatabaseIsClosed()
    {
        NotesDb db = await OpenAsync();
        var schedule = new BackupSchedule(db.Backup, TimeSpan.FromHours(1));
        using var signal = new SemaphoreSlim(0);
        schedule.BackupCompleted += (_, _) => signal.Release();

        Task run = schedule.RunAsync(CancellationToken.None);
        Assert.True(await signal.WaitAsync(s_wait), "no first backup");
        await _clock.WaitForTimerAsync();
        await db.DisposeAsync();
        _clock.Advance(TimeSpan.FromHours(1));

        await run.WaitAsync(s_wait);
        Assert.True(run.IsCompletedSuccessfully);
    }
}
