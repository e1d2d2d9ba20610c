namespace Repos.Backup;

/// <summary>A <see cref="BackupSchedule"/> could not take a backup or apply its retention policy; it tries again later.</summary>
public sealed class BackupFailedEventArgs : EventArgs
{
    /// <summary>Creates the event's data.</summary>
    /// <param name="exception">What went wrong.</param>
    /// <param name="nextAttempt">When the schedule tries again (by its clock).</param>
    public BackupFailedEventArgs(Exception exception, DateTimeOffset nextAttempt)
    {
        Exception = exception;
        NextAttempt = nextAttempt;
    }

    /// <summary>What went wrong, such as a <see cref="ReposStorageException"/> for a full disk.</summary>
    public Exception Exception { get; }

    /// <summary>When the schedule tries again (by its clock).</summary>
    public DateTimeOffset NextAttempt { get; }
}
