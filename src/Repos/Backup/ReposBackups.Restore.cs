using Repos.Storage;

namespace Repos.Backup;

public sealed partial class ReposBackups
{
    /// <summary>
    /// Puts the backup <paramref name="id"/> in the place of the database file, atomically, and keeps the
    /// file it replaces as a backup of kind <see cref="BackupKind.BeforeRestore"/>.
    /// </summary>
    /// <remarks>
    /// <para>
    /// The backup is first copied beside the database and checked there: its length and CRC-32C against the
    /// ones recorded when it was taken, SQLite's <c>quick_check</c>, the Repos catalog. Only then is the
    /// database touched: the copy is renamed over it, so the path holds either the old file or the restored
    /// one at every moment, and the old file stays in the backups folder under a new identifier.
    /// </para>
    /// <para>
    /// A database file must not be replaced while a connection has it open. Through
    /// <see cref="ReposDatabase.Backup"/>, the restore waits for the database's writes to finish and
    /// <b>closes the database</b> (open it again to use the restored file, or restore with the database class's
    /// generated <c>RestoreAsync</c>, which returns it opened with the same options). Every other connection, in this
    /// process or another, must be closed first; if one is open the restore fails and changes nothing.
    /// </para>
    /// </remarks>
    /// <param name="id">The backup's <see cref="BackupInfo.Id"/>.</param>
    /// <param name="cancellationToken">Cancels the restore until the file is swapped.</param>
    /// <returns>The backup of the replaced file, or null when there was no file at the database's path.</returns>
    /// <exception cref="BackupNotFoundException">No backup has that identifier; nothing was changed.</exception>
    /// <exception cref="BackupVerificationException">The backup is damaged; nothing was changed.</exception>
    /// <exception cref="ReposStorageException">Another connection has the database file open; nothing was changed (through <see cref="ReposDatabase.Backup"/>, the database was closed all the same).</exception>
    /// <exception cref="ObjectDisposedException">Through <see cref="ReposDatabase.Backup"/>: the database was already closed.</exception>
    /// <example>
    /// <code>
    /// await db.Backup.RestoreAsync(backup.Id);         // closes db
    /// db = await SymptomDb.OpenAsync(path);           // the restored file (migrated at open if it is older)
    ///
    /// db = await db.RestoreAsync(backup.Id);          // the same in one call, with db's options
    /// </code>
    /// </example>
    public ValueTask<BackupInfo?> RestoreAsync(string id, CancellationToken cancellationToken = default) =>
        RestoreAsync(id, RestoreOptions.Default, cancellationToken);

    /// <inheritdoc cref="RestoreAsync(string, CancellationToken)"/>
    /// <param name="id">The backup's <see cref="BackupInfo.Id"/>.</param>
    /// <param name="options">What the restore may give up: changes of synced entities not pushed yet.</param>
    /// <param name="cancellationToken">Cancels the restore until the file is swapped.</param>
    /// <exception cref="UnsyncedChangesException">
    /// The open database has changes of <see cref="SyncedAttribute">synced</see> entities that its sync server has
    /// not acknowledged, which the restore would lose; nothing was changed. Sync first, or set
    /// <see cref="RestoreOptions.DiscardUnsyncedChanges"/>.
    /// </exception>
    public async ValueTask<BackupInfo?> RestoreAsync(string id, RestoreOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        ArgumentNullException.ThrowIfNull(options);
        cancellationToken.ThrowIfCancellationRequested();
        BackupInfo backup = Find(id) ?? throw new BackupNotFoundException(id, Folder);
        long clock = 0;
        long batch = 0;
        if (_database?.SyncLog is { } sync)
        {
            // The restored file goes on from this one's clock and push counter, so no stamp this replica gave is given
            // again, and no batch number it pushed is used again.
            clock = sync.Clock.Last;
            batch = _database.Sync.LastPushBatch;
            if (!options.DiscardUnsyncedChanges && _database.Sync.PendingChanges is > 0 and long pending)
            {
                throw new UnsyncedChangesException(
                    $"{pending:N0} row(s) of synced entities ({string.Join(", ", _database.Sync.PendingEntities())}) have changes the sync server has not acknowledged; restoring '{id}' would lose them. Sync first, or restore with RestoreOptions.DiscardUnsyncedChanges. Nothing was changed.",
                    pending);
            }
        }

        using StagedFile staged = await Task.Run(() => Stage(backup, cancellationToken), cancellationToken).ConfigureAwait(false);
        if (clock > 0)
        {
            Sync.SyncLog.CarryClock(staged.Path, clock);
        }

        if (batch > 0)
        {
            Sync.ReposSync.CarryPushBatch(staged.Path, batch);
        }

        if (_database is not null)
        {
            await _database.CloseForRestoreAsync(cancellationToken).ConfigureAwait(false);
        }

        return await Task.Run(() => Swap(staged.Path), CancellationToken.None).ConfigureAwait(false);
    }

    /// <summary>Copies the backup beside the database and checks the copy; throws if it is damaged.</summary>
    private StagedFile Stage(BackupInfo backup, CancellationToken cancellationToken)
    {
        StagedFile staged = FileRestore.Stage(DatabasePath, backup.Path, backup.Size, backup.Checksum, out string? problem, cancellationToken);
        if (problem is not null)
        {
            staged.Dispose();
            throw new BackupVerificationException(
                $"The backup '{backup.Id}' ('{backup.Path}') failed verification: {problem}. Nothing was restored; the database was not changed.",
                backup.Id,
                problem);
        }

        return staged;
    }

    /// <summary>Swaps the checked copy in, recording the replaced file before it is renamed away.</summary>
    private BackupInfo? Swap(string staged)
    {
        DateTimeOffset now = _timeProvider.GetUtcNow();
        (string id, OperationLock claim) = Reserve(now, BackupKind.BeforeRestore);
        using (claim)
        {
            return Swap(staged, now, id);
        }
    }

    /// <summary>The swap, with the identifier of the replaced file's backup claimed.</summary>
    private BackupInfo? Swap(string staged, DateTimeOffset now, string id)
    {
        string kept = Path.Combine(Folder, id + BackupManifest.DataExtension);
        BackupInfo? replaced = null;
        try
        {
            bool swapped = FileRestore.Swap(DatabasePath, staged, kept, _busyTimeout, readable =>
            {
                // The old file is closed to everyone and whole on the disk: record it, then it is renamed away.
                (uint checksum, long size) = FileChecksum.Compute(DatabasePath, CancellationToken.None);
                int? version = readable ? DatabaseFileCheck.ReadVersion(DatabasePath) : null;
                replaced = new BackupInfo(id, kept, BackupKind.BeforeRestore, now, size, isVerified: false, version, checksum);
                BackupManifest.Write(replaced, DatabasePath);
            });
            if (!swapped)
            {
                File.Delete(kept);
            }

            return replaced;
        }
        catch
        {
            // The swap did not happen: the old file is still in place, and its record here is void.
            if (replaced is not null)
            {
                Delete(replaced);
            }
            else
            {
                File.Delete(kept);
            }

            throw;
        }
    }
}
