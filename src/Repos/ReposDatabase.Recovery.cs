using System.Globalization;
using System.Runtime.ExceptionServices;
using Repos.Diagnostics;
using Repos.Internal;
using Repos.Recovery;
using Repos.Storage;
using Repos.Storage.Sqlite;

namespace Repos;

public abstract partial class ReposDatabase
{
    /// <summary>
    /// What this open did because the file was damaged, when <see cref="ReposDatabaseOptions.OnDamagedFile"/>
    /// was called: the choice, where the damaged file was kept, the backup restored or the salvage's report.
    /// Null when the file opened normally.
    /// </summary>
    public DamageRecovery? DamageRecovery { get; private set; }

    /// <summary>
    /// Whether <paramref name="error"/> says the file is damaged: SQLite finds it malformed or not a database,
    /// or a stored value the open read is damaged.
    /// </summary>
    internal static bool IsDamage(Exception error)
    {
        for (Exception? e = error; e is not null; e = e.InnerException)
        {
            if (e is ReposFormatException or ReposStorageException { ResultCode: SqliteCodes.Corrupt or SqliteCodes.NotADatabase })
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsDamageRecoverable(Exception error, string path, ReposDatabaseOptions? options) =>
        options is { OnDamagedFile: not null, ReadOnly: false } && IsDamage(error) && File.Exists(System.IO.Path.GetFullPath(path));

    /// <summary>
    /// Asks the app what to do about a file that failed to open because it is damaged, keeps the damaged file
    /// aside, and opens what the choice puts in its place. If that fails, the damaged file goes back.
    /// </summary>
    private async ValueTask RecoverDamagedFileAsync(
        string path,
        ReposDatabaseOptions options,
        IReadOnlyList<EntityDefinition> entities,
        int version,
        Exception error,
        CancellationToken cancellationToken)
    {
        string file = System.IO.Path.GetFullPath(path);
        IReadOnlyList<string> backups = BackupLocator.Candidates(file, options.BackupFolder);
        DamagedFileAction action = await options.OnDamagedFile!(new DamagedFile(file, error, backups)).ConfigureAwait(false);
        if (action is not (DamagedFileAction.RestoreLatestBackup or DamagedFileAction.Salvage or DamagedFileAction.StartEmpty))
        {
            ExceptionDispatchInfo.Throw(error);
        }

        string kept = KeepDamagedFile(file);
        try
        {
            string? restored = null;
            SalvageReport? salvage = null;
            switch (action)
            {
                case DamagedFileAction.RestoreLatestBackup:
                    restored = await RestoreLatestBackupAsync(file, options, entities, version, backups, cancellationToken).ConfigureAwait(false);
                    break;
                case DamagedFileAction.Salvage:
                    salvage = await SalvageRun.RunAsync(kept, file, new ReposModel(entities, version), cancellationToken).ConfigureAwait(false);
                    await OpenFileAsync(file, options, entities, version, cancellationToken).ConfigureAwait(false);
                    break;
                default:
                    await OpenFileAsync(file, options, entities, version, cancellationToken).ConfigureAwait(false);
                    break;
            }

            DamageRecovery = new DamageRecovery(action, error, kept) { RestoredFrom = restored, Salvage = salvage };
        }
        catch (Exception e)
        {
            // Back to how it was: the damaged file in its place, so the app can choose again.
            CloseFile();
            Recovery.SalvageRun.DeleteDatabaseFiles(file);
            MoveDatabaseFiles(kept, file);
            if (e is ReposRecoveryException or OperationCanceledException)
            {
                throw;
            }

            throw new ReposRecoveryException(
                $"The database file '{file}' is damaged ({error.Message}), and {action} failed: {e.Message} The damaged file is back in its place.", e);
        }
    }

    /// <summary>Puts the newest backup that opens and verifies in the file's place, and leaves it open.</summary>
    private async ValueTask<string> RestoreLatestBackupAsync(
        string file,
        ReposDatabaseOptions options,
        IReadOnlyList<EntityDefinition> entities,
        int version,
        IReadOnlyList<string> backups,
        CancellationToken cancellationToken)
    {
        var failures = new List<string>();
        foreach (string backup in backups)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                // Copied, checked and flushed the way every restore stages a file; the damaged one is already aside.
                using (StagedFile staged = FileRestore.Stage(file, backup, null, null, out string? problem, cancellationToken))
                {
                    if (problem is not null)
                    {
                        failures.Add($"'{backup}': {problem}");
                        continue;
                    }

                    File.Move(staged.Path, file);
                }

                await OpenFileAsync(file, options, entities, version, cancellationToken).ConfigureAwait(false);
                VerifyReport report = Verify(null, cancellationToken);
                if (report.IsHealthy)
                {
                    return backup;
                }

                failures.Add($"'{backup}': {report.BadRows.Count} bad rows, {report.IntegrityErrors.Count} integrity errors");
            }
            catch (Exception e) when (e is ReposException or IOException)
            {
                failures.Add($"'{backup}': {e.Message}");
            }

            CloseFile();
            Recovery.SalvageRun.DeleteDatabaseFiles(file);
        }

        throw new ReposRecoveryException(backups.Count == 0
            ? $"The database file '{file}' is damaged and there is no backup of it to restore. The damaged file is back in its place."
            : $"The database file '{file}' is damaged and no backup opens and verifies ({string.Join("; ", failures)}). The damaged file is back in its place.");
    }

    /// <summary>Closes the file without disposing the database, so it can be opened again.</summary>
    private void CloseFile()
    {
        while (_readers.TryTake(out SqliteConnection? reader))
        {
            reader.Dispose();
        }

        _writer?.Dispose();
        _writer = null;
        _context = null;
    }

    private static string KeepDamagedFile(string file)
    {
        string kept = $"{file}.damaged-{FileRestore.Stamp()}";
        MoveDatabaseFiles(file, kept);
        return kept;
    }

    /// <summary>Moves a database file with its write-ahead log and shared-memory index.</summary>
    private static void MoveDatabaseFiles(string from, string to)
    {
        File.Move(from, to);
        foreach (string sidecar in (ReadOnlySpan<string>)["-wal", "-shm"])
        {
            if (File.Exists(from + sidecar))
            {
                File.Move(from + sidecar, to + sidecar, overwrite: true);
            }
        }
    }

}
