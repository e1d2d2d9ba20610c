using Repos.Internal;

namespace Repos.Querying;

/// <summary>
/// A query that reads entities through one index, with equality on all of its columns. Results come in
/// key order. Every method returns a new query; nothing runs until a <c>...Async</c> method or
/// <c>await foreach</c>.
/// </summary>
/// <typeparam name="TEntity">The entity type.</typeparam>
/// <typeparam name="TKey">The entity's key type.</typeparam>
public readonly struct IndexQuery<TEntity, TKey> : IAsyncEnumerable<TEntity>
    where TEntity : class
    where TKey : notnull
{
    private readonly QueryState<TEntity, TKey> _state;

    internal IndexQuery(QueryState<TEntity, TKey> state)
    {
        _state = state;
    }

    /// <summary>Returns the results in descending order.</summary>
    public IndexQuery<TEntity, TKey> Descending() => new(_state with { Descending = true });

    /// <summary>Skips the first <paramref name="count"/> results.</summary>
    public IndexQuery<TEntity, TKey> Skip(int count) => new(QueryOperators.Skip(_state, count));

    /// <summary>Returns at most <paramref name="count"/> results.</summary>
    public IndexQuery<TEntity, TKey> Take(int count) => new(QueryOperators.Take(_state, count));

    /// <summary>Continues after the entity with key <paramref name="lastKey"/> (keyset paging: pass the last key of the previous page).</summary>
    public IndexQuery<TEntity, TKey> After(TKey lastKey) => new(QueryOperators.After(_state, lastKey));

    /// <summary>
    /// Adds a condition the index cannot answer: each row the index finds is decoded, then tested in memory.
    /// The returned query shows that difference in its type.
    /// </summary>
    /// <param name="predicate">The condition on the decoded entity.</param>
    public FilteredQuery<TEntity, TKey> FilterInMemory(Func<TEntity, bool> predicate) => new(_state, predicate);

    /// <summary>Reads every result into a list.</summary>
    public ValueTask<List<TEntity>> ToListAsync(CancellationToken cancellationToken = default) =>
        new(QueryRunner<TEntity, TKey>.ToList(_state, null, 0, int.MaxValue, cancellationToken));

    /// <summary>Reads the first result, or null when there is none.</summary>
    public ValueTask<TEntity?> FirstOrDefaultAsync(CancellationToken cancellationToken = default) =>
        QueryOperators.First(_state, cancellationToken);

    /// <summary>Counts the results using the index alone, without decoding any row.</summary>
    public ValueTask<long> CountAsync(CancellationToken cancellationToken = default) =>
        new(QueryRunner<TEntity, TKey>.Count(_state, cancellationToken));

    /// <summary>Streams the results, decoding one row at a time.</summary>
    public IAsyncEnumerator<TEntity> GetAsyncEnumerator(CancellationToken cancellationToken = default) =>
        QueryRunner<TEntity, TKey>.Stream(_state, null, 0, int.MaxValue).GetAsyncEnumerator(cancellationToken);
}
