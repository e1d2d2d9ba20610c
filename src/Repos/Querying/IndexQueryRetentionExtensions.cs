namespace Repos.Querying;

/// <summary>
/// Retention by date: delete, or move to an archive file, the entities an index query finds whose date (the
/// column a range applies to) is before a cutoff.
/// </summary>
/// <example>
/// <code>
/// // Keep a year of entries; move older ones into a yearly archive file that opens with the same database type.
/// DateTime cutoff = DateTime.UtcNow.AddYears(-1);
/// int moved = await db.DailyEntries.ByCompletedAt().ArchiveOlderThanAsync(cutoff, archivePath);
/// int deleted = await db.AuditEvents.ByUserIdAndAt(userId).DeleteOlderThanAsync(cutoff);
/// </code>
/// </example>
public static class IndexQueryRetentionExtensions
{
    /// <summary>
    /// Deletes the entities the query finds whose DateTime column is strictly before <paramref name="cutoff"/>, in one
    /// transaction; see <see cref="IndexQuery{TEntity, TKey, TRange}.DeleteAsync"/>.
    /// </summary>
    /// <typeparam name="TEntity">The entity type.</typeparam>
    /// <typeparam name="TKey">The entity's key type.</typeparam>
    /// <param name="query">A query whose range column is a date and time; a local time is compared as UTC, as it is stored.</param>
    /// <param name="cutoff">The oldest value kept: entities at it or after it stay.</param>
    /// <param name="cancellationToken">Cancels the delete; then nothing is deleted.</param>
    /// <returns>The number of entities deleted.</returns>
    public static ValueTask<int> DeleteOlderThanAsync<TEntity, TKey>(
        this IndexQuery<TEntity, TKey, DateTime> query, DateTime cutoff, CancellationToken cancellationToken = default)
        where TEntity : class
        where TKey : notnull =>
        query.LessThan(cutoff).DeleteAsync(cancellationToken);

    /// <summary>
    /// Moves the entities the query finds whose DateTime column is strictly before <paramref name="cutoff"/> into the
    /// Repos file at <paramref name="archivePath"/>; see <see cref="IndexQuery{TEntity, TKey, TRange}.ArchiveAsync"/>.
    /// </summary>
    /// <typeparam name="TEntity">The entity type.</typeparam>
    /// <typeparam name="TKey">The entity's key type.</typeparam>
    /// <param name="query">A query whose range column is a date and time; a local time is compared as UTC, as it is stored.</param>
    /// <param name="cutoff">The oldest value kept: entities at it or after it stay.</param>
    /// <param name="archivePath">The archive file, created if missing.</param>
    /// <param name="cancellationToken">Cancels the archive before rows are deleted; then nothing is deleted.</param>
    /// <returns>The number of entities moved.</returns>
    public static ValueTask<int> ArchiveOlderThanAsync<TEntity, TKey>(
        this IndexQuery<TEntity, TKey, DateTime> query, DateTime cutoff, string archivePath, CancellationToken cancellationToken = default)
        where TEntity : class
        where TKey : notnull =>
        query.LessThan(cutoff).ArchiveAsync(archivePath, cancellationToken);

    /// <summary>
    /// Deletes the entities the query finds whose DateTime column is strictly before <paramref name="cutoff"/>, in one
    /// transaction; see <see cref="IndexQuery{TEntity, TKey, TRange}.DeleteAsync"/>. Entities with no date (null) are kept.
    /// </summary>
    /// <typeparam name="TEntity">The entity type.</typeparam>
    /// <typeparam name="TKey">The entity's key type.</typeparam>
    /// <param name="query">A query whose range column is a date and time; a local time is compared as UTC, as it is stored.</param>
    /// <param name="cutoff">The oldest value kept: entities at it or after it stay.</param>
    /// <param name="cancellationToken">Cancels the delete; then nothing is deleted.</param>
    /// <returns>The number of entities deleted.</returns>
    public static ValueTask<int> DeleteOlderThanAsync<TEntity, TKey>(
        this IndexQuery<TEntity, TKey, DateTime?> query, DateTime cutoff, CancellationToken cancellationToken = default)
        where TEntity : class
        where TKey : notnull =>
        query.LessThan(cutoff).DeleteAsync(cancellationToken);

    /// <summary>
    /// Moves the entities the query finds whose DateTime column is strictly before <paramref name="cutoff"/> into the
    /// Repos file at <paramref name="archivePath"/>; see <see cref="IndexQuery{TEntity, TKey, TRange}.ArchiveAsync"/>. Entities with no date (null) are kept.
    /// </summary>
    /// <typeparam name="TEntity">The entity type.</typeparam>
    /// <typeparam name="TKey">The entity's key type.</typeparam>
    /// <param name="query">A query whose range column is a date and time; a local time is compared as UTC, as it is stored.</param>
    /// <param name="cutoff">The oldest value kept: entities at it or after it stay.</param>
    /// <param name="archivePath">The archive file, created if missing.</param>
    /// <param name="cancellationToken">Cancels the archive before rows are deleted; then nothing is deleted.</param>
    /// <returns>The number of entities moved.</returns>
    public static ValueTask<int> ArchiveOlderThanAsync<TEntity, TKey>(
        this IndexQuery<TEntity, TKey, DateTime?> query, DateTime cutoff, string archivePath, CancellationToken cancellationToken = default)
        where TEntity : class
        where TKey : notnull =>
        query.LessThan(cutoff).ArchiveAsync(archivePath, cancellationToken);

