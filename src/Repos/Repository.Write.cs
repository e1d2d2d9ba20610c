using Repos.Storage;

namespace Repos;

public abstract partial class Repository<TEntity, TKey>
{
    /// <summary>Inserts a new entity.</summary>
    /// <param name="entity">The entity; its key must not exist yet.</param>
    /// <param name="cancellationToken">Cancels waiting for other writers.</param>
    /// <returns>
    /// The entity as stored. For an entity with a row version (a <c>[ConcurrencyCheck]</c> property) that is at
    /// version 1, whatever version it had; see <see cref="UpdateAsync"/>. For any other, the entity itself.
    /// </returns>
    /// <exception cref="EntityValidationException">The entity breaks a validation rule; nothing was written.</exception>
    /// <exception cref="UnsupportedDerivedTypeException">
    /// The entity, or an object stored inside it, is of a type derived from the declared one; nothing was written.
    /// </exception>
    /// <exception cref="DuplicateKeyException">An entity with the same key exists; nothing was written.</exception>
    /// <exception cref="UniqueIndexViolationException">Another entity has the same values in a unique index; nothing was written.</exception>
    public ValueTask<TEntity> InsertAsync(TEntity entity, CancellationToken cancellationToken = default) =>
        WriteOneAsync(WriteKind.Insert, entity, cancellationToken);

    /// <summary>Inserts the entity, or replaces the stored one with the same key.</summary>
    /// <param name="entity">The entity.</param>
    /// <param name="cancellationToken">Cancels waiting for other writers.</param>
    /// <returns>
    /// The entity as stored. For an entity with a row version: at version 1 when it was inserted, at the next
    /// version when it replaced the stored one (see <see cref="UpdateAsync"/>). For any other, the entity itself.
    /// </returns>
    /// <exception cref="EntityValidationException">The entity breaks a validation rule; nothing was written.</exception>
    /// <exception cref="UnsupportedDerivedTypeException">
    /// The entity, or an object stored inside it, is of a type derived from the declared one; nothing was written.
    /// </exception>
    /// <exception cref="UniqueIndexViolationException">Another entity has the same values in a unique index; nothing was written.</exception>
    /// <exception cref="ConcurrencyConflictException">
    /// The entity has a row version and the stored one is at another version; nothing was written.
    /// </exception>
    public ValueTask<TEntity> UpsertAsync(TEntity entity, CancellationToken cancellationToken = default) =>
        WriteOneAsync(WriteKind.Upsert, entity, cancellationToken);

    /// <summary>Replaces the stored entity with the same key.</summary>
    /// <param name="entity">The entity; an entity with its key must exist.</param>
    /// <param name="cancellationToken">Cancels waiting for other writers.</param>
    /// <returns>
    /// The entity as stored. For an entity with a row version (a <c>[ConcurrencyCheck]</c> property) that is a
    /// copy at the next version (for a class that is not a record, the same object with the property set): use
    /// it for the next write. For any other, the entity itself.
    /// </returns>
    /// <remarks>
    /// For an entity with a row version the update succeeds only if the entity's version equals the stored
    /// row's: the row is then stored at that version + 1. Otherwise someone else changed the row since the
    /// entity was read, and the update throws <see cref="ConcurrencyConflictException"/>.
    /// </remarks>
    /// <exception cref="EntityValidationException">The entity breaks a validation rule; nothing was written.</exception>
    /// <exception cref="UnsupportedDerivedTypeException">
    /// The entity, or an object stored inside it, is of a type derived from the declared one; nothing was written.
    /// </exception>
    /// <exception cref="EntityNotFoundException">No entity has the key; nothing was written.</exception>
    /// <exception cref="UniqueIndexViolationException">Another entity has the same values in a unique index; nothing was written.</exception>
    /// <exception cref="ConcurrencyConflictException">
    /// The entity has a row version and the stored one is at another version; nothing was written.
    /// </exception>
    public ValueTask<TEntity> UpdateAsync(TEntity entity, CancellationToken cancellationToken = default) =>
        WriteOneAsync(WriteKind.Update, entity, cancellationToken);

    /// <summary>Deletes the entity with the key, if there is one.</summary>
    /// <param name="key">The key.</param>
    /// <param name="cancellationToken">Cancels waiting for other writers.</param>
    /// <returns>Whether an entity was deleted.</returns>
    public async ValueTask<bool> DeleteAsync(TKey key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        using WriteScope scope = await _database.BeginWriteAsync(atomic: false, cancellationToken).ConfigureAwait(false);
        scope.Resume();
        Apply(scope.Connection, WriteKind.Delete, key, null);
        bool deleted = scope.Connection.Changes > 0;
        scope.Complete();
        return deleted;
    }

