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
}
