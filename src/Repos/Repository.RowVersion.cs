using Repos.Internal;
using Repos.Serialization;
using Repos.Storage;
using Repos.Storage.Sqlite;

namespace Repos;

public abstract partial class Repository<TEntity, TKey>
{
    /// <summary>The ordinal of the definition's row version property among its stored fields, or -1.</summary>
    private static int RowVersionOrdinal(EntityDefinition definition)
    {
        if (definition.RowVersionProperty is not { } name)
        {
            return -1;
        }

        for (int ordinal = 0; ordinal < definition.Shape.Fields.Count; ordinal++)
        {
            if (definition.Shape.Fields[ordinal].Name == name)
            {
                return ordinal;
            }
        }

        throw new InvalidOperationException($"The row version {name} of {definition.Name} is not one of its stored fields.");
    }

    /// <summary>
    /// Checks the row version of an entity that has one against the stored row, and returns the entity as it is
    /// to be stored: at version 1 when it makes a new row (whatever version it had), at the stored version + 1
    /// when it replaces the stored row. It runs inside the write transaction, which holds the file's write lock,
    /// so no other writer, in this process or another, can change the row between the check and the write.
    /// </summary>
    /// <param name="connection">The write transaction's connection.</param>
    /// <param name="kind">The change.</param>
    /// <param name="key">The row's key.</param>
    /// <param name="entity">The entity written (or, for a delete, the one whose version is checked).</param>
    /// <param name="version">The entity's row version.</param>
    /// <exception cref="ConcurrencyConflictException">The stored row is at another version; nothing was written.</exception>
    /// <exception cref="EntityNotFoundException">An update found no row; nothing was written.</exception>
    private TEntity CheckRowVersion(SqliteConnection connection, WriteKind kind, TKey key, TEntity entity, long version)
    {
        long? stored = kind == WriteKind.Insert ? null : ReadStoredRowVersion(connection, key, version);
        if (stored is not { } current)
        {
            return kind switch
            {
                // An insert of a key that exists fails as a duplicate in the write itself.
                WriteKind.Insert or WriteKind.Upsert => AtVersion(entity, version, 1),
                WriteKind.Update => throw new EntityNotFoundException(_definition.Name, KeyText.Of(key)),
                _ => entity,
            };
        }

        if (current != version)
        {
            throw new ConcurrencyConflictException(_definition.Name, KeyText.Of(key), version, current);
        }

        return kind == WriteKind.Delete ? entity : AtVersion(entity, version, checked(current + 1));
    }

    private TEntity AtVersion(TEntity entity, long version, long newVersion) =>
        version == newVersion ? entity : _definition.WithRowVersion(entity, newVersion);

    /// <summary>
    /// The row version of the stored row with the key, or null when there is none. Only that field is read
    /// from the blob. A row stored before the entity had a row version has no such field and reads as 0, as the
    /// generated reader reads it (an integer missing from a row takes its default).
    /// </summary>
    /// <param name="connection">The write transaction's connection.</param>
    /// <param name="key">The row's key.</param>
    /// <param name="version">The written entity's row version, returned for a damaged row.</param>
    private long? ReadStoredRowVersion(SqliteConnection connection, TKey key, long version)
    {
        SqliteStatement get = connection.Prepare(_sql.Get);
        try
        {
            _definition.GetKeyColumn(key).Bind(get, 1);
            if (!get.Step())
            {
                return null;
            }

            using BlobPayload payload = BlobEnvelope.Read(get.ColumnBlob(1), _database.Context.Dictionaries.Find);
            ReadOnlySpan<byte> fields = _definition.CurrentPayload(payload.Span, payload.SchemaVersion, key, _database.Context, _database.UpgradeBuffer);
            int id = _database.Context.GetFieldMap(_definition.Shape).Ids[_rowVersionField];
            var reader = new MessagePackReader(fields);
            for (int count = reader.ReadMapHeader(); count > 0; count--)
            {
                if (reader.ReadInt64() == id)
                {
                    return reader.ReadInt64();
                }

                reader.Skip();
            }

            return 0;
        }
        catch (ReposFormatException)
        {
            // A damaged row cannot tell its version. The write replaces it, as it replaces a damaged row of an
            // entity without a row version: nobody could have read the row as it is, so nobody's change is lost.
            return version;
        }
        finally
        {
            get.Reset();
        }
    }
}
