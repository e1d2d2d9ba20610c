using System.Globalization;
using Repos.Storage.Sqlite;

namespace Repos.Storage;

/// <summary>
/// Puts a copy of a database file in its place, keeping the file it replaces, so that at every moment the
/// path holds either the old file or the restored one, each whole.
/// </summary>
/// <remarks>
/// <para>
/// A restore is two steps. <see cref="Stage"/> copies the backup beside the database (same folder, so the
/// final rename cannot cross file systems), checks the bytes against the checksum recorded with the backup,
/// flushes them, and runs <see cref="DatabaseFileCheck"/> on the copy. Nothing has been touched yet, so a bad
/// backup changes nothing. <see cref="Swap"/> then makes sure no connection has the database open, folds
/// its write-ahead log into it, and renames the staged copy over it, keeping the old file under a second
/// name (a hard link: no copy of the old file is made).
/// </para>
/// <para>
/// SQLite files must never be replaced under an open connection, nor put beside another file's
/// write-ahead log: the log's pages would be applied to the wrong file. So the swap first opens the database
/// in exclusive locking mode and switches it to a rollback journal, which SQLite does only when no other
/// connection, in any process, has the file open, and which checkpoints and deletes the log. A file too
/// damaged for SQLite to read is swapped without that check; its log, if any, moves with it.
/// </para>
/// </remarks>
internal static class FileRestore
{
    /// <summary>
    /// Restores the file at <paramref name="backupPath"/> over <paramref name="path"/>, keeping the replaced
    /// file beside it as <c>&lt;file&gt;.replaced-&lt;time&gt;.bak</c>; returns that path, or an empty string when there
    /// was no file to replace.
    /// </summary>
    public static string Restore(string path, string backupPath, TimeSpan busyTimeout, CancellationToken cancellationToken)
    {
        string target = Path.GetFullPath(path);
        string source = Path.GetFullPath(backupPath);
        if (!File.Exists(source))
        {
            throw new FileNotFoundException($"The backup '{source}' does not exist.", source);
        }

        using StagedFile staged = Stage(target, source, null, null, out string? problem, cancellationToken);
        if (problem is not null)
        {
            throw new ReposSchemaException($"'{source}' is not a whole Repos database file: {problem}. Nothing was changed.");
        }

        string kept = $"{target}.replaced-{Stamp()}.bak";
        return Swap(target, staged.Path, kept, busyTimeout, null) ? kept : string.Empty;
    }

    /// <summary>The current UTC time as the names of kept database files carry it.</summary>
    public static string Stamp() => DateTime.UtcNow.ToString("yyyyMMdd-HHmmss-fff", CultureInfo.InvariantCulture);

