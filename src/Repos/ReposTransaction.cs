using Repos.Storage.Sqlite;

namespace Repos;

/// <summary>
/// A transaction over every repository of one database, opened by
/// <see cref="ReposDatabase.BeginTransactionAsync"/>. Its writes become visible to others, and durable,
/// together at <see cref="CommitAsync"/>, or not at all.
/// </summary>
public sealed class ReposTransaction : IAsyncDisposable, IDisposable
{
    private readonly ReposDatabase _database;
    private State _state;
    private int _busy;
    private string? _abortReason;

    internal ReposTransaction(ReposDatabase database)
    {
        _database = database;
    }

    private enum State
    {
        Starting,
        Active,
        Ended,
    }

    internal bool IsActive => _state == State.Active;

    /// <summary>
    /// The transaction of an open that is migrating the file, for the database's migration steps to join.
    /// The open began it, holds the file's write lock, and commits or rolls it back; this object only lets
    /// repository calls find it.
    /// </summary>
    internal static ReposTransaction ForOpen(ReposDatabase database) =>
        new(database) { _state = State.Active };

    /// <summary>Ends a transaction made by <see cref="ForOpen"/>, leaving the SQL transaction to the open.</summary>
    internal void EndOpen()
    {
        _state = State.Ended;
        _database.ClearAmbient(this);
    }

    internal SqliteConnection Connection => _database.Writer;

    /// <summary>
    /// Marks the transaction's connection as in use by one operation. Flows that started inside the
    /// transaction (such as <c>Task.Run</c>) join it too, and must not use it at the same time.
    /// </summary>
    internal void EnterOperation()
    {
        if (_abortReason is not null)
        {
            throw new InvalidOperationException(
                $"SQLite rolled this transaction back after an error ({_abortReason}); none of its writes were kept. Dispose it and begin a new one.");
        }

        if (Interlocked.Exchange(ref _busy, 1) != 0)
        {
            throw new InvalidOperationException(
                "Another operation is using this transaction at the same time; operations inside one transaction must run one after another.");
        }
    }

    internal void ExitOperation() => Volatile.Write(ref _busy, 0);

    /// <summary>
    /// Records that SQLite ended the transaction itself after an error (a full disk, an I/O error): later
    /// operations and the commit throw instead of running outside any transaction.
    /// </summary>
    internal void MarkRolledBack(string reason) => _abortReason ??= reason;

    internal async ValueTask<ReposTransaction> StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _database.WriteLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            _state = State.Ended;
            _database.ClearAmbient(this);
            throw;
        }

        try
        {
            _database.BeginWriteTransaction(_database.Writer);
            _state = State.Active;
            return this;
        }
        catch
        {
            _state = State.Ended;
            _database.WriteLock.Release();
            _database.ClearAmbient(this);
            throw;
        }
    }

    /// <summary>Makes every write of the transaction durable and visible, atomically.</summary>
    /// <param name="cancellationToken">Not used once the commit starts; a commit is never half done.</param>
    /// <exception cref="InvalidOperationException">
    /// The transaction was already committed, rolled back or disposed, or SQLite rolled it back after a write
    /// failed (such as <see cref="ReposStorageFullException"/>).
    /// </exception>
    public ValueTask CommitAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfNotActive();
        if (_database.IsClosed)
        {
            End();
            throw new ObjectDisposedException(nameof(ReposDatabase), "The database was closed before the transaction committed; its writes were rolled back.");
        }

        if (_abortReason is not null)
        {
            End();
            throw new InvalidOperationException(
                $"SQLite rolled this transaction back after an error ({_abortReason}); none of its writes were kept, so there is nothing to commit.");
        }

        try
        {
            Connection.Commit();
        }
        catch
        {
            RollbackQuietly();
            End();
            throw;
        }

        _database.AfterCommit(Connection);
        End();
        _database.RaiseStorageWarning();
        return ValueTask.CompletedTask;
    }

    /// <summary>Discards every write of the transaction.</summary>
    /// <param name="cancellationToken">Not used; a rollback is never half done.</param>
    /// <exception cref="InvalidOperationException">The transaction was already committed, rolled back or disposed.</exception>
    public ValueTask RollbackAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfNotActive();
        if (_database.IsClosed)
        {
            // Closing the file already rolled the transaction back.
            End();
            return ValueTask.CompletedTask;
        }

        try
        {
            Connection.Rollback();
        }
        finally
        {
            End();
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Rolls the transaction back unless it was committed.</summary>
    public void Dispose()
    {
        if (_state == State.Active)
        {
            RollbackQuietly();
            End();
        }
    }

    /// <summary>Rolls the transaction back unless it was committed.</summary>
    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    private void ThrowIfNotActive()
    {
        if (_state != State.Active)
        {
            throw new InvalidOperationException("The transaction was already committed, rolled back or disposed.");
        }
    }

    private void RollbackQuietly()
    {
        if (!_database.IsClosed && Connection.InTransaction)
        {
            Connection.Rollback();
        }
    }

    private void End()
    {
        _state = State.Ended;
        _database.WriteLock.Release();
        _database.ClearAmbient(this);
    }
}
