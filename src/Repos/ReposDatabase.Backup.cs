using System.ComponentModel;
using System.Globalization;
using Repos.Backup;

namespace Repos;

public abstract partial class ReposDatabase
{
    private ReposBackups? _backup;
    private int _checkpointPauses;
    private long _autoCheckpointPages;

    /// <summary>
    /// The database's backups: <see cref="ReposBackups.CreateAsync(CancellationToken)"/> copies the file while
    /// the app keeps writing; list, restore, delete and retention work on the backups folder
    /// (<see cref="ReposDatabaseOptions.BackupFolder"/>).
    /// </summary>
    /// <exception cref="InvalidOperationException">The database has not been opened.</exception>
    public ReposBackups Backup => _backup ?? throw new InvalidOperationException("The database is not open.");

    /// <summary>
    /// Takes the backup an import takes before it writes (<see cref="BackupKind.BeforeImport"/>), so the import
    /// can be undone by restoring it; null when <see cref="ReposDatabaseOptions.BackupBeforeImport"/> is off.
    /// </summary>
    internal async ValueTask<BackupInfo?> BackupBeforeImportAsync(CancellationToken cancellationToken) =>
        _options.BackupBeforeImport ? await Backup.CreateAsync(BackupKind.BeforeImport, null, cancellationToken).ConfigureAwait(false) : null;

    /// <summary>Sets up <see cref="Backup"/> for the file being opened.</summary>
    private void InitializeBackups() =>
        _backup = new ReposBackups(Path, _options.BackupFolder, _options.TimeProvider, _options.BusyTimeout, this);

    /// <summary>Takes the backup an open takes before it migrates the file; returns the backup file's path.</summary>
    private async ValueTask<string> BackupBeforeMigrationAsync(CancellationToken cancellationToken) =>
        (await Backup.CreateCoreAsync(BackupKind.BeforeMigration, null, cancellationToken).ConfigureAwait(false)).Path;

    /// <summary>
    /// Stops this database's writes from trying to checkpoint while a backup holds its snapshot, and
    /// returns what starts them again (null when nothing was stopped).
    /// </summary>
    /// <remarks>
    /// <para>
    /// No checkpoint can get past a reader's snapshot, and none at all while a snapshot that began with the
    /// log fully checkpointed is open (which under steady writes is often), but SQLite finds that out only
    /// after sorting every frame of the log: while a long backup reads, each commit past the autocheckpoint
    /// size sorts the whole, growing log again, which costs more than the writes themselves (in one run of
    /// the 1 GB benchmark, writers committed 7 times less often). The first commit after the backup
    /// checkpoints as usual. Writers in other processes keep their own setting.
    /// </para>
    /// <para>
    /// The setting belongs to the write connection, so changing it takes the write lock. A backup never waits
    /// long for it (a transaction may hold it): after a second it goes on without the pause. Starting the
    /// checkpoints again never makes the backup wait: if a transaction holds the lock, they start when it
    /// ends (that transaction may be waiting for the backup).
    /// </para>
    /// </remarks>
    internal async ValueTask<CheckpointPause?> PauseCheckpointsAsync(CancellationToken cancellationToken)
    {
        if (_options.ReadOnly || _writer is null || IsClosed || ActiveTransaction is not null
            || !await _writeLock.WaitAsync(TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        try
        {
            // Backups may overlap: the first pauses, the last resumes.
            if (++_checkpointPauses == 1 && !IsClosed)
            {
                _autoCheckpointPages = Writer.ExecuteScalar("PRAGMA wal_autocheckpoint");
                Writer.Execute("PRAGMA wal_autocheckpoint=0");
            }
        }
        finally
        {
            _writeLock.Release();
        }

        return new CheckpointPause(this);
    }

    private async Task ResumeCheckpointsAsync()
    {
        await _writeLock.WaitAsync().ConfigureAwait(false);
        try
        {
            if (--_checkpointPauses == 0 && !IsClosed)
            {
                Writer.Execute(string.Create(CultureInfo.InvariantCulture, $"PRAGMA wal_autocheckpoint={_autoCheckpointPages}"));
            }
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>Starts the checkpoints a backup paused again, now or as soon as the write lock is free.</summary>
    internal sealed class CheckpointPause(ReposDatabase database)
    {
        public Task ResumeAsync()
        {
            Task resume = database.ResumeCheckpointsAsync();

            // Awaited by the backup when it finished at once; otherwise it finishes on its own when the
            // transaction holding the lock ends, and a failure there (the file was closed under it) is moot.
            return resume.IsCompleted ? resume : Task.CompletedTask;
        }
    }

    /// <summary>
    /// Restores the backup <paramref name="backupId"/> as <see cref="ReposBackups.RestoreAsync(string, CancellationToken)"/> does (checked
    /// first, swapped in atomically, the replaced file kept as a <see cref="BackupKind.BeforeRestore"/> backup),
    /// which closes this database, then opens the restored file with <paramref name="open"/> at the same path
    /// with the same options. The generated <c>RestoreAsync</c> of a <c>[Database]</c> class calls this.
    /// </summary>
    /// <typeparam name="TDatabase">The database class.</typeparam>
    /// <param name="backupId">The backup's <see cref="BackupInfo.Id"/>.</param>
    /// <param name="open">The class's <c>OpenAsync</c>.</param>
    /// <param name="cancellationToken">Cancels the restore until the file is swapped; the open after it always runs.</param>
    /// <returns>The restored file, open.</returns>
    [EditorBrowsable(EditorBrowsableState.Never)]
    protected async ValueTask<TDatabase> RestoreCoreAsync<TDatabase>(
        string backupId,
        Func<string, ReposDatabaseOptions?, CancellationToken, ValueTask<TDatabase>> open,
        CancellationToken cancellationToken)
        where TDatabase : ReposDatabase
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(backupId);
        ArgumentNullException.ThrowIfNull(open);
        ThrowIfDisposed();
        string path = Path;
        ReposDatabaseOptions options = _options;
        await Backup.RestoreAsync(backupId, cancellationToken).ConfigureAwait(false);

        // The file is swapped: the caller gets the restored database, or the open's own error, never a cancellation.
        return await open(path, options, CancellationToken.None).ConfigureAwait(false);
    }

    /// <summary>
    /// Closes the database so a restore can replace its file: waits for the write in progress (and any open
    /// transaction of another flow) to finish, then closes every connection.
    /// </summary>
    internal async ValueTask CloseForRestoreAsync(CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        if (ActiveTransaction is not null)
        {
            throw new InvalidOperationException("A transaction is open in this flow; commit or dispose it before restoring a backup.");
        }

        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            Dispose();
        }
        finally
        {
            _writeLock.Release();
        }
    }
}
