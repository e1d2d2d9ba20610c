using Repos.Housekeeping;
using Repos.Internal;
using Repos.Storage;
using Repos.Storage.Sqlite;

namespace Repos;

public abstract partial class ReposDatabase
{
    /// <summary>How often the quota check measures even when the pages written say nothing can have changed.</summary>
    private const int CommitsBetweenMeasures = 100;

    private bool _aboveWarningThreshold;
    private long _lastUsedBytes = -1;
    private int _pagesWrittenAtMeasure;
    private int _commitsSinceMeasure;
    private StorageWarningEventArgs? _pendingWarning;

    /// <summary>
    /// Raised once when the data in the database reaches <see cref="ReposDatabaseOptions.StorageWarningThreshold"/>
    /// (90% by default) of its size quota, <see cref="ReposDatabaseOptions.MaxSizeBytes"/>: the file will soon refuse
    /// writes that grow it. Raised again only after the use has fallen below the threshold (rows deleted) and
    /// reached it once more. Never raised without a quota.
    /// </summary>
    /// <remarks>
    /// The check runs after each commit of this database object (a single write, or a transaction). It reads a counter
    /// of the pages written, and measures the pages in use only when they may have reached the threshold (and every
    /// 100 commits, for other processes' writes). The handler runs on the thread that committed, after the commit and after
    /// the write lock is released, so it may itself write or delete; an exception it throws reaches the caller of
    /// that write, whose changes are committed all the same. A file already past the threshold when it is opened
    /// raises the event at its first commit.
    /// </remarks>
    public event EventHandler<StorageWarningEventArgs>? StorageWarning;

    /// <summary>The folder backups of this database are kept in (<see cref="Backup.ReposBackups.Folder"/>).</summary>
    internal string BackupFolderPath => Backup.Folder;

    /// <summary>
    /// Measures the database: the file and write-ahead log sizes, SQLite's page figures, each entity's row count
    /// and size, and the size of the backup folder.
    /// </summary>
    /// <param name="cancellationToken">Cancels the measurement before it starts.</param>
    /// <returns>The figures, read from one consistent state of the file.</returns>
    /// <remarks>
    /// This reads every row's index columns and blob lengths (not the blobs), so it takes time in proportion to the
    /// database; it runs beside writers, on a reading connection. Entity sizes are estimates unless
    /// <see cref="StorageInfo.EntityBytesAreEstimates"/> is false.
    /// </remarks>
    public ValueTask<StorageInfo> GetStorageInfoAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using ReadLease lease = AcquireRead();
        SqliteConnection connection = lease.Connection;
        bool ownTransaction = !connection.InTransaction;
        if (ownTransaction)
        {
            connection.Run("BEGIN");
        }

