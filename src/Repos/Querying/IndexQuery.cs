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

    internal QueryState<TEntity, TKey> State => _state;

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

    /// <summary>
    /// Continues after <paramref name="last"/>, the last entity of the previous page (keyset paging), in this
    /// query's order: from that entity's own index values and key, so the next page follows on even when the
    /// entity was deleted or its indexed values changed since it was read. Preferred to <see cref="After(TKey)"/>.
    /// </summary>
    /// <param name="last">The last entity of the previous page, as it was read.</param>
    public IndexQuery<TEntity, TKey> After(TEntity last) => new(QueryOperators.After(_state, last));

    /// <summary>
    /// Continues after the stored entity with key <paramref name="lastKey"/> (keyset paging), from its index values
    /// as stored now. Throws <see cref="InvalidOperationException"/> when the query runs if no entity has the key
    /// any more; <see cref="After(TEntity)"/> does not need the entity to be stored.
    /// </summary>
    /// <param name="lastKey">The key of the last entity of the previous page.</param>
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

    /// <summary>
    /// Deletes every entity the query finds, in one transaction (the flow's, if one is open), and returns how many
    /// were deleted. <see cref="Skip"/>, <see cref="Take"/> and <see cref="After(TEntity)"/> limit which ones, in the query's
    /// order. Rows are deleted one by one through the repository's write path, like <c>DeleteAsync(key)</c>,
    /// reading their keys in batches, so memory stays flat; no row is decoded.
    /// </summary>
    /// <param name="cancellationToken">Cancels the delete; then nothing is deleted.</param>
    /// <returns>The number of entities deleted.</returns>
    public ValueTask<int> DeleteAsync(CancellationToken cancellationToken = default) =>
        _state.Repository.DeleteMatchingAsync(_state, cancellationToken);

    /// <summary>
    /// Moves every entity the query finds into the Repos file at <paramref name="archivePath"/>, and returns how many
    /// were moved. The archive has this database's model, so it opens with the same database type; a new one is
    /// created, an existing one receives the rows (replacing rows with the same keys).
    /// </summary>
    /// <param name="archivePath">The archive file; its folder is created if missing.</param>
    /// <param name="cancellationToken">Cancels the archive before the rows are deleted here; then nothing is deleted.</param>
    /// <returns>The number of entities moved.</returns>
    /// <remarks>
    /// <para>
    /// The rows are copied as stored (fields this model does not know, and rows not yet migrated, included), the
    /// archive is committed with its log synced to disk and read back by a new connection, and only the rows it
    /// holds byte for byte are then deleted here, through the repository's write path, in one transaction. This
    /// file's write lock is held throughout, so no row can change between copy and delete. If anything fails before
    /// that transaction commits, nothing is deleted here: the archive then has the rows as well, or not at all, and
    /// running the archive again moves them.
    /// </para>
    /// <para>
    /// It cannot run inside a transaction. The archive must not hold another row with the same values in a unique
    /// index; then it fails with <see cref="ReposStorageException"/> and nothing is deleted.
    /// </para>
    /// </remarks>
    /// <exception cref="InvalidOperationException">A transaction is open in this flow, or the database is read-only.</exception>
    /// <exception cref="ReposSchemaException">
    /// The archive is not a Repos file, is at another database version, or numbers this model's fields differently.
    /// </exception>
    public ValueTask<int> ArchiveAsync(string archivePath, CancellationToken cancellationToken = default) =>
        _state.Repository.ArchiveMatchingAsync(_state, archivePath, cancellationToken);

    /// <summary>Streams the results, decoding one row at a time.</summary>
    public IAsyncEnumerator<TEntity> GetAsyncEnumerator(CancellationToken cancellationToken = default) =>
        QueryRunner<TEntity, TKey>.Stream(_state, null, 0, int.MaxValue).GetAsyncEnumerator(cancellationToken);
}
