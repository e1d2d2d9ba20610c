using System.ComponentModel;
using Repos.Internal.Codecs;
using Repos.Serialization;

namespace Repos.Internal;

/// <summary>
/// An entity's definition whose rows are written and read by its generated serializer: what every generated
/// definition shares, so the generated part is only what that entity needs (key, index columns, rules).
/// </summary>
/// <typeparam name="TEntity">The entity type.</typeparam>
/// <typeparam name="TKey">The key type.</typeparam>
/// <typeparam name="TSerializer">The entity's generated serializer.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public abstract class EntityDefinition<TEntity, TKey, TSerializer> : EntityDefinition<TEntity, TKey>
    where TEntity : class
    where TKey : notnull
    where TSerializer : IObjectSerializer<TEntity>
{
    /// <summary>Describes an entity stored as <typeparamref name="TSerializer"/> writes it.</summary>
    /// <param name="name">The entity's name.</param>
    /// <param name="tableName">Its table.</param>
    /// <param name="version">Its schema version.</param>
    /// <param name="keyProperty">The key property's name.</param>
    /// <param name="keyKind">How the key column stores the key.</param>
    /// <param name="nestedShapes">The shapes of the types stored inside it.</param>
    /// <param name="columns">Its index columns.</param>
    /// <param name="indexes">Its indexes.</param>
    /// <param name="enums">The enums stored inside it.</param>
    protected EntityDefinition(
        string name,
        string tableName,
        int version,
        string keyProperty,
        ColumnKind keyKind,
        TypeShape[] nestedShapes,
        IndexColumn[] columns,
        IndexDefinition[] indexes,
        EnumShape[]? enums = null)
        : base(name, tableName, version, keyProperty, keyKind, TSerializer.Shape, nestedShapes, columns, indexes, enums)
    {
    }

    /// <inheritdoc />
    public sealed override void Write(ref MessagePackWriter writer, TEntity entity, SerializationContext context) =>
        TSerializer.Write(ref writer, entity, context);

    /// <inheritdoc />
    public sealed override TEntity Read(ref MessagePackReader reader, SerializationContext context) =>
        TSerializer.Read(ref reader, context);

    /// <summary>Adds the rules the entity's attributes and required members state; an entity with a <c>Validate</c> hook overrides it to run the hook too.</summary>
    public override void Validate(TEntity entity, ValidationErrors errors) => TSerializer.Validate(entity, errors);
}
