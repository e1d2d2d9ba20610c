using Repos.Internal;

namespace Repos.Querying;

/// <summary>
/// A query that reads entities through one index, with equality on a prefix of its columns and, optionally,
/// a range on the next column (of type <typeparamref name="TRange"/>). Results come in index order.
/// Every method returns a new query; nothing runs until a <c>...Async</c> method or <c>await foreach</c>.
/// </summary>
/// <typeparam name="TEntity">The entity type.</typeparam>
/// <typeparam name="TKey">The entity's key type.</typeparam>
/// <typeparam name="TRange">The type of the index column a range applies to.</typeparam>
public readonly struct IndexQuery<TEntity, TKey, TRange> : IAsyncEnumerable<TEntity>
    where TEntity : class
    where TKey : notnull
{
    private readonly QueryState<TEntity, TKey> _state;
    private readonly Func<TRange, ColumnValue> _encode;

    internal IndexQuery(QueryState<TEntity, TKey> state, Func<TRange, ColumnValue> encode)
    {
        _state = state;
        _encode = encode;
    }

    internal QueryState<TEntity, TKey> State => _state;

    /// <summary>Keeps the results whose range column is between <paramref name="from"/> and <paramref name="to"/>, both included.</summary>
    public IndexQuery<TEntity, TKey, TRange> Between(TRange from, TRange to) =>
        With(_state with { Lower = Bound.Including(_encode(from)), Upper = Bound.Including(_encode(to)) });

    /// <summary>Keeps the results whose range column is greater than <paramref name="value"/>.</summary>
    public IndexQuery<TEntity, TKey, TRange> GreaterThan(TRange value) => With(_state with { Lower = Bound.Excluding(_encode(value)) });

    /// <summary>Keeps the results whose range column is greater than or equal to <paramref name="value"/>.</summary>
    public IndexQuery<TEntity, TKey, TRange> GreaterThanOrEqual(TRange value) => With(_state with { Lower = Bound.Including(_encode(value)) });

    /// <summary>Keeps the results whose range column is less than <paramref name="value"/>.</summary>
    public IndexQuery<TEntity, TKey, TRange> LessThan(TRange value) => With(_state with { Upper = Bound.Excluding(_encode(value)) });

    /// <summary>Keeps the results whose range column is less than or equal to <paramref name="value"/>.</summary>
    public IndexQuery<TEntity, TKey, TRange> LessThanOrEqual(TRange value) => With(_state with { Upper = Bound.Including(_encode(value)) });

    /// <summary>Returns the results in descending order.</summary>
    public IndexQuery<TEntity, TKey, TRange> Descending() => With(_state with { Descending = true });

    /// <summary>Skips the first <paramref name="count"/> results.</summary>
    public IndexQuery<TEntity, TKey, TRange> Skip(int count) => With(QueryOperators.Skip(_state, count));

    /// <summary>Returns at most <paramref name="count"/> results.</summary>
    public IndexQuery<TEntity, TKey, TRange> Take(int count) => With(QueryOperators.Take(_state, count));

    /// <summary>Continues after the entity with key <paramref name="lastKey"/> (keyset paging: pass the last key of the previous page).</summary>
    public IndexQuery<TEntity, TKey, TRange> After(TKey lastKey) => With(QueryOperators.After(_state, lastKey));

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

    private IndexQuery<TEntity, TKey, TRange> With(QueryState<TEntity, TKey> state) => new(state, _encode);
}
