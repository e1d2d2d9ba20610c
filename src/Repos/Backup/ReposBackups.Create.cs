using Repos.Storage;

namespace Repos.Backup;

public sealed partial class ReposBackups
{
    /// <summary>
    /// Takes a backup now (<see cref="BackupKind.Manual"/>) while the app keeps reading and writing, verifies
    /// it and records it; see <see cref="CreateAsync(BackupKind, IProgress{BackupProgress}?, CancellationToken)"/>.
    /// </summary>
    /// <param name="cancellationToken">Cancels the backup; a cancelled backup leaves nothing behind.</param>
    /// <returns>The recorded backup.</returns>
    public ValueTask<BackupInfo> CreateAsync(CancellationToken cancellationToken = default) =>
        CreateAsync(BackupKind.Manual, null, cancellationToken);

    /// <summary>
    /// Takes a backup now while the app keeps reading and writing: a copy of the database as of one moment,
    /// holding every transaction committed before it and none after. The copy is flushed to the disk and
    /// checked before it is recorded; a copy that fails the check is deleted and reported.
    /// </summary>
    /// <param name="kind">Why the backup is taken (not <see cref="BackupKind.BeforeRestore"/>, which restores record).</param>
    /// <param name="progress">Receives how many bytes are copied, or null.</param>
    /// <param name="cancellationToken">Cancels the backup; a cancelled backup leaves nothing behind.</param>
    /// <returns>The recorded backup.</returns>
    /// <exception cref="FileNotFoundException">The database file does not exist.</exception>
    /// <exception cref="BackupVerificationException">The copy failed its check (the database or the disk is damaged); it was not kept.</exception>
    /// <exception cref="ReposStorageException">SQLite could not read the database or write the copy (for example, the disk is full); nothing was kept.</exception>
    /// <exception cref="IOException">The backups folder cannot be created or written; nothing was kept.</exception>
    /// <exception cref="ObjectDisposedException">Through <see cref="ReposDatabase.Backup"/>: the database was closed.</exception>
    public ValueTask<BackupInfo> CreateAsync(BackupKind kind, IProgress<BackupProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        if (kind is BackupKind.BeforeRestore || !Enum.IsDefined(kind))
        {
            throw new ArgumentOutOfRangeException(nameof(kind), kind, "A backup can be taken as Manual, Scheduled, BeforeMigration or BeforeImport.");
        }

        cancellationToken.ThrowIfCancellationRequested();
        return new ValueTask<BackupInfo>(Task.Run(() => CreateCoreAsync(kind, progress, cancellationToken), cancellationToken));
    }

    /// <summary>Takes, verifies and records a backup.</summary>
    internal async Task<BackupInfo> CreateCoreAsync(BackupKind kind, IProgress<BackupProgress>? progress, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        ObjectDisposedException.ThrowIf(IsClosed, _database!);
        if (!File.Exists(DatabasePath))
        {
            throw new FileNotFoundException($"The database file '{DatabasePath}' does not exist; there is nothing to back up.", DatabasePath);
        }

        Leftovers.CleanBackups(Folder);
        DateTimeOffset createdAt = _timeProvider.GetUtcNow();
        (string id, OperationLock claim) = Reserve(createdAt, kind);
        string data = Path.Combine(Folder, id + BackupManifest.DataExtension);
        string partial = data + BackupManifest.PartialExtension;
        bool recorded = false;
        try
        {
            long pages;
            ReposDatabase.CheckpointPause? pause = _database is null ? null : await _database.PauseCheckpointsAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                (pages, _) = SnapshotCopy.Copy(DatabasePath, partial, _busyTimeout, BytesPerStep, progress, cancellationToken);
            }
            finally
            {
                if (pause is not null)
                {
                    await pause.ResumeAsync().ConfigureAwait(false);
                }
            }

            cancellationToken.ThrowIfCancellationRequested();

            // Flushing to the disk, checking the pages and checksumming the bytes are independent: run them
            // side by side. The check reads what was written (from the OS's cache); the flush makes it durable.
            Task flush = Task.Run(() => DurableFile.Flush(partial), CancellationToken.None);
            Task<(uint Checksum, long Length)> checksum = Task.Run(() => FileChecksum.Compute(partial, cancellationToken), CancellationToken.None);
            FileCheckResult check;
            try
            {
                check = DatabaseFileCheck.Run(partial, makeStandalone: false);
            }
            finally
            {
                await Task.WhenAll(flush, checksum).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }

            await flush.ConfigureAwait(false);
            (uint crc, long size) = await checksum.ConfigureAwait(false);
            if (check.IsValid && check.PageCount != pages)
            {
                check = FileCheckResult.Failed($"it has {check.PageCount} pages where {pages} were copied");
            }

            if (!check.IsValid)
            {
                throw new BackupVerificationException(
                    $"The backup of '{DatabasePath}' failed verification: {check.Problem}. The copy was not kept; the database was not changed.",
                    id,
                    check.Problem!);
            }

            File.Move(partial, data, overwrite: true);
            var backup = new BackupInfo(id, data, kind, createdAt, size, isVerified: true, check.DatabaseVersion, crc);
            BackupManifest.Write(backup, DatabasePath);
            recorded = true;
            return backup;
        }
        finally
        {
            try
            {
                if (!recorded)
                {
                    File.Delete(partial);
                    File.Delete(data);
                }
            }
            finally
            {
                claim.Dispose();
            }
        }
    }
}
