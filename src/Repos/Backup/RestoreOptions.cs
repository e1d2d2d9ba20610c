namespace Repos.Backup;

/// <summary>What a restore (<see cref="ReposBackups.RestoreAsync(string, RestoreOptions, CancellationToken)"/>) may give up.</summary>
public sealed class RestoreOptions
{
    /// <summary>
    /// Restore even when the open database has changes of synced entities that its sync server has not acknowledged:
    /// they are lost with the file they are in. False unless set: the restore refuses (<see cref="UnsyncedChangesException"/>).
    /// Changes that were synced are not lost either way: the restored file pulls them again.
    /// </summary>
    public bool DiscardUnsyncedChanges { get; init; }

    /// <summary>The options used when none are given: refuse to lose unsynced changes.</summary>
    public static RestoreOptions Default { get; } = new();
}

/// <summary>A restore would lose changes of synced entities that were never pushed; nothing was changed.</summary>
public sealed class UnsyncedChangesException : ReposException
{
    /// <summary>Creates the exception.</summary>
    public UnsyncedChangesException(string message, long pendingRows)
        : base(message)
    {
        PendingRows = pendingRows;
    }

    /// <summary>How many rows have changes not pushed.</summary>
    public long PendingRows { get; }
}