    /// <summary>
    /// Deletes the entities the query finds whose DateTimeOffset column is strictly before <paramref name="cutoff"/>, in one
    /// transaction; see <see cref="IndexQuery{TEntity, TKey, TRange}.DeleteAsync"/>.
    /// </summary>
    /// <typeparam name="TEntity">The entity type.</typeparam>
    /// <typeparam name="TKey">The entity's key type.</typeparam>
    /// <param name="query">A query whose range column is an instant: values compare by the instant they denote, whatever their offset.</param>
    /// <param name="cutoff">The oldest value kept: entities at it or after it stay.</param>
    /// <param name="cancellationToken">Cancels the delete; then nothing is deleted.</param>
    /// <returns>The number of entities deleted.</returns>
    public static ValueTask<int> DeleteOlderThanAsync<TEntity, TKey>(
        this IndexQuery<TEntity, TKey, DateTimeOffset> query, DateTimeOffset cutoff, CancellationToken cancellationToken = default)
        where TEntity : class
        where TKey : notnull =>
        query.LessThan(cutoff).DeleteAsync(cancellationToken);

    /// <summary>
    /// Moves the entities the query finds whose DateTimeOffset column is strictly before <paramref name="cutoff"/> into the
    /// Repos file at <paramref name="archivePath"/>; see <see cref="IndexQuery{TEntity, TKey, TRange}.ArchiveAsync"/>.
    /// </summary>
    /// <typeparam name="TEntity">The entity type.</typeparam>
    /// <typeparam name="TKey">The entity's key type.</typeparam>
    /// <param name="query">A query whose range column is an instant: values compare by the instant they denote, whatever their offset.</param>
    /// <param name="cutoff">The oldest value kept: entities at it or after it stay.</param>
    /// <param name="archivePath">The archive file, created if missing.</param>
    /// <param name="cancellationToken">Cancels the archive before rows are deleted; then nothing is deleted.</param>
    /// <returns>The number of entities moved.</returns>
    public static ValueTask<int> ArchiveOlderThanAsync<TEntity, TKey>(
        this IndexQuery<TEntity, TKey, DateTimeOffset> query, DateTimeOffset cutoff, string archivePath, CancellationToken cancellationToken = default)
        where TEntity : class
        where TKey : notnull =>
        query.LessThan(cutoff).ArchiveAsync(archivePath, cancellationToken);

    /// <summary>
    /// Deletes the entities the query finds whose DateTimeOffset column is strictly before <paramref name="cutoff"/>, in one
    /// transaction; see <see cref="IndexQuery{TEntity, TKey, TRange}.DeleteAsync"/>. Entities with no date (null) are kept.
    /// </summary>
    /// <typeparam name="TEntity">The entity type.</typeparam>
    /// <typeparam name="TKey">The entity's key type.</typeparam>
    /// <param name="query">A query whose range column is an instant: values compare by the instant they denote, whatever their offset.</param>
    /// <param name="cutoff">The oldest value kept: entities at it or after it stay.</param>
    /// <param name="cancellationToken">Cancels the delete; then nothing is deleted.</param>
    /// <returns>The number of entities deleted.</returns>
    public static ValueTask<int> DeleteOlderThanAsync<TEntity, TKey>(
        this IndexQuery<TEntity, TKey, DateTimeOffset?> query, DateTimeOffset cutoff, CancellationToken cancellationToken = default)
        where TEntity : class
        where TKey : notnull =>
        query.LessThan(cutoff).DeleteAsync(cancellationToken);

    /// <summary>
    /// Moves the entities the query finds whose DateTimeOffset column is strictly before <paramref name="cutoff"/> into the
    /// Repos file at <paramref name="archivePath"/>; see <see cref="IndexQuery{TEntity, TKey, TRange}.ArchiveAsync"/>. Entities with no date (null) are kept.
    /// </summary>
    /// <typeparam name="TEntity">The entity type.</typeparam>
    /// <typeparam name="TKey">The entity's key type.</typeparam>
    /// <param name="query">A query whose range column is an instant: values compare by the instant they denote, whatever their offset.</param>
    /// <param name="cutoff">The oldest value kept: entities at it or after it stay.</param>
    /// <param name="archivePath">The archive file, created if missing.</param>
    /// <param name="cancellationToken">Cancels the archive before rows are deleted; then nothing is deleted.</param>
    /// <returns>The number of entities moved.</returns>
    public static ValueTask<int> ArchiveOlderThanAsync<TEntity, TKey>(
        this IndexQuery<TEntity, TKey, DateTimeOffset?> query, DateTimeOffset cutoff, string archivePath, CancellationToken cancellationToken = default)
        where TEntity : class
        where TKey : notnull =>
        query.LessThan(cutoff).ArchiveAsync(archivePath, cancellationToken);

