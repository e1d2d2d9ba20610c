using SQLitePCL;

namespace Repos.Storage.Sqlite;

/// <summary>
/// SQLite's online backup (<c>sqlite3_backup_init/step/finish</c>): copies the pages of one connection's
/// database into another's.
/// </summary>
/// <remarks>
/// A backup restarts whenever another connection writes to the source between two steps, unless the source
/// connection holds a read transaction across all of them: then every step reads the same snapshot, and
/// writers on other connections (WAL) carry on. <see cref="SnapshotCopy"/> does that.
/// </remarks>
internal sealed class SqliteBackup : IDisposable
{
    private readonly SqliteConnection _destination;
    private sqlite3_backup? _handle;

    private SqliteBackup(SqliteConnection destination, sqlite3_backup handle)
    {
        _destination = destination;
        _handle = handle;
    }

    /// <summary>The number of pages left to copy after the last step.</summary>
    public int Remaining => raw.sqlite3_backup_remaining(Handle);

    /// <summary>The number of pages in the source after the last step.</summary>
    public int PageCount => raw.sqlite3_backup_pagecount(Handle);

    private sqlite3_backup Handle => _handle ?? throw new ObjectDisposedException(nameof(SqliteBackup));

    public static SqliteBackup Start(SqliteConnection destination, SqliteConnection source)
    {
        sqlite3_backup? handle = raw.sqlite3_backup_init(destination.Handle, "main", source.Handle, "main");
        if (handle is null || handle.IsInvalid)
        {
            handle?.Dispose();
            throw destination.Error(raw.sqlite3_errcode(destination.Handle), $"Starting a backup of '{source.Path}' into '{destination.Path}' failed");
        }

        return new SqliteBackup(destination, handle);
    }

    /// <summary>Copies up to <paramref name="pages"/> pages: true when the copy is complete.</summary>
    /// <remarks>A busy or locked source or destination is retried by the caller: the step copied nothing.</remarks>
    public bool Step(int pages, out bool busy)
    {
        int rc = raw.sqlite3_backup_step(Handle, pages);
        busy = (rc & 0xFF) is SqliteCodes.Busy or SqliteCodes.Locked;
        if (rc == raw.SQLITE_DONE)
        {
            return true;
        }

        if (rc == raw.SQLITE_OK || busy)
        {
            return false;
        }

        throw Finish(rc);
    }

    /// <summary>Ends the backup; throws if it failed.</summary>
    public void Complete()
    {
        sqlite3_backup handle = Handle;
        _handle = null;
        int rc = raw.sqlite3_backup_finish(handle);
        if (rc != raw.SQLITE_OK)
        {
            throw _destination.Error(rc, $"Finishing the backup into '{_destination.Path}' failed");
        }
    }

    public void Dispose()
    {
        if (_handle is { } handle)
        {
            _handle = null;
            raw.sqlite3_backup_finish(handle);
        }
    }

    private ReposStorageException Finish(int stepCode)
    {
        // sqlite3_backup_finish reports the step's error on the destination connection.
        sqlite3_backup handle = Handle;
        _handle = null;
        raw.sqlite3_backup_finish(handle);
        return _destination.Error(stepCode, $"Copying pages into '{_destination.Path}' failed");
    }
}
