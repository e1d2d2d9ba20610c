namespace Repos.Querying;

/// <summary>
/// An index query followed by a condition tested in memory on each decoded entity. Rows the index finds
/// are all read and decoded, so the cost follows the index range, not the number of results; keep the
/// index range narrow. <see cref="Skip"/> and <see cref="Take"/> count the entities that pass the condition.
/// </summary>
/// <typeparam name="TEntity">The entity type.</typeparam>
/// <typeparam name="TKey">The entity's key type.</typeparam>
public readonly struct FilteredQuery<TEntity, TKey> : IAsyncEnumerable<TEntity>
    where TEntity : class
    where TKey : notnull
{
    private readonly QueryState<TEntity, TKey> _state;
    private readonly Func<TEntity, bool> _predicate;
    private readonly int _skip;
    private readonly int _take;

    internal FilteredQuery(QueryState<TEntity, TKey> state, Func<TEntity, bool> predicate, int skip = 0, int take = int.MaxValue)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        _state = state;
        _predicate = predicate;
        _skip = skip;
        _take = take;
    }

    /// <summary>Adds another in-memory condition; both must hold.</summary>
    public FilteredQuery<TEntity, TKey> FilterInMemory(Func<TEntity, bool> predicate)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        Func<TEntity, bool> first = _predicate;
        return new(_state, entity => first(entity) && predicate(entity), _skip, _take);
    }

    /// <summary>Skips the first <paramref name="count"/> entities that pass the condition.</summary>
    public FilteredQuery<TEntity, TKey> Skip(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        return new(_state, _predicate, (int)Math.Min((long)_skip + count, int.MaxValue), _take == int.MaxValue ? _take : Math.Max(0, _take - count));
    }

    /// <summary>Returns at most <paramref name="count"/> entities that pass the condition.</summary>
    public FilteredQuery<TEntity, TKey> Take(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        return new(_state, _predicate, _skip, Math.Min(_take, count));
    }

    /// <summary>Reads every entity that passes the condition into a list.</summary>
    public ValueTask<List<TEntity>> ToListAsync(CancellationToken cancellationToken = default) =>
        new(QueryRunner<TEntity, TKey>.ToList(_state, _predicate, _skip, _take, cancellationToken));

    /// <summary>Reads the first entity that passes the condition, or null.</summary>
    public ValueTask<TEntity?> FirstOrDefaultAsync(CancellationToken cancellationToken = default)
    {
        List<TEntity> first = QueryRunner<TEntity, TKey>.ToList(_state, _predicate, _skip, Math.Min(_take, 1), cancellationToken, single: true);
        return new(first.Count > 0 ? first[0] : null);
    }

    /// <summary>Counts the entities that pass the condition (decoding every row the index finds).</summary>
    public ValueTask<long> CountAsync(CancellationToken cancellationToken = default) =>
        new(QueryRunner<TEntity, TKey>.ToList(_state, _predicate, _skip, _take, cancellationToken).Count);

    /// <summary>Streams the entities that pass the condition.</summary>
    public IAsyncEnumerator<TEntity> GetAsyncEnumerator(CancellationToken cancellationToken = default) =>
        QueryRunner<TEntity, TKey>.Stream(_state, _predicate, _skip, _take).GetAsyncEnumerator(cancellationToken);
}
