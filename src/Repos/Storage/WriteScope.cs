using Repos.Storage.Sqlite;

namespace Repos.Storage;

/// <summary>
/// One write operation's transaction: its own (committed by <see cref="Complete"/>, rolled back otherwise,
/// then the write lock released), or a savepoint in the caller's transaction, or nothing extra.
/// </summary>
internal sealed class WriteScope : IDisposable
{
    private readonly ReposDatabase _database;
    private readonly ReposTransaction? _joined;
    private readonly bool _ownsTransaction;
    private readonly bool _savepoint;
    private bool _completed;
    private bool _disposed;

    public WriteScope(ReposDatabase database, SqliteConnection connection, ReposTransaction? joined, bool savepoint)
    {
        _database = database;
        Connection = connection;
        _joined = joined;
        _ownsTransaction = joined is null;
        _savepoint = savepoint;
        connection.WriteOperationSerial++;
    }

    public SqliteConnection Connection { get; }

    /// <summary>The write is about to await (an import reading its stream) while it keeps the caller's transaction's turn.</summary>
    public void Suspend() => _joined?.Suspended();

    /// <summary>
    /// The write goes on after an await, on this thread: every write calls it once its scope is begun, since the turn
    /// of the caller's transaction may have been taken on another thread.
    /// </summary>
    public void Resume() => _joined?.Resumed();

    public void Complete()
    {
        if (_ownsTransaction)
        {
            Connection.Commit();
            _database.AfterCommit(Connection);
        }
        else if (_savepoint)
        {
            Connection.Run("RELEASE repos_write");
        }

        _completed = true;
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        try
        {
            if (!_completed)
            {
                if (_ownsTransaction)
                {
                    if (Connection.InTransaction)
                    {
                        Connection.Rollback();
                    }
                }
                else if (!Connection.InTransaction)
                {
                    // After some errors (a full disk, an I/O error) SQLite rolls back the whole transaction itself.
                    _joined!.MarkRolledBack(Connection.LastErrorMessage);
                }
                else if (_savepoint)
                {
                    Connection.Run("ROLLBACK TO repos_write");
                    Connection.Run("RELEASE repos_write");
                }
            }
        }
        finally
        {
            if (_ownsTransaction)
            {
                _database.WriteLock.Release();
                _database.RaiseStorageWarning();
            }
            else
            {
                _joined!.ExitOperation();
            }
        }
    }
}
