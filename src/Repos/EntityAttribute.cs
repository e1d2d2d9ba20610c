namespace Repos;

/// <summary>
/// Marks a partial record or class as a stored entity: the Repos generator writes its serializer,
/// repository, index definitions and validator.
/// </summary>
/// <remarks>
/// The entity needs exactly one <see cref="System.ComponentModel.DataAnnotations.KeyAttribute"/> property.
/// Raise <see cref="Version"/> when a change needs its stored rows transformed; the generator then asks for
/// a migration from the previous version.
/// </remarks>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class EntityAttribute : Attribute
{
    /// <summary>Marks an entity stored in the table named after its type.</summary>
    public EntityAttribute()
    {
    }

    /// <summary>Marks an entity stored in the table <paramref name="tableName"/>.</summary>
    /// <param name="tableName">The SQLite table name.</param>
    public EntityAttribute(string tableName)
    {
        TableName = tableName;
    }

    /// <summary>The SQLite table name, or null for the type's name.</summary>
    public string? TableName { get; }

    /// <summary>The entity's schema version, 1 unless raised to declare a migration.</summary>
    public int Version { get; set; } = 1;

    /// <summary>
    /// Upgrade rows from older versions when they are read, and store them at the new version when they are
    /// next written, instead of rewriting every row at open. Index columns are still brought up to date at
    /// open, so queries see the upgraded values. The migrations may change rows but not delete or split them.
    /// </summary>
    public bool MigrateLazily { get; set; }

    /// <summary>
    /// The name of the entity's generated repository type, or null for the entity's name followed by
    /// <c>Repository</c> (<c>ItemRepository</c> for <c>Item</c>). Set it when that name is taken by a type of your
    /// own in the entity's namespace. It must be a C# identifier; a keyword is written with <c>@</c> in generated code.
    /// </summary>
    public string? RepositoryName { get; set; }

    /// <summary>
    /// The name of the entity's repository property on its <see cref="DatabaseAttribute">database</see>, or null for
    /// the entity's name in the plural (<c>Items</c> for <c>Item</c>, <c>People</c> for <c>Person</c>,
    /// <c>DailyEntries</c> for <c>DailyEntry</c>). Set it when the plural is wrong for your language or when two
    /// entities of one database would get the same property. It must be a C# identifier.
    /// </summary>
    public string? PropertyName { get; set; }
}
