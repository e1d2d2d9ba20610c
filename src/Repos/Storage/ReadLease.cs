using Repos.Storage.Sqlite;

namespace Repos.Storage;

/// <summary>A connection lent for a read; disposing returns it to the pool (a transaction's connection stays).</summary>
internal readonly struct ReadLease : IDisposable
{
    private readonly ReposDatabase? _pool;

    public ReadLease(SqliteConnection connection, ReposDatabase? pool, ReposTransaction? transaction)
    {
        Connection = connection;
        _pool = pool;
        Transaction = transaction;
    }

    public SqliteConnection Connection { get; }

    /// <summary>The transaction whose connection this is (its operation mark is held until disposal).</summary>
    public ReposTransaction? Transaction { get; }

    public void Dispose()
    {
        if (Transaction is not null)
        {
            Transaction.ExitOperation();
        }
        else
        {
            _pool?.ReturnReader(Connection);
        }
    }
}