    /// <summary>
    /// Copies <paramref name="source"/> beside <paramref name="target"/> and checks the copy: its length and
    /// CRC-32C when they are given, then <see cref="DatabaseFileCheck"/>. Returns the copy, which the caller
    /// disposes once it is moved into place or no longer wanted; on a failed check <paramref name="problem"/>
    /// says what is wrong.
    /// </summary>
    /// <remarks>
    /// The copy, <c>&lt;file&gt;.restoring-&lt;guid&gt;</c>, is guarded by its <see cref="OperationLock"/> until it is
    /// disposed: a restore killed part way leaves it, and the next open or restore removes it (first thing here).
    /// </remarks>
    public static StagedFile Stage(string target, string source, long? length, uint? checksum, out string? problem, CancellationToken cancellationToken)
    {
        Leftovers.CleanRestores(target);
        string path = $"{target}.restoring-{Guid.NewGuid():N}";
        var staged = new StagedFile(path, OperationLock.TryCreate(path + OperationLock.Extension)
            ?? throw new IOException($"The lock file of the restore's copy '{path}' exists already."));
        try
        {
            (uint copiedChecksum, long copiedLength) = FileChecksum.Copy(source, path, cancellationToken);
            if (length is { } expectedLength && expectedLength != copiedLength)
            {
                problem = $"it is {copiedLength} bytes long, but was {expectedLength} bytes when it was taken";
            }
            else if (checksum is { } expected && expected != copiedChecksum)
            {
                problem = string.Create(
                    CultureInfo.InvariantCulture,
                    $"its CRC-32C is {copiedChecksum:x8}, but was {expected:x8} when it was taken (the file was damaged since)");
            }
            else
            {
                // A copy of a file in WAL mode is switched to a rollback journal, so no log is needed or made.
                FileCheckResult check = DatabaseFileCheck.Run(path, makeStandalone: true);
                problem = check.Problem;
                DurableFile.Flush(path);
            }

            return staged;
        }
        catch
        {
            staged.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Renames <paramref name="staged"/> over <paramref name="target"/>, keeping the replaced file at
    /// <paramref name="kept"/>. <paramref name="beforeReplace"/> runs once the old file is closed to everyone
    /// and whole on the disk (its argument says whether SQLite could read it), before anything is renamed.
    /// Returns false when there was no file to replace.
    /// </summary>
    /// <exception cref="ReposStorageException">Another connection has the file open; nothing was changed.</exception>
    public static bool Swap(string target, string staged, string kept, TimeSpan busyTimeout, Action<bool>? beforeReplace)
    {
        string folder = Path.GetDirectoryName(target)!;
        if (!File.Exists(target))
        {
            // A log without its database is nobody's, but it is not deleted: it is set aside, off the path.
            string orphan = target + "-wal";
            if (File.Exists(orphan) && new FileInfo(orphan).Length > 0)
            {
                File.Move(orphan, $"{orphan}.orphaned-{Guid.NewGuid():N}");
            }

            DeleteSidecar(target + "-shm");
            File.Move(staged, target);
            DurableFile.FlushFolder(folder);
            return false;
        }

        bool readable = CloseToEveryone(target, busyTimeout);
        string wal = target + "-wal";
        string? movedWal = null;
        if (readable && File.Exists(wal) && new FileInfo(wal).Length > 0)
        {
            // The log was folded in and deleted; a new one means a connection opened the file since.
            throw OpenElsewhere(target);
        }

        if (!readable && File.Exists(wal) && new FileInfo(wal).Length > 0)
        {
            // SQLite cannot read the file, so its log was not folded in: the log goes with the file.
            movedWal = kept + "-wal";
            File.Move(wal, movedWal, overwrite: true);
        }

        try
        {
            DeleteSidecar(wal);
            DeleteSidecar(target + "-shm");
            beforeReplace?.Invoke(readable);
            File.Replace(staged, target, kept, ignoreMetadataErrors: true);
        }
        catch when (movedWal is not null && !File.Exists(wal))
        {
            File.Move(movedWal, wal);
            throw;
        }

        DurableFile.FlushFolder(folder);
        if (Path.GetDirectoryName(kept) is { } keptFolder && keptFolder != folder)
        {
            DurableFile.FlushFolder(keptFolder);
        }

        return true;
    }

    /// <summary>
    /// Checks that no connection has the file open and folds its write-ahead log into it: switching to a
    /// rollback journal in exclusive locking mode succeeds only for the file's only connection. Returns
    /// false when SQLite cannot read the file at all (it is not, or no longer, a database).
    /// </summary>
    private static bool CloseToEveryone(string target, TimeSpan busyTimeout)
    {
        using SqliteConnection connection = SqliteConnection.Open(target, readOnly: false, create: false);
        try
        {
            long busyMilliseconds = (long)Math.Clamp(busyTimeout.TotalMilliseconds, 0, int.MaxValue);
            connection.Execute(string.Create(CultureInfo.InvariantCulture, $"PRAGMA busy_timeout={busyMilliseconds}; PRAGMA locking_mode=EXCLUSIVE"));
            if (connection.ExecuteText("PRAGMA journal_mode=DELETE") is "delete")
            {
                return true;
            }
        }
        catch (ReposStorageException e) when (e.ResultCode is SqliteCodes.NotADatabase or SqliteCodes.Corrupt)
        {
            return false;
        }
        catch (ReposStorageException e) when (e.ResultCode is SqliteCodes.Busy or SqliteCodes.Locked)
        {
            // Reported below, as for a mode that did not change.
        }

        throw OpenElsewhere(target);
    }

    private static ReposStorageException OpenElsewhere(string target) => new(
        $"The database file '{target}' is open in another connection or process; close every connection to it before restoring. Nothing was changed.",
        SqliteCodes.Busy,
        SqliteCodes.Busy);

    private static void DeleteSidecar(string path)
    {
        // Only an empty log may go: a log with frames belongs to its database and was moved or folded above.
        if (File.Exists(path) && (!path.EndsWith("-wal", StringComparison.Ordinal) || new FileInfo(path).Length == 0))
        {
            File.Delete(path);
        }
    }
}

/// <summary>
/// A restore's staged copy and the lock that marks it as in use; disposing deletes the copy if it is still there
/// (it was not moved into place), then releases the lock.
/// </summary>
internal sealed class StagedFile(string path, OperationLock claim) : IDisposable
{
    /// <summary>The copy's path.</summary>
    public string Path { get; } = path;

    public void Dispose()
    {
        try
        {
            File.Delete(Path);
        }
        finally
        {
            claim.Dispose();
        }
    }
}
