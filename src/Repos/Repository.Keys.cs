using System.Globalization;
using Repos.Internal;
using Repos.Storage;
using Repos.Storage.Sqlite;

namespace Repos;

public abstract partial class Repository<TEntity, TKey>
{
    /// <summary>
    /// Whether <paramref name="key"/> asks Repos to assign one: the entity's key is marked
    /// <c>[DatabaseGenerated(DatabaseGeneratedOption.Identity)]</c> and holds its default (0, <see cref="Guid.Empty"/>).
    /// </summary>
    private bool IsUnassigned(TKey key) =>
        _keyGeneration != KeyGeneration.None && EqualityComparer<TKey>.Default.Equals(key, default!);

    /// <summary>
    /// Inserts an entity whose key Repos assigns (an upsert of one too: an unassigned key names no stored row).
    /// The entity returned carries the key: a copy for a record, the object itself for a class, which gets its
    /// unassigned key back if the write fails.
    /// </summary>
    private TEntity InsertWithNewKey(SqliteConnection connection, TEntity entity)
    {
        TKey key = NewKey(connection);
        TEntity keyed = _definition.WithKey(entity, key);
        try
        {
            return ApplyCore(connection, WriteKind.Insert, key, keyed)!;
        }
        catch (Exception) when (ReferenceEquals(keyed, entity))
        {
            _definition.WithKey(entity, default!);
            throw;
        }
    }

    /// <summary>
    /// The next key: a version 7 GUID, or the next number of the entity's counter. The counter is kept in the
    /// file (<c>_repos_key_sequences</c>) and never goes back, so a number is not given again after its row is
    /// deleted; it also passes every stored key, so keys the app gave itself are never given again either. It
    /// runs under the file's write lock, inside the write's transaction.
    /// </summary>
    private TKey NewKey(SqliteConnection connection)
    {
        if (_keyGeneration == KeyGeneration.GuidVersion7)
        {
            return (TKey)(object)Guid.CreateVersion7(_database.Options.TimeProvider.GetUtcNow());
        }

        SqliteStatement last = connection.Prepare(_sql.LastKey);
        long key;
        try
        {
            last.BindText(1, _definition.Name);
            last.Step();
            key = last.ColumnInt64(0);
        }
        finally
        {
            last.Reset();
        }

        long limit = typeof(TKey) == typeof(int) ? int.MaxValue : long.MaxValue;
        if (key >= limit)
        {
            throw new InvalidOperationException(string.Create(
                CultureInfo.InvariantCulture,
                $"{_definition.Name} has given every number its key {_definition.KeyProperty} can hold (up to {limit}); nothing was written."));
        }

        key++;
        SqliteStatement save = connection.Prepare(TableSql.SaveKey);
        try
        {
            save.BindText(1, _definition.Name);
            save.BindInt64(2, key);
            save.Step();
        }
        finally
        {
            save.Reset();
        }

        return typeof(TKey) == typeof(int) ? (TKey)(object)(int)key : (TKey)(object)key;
    }

    /// <summary>
    /// Gives a class whose row version or key a failed write set in place its own values back (a record's were set
    /// on a copy, which the caller never got).
    /// </summary>
    private void GiveBack(TEntity entity, TKey key, long version)
    {
        if (_definition.GetRowVersion(entity) != version)
        {
            _definition.WithRowVersion(entity, version);
        }

        if (_keyGeneration != KeyGeneration.None && !EqualityComparer<TKey>.Default.Equals(_definition.GetKey(entity), key))
        {
            _definition.WithKey(entity, key);
        }
    }
}
