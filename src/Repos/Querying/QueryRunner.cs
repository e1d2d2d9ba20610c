using Repos.Internal;
using Repos.Storage;
using Repos.Storage.Sqlite;

namespace Repos.Querying;

/// <summary>Runs index queries: builds their SQL, binds, steps and decodes.</summary>
internal static class QueryRunner<TEntity, TKey>
    where TEntity : class
    where TKey : notnull
{
    /// <summary>
    /// Reads the results into a list. A damaged row throws, unless the database has an
    /// <see cref="ReposDatabaseOptions.OnCorruptedRow"/> handler and <paramref name="single"/> is false: then
    /// the handler gets it and the row is skipped.
    /// </summary>
    public static List<TEntity> ToList(
        in QueryState<TEntity, TKey> state,
        Func<TEntity, bool>? filter,
        int skip,
        int take,
        CancellationToken cancellationToken,
        bool single = false)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var results = new List<TEntity>();
        using ReadLease lease = state.Repository.Owner.AcquireRead();
        (string sql, ColumnValue[] parameters) = Resolve(state, lease.Connection, paged: true);
        SqliteStatement statement = lease.Connection.Prepare(sql);
        try
        {
            Bind(statement, parameters);
            int skipped = 0;
            while (results.Count < take && statement.Step())
            {
                TEntity? entity = single ? state.Repository.DecodeRow(statement) : state.Repository.DecodeRowOrSkip(statement);
                if (entity is null || (filter is not null && !filter(entity)))
                {
                    continue;
                }

                if (skipped < skip)
                {
                    skipped++;
                    continue;
                }

                results.Add(entity);
            }
        }
        finally
        {
            statement.Reset();
        }

        return results;
    }

    public static long Count(in QueryState<TEntity, TKey> state, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using ReadLease lease = state.Repository.Owner.AcquireRead();
        bool paged = state.Take != int.MaxValue || state.Skip > 0;
        (string sql, ColumnValue[] parameters) = Resolve(state, lease.Connection, paged, select: paged ? "SELECT 1" : "SELECT count(*)", countPaged: paged);

        SqliteStatement statement = lease.Connection.Prepare(sql);
        try
        {
            Bind(statement, parameters);
            return statement.Step() ? statement.ColumnInt64(0) : 0;
        }
        finally
        {
            statement.Reset();
        }
    }

    public static IAsyncEnumerable<TEntity> Stream(in QueryState<TEntity, TKey> state, Func<TEntity, bool>? filter, int skip, int take)
    {
        using ReadLease lease = state.Repository.Owner.AcquireRead();
        (string sql, ColumnValue[] parameters) = Resolve(state, lease.Connection, paged: true);
        return new RowStream<TEntity, TKey>(state.Repository, sql, parameters, filter, skip, take);
    }

    /// <summary>The query's SQL and parameters, selecting <paramref name="select"/>, on the connection it will run on.</summary>
    internal static (string Sql, ColumnValue[] Parameters) Resolve(
        in QueryState<TEntity, TKey> state, SqliteConnection connection, bool paged, string select = "SELECT key, _blob", bool countPaged = false)
    {
        state.Repository.Owner.CheckCatalogForQuery(connection);
        if (!state.HasAfter)
        {
            return state.Build(select, paged, [], default, countPaged);
        }

        IndexDefinition index = state.Index;
        string[] columns = index.Columns[state.Prefix.Length..];
        if (state.AfterEntity is { } last)
        {
            // Keyset paging after an entity: its own values of the ordering columns, as the caller saw them, so
            // the next page follows on whether the row was deleted or changed since.
            EntityDefinition<TEntity, TKey> definition = state.Repository.Definition;
            var all = new ColumnValue[definition.Columns.Count];
            definition.GetIndexColumns(last, all);
            var seen = new ColumnValue[columns.Length];
            for (int i = 0; i < columns.Length; i++)
            {
                seen[i] = all[ColumnOrdinal(definition, columns[i])];
            }

            return state.Build(select, paged, seen, definition.GetKeyColumn(definition.GetKey(last)), countPaged);
        }

        // Keyset paging after a key: read the stored row's values of the ordering columns.
        if (!state.Repository.AfterKeySql.TryGetValue((index, state.Prefix.Length), out string? lookup))
        {
            lookup = columns.Length == 0
                ? $"SELECT key FROM {state.Repository.Sql.Table} WHERE key=?1"
                : $"SELECT {string.Join(", ", columns.Select(SqlText.Quote))} FROM {state.Repository.Sql.Table} WHERE key=?1";
            state.Repository.AfterKeySql.TryAdd((index, state.Prefix.Length), lookup);
        }

        ColumnValue key = state.Repository.Definition.GetKeyColumn(state.After!);
        var values = new ColumnValue[columns.Length];
        SqliteStatement statement = connection.Prepare(lookup);
        try
        {
            key.Bind(statement, 1);
            if (!statement.Step())
            {
                throw new InvalidOperationException(
                    $"After({KeyText.Of(state.After)}) names no stored {state.Repository.EntityName}; it may have been deleted since it was read. Page with After(entity), passing the last entity of the previous page: it continues from that entity's own index values, stored or not.");
            }

            for (int i = 0; i < columns.Length; i++)
            {
                values[i] = ColumnValue.Read(statement, i);
            }
        }
        finally
        {
            statement.Reset();
        }

        return state.Build(select, paged, values, key, countPaged);
    }

    private static int ColumnOrdinal(EntityDefinition definition, string column)
    {
        for (int i = 0; i < definition.Columns.Count; i++)
        {
            if (definition.Columns[i].Name == column)
            {
                return i;
            }
        }

        throw new InvalidOperationException($"The index column {column} is not one of {definition.Name}'s columns.");
    }

    internal static void Bind(SqliteStatement statement, ColumnValue[] parameters)
    {
        for (int i = 0; i < parameters.Length; i++)
        {
            parameters[i].Bind(statement, i + 1);
        }
    }
}
