using Repos.Querying;
using Repos.Storage;
using Repos.Storage.Sqlite;

namespace Repos;

public abstract partial class Repository<TEntity, TKey>
{
    /// <summary>Reads the entity with the key.</summary>
    /// <param name="key">The key.</param>
    /// <param name="cancellationToken">Cancels the read before it starts.</param>
    /// <returns>The entity, or null if no entity has the key.</returns>
    /// <exception cref="CorruptedRowException">The stored row is damaged.</exception>
    public ValueTask<TEntity?> GetAsync(TKey key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        cancellationToken.ThrowIfCancellationRequested();
        using ReadLease lease = _database.AcquireRead();
        SqliteStatement statement = lease.Connection.Prepare(_sql.Get);
        try
        {
            _definition.GetKeyColumn(key).Bind(statement, 1);
            return new ValueTask<TEntity?>(statement.Step() ? DecodeRow(statement) : null);
        }
        finally
        {
            statement.Reset();
        }
    }

    /// <summary>Counts the stored entities.</summary>
    /// <param name="cancellationToken">Cancels the count before it starts.</param>
    /// <returns>The number of entities.</returns>
    public ValueTask<long> CountAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using ReadLease lease = _database.AcquireRead();
        return new ValueTask<long>(lease.Connection.ExecuteScalar(_sql.Count));
    }

    /// <summary>
    /// Streams every stored entity, in the order they were first inserted, decoding one row at a time.
    /// </summary>
    /// <returns>The entities, to consume with <c>await foreach</c>.</returns>
    public IAsyncEnumerable<TEntity> All() => new RowStream<TEntity, TKey>(this, _sql.All, []);
}
