namespace Repos.Backup;

/// <summary>A <see cref="BackupSchedule"/> took a backup and applied its retention policy.</summary>
public sealed class BackupCompletedEventArgs : EventArgs
{
    /// <summary>Creates the event's data.</summary>
    /// <param name="backup">The backup taken.</param>
    /// <param name="deleted">The backups the retention policy deleted, oldest first.</param>
    public BackupCompletedEventArgs(BackupInfo backup, IReadOnlyList<BackupInfo> deleted)
    {
        Backup = backup;
        Deleted = deleted;
    }

    /// <summary>The backup taken.</summary>
    public BackupInfo Backup { get; }

    /// <summary>The backups the retention policy deleted, oldest first (empty without a policy).</summary>
    public IReadOnlyList<BackupInfo> Deleted { get; }
}