        try
        {
            long? quota = _options.ReadOnly ? null : _options.MaxSizeBytes;
            (int Files, long Bytes) leftovers = Leftovers.Count(Path, BackupFolderPath);
            return new ValueTask<StorageInfo>(StorageMeasurement.Measure(connection, Path, quota, BackupFolderPath, leftovers));
        }
        finally
        {
            if (ownTransaction && connection.InTransaction)
            {
                connection.Run("COMMIT");
            }
        }
    }

    /// <summary>
    /// Rebuilds the database file without its free pages (SQLite's <c>VACUUM</c>) and gives the space back to the
    /// disk. Deleting rows leaves their pages free inside the file, for later writes to reuse; vacuuming shrinks the
    /// file to the data it holds, and packs tables and indexes tightly.
    /// </summary>
    /// <param name="cancellationToken">Cancels waiting for other writers; once the vacuum runs, it runs to the end.</param>
    /// <returns>The size of the file and its write-ahead log before and after.</returns>
    /// <remarks>
    /// <para>
    /// The vacuum waits for the writes of this database object and holds the file's write lock while it runs, so
    /// writers (of every process) wait for it; readers carry on. It takes time in proportion to the file, and needs
    /// free disk space of about twice the file's size while it runs: a temporary copy, and the write-ahead log
    /// that carries the rebuilt pages back. If the disk fills meanwhile, it fails with
    /// <see cref="ReposStorageFullException"/> and the file is left as it was.
    /// </para>
    /// <para>
    /// Only a full vacuum is offered: Repos files do not use SQLite's incremental auto-vacuum, which would cost
    /// every commit some bookkeeping and fragment tables over time, to shrink files that mostly reuse their free
    /// pages anyway.
    /// </para>
    /// </remarks>
    /// <exception cref="InvalidOperationException">A transaction is open in this flow, or the database is read-only.</exception>
    public async ValueTask<VacuumResult> VacuumAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfNotWritable();
        if (ActiveTransaction is not null)
        {
            throw new InvalidOperationException("VacuumAsync cannot run inside a transaction; commit or dispose it first.");
        }

        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            SqliteConnection writer = Writer;

            // Fold the log in first, so the sizes before and after compare the same thing: the data on disk.
            CheckpointWithoutWaiting(writer);
            long before = StorageMeasurement.FileLength(Path) + StorageMeasurement.FileLength(Path + "-wal");
            writer.Execute("VACUUM");
            CheckpointWithoutWaiting(writer);
            long after = StorageMeasurement.FileLength(Path) + StorageMeasurement.FileLength(Path + "-wal");
            AfterCommit(writer);
            return new VacuumResult(before, after);
        }
        finally
        {
            _writeLock.Release();
            RaiseStorageWarning();
        }
    }

    /// <summary>
    /// Folds the log into the file and truncates it, unless readers (here or in other processes) still use it: a
    /// truncating checkpoint holds the file's write lock while it waits for them, so waiting would make other
    /// processes' writes wait too, past their busy timeout. Then the log stays, and the sizes include it.
    /// </summary>
    private void CheckpointWithoutWaiting(SqliteConnection writer)
    {
        writer.Execute("PRAGMA busy_timeout=0");
        try
        {
            writer.Execute("PRAGMA wal_checkpoint(TRUNCATE)");
        }
        finally
        {
            writer.Execute(ConnectionSettings.BusyTimeoutPragma(_options));
        }
    }

    /// <summary>
    /// Runs after each commit of this database object, under the write lock: with a quota, notes a warning to raise
    /// when the data in use has just reached the threshold.
    /// </summary>
    /// <remarks>
    /// Measuring the pages in use costs a few microseconds after a commit (a read transaction for two header reads),
    /// a tenth of a small write, so it is skipped while it cannot change the answer: the data can grow by at most
    /// the pages this connection wrote since the last measure (every new page is written), a counter SQLite keeps.
    /// Another process's writes are not in that count, and deletes only lower the use, so a measure is also taken
    /// every <see cref="CommitsBetweenMeasures"/> commits (every 16 while past the threshold, to notice the fall).
    /// </remarks>
    internal void AfterCommit(SqliteConnection connection)
    {
        if (connection.QuotaPages == 0)
        {
            return;
        }

        long quota = connection.QuotaBytes;
        double threshold = _options.StorageWarningThreshold * quota;
        int written = connection.PagesWritten;
        _commitsSinceMeasure++;
        if (_lastUsedBytes >= 0)
        {
            long mostGrown = (long)(uint)(written - _pagesWrittenAtMeasure) * connection.PageSize;
            bool skip = _aboveWarningThreshold
                ? _commitsSinceMeasure < 16
                : _commitsSinceMeasure < CommitsBetweenMeasures && _lastUsedBytes + mostGrown < threshold;
            if (skip)
            {
                return;
            }
        }

        long usedBytes;
        try
        {
            usedBytes = connection.UsedPages() * connection.PageSize;
        }
        catch (ReposStorageException)
        {
            // The write is committed; failing it now would tell the caller otherwise. The next commit measures again.
            return;
        }

        _lastUsedBytes = usedBytes;
        _pagesWrittenAtMeasure = written;
        _commitsSinceMeasure = 0;
        bool above = usedBytes >= threshold;
        if (above && !_aboveWarningThreshold)
        {
            Volatile.Write(ref _pendingWarning, new StorageWarningEventArgs(Path, usedBytes, quota, _options.StorageWarningThreshold));
        }

        _aboveWarningThreshold = above;
    }

    /// <summary>Raises the warning <see cref="AfterCommit"/> noted, if any; called once the write lock is released.</summary>
    internal void RaiseStorageWarning()
    {
        if (Volatile.Read(ref _pendingWarning) is not null && Interlocked.Exchange(ref _pendingWarning, null) is { } warning)
        {
            StorageWarning?.Invoke(this, warning);
        }
    }
}
