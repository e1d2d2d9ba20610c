using System.ComponentModel;
using Repos.Storage.Sqlite;

namespace Repos.Internal;

/// <summary>
/// What the runtime knows of an entity without its type: names, schema version, key and index columns,
/// and the shapes the catalog records. The generator writes one per entity.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public abstract class EntityDefinition
{
    /// <summary>Describes an entity.</summary>
    /// <param name="name">The entity's type name, used in messages.</param>
    /// <param name="tableName">The SQLite table.</param>
    /// <param name="version">The schema version.</param>
    /// <param name="keyProperty">The name of the key property.</param>
    /// <param name="keyKind">The storage class of the key column.</param>
    /// <param name="shape">The entity's own stored shape.</param>
    /// <param name="nestedShapes">The shapes of every type stored inside the entity, transitively.</param>
    /// <param name="columns">The index columns, in the order <c>GetIndexColumns</c> fills them.</param>
    /// <param name="indexes">The indexes.</param>
    /// <param name="enums">The enums stored inside the entity, transitively (null for none).</param>
    protected EntityDefinition(
        string name,
        string tableName,
        int version,
        string keyProperty,
        ColumnKind keyKind,
        TypeShape shape,
        TypeShape[] nestedShapes,
        IndexColumn[] columns,
        IndexDefinition[] indexes,
        EnumShape[]? enums = null)
    {
        Name = name;
        TableName = tableName;
        Version = version;
        KeyProperty = keyProperty;
        KeyKind = keyKind;
        Shape = shape;
        NestedShapes = nestedShapes;
        Columns = columns;
        Indexes = indexes;
        Enums = enums ?? [];
    }

    /// <summary>The entity's type name, used in messages.</summary>
    public string Name { get; }

    /// <summary>The SQLite table.</summary>
    public string TableName { get; }

    /// <summary>The schema version.</summary>
    public int Version { get; }

    /// <summary>The name of the key property.</summary>
    public string KeyProperty { get; }

    /// <summary>The storage class of the key column.</summary>
    public ColumnKind KeyKind { get; }

    /// <summary>The entity's own stored shape.</summary>
    public TypeShape Shape { get; }

    /// <summary>The shapes of every type stored inside the entity, transitively.</summary>
    public IReadOnlyList<TypeShape> NestedShapes { get; }

    /// <summary>The enums stored inside the entity, transitively.</summary>
    public IReadOnlyList<EnumShape> Enums { get; }

    /// <summary>The index columns.</summary>
    public IReadOnlyList<IndexColumn> Columns { get; }

    /// <summary>The indexes.</summary>
    public IReadOnlyList<IndexDefinition> Indexes { get; }

    /// <summary>
    /// The entity's row version property (the one marked <c>[ConcurrencyCheck]</c>), or null when it has none.
    /// The generator overrides it for an entity that has one; Repos then checks and advances it on every write.
    /// </summary>
    public virtual string? RowVersionProperty => null;

    /// <summary>
    /// Whether Repos assigns the key of a new entity, and how: <see cref="KeyGeneration.None"/> unless the key is
    /// marked <c>[DatabaseGenerated(DatabaseGeneratedOption.Identity)]</c>, when the generator overrides it.
    /// </summary>
    public virtual KeyGeneration KeyGeneration => KeyGeneration.None;

    /// <summary>
    /// Whether the entity is marked <see cref="SyncedAttribute"/>: its writes record, in their transaction, the
    /// fields they changed with their clock stamps, for sync. The generator overrides it for such an entity.
    /// </summary>
    public virtual bool IsSynced => false;

    /// <summary>Writes every row's index columns from its blob, in batches, inside the caller's transaction.</summary>
    /// <summary>
    /// A stored payload at the entity's current version: itself when it is, or upgraded by the migrations into
    /// <paramref name="upgraded"/> for an entity that migrates lazily (see the generic definition).
    /// </summary>
    internal abstract ReadOnlySpan<byte> CurrentPayload(
        ReadOnlySpan<byte> payload,
        int schemaVersion,
        ColumnValue key,
        SerializationContext context,
        System.Buffers.ArrayBufferWriter<byte> upgraded);

    internal abstract void FillIndexColumns(SqliteConnection connection, SerializationContext context);

    /// <summary>
    /// Upgrades a row stored at <paramref name="fromVersion"/> to the next version. The generator overrides
    /// it for an entity whose version is above 1, calling the author's <c>MigrateFromVersion</c> methods.
    /// </summary>
    protected virtual void Migrate(int fromVersion, Migrations.StoredRow row) =>
        throw new InvalidOperationException($"{Name} has no migration from version {fromVersion}.");

    internal void MigrateRow(int fromVersion, Migrations.StoredRow row) => Migrate(fromVersion, row);

    /// <summary>Whether rows of older versions are upgraded when read instead of at open (<see cref="EntityAttribute.MigrateLazily"/>).</summary>
    protected virtual bool MigratesLazily => false;

    internal bool IsLazy => MigratesLazily;

    /// <summary>Migrates every row below <see cref="Version"/>, in batches, inside the caller's transaction.</summary>
    internal abstract long RunMigrations(SqliteConnection connection, SerializationContext context, MigrationContext migration);

    /// <summary>
    /// Checks the row a statement is on, as <see cref="ReposDatabase.VerifyAsync"/> does: envelope and checksum,
    /// decoding with the model (upgrading a lazily migrated row), the key, the index columns and the schema
    /// version, and that every field id of the blob's top level is one the catalog names
    /// (<paramref name="catalogIds"/>). Columns: 0 rowid, 1 key, 2 <c>_schema</c>, 3 <c>_blob</c>; index column
    /// <c>i</c> at <paramref name="columnSlots"/>[i], or not compared when that is negative.
    /// </summary>
    /// <returns>What is wrong, or null for a good row; <paramref name="message"/> says more.</returns>
    internal abstract Diagnostics.BadRowKind? VerifyRow(
        SqliteStatement row,
        SerializationContext context,
        int catalogVersion,
        IReadOnlySet<long> catalogIds,
        ReadOnlySpan<int> columnSlots,
        Span<ColumnValue> scratch,
        out string? message);

    /// <summary>
    /// Checks a row salvaged from a damaged file against the model: its blob decodes as the entity at the
    /// model's version, holds <paramref name="key"/>, and the entity written again gives back the stored payload
    /// (fields the catalog names for fields the model lacks, <paramref name="storedOnly"/> and, in nested objects,
    /// <paramref name="nestedStoredOnly"/>, may be stored besides). Fills <paramref name="columns"/> with its index
    /// columns.
    /// </summary>
    /// <returns>Null for a good row, or why it cannot be kept.</returns>
    internal abstract string? CheckSalvagedRow(
        ReadOnlySpan<byte> envelope,
        ColumnValue key,
        string keyText,
        SerializationContext context,
        Span<ColumnValue> columns,
        IReadOnlySet<long> storedOnly,
        IReadOnlySet<long> nestedStoredOnly);
}
