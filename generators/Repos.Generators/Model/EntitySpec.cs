namespace Repos.Generators.Model;

/// <summary>An entity: its stored shape plus what makes it a table.</summary>
/// <param name="Object">Its stored shape.</param>
/// <param name="TypeKeyword">The declaration keyword(s) for its partial part: <c>class</c>, <c>record</c> or <c>record class</c>.</param>
/// <param name="TableName">The SQLite table.</param>
/// <param name="Version">The schema version.</param>
/// <param name="KeyIndex">The ordinal of the key property.</param>
/// <param name="Indexes">Its indexes.</param>
/// <param name="NestedTypes">The full names of every type stored inside it, transitively, sorted.</param>
/// <param name="Nested">The nested types' shapes, for the serializers that have to be emitted.</param>
/// <param name="MigrateLazily">Whether older rows are upgraded when read instead of at open.</param>
/// <param name="Enums">Every enum stored inside it, transitively, sorted by name.</param>
/// <param name="RowVersionIndex">The ordinal of the row version property (<c>[ConcurrencyCheck]</c>), or -1 when it has none.</param>
/// <param name="SetsRowVersionInPlace">Whether the row version is set on the entity itself (a class) rather than on a copy (a record).</param>
/// <param name="KeyGeneration">Whether Repos assigns the key on insert (<c>[DatabaseGenerated(DatabaseGeneratedOption.Identity)]</c>), and how.</param>
/// <param name="HasValidateHook">Whether the author implemented <c>partial void Validate(ValidationErrors)</c>, so the definition must call it.</param>
/// <param name="RepositoryName">The repository type's name (<c>[Entity(RepositoryName = ...)]</c>, else <c>{Name}Repository</c>), unescaped.</param>
/// <param name="Synced">Whether the entity is marked <c>[Synced]</c>: its writes record changes for sync.</param>
internal sealed record EntitySpec(
    ObjectSpec Object,
    string TypeKeyword,
    string TableName,
    int Version,
    int KeyIndex,
    EquatableArray<IndexSpec> Indexes,
    EquatableArray<string> NestedTypes,
    EquatableArray<ObjectSpec> Nested,
    EquatableArray<EnumSpec> Enums,
    bool MigrateLazily = false,
    int RowVersionIndex = -1,
    bool SetsRowVersionInPlace = false,
    KeyGeneration KeyGeneration = KeyGeneration.None,
    bool HasValidateHook = false,
    string? RepositoryName = null,
    bool Synced = false)
{
    /// <summary>The versions whose migration step hides a base entity's (declared <c>new</c> by the author, so by Repos too).</summary>
    public EquatableArray<int> HidingMigrations { get; init; } = EquatableArray<int>.Empty;

    public PropertySpec Key => Object.Properties[KeyIndex];

    public PropertySpec? RowVersion => RowVersionIndex < 0 ? null : Object.Properties[RowVersionIndex];

    public string DefinitionName => Object.Name + Parsing.Naming.DefinitionSuffix;

    public string RepositoryName { get; } = RepositoryName ?? Object.Name + Parsing.Naming.RepositorySuffix;
}

/// <summary>How the key of a new entity is assigned.</summary>
internal enum KeyGeneration
{
    /// <summary>The app gives every key.</summary>
    None,

    /// <summary>An <c>int</c> or <c>long</c> key left 0 gets the next number of the entity's counter.</summary>
    Sequence,

    /// <summary>A <c>Guid</c> key left empty gets a version 7 GUID.</summary>
    GuidVersion7,
}
