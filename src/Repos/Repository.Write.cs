using Repos.Storage;

namespace Repos;

public abstract partial class Repository<TEntity, TKey>
{
    /// <summary>Inserts a new entity.</summary>
    /// <param name="entity">The entity; its key must not exist yet.</param>
    /// <param name="cancellationToken">Cancels waiting for other writers.</param>
    /// <exception cref="EntityValidationException">The entity breaks a validation rule; nothing was written.</exception>
    /// <exception cref="DuplicateKeyException">An entity with the same key exists; nothing was written.</exception>
    /// <exception cref="UniqueIndexViolationException">Another entity has the same values in a unique index; nothing was written.</exception>
    public ValueTask InsertAsync(TEntity entity, CancellationToken cancellationToken = default) =>
        WriteOneAsync(WriteKind.Insert, entity, cancellationToken);

    /// <summary>Inserts the entity, or replaces the stored one with the same key.</summary>
    /// <param name="entity">The entity.</param>
    /// <param name="cancellationToken">Cancels waiting for other writers.</param>
    /// <exception cref="EntityValidationException">The entity breaks a validation rule; nothing was written.</exception>
    /// <exception cref="UniqueIndexViolationException">Another entity has the same values in a unique index; nothing was written.</exception>
    public ValueTask UpsertAsync(TEntity entity, CancellationToken cancellationToken = default) =>
        WriteOneAsync(WriteKind.Upsert, entity, cancellationToken);

    /// <summary>Replaces the stored entity with the same key.</summary>
    /// <param name="entity">The entity; an entity with its key must exist.</param>
    /// <param name="cancellationToken">Cancels waiting for other writers.</param>
    /// <exception cref="EntityValidationException">The entity breaks a validation rule; nothing was written.</exception>
    /// <exception cref="EntityNotFoundException">No entity has the key; nothing was written.</exception>
    /// <exception cref="UniqueIndexViolationException">Another entity has the same values in a unique index; nothing was written.</exception>
    public ValueTask UpdateAsync(TEntity entity, CancellationToken cancellationToken = default) =>
        WriteOneAsync(WriteKind.Update, entity, cancellationToken);

    /// <summary>Deletes the entity with the key, if there is one.</summary>
    /// <param name="key">The key.</param>
    /// <param name="cancellationToken">Cancels waiting for other writers.</param>
    /// <returns>Whether an entity was deleted.</returns>
    public async ValueTask<bool> DeleteAsync(TKey key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        using WriteScope scope = await _database.BeginWriteAsync(atomic: false, cancellationToken).ConfigureAwait(false);
        Apply(scope.Connection, WriteKind.Delete, key, null);
        bool deleted = scope.Connection.Changes > 0;
        scope.Complete();
        return deleted;
    }

    /// <summary>Inserts entities, all or none, in one transaction.</summary>
    /// <param name="entities">The entities; none of their keys may exist yet.</param>
    /// <param name="cancellationToken">Cancels the write; then nothing is written.</param>
    /// <returns>The number of entities inserted.</returns>
    /// <exception cref="EntityValidationException">An entity breaks a validation rule; nothing was written.</exception>
    /// <exception cref="DuplicateKeyException">A key exists already or appears twice; nothing was written.</exception>
    /// <exception cref="UniqueIndexViolationException">Two entities would share unique index values; nothing was written.</exception>
    public ValueTask<int> InsertManyAsync(IEnumerable<TEntity> entities, CancellationToken cancellationToken = default) =>
        WriteManyAsync(WriteKind.Insert, entities, cancellationToken);

    /// <summary>Inserts or replaces entities, all or none, in one transaction.</summary>
    /// <param name="entities">The entities.</param>
    /// <param name="cancellationToken">Cancels the write; then nothing is written.</param>
    /// <returns>The number of entities written.</returns>
    /// <exception cref="EntityValidationException">An entity breaks a validation rule; nothing was written.</exception>
    /// <exception cref="UniqueIndexViolationException">Two entities would share unique index values; nothing was written.</exception>
    public ValueTask<int> UpsertManyAsync(IEnumerable<TEntity> entities, CancellationToken cancellationToken = default) =>
        WriteManyAsync(WriteKind.Upsert, entities, cancellationToken);

    /// <summary>Deletes the entities with the keys, all in one transaction.</summary>
    /// <param name="keys">The keys; keys no entity has are ignored.</param>
    /// <param name="cancellationToken">Cancels the write; then nothing is deleted.</param>
    /// <returns>The number of entities deleted.</returns>
    public async ValueTask<int> DeleteManyAsync(IEnumerable<TKey> keys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        using WriteScope scope = await _database.BeginWriteAsync(atomic: true, cancellationToken).ConfigureAwait(false);
        int deleted = 0;
        foreach (TKey key in keys)
        {
            cancellationToken.ThrowIfCancellationRequested();
            ArgumentNullException.ThrowIfNull(key, nameof(keys));
            Apply(scope.Connection, WriteKind.Delete, key, null);
            deleted += scope.Connection.Changes;
        }

        scope.Complete();
        return deleted;
    }

    private async ValueTask WriteOneAsync(WriteKind kind, TEntity entity, CancellationToken cancellationToken)
    {
        Validate(entity);
        using WriteScope scope = await _database.BeginWriteAsync(atomic: false, cancellationToken).ConfigureAwait(false);
        Apply(scope.Connection, kind, _definition.GetKey(entity), entity);
        scope.Complete();
    }

    private async ValueTask<int> WriteManyAsync(WriteKind kind, IEnumerable<TEntity> entities, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entities);
        using WriteScope scope = await _database.BeginWriteAsync(atomic: true, cancellationToken).ConfigureAwait(false);
        int written = 0;
        foreach (TEntity entity in entities)
        {
            if ((written & 255) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            Validate(entity);
            Apply(scope.Connection, kind, _definition.GetKey(entity), entity);
            written++;
        }

        scope.Complete();
        return written;
    }
}
