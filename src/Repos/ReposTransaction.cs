using Repos.Storage.Sqlite;

namespace Repos;

/// <summary>
/// A transaction over every repository of one database, opened by
/// <see cref="ReposDatabase.BeginTransactionAsync"/>. Its writes become visible to others, and durable,
/// together at <see cref="CommitAsync"/>, or not at all.
/// </summary>
/// <remarks>
/// Operations on the transaction take turns: a read or write that starts while another one runs, from any flow
/// that joined the transaction (a <c>Task.Run</c> started inside it, say), waits for it to finish, so parallel
/// work inside one transaction always gives the same result. <see cref="CommitAsync"/>,
/// <see cref="RollbackAsync"/> and disposal wait for the operation in progress too; an operation still waiting
/// when the transaction ends throws <see cref="InvalidOperationException"/> and does nothing. Calling Repos
/// from inside an operation (from the sequence <c>InsertManyAsync</c> is reading, or a query's filter) throws
/// <see cref="InvalidOperationException"/>: that call could never have its turn.
/// </remarks>
public sealed class ReposTransaction : IAsyncDisposable, IDisposable
{
    private readonly ReposDatabase _database;

    // The turn of the one operation that uses the connection; operations of other flows wait for it.
    private readonly SemaphoreSlim _turn = new(1, 1);
    private State _state;

    // The thread of the operation that has the turn while it runs synchronously, or 0: a call from that thread
    // while it has the turn comes from inside the operation and could never get one.
    private int _turnThread;
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
    /// Takes the transaction's turn for one synchronous operation (a read), waiting while an operation of another
    /// flow has it; <see cref="ExitOperation"/> gives it back.
    /// </summary>
    /// <exception cref="InvalidOperationException">
    /// The call comes from inside the operation that has the turn, the transaction ended while the call waited, or
    /// SQLite rolled it back after an error.
    /// </exception>
    internal void EnterOperation()
    {
        ThrowIfAborted();
        if (!_turn.Wait(0))
        {
            ThrowIfNested();
            _turn.Wait();
        }

        Entered();
    }

    /// <summary>Takes the transaction's turn for one write, waiting without blocking while another flow's operation has it.</summary>
    /// <exception cref="InvalidOperationException">As <see cref="EnterOperation"/>.</exception>
    internal async ValueTask EnterOperationAsync(CancellationToken cancellationToken)
    {
        ThrowIfAborted();
        if (_turn.Wait(0))
        {
            Entered();
            return;
        }

        ThrowIfNested();
        await _turn.WaitAsync(cancellationToken).ConfigureAwait(false);

        // This continuation's thread need not be the one the write then runs on (the caller may not have awaited
        // yet, and goes on where it awaits): the write marks its thread itself (WriteScope.Resume), so another flow
        // that later runs on this thread is never taken for a call from inside the write.
        Entered();
        Volatile.Write(ref _turnThread, 0);
    }

    internal void ExitOperation()
    {
        Volatile.Write(ref _turnThread, 0);
        _turn.Release();
    }

    /// <summary>
    /// The operation that has the turn is about to await (an import reading its stream): until <see cref="Resumed"/>,
    /// this thread may run other flows, whose calls are not from inside the operation.
    /// </summary>
    internal void Suspended() => Volatile.Write(ref _turnThread, 0);

    /// <summary>The operation that has the turn goes on, on this thread.</summary>
    internal void Resumed() => Volatile.Write(ref _turnThread, Environment.CurrentManagedThreadId);

    private void Entered()
    {
        if (_state != State.Active || _abortReason is not null)
        {
            _turn.Release();
            ThrowIfAborted();
            throw new InvalidOperationException(
                "The transaction was committed, rolled back or disposed while this operation waited for its turn; the operation did nothing. Await every operation of a transaction before ending it.");
        }

        Volatile.Write(ref _turnThread, Environment.CurrentManagedThreadId);
    }

    private void ThrowIfAborted()
    {
        if (_abortReason is not null)
        {
            throw new InvalidOperationException(
                $"SQLite rolled this transaction back after an error ({_abortReason}); none of its writes were kept. Dispose it and begin a new one.");
        }
    }

    private void ThrowIfNested()
    {
        if (Volatile.Read(ref _turnThread) == Environment.CurrentManagedThreadId)
        {
            throw new InvalidOperationException(
                "Repos was called from inside another operation of the same transaction (from the sequence InsertManyAsync is reading, a query's filter, or a handler it calls); that call could never have its turn. Finish the operation first: materialize the sequence, or read what the filter needs before the query.");
        }
    }

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
    public async ValueTask CommitAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfNotActive();
        await WaitForTurnAsync().ConfigureAwait(false);
        try
        {
            Commit();
        }
        finally
        {
            _turn.Release();
        }
    }

    private void Commit()
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
    }

    /// <summary>Waits for the operation in progress, if any, to give back its turn, and takes it to end the transaction.</summary>
    private async ValueTask WaitForTurnAsync()
    {
        if (!_turn.Wait(0))
        {
            ThrowIfNested();
            await _turn.WaitAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Discards every write of the transaction.</summary>
    /// <param name="cancellationToken">Not used; a rollback is never half done.</param>
    /// <exception cref="InvalidOperationException">The transaction was already committed, rolled back or disposed.</exception>
    public async ValueTask RollbackAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfNotActive();
        await WaitForTurnAsync().ConfigureAwait(false);
        try
        {
            ThrowIfNotActive();
            if (_database.IsClosed)
            {
                // Closing the file already rolled the transaction back.
                End();
                return;
            }

            try
            {
                Connection.Rollback();
            }
            finally
            {
                End();
            }
        }
        finally
        {
            _turn.Release();
        }
    }

    /// <summary>Rolls the transaction back unless it was committed, after the operation in progress, if any, ends.</summary>
    public void Dispose()
    {
        if (_state != State.Active)
        {
            return;
        }

        // From inside an operation (it can only fail now) the turn is not waited for.
        bool waited = Volatile.Read(ref _turnThread) != Environment.CurrentManagedThreadId;
        if (waited)
        {
            _turn.Wait();
        }

        try
        {
            if (_state == State.Active)
            {
                RollbackQuietly();
                End();
            }
        }
        finally
        {
            if (waited)
            {
                _turn.Release();
            }
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