    /// <summary>
    /// Deletes the entities the query finds whose DateOnly column is strictly before <paramref name="cutoff"/>, in one
    /// transaction; see <see cref="IndexQuery{TEntity, TKey, TRange}.DeleteAsync"/>.
    /// </summary>
    /// <typeparam name="TEntity">The entity type.</typeparam>
    /// <typeparam name="TKey">The entity's key type.</typeparam>
    /// <param name="query">A query whose range column is a date.</param>
    /// <param name="cutoff">The oldest value kept: entities at it or after it stay.</param>
    /// <param name="cancellationToken">Cancels the delete; then nothing is deleted.</param>
    /// <returns>The number of entities deleted.</returns>
    public static ValueTask<int> DeleteOlderThanAsync<TEntity, TKey>(
        this IndexQuery<TEntity, TKey, DateOnly> query, DateOnly cutoff, CancellationToken cancellationToken = default)
        where TEntity : class
        where TKey : notnull =>
        query.LessThan(cutoff).DeleteAsync(cancellationToken);

    /// <summary>
    /// Moves the entities the query finds whose DateOnly column is strictly before <paramref name="cutoff"/> into the
    /// Repos file at <paramref name="archivePath"/>; see <see cref="IndexQuery{TEntity, TKey, TRange}.ArchiveAsync"/>.
    /// </summary>
    /// <typeparam name="TEntity">The entity type.</typeparam>
    /// <typeparam name="TKey">The entity's key type.</typeparam>
    /// <param name="query">A query whose range column is a date.</param>
    /// <param name="cutoff">The oldest value kept: entities at it or after it stay.</param>
    /// <param name="archivePath">The archive file, created if missing.</param>
    /// <param name="cancellationToken">Cancels the archive before rows are deleted; then nothing is deleted.</param>
    /// <returns>The number of entities moved.</returns>
    public static ValueTask<int> ArchiveOlderThanAsync<TEntity, TKey>(
        this IndexQuery<TEntity, TKey, DateOnly> query, DateOnly cutoff, string archivePath, CancellationToken cancellationToken = default)
        where TEntity : class
        where TKey : notnull =>
        query.LessThan(cutoff).ArchiveAsync(archivePath, cancellationToken);

    /// <summary>
    /// Deletes the entities the query finds whose DateOnly column is strictly before <paramref name="cutoff"/>, in one
    /// transaction; see <see cref="IndexQuery{TEntity, TKey, TRange}.DeleteAsync"/>. Entities with no date (null) are kept.
    /// </summary>
    /// <typeparam name="TEntity">The entity type.</typeparam>
    /// <typeparam name="TKey">The entity's key type.</typeparam>
    /// <param name="query">A query whose range column is a date.</param>
    /// <param name="cutoff">The oldest value kept: entities at it or after it stay.</param>
    /// <param name="cancellationToken">Cancels the delete; then nothing is deleted.</param>
    /// <returns>The number of entities deleted.</returns>
    public static ValueTask<int> DeleteOlderThanAsync<TEntity, TKey>(
        this IndexQuery<TEntity, TKey, DateOnly?> query, DateOnly cutoff, CancellationToken cancellationToken = default)
        where TEntity : class
        where TKey : notnull =>
        query.LessThan(cutoff).DeleteAsync(cancellationToken);

    /// <summary>
    /// Moves the entities the query finds whose DateOnly column is strictly before <paramref name="cutoff"/> into the
    /// Repos file at <paramref name="archivePath"/>; see <see cref="IndexQuery{TEntity, TKey, TRange}.ArchiveAsync"/>. Entities with no date (null) are kept.
    /// </summary>
    /// <typeparam name="TEntity">The entity type.</typeparam>
    /// <typeparam name="TKey">The entity's key type.</typeparam>
    /// <param name="query">A query whose range column is a date.</param>
    /// <param name="cutoff">The oldest value kept: entities at it or after it stay.</param>
    /// <param name="archivePath">The archive file, created if missing.</param>
    /// <param name="cancellationToken">Cancels the archive before rows are deleted; then nothing is deleted.</param>
    /// <returns>The number of entities moved.</returns>
    public static ValueTask<int> ArchiveOlderThanAsync<TEntity, TKey>(
        this IndexQuery<TEntity, TKey, DateOnly?> query, DateOnly cutoff, string archivePath, CancellationToken cancellationToken = default)
        where TEntity : class
        where TKey : notnull =>
        query.LessThan(cutoff).ArchiveAsync(archivePath, cancellationToken);
}
