using Repos.Internal;
using Repos.Querying;
using Repos.Storage.Sqlite;

namespace Repos.Transfer;

/// <summary>
/// The rows of one entity an export takes: those a typed index query selects (a date range for a doctor is
/// <c>ExportRange.From(db.DailyEntries.ByUserIdAndDate("u1").Between(from, to))</c>), in the query's order, with its
/// <c>Take</c> and <c>Skip</c>.
/// </summary>
public sealed class ExportRange
{
    private ExportRange(string entityName, object owner, Func<SqliteConnection, (string Sql, ColumnValue[] Parameters)> resolve)
    {
        EntityName = entityName;
        Owner = owner;
        Resolve = resolve;
    }

    /// <summary>The entity whose rows the range selects.</summary>
    public string EntityName { get; }

    /// <summary>The database (or <see cref="ReposFile"/>) whose rows the range selects.</summary>
    internal object Owner { get; }

    /// <summary>A range of <paramref name="owner"/>'s rows, selected by <paramref name="resolve"/>.</summary>
    internal static ExportRange Of(string entityName, object owner, Func<SqliteConnection, (string Sql, ColumnValue[] Parameters)> resolve) =>
        new(entityName, owner, resolve);

    /// <summary>The range's <c>SELECT key, _blob</c> and its parameters, on the connection the export reads with.</summary>
    internal Func<SqliteConnection, (string Sql, ColumnValue[] Parameters)> Resolve { get; }

    /// <summary>The rows <paramref name="query"/> selects.</summary>
    public static ExportRange From<TEntity, TKey>(IndexQuery<TEntity, TKey> query)
        where TEntity : class
        where TKey : notnull =>
        From(query.State);

    /// <summary>The rows <paramref name="query"/> selects.</summary>
    public static ExportRange From<TEntity, TKey, TRange>(IndexQuery<TEntity, TKey, TRange> query)
        where TEntity : class
        where TKey : notnull =>
        From(query.State);

    private static ExportRange From<TEntity, TKey>(QueryState<TEntity, TKey> state)
        where TEntity : class
        where TKey : notnull
    {
        if (state.Repository is null)
        {
            throw new ArgumentException("The query is not one a repository made.", nameof(state));
        }

        return new ExportRange(state.Repository.EntityName, state.Repository.Owner, connection => QueryRunner<TEntity, TKey>.Resolve(state, connection, paged: true));
    }
}
