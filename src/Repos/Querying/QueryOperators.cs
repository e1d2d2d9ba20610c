namespace Repos.Querying;

/// <summary>The builder steps both index query types share.</summary>
internal static class QueryOperators
{
    public static QueryState<TEntity, TKey> Skip<TEntity, TKey>(in QueryState<TEntity, TKey> state, int count)
        where TEntity : class
        where TKey : notnull
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        int take = state.Take == int.MaxValue ? int.MaxValue : Math.Max(0, state.Take - count);
        return state with { Skip = (int)Math.Min((long)state.Skip + count, int.MaxValue), Take = take };
    }

    public static QueryState<TEntity, TKey> Take<TEntity, TKey>(in QueryState<TEntity, TKey> state, int count)
        where TEntity : class
        where TKey : notnull
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        return state with { Take = Math.Min(state.Take, count) };
    }

    public static QueryState<TEntity, TKey> After<TEntity, TKey>(in QueryState<TEntity, TKey> state, TKey lastKey)
        where TEntity : class
        where TKey : notnull
    {
        ArgumentNullException.ThrowIfNull(lastKey);
        return state with { HasAfter = true, After = lastKey, AfterEntity = null };
    }

    public static QueryState<TEntity, TKey> After<TEntity, TKey>(in QueryState<TEntity, TKey> state, TEntity last)
        where TEntity : class
        where TKey : notnull
    {
        ArgumentNullException.ThrowIfNull(last);
        return state with { HasAfter = true, After = state.Repository.Definition.GetKey(last), AfterEntity = last };
    }

    public static ValueTask<TEntity?> First<TEntity, TKey>(in QueryState<TEntity, TKey> state, CancellationToken cancellationToken)
        where TEntity : class
        where TKey : notnull
    {
        List<TEntity> first = QueryRunner<TEntity, TKey>.ToList(Take(state, 1), null, 0, 1, cancellationToken, single: true);
        return new(first.Count > 0 ? first[0] : null);
    }
}