    /// <summary>
    /// Deletes the stored entity with the entity's key, if there is one. For an entity with a row version
    /// (a <c>[ConcurrencyCheck]</c> property) only if the stored one is at the entity's version.
    /// </summary>
    /// <param name="entity">The entity, as read (or as the last write returned it).</param>
    /// <param name="cancellationToken">Cancels waiting for other writers.</param>
    /// <returns>Whether an entity was deleted.</returns>
    /// <exception cref="ConcurrencyConflictException">
    /// The entity has a row version and the stored one is at another version: someone changed it since it was
    /// read. Nothing was deleted.
    /// </exception>
    public async ValueTask<bool> DeleteAsync(TEntity entity, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entity);
        TKey key = _definition.GetKey(entity);
        using WriteScope scope = await _database.BeginWriteAsync(atomic: false, cancellationToken).ConfigureAwait(false);
        scope.Resume();
        Apply(scope.Connection, WriteKind.Delete, key, entity);
        bool deleted = scope.Connection.Changes > 0;
        scope.Complete();
        return deleted;
    }

    /// <summary>Inserts entities, all or none, in one transaction.</summary>
    /// <param name="entities">The entities; none of their keys may exist yet.</param>
    /// <param name="cancellationToken">Cancels the write; then nothing is written.</param>
    /// <returns>
    /// The entities as stored, in the order given, each as <see cref="InsertAsync"/> returns it: for an entity with
    /// a row version, at version 1; for one whose key Repos assigns, with the assigned key; for any other, the
    /// entity itself. <c>Count</c> is the number inserted.
    /// </returns>
    /// <exception cref="EntityValidationException">An entity breaks a validation rule; nothing was written.</exception>
    /// <exception cref="UnsupportedDerivedTypeException">
    /// An entity, or an object stored inside one, is of a type derived from the declared one; nothing was written.
    /// </exception>
    /// <exception cref="DuplicateKeyException">A key exists already or appears twice; nothing was written.</exception>
    /// <exception cref="UniqueIndexViolationException">Two entities would share unique index values; nothing was written.</exception>
    public ValueTask<IReadOnlyList<TEntity>> InsertManyAsync(IEnumerable<TEntity> entities, CancellationToken cancellationToken = default) =>
        WriteManyAsync(WriteKind.Insert, entities, cancellationToken);

    /// <summary>Inserts or replaces entities, all or none, in one transaction.</summary>
    /// <param name="entities">The entities.</param>
    /// <param name="cancellationToken">Cancels the write; then nothing is written.</param>
    /// <returns>
    /// The entities as stored, in the order given, each as <see cref="UpsertAsync"/> returns it. <c>Count</c> is
    /// the number written.
    /// </returns>
    /// <remarks>
    /// Entities with a row version are checked and stored as <see cref="UpsertAsync"/> does it, one after
    /// another: new ones at version 1, replacing ones at the stored version + 1.
    /// </remarks>
    /// <exception cref="EntityValidationException">An entity breaks a validation rule; nothing was written.</exception>
    /// <exception cref="UnsupportedDerivedTypeException">
    /// An entity, or an object stored inside one, is of a type derived from the declared one; nothing was written.
    /// </exception>
    /// <exception cref="UniqueIndexViolationException">Two entities would share unique index values; nothing was written.</exception>
    /// <exception cref="ConcurrencyConflictException">
    /// An entity has a row version and the stored one is at another version; nothing was written.
    /// </exception>
    public ValueTask<IReadOnlyList<TEntity>> UpsertManyAsync(IEnumerable<TEntity> entities, CancellationToken cancellationToken = default) =>
        WriteManyAsync(WriteKind.Upsert, entities, cancellationToken);

    /// <summary>Replaces stored entities, all or none, in one transaction.</summary>
    /// <param name="entities">The entities; an entity with each one's key must exist.</param>
    /// <param name="cancellationToken">Cancels the write; then nothing is written.</param>
    /// <returns>
    /// The entities as stored, in the order given, each as <see cref="UpdateAsync"/> returns it: for an entity with
    /// a row version, at the next version. <c>Count</c> is the number updated.
    /// </returns>
    /// <exception cref="EntityValidationException">An entity breaks a validation rule; nothing was written.</exception>
    /// <exception cref="UnsupportedDerivedTypeException">
    /// An entity, or an object stored inside one, is of a type derived from the declared one; nothing was written.
    /// </exception>
    /// <exception cref="EntityNotFoundException">No entity has one of the keys; nothing was written.</exception>
    /// <exception cref="UniqueIndexViolationException">Two entities would share unique index values; nothing was written.</exception>
    /// <exception cref="ConcurrencyConflictException">
    /// An entity has a row version and the stored one is at another version; nothing was written.
    /// </exception>
    public ValueTask<IReadOnlyList<TEntity>> UpdateManyAsync(IEnumerable<TEntity> entities, CancellationToken cancellationToken = default) =>
        WriteManyAsync(WriteKind.Update, entities, cancellationToken);

    /// <summary>Deletes the entities with the keys, all in one transaction.</summary>
    /// <param name="keys">The keys; keys no entity has are ignored.</param>
    /// <param name="cancellationToken">Cancels the write; then nothing is deleted.</param>
    /// <returns>The number of entities deleted.</returns>
    public async ValueTask<int> DeleteManyAsync(IEnumerable<TKey> keys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        using WriteScope scope = await _database.BeginWriteAsync(atomic: true, cancellationToken).ConfigureAwait(false);
        scope.Resume();
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

    /// <summary>
    /// Deletes the stored entities with the entities' keys, all in one transaction: for entities with a row version
    /// (a <c>[ConcurrencyCheck]</c> property) only if every stored one is at its entity's version, as
    /// <see cref="DeleteAsync(TEntity, CancellationToken)"/> checks one.
    /// </summary>
    /// <param name="entities">The entities, as read (or as the last write returned them); keys no entity has are ignored.</param>
    /// <param name="cancellationToken">Cancels the write; then nothing is deleted.</param>
    /// <returns>The number of entities deleted.</returns>
    /// <exception cref="ConcurrencyConflictException">
    /// An entity has a row version and the stored one is at another version; nothing was deleted.
    /// </exception>
    public async ValueTask<int> DeleteManyAsync(IEnumerable<TEntity> entities, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entities);
        using WriteScope scope = await _database.BeginWriteAsync(atomic: true, cancellationToken).ConfigureAwait(false);
        scope.Resume();
        int deleted = 0;
        int seen = 0;
        foreach (TEntity entity in entities)
        {
            if ((seen++ & 255) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            ArgumentNullException.ThrowIfNull(entity, nameof(entities));
            Apply(scope.Connection, WriteKind.Delete, _definition.GetKey(entity), entity);
            deleted += scope.Connection.Changes;
        }

        scope.Complete();
        return deleted;
    }

    private async ValueTask<TEntity> WriteOneAsync(WriteKind kind, TEntity entity, CancellationToken cancellationToken)
    {
        Validate(entity);
        using WriteScope scope = await _database.BeginWriteAsync(atomic: false, cancellationToken).ConfigureAwait(false);
        scope.Resume();
        long version = _definition.GetRowVersion(entity);
        TKey key = _definition.GetKey(entity);
        TEntity written = Apply(scope.Connection, kind, key, entity)!;
        try
        {
            scope.Complete();
        }
        catch (Exception)
        {
            // A class's row version or assigned key was set in place: a commit that failed gives the object its own back.
            GiveBack(entity, key, version);
            throw;
        }

        return written;
    }

    private async ValueTask<IReadOnlyList<TEntity>> WriteManyAsync(WriteKind kind, IEnumerable<TEntity> entities, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entities);
        using WriteScope scope = await _database.BeginWriteAsync(atomic: true, cancellationToken).ConfigureAwait(false);
        scope.Resume();
        var written = new List<TEntity>(entities.TryGetNonEnumeratedCount(out int count) ? count : 16);

        // Classes whose row version or key was set in place, with the version and key each had, to give back if the batch fails.
        List<(TEntity Entity, TKey Key, long Version)>? changed = null;
        try
        {
            foreach (TEntity entity in entities)
            {
                if ((written.Count & 255) == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }

                Validate(entity);
                long version = _definition.GetRowVersion(entity);
                TKey key = _definition.GetKey(entity);
                TEntity stored = Apply(scope.Connection, kind, key, entity)!;
                written.Add(stored);
                if (ReferenceEquals(stored, entity) && (_definition.GetRowVersion(entity) != version || IsUnassigned(key)))
                {
                    (changed ??= []).Add((entity, key, version));
                }
            }

            scope.Complete();
        }
        catch (Exception) when (changed is not null)
        {
            foreach ((TEntity entity, TKey key, long version) in changed)
            {
                GiveBack(entity, key, version);
            }

            throw;
        }

        return written;
    }
}
