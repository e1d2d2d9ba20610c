using Repos.Internal;
using Repos.Storage;
using Repos.Storage.Sqlite;

namespace Repos.Querying;

/// <summary>
/// Streams the rows of a SELECT of (key, _blob) as entities, decoding each as it is reached, on one
/// connection held until the enumeration ends.
/// </summary>
internal sealed class RowStream<TEntity, TKey> : IAsyncEnumerable<TEntity>
    where TEntity : class
    where TKey : notnull
{
    private readonly Repository<TEntity, TKey> _repository;
    private readonly string _sql;
    private readonly ColumnValue[] _parameters;
    private readonly Func<TEntity, bool>? _filter;
    private readonly int _skip;
    private readonly int _take;

    public RowStream(
        Repository<TEntity, TKey> repository,
        string sql,
        ColumnValue[] parameters,
        Func<TEntity, bool>? filter = null,
        int skip = 0,
        int take = int.MaxValue)
    {
        _repository = repository;
        _sql = sql;
        _parameters = parameters;
        _filter = filter;
        _skip = skip;
        _take = take;
    }

    public IAsyncEnumerator<TEntity> GetAsyncEnumerator(CancellationToken cancellationToken = default) =>
        new Enumerator(this, cancellationToken);

    private sealed class Enumerator : IAsyncEnumerator<TEntity>
    {
        private readonly RowStream<TEntity, TKey> _stream;
        private readonly CancellationToken _cancellationToken;
        private ReadLease _lease;
        private SqliteStatement? _statement;
        private int _skipped;
        private int _returned;
        private bool _done;

        public Enumerator(RowStream<TEntity, TKey> stream, CancellationToken cancellationToken)
        {
            _stream = stream;
            _cancellationToken = cancellationToken;
        }

        public TEntity Current { get; private set; } = null!;

        public ValueTask<bool> MoveNextAsync()
        {
            _cancellationToken.ThrowIfCancellationRequested();
            if (_done || _returned >= _stream._take)
            {
                return new ValueTask<bool>(false);
            }

            if (_statement is null)
            {
                _lease = _stream._repository.Owner.AcquireRead();

                // A pooled reader is this enumeration's alone until it ends: its statement is kept for the next
                // one. A transaction's connection is shared with the transaction's other operations, which do
                // not take turns with this enumeration's end, so there the statement is its own and is disposed.
                _statement = _lease.Transaction is null ? _lease.Connection.RentStatement(_stream._sql) : _lease.Connection.PrepareOnce(_stream._sql);
                for (int i = 0; i < _stream._parameters.Length; i++)
                {
                    _stream._parameters[i].Bind(_statement, i + 1);
                }
            }
            else
            {
                // A transaction's connection is marked busy only while a row is read, not while the
                // caller works with it, so the caller may write in the same transaction meanwhile.
                _lease.Transaction?.EnterOperation();
            }

            try
            {
                return new ValueTask<bool>(Advance(_statement));
            }
            finally
            {
                _lease.Transaction?.ExitOperation();
            }
        }

        private bool Advance(SqliteStatement statement)
        {
            while (statement.Step())
            {
                // A damaged row throws CorruptedRowException here, leaving the statement on it: the next
                // MoveNextAsync goes on with the row after it. With an OnCorruptedRow handler it is skipped.
                TEntity? entity = _stream._repository.DecodeRowOrSkip(statement);
                if (entity is null || (_stream._filter is { } filter && !filter(entity)))
                {
                    continue;
                }

                if (_skipped < _stream._skip)
                {
                    _skipped++;
                    continue;
                }

                _returned++;
                Current = entity;
                return true;
            }

            _done = true;
            return false;
        }

        public ValueTask DisposeAsync()
        {
            if (_statement is not null)
            {
                if (_lease.Transaction is null)
                {
                    _lease.Connection.ReturnStatement(_statement);
                    _lease.Dispose();
                }
                else
                {
                    _statement.Dispose();
                }

                _statement = null;
            }

            return ValueTask.CompletedTask;
        }
    }
}
