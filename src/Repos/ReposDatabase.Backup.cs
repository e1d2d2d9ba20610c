using Repos.Backup;

namespace Repos;

public abstract partial class ReposDatabase
{
    private ReposBackups? _backup;

    /// <summary>
    /// The database's backups: <see cref="ReposBackups.CreateAsync(CancellationToken)"/> copies the file while
    /// the app keeps writing; list, restore, delete and retention work on the backups folder
    /// (<see cref="ReposDatabaseOptions.BackupFolder"/>).
    /// </summary>
    /// <exception cref="InvalidOperationException">The database has not been opened.</exception>
    public ReposBackups Backup => _backup ?? throw new InvalidOperationException("The database is not open.");

    /// <summary>
    /// Takes the backup an import takes before it writes (<see cref="BackupKind.BeforeImport"/>), so the import
    /// can be undone by restoring it.
    /// </summary>
    internal ValueTask<BackupInfo> BackupBeforeImportAsync(CancellationToken cancellationToken) =>
        Backup.CreateAsync(BackupKind.BeforeImport, null, cancellationToken);

    /// <summary>Sets up <see cref="Backup"/> for the file being opened.</summary>
    private void InitializeBackups() =>
        _backup = new ReposBackups(Path, _options.BackupFolder, _options.TimeProvider, _options.BusyTimeout, this);

    /// <summary>Takes the backup an open takes before it migrates the file; returns the backup file's path.</summary>
    private string BackupBeforeMigration(CancellationToken cancellationToken) =>
        Backup.Create(BackupKind.BeforeMigration, null, cancellationToken).Path;

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
