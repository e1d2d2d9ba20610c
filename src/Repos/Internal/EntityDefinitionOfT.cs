using System.ComponentModel;
using Repos.Serialization;

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

    /// <summary>Adds every rule the entity breaks to <paramref name="errors"/>.</summary>
    public virtual void Validate(TEntity entity, ValidationErrors errors)
    {
    }
}
