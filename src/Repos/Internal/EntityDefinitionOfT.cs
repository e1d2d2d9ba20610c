using System.ComponentModel;
using Repos.Serialization;
using Repos.Storage;
using Repos.Storage.Sqlite;

namespace Repos.Internal;

/// <summary>
/// The generated part of an entity the runtime calls on every write and read: key, index column values,
/// serializer and validator.
/// </summary>
/// <typeparam name="TEntity">The entity type.</typeparam>
/// <typeparam name="TKey">The key type.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public abstract class EntityDefinition<TEntity, TKey> : EntityDefinition
    where TEntity : class
    where TKey : notnull
{
    /// <inheritdoc />
    protected EntityDefinition(
        string name,
        string tableName,
        int version,
        string keyProperty,
        ColumnKind keyKind,
        TypeShape shape,
        TypeShape[] nestedShapes,
        IndexColumn[] columns,
        IndexDefinition[] indexes)
        : base(name, tableName, version, keyProperty, keyKind, shape, nestedShapes, columns, indexes)
    {
    }

    /// <summary>The entity's key.</summary>
    public abstract TKey GetKey(TEntity entity);

    /// <summary>The key as stored in the key column.</summary>
    public abstract ColumnValue GetKeyColumn(TKey key);

    /// <summary>Fills <paramref name="values"/> with the entity's index column values, in <see cref="EntityDefinition.Columns"/> order.</summary>
    public abstract void GetIndexColumns(TEntity entity, Span<ColumnValue> values);

    /// <summary>Writes the entity as a MessagePack map of field ids to values.</summary>
    public abstract void Write(ref MessagePackWriter writer, TEntity entity, SerializationContext context);

    /// <summary>Reads an entity written by <see cref="Write"/> (or by any earlier shape of the type).</summary>
    public abstract TEntity Read(ref MessagePackReader reader, SerializationContext context);

    /// <inheritdoc />
    internal sealed override void FillIndexColumns(SqliteConnection connection, SerializationContext context)
    {
        const int Batch = 1000;
        string table = SqlText.Quote(TableName);
        string assignments = string.Join(", ", Columns.Select((c, i) => $"{SqlText.Quote(c.Name)}=?{i + 2}"));
        SqliteStatement update = connection.Prepare($"UPDATE {table} SET {assignments} WHERE rowid=?1");
        using SqliteStatement select = connection.PrepareOnce($"SELECT rowid, key, _blob FROM {table} WHERE rowid > ?1 ORDER BY rowid LIMIT {Batch}");
        var rowids = new long[Batch];
        var values = new ColumnValue[Batch * Columns.Count];
        long last = long.MinValue;
        while (true)
        {
            // Read a batch, then write it: the rows are not changed while a statement is reading them.
            int count = 0;
            select.BindInt64(1, last);
            while (select.Step())
            {
                TEntity entity;
                try
                {
                    using BlobPayload payload = BlobEnvelope.Read(select.ColumnBlob(2));
                    var reader = new MessagePackReader(payload.Span);
                    entity = Read(ref reader, context);
                }
                catch (ReposFormatException e)
                {
                    string key = KeyText.FromColumn(select, 1, KeyKind);
                    select.Reset();
                    throw new CorruptedRowException(Name, key, e);
                }

                rowids[count] = select.ColumnInt64(0);
                GetIndexColumns(entity, values.AsSpan(count * Columns.Count, Columns.Count));
                count++;
            }

            select.Reset();
            for (int row = 0; row < count; row++)
            {
                update.BindInt64(1, rowids[row]);
                for (int column = 0; column < Columns.Count; column++)
                {
                    values[(row * Columns.Count) + column].Bind(update, column + 2);
                }

                update.Execute();
            }

            if (count < Batch)
            {
                return;
            }

            last = rowids[count - 1];
        }
    }

    /// <summary>Adds every rule the entity breaks to <paramref name="errors"/>.</summary>
    public virtual void Validate(TEntity entity, ValidationErrors errors)
    {
    }
}
