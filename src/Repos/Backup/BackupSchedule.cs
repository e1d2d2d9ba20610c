namespace Repos.Backup;

/// <summary>
/// Takes a backup whenever the newest one is older than an interval, then applies a retention policy, for as
/// long as the app runs it. Failures (a full disk, a locked file) are reported through
/// <see cref="BackupFailed"/> and retried; they never end the loop.
/// </summary>
/// <remarks>
/// <para>
/// The schedule keeps no state of its own: it looks at the backups folder, so a backup taken by hand, or
/// before the app last stopped, counts, and an app that runs for ten minutes a day still gets its daily
/// backup at the first start after it is due. It goes by the database's clock
/// (<see cref="ReposDatabaseOptions.TimeProvider"/>).
/// </para>
/// <para>
/// Hosted in an ASP.NET Core or generic-host app, a background service runs it (Repos itself does not
/// depend on Microsoft.Extensions.Hosting):
/// </para>
/// <code>
/// public sealed class DatabaseBackupService(SymptomDb db, ILogger&lt;DatabaseBackupService&gt; logger) : BackgroundService
/// {
///     protected override Task ExecuteAsync(CancellationToken stoppingToken)
///     {
///         var schedule = new BackupSchedule(db.Backup, TimeSpan.FromHours(6))
///         {
///             Retention = new BackupRetention { KeepLast = 4, KeepDaily = 7, KeepWeekly = 8 },
///         };
///         schedule.BackupFailed += (_, e) => logger.LogError(e.Exception, "Backup failed; next attempt at {Next}", e.NextAttempt);
///         return schedule.RunAsync(stoppingToken);
///     }
/// }
///
/// builder.Services.AddHostedService&lt;DatabaseBackupService&gt;();
/// </code>
/// </remarks>
public sealed class BackupSchedule
{
    private static readonly TimeSpan s_longestWait = TimeSpan.FromDays(1);
    private readonly TimeSpan _retryDelay = TimeSpan.FromMinutes(5);

    /// <summary>Creates a schedule that backs up every <paramref name="interval"/>.</summary>
    /// <param name="backups">The backups to add to: a database's <see cref="ReposDatabase.Backup"/>.</param>
    /// <param name="interval">How old the newest backup may get before another is taken.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="interval"/> is not positive.</exception>
    public BackupSchedule(ReposBackups backups, TimeSpan interval)
    {
        ArgumentNullException.ThrowIfNull(backups);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero);
        Backups = backups;
        Interval = interval;
    }

    /// <summary>The backups the schedule adds to.</summary>
    public ReposBackups Backups { get; }

    /// <summary>How old the newest backup may get before another is taken.</summary>
    public TimeSpan Interval { get; }

    /// <summary>The policy applied after each backup, or null to keep every backup.</summary>
    public BackupRetention? Retention { get; init; }

    /// <summary>How long to wait after a failure before trying again (5 minutes unless set; never longer than <see cref="Interval"/>).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not positive.</exception>
    public TimeSpan RetryDelay
    {
        get => _retryDelay < Interval ? _retryDelay : Interval;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(value, TimeSpan.Zero);
            _retryDelay = value;
        }
    }

    /// <summary>Raised after each backup the schedule takes, with what its retention policy deleted.</summary>
    public event EventHandler<BackupCompletedEventArgs>? BackupCompleted;

    /// <summary>
    /// Raised when a backup or the retention after it fails; the schedule tries again after
    /// <see cref="RetryDelay"/>. An exception thrown by a handler ends <see cref="RunAsync"/> with it.
    /// </summary>
    public event EventHandler<BackupFailedEventArgs>? BackupFailed;

    /// <summary>
    /// Runs the schedule until <paramref name="cancellationToken"/> is cancelled or the database is closed:
    /// a backup at once if the newest is older than <see cref="Interval"/> (or there is none), then one
    /// each time it gets that old.
    /// </summary>
    /// <param name="cancellationToken">Stops the schedule; a backup in progress is cancelled and leaves nothing behind.</param>
    /// <returns>A task that ends when the database is closed, or is cancelled with the token.</returns>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        TimeProvider clock = Backups.TimeProvider;
        while (!Backups.IsClosed)
        {
            cancellationToken.ThrowIfCancellationRequested();
            TimeSpan wait;
            try
            {
                wait = await RunDueAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (ObjectDisposedException) when (Backups.IsClosed)
            {
                return;
            }
            catch (Exception e)
            {
                wait = RetryDelay;
                BackupFailed?.Invoke(this, new BackupFailedEventArgs(e, clock.GetUtcNow() + wait));
            }

            await Task.Delay(wait, clock, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Takes a backup and applies <see cref="Retention"/> if the newest backup is older than
    /// <see cref="Interval"/> or there is none; otherwise does nothing.
    /// </summary>
    /// <param name="cancellationToken">Cancels the backup.</param>
    /// <returns>The backup taken, or null when none was due.</returns>
    public async ValueTask<BackupInfo?> RunOnceAsync(CancellationToken cancellationToken = default)
    {
        (BackupInfo? taken, _) = await TakeIfDueAsync(cancellationToken).ConfigureAwait(false);
        return taken;
    }

    /// <summary>Takes a backup if one is due; returns how long until the next one is.</summary>
    private async ValueTask<TimeSpan> RunDueAsync(CancellationToken cancellationToken)
    {
        (_, TimeSpan untilDue) = await TakeIfDueAsync(cancellationToken).ConfigureAwait(false);

        // Waking at least daily notices a clock that jumped, and keeps every wait within Task.Delay's range.
        return untilDue < s_longestWait ? untilDue : s_longestWait;
    }

    private async ValueTask<(BackupInfo? Taken, TimeSpan UntilDue)> TakeIfDueAsync(CancellationToken cancellationToken)
    {
        TimeProvider clock = Backups.TimeProvider;
        DateTimeOffset now = clock.GetUtcNow();
        BackupInfo? newest = null;
        foreach (BackupInfo backup in Backups.List(cancellationToken))
        {
            if (backup.IsVerified)
            {
                newest = backup;
                break;
            }
        }

        // A newest backup dated in the future means the clock was set back: do not wait for it to catch up.
        if (newest is not null && newest.CreatedAt <= now && now - newest.CreatedAt < Interval)
        {
            return (null, newest.CreatedAt + Interval - now);
        }

        BackupInfo taken = await Backups.CreateAsync(BackupKind.Scheduled, null, cancellationToken).ConfigureAwait(false);
        IReadOnlyList<BackupInfo> deleted = Retention is null ? [] : Backups.ApplyRetention(Retention, cancellationToken);
        BackupCompleted?.Invoke(this, new BackupCompletedEventArgs(taken, deleted));
        TimeSpan untilDue = taken.CreatedAt + Interval - clock.GetUtcNow();
        return (taken, untilDue > TimeSpan.Zero ? untilDue : TimeSpan.Zero);
    }
}
