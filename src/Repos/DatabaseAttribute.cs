namespace Repos;

/// <summary>
/// Marks a partial class as a database of the given entities: the generator adds one typed repository
/// property per entity and an <c>OpenAsync</c> method.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class DatabaseAttribute : Attribute
{
    /// <summary>Declares the database's entities.</summary>
    /// <param name="entityTypes">The entity types, each marked with <see cref="EntityAttribute"/>.</param>
    public DatabaseAttribute(params Type[] entityTypes)
    {
        EntityTypes = entityTypes;
    }

    /// <summary>The entity types stored in the database.</summary>
    public IReadOnlyList<Type> EntityTypes { get; }

    /// <summary>
    /// The database's schema version, 1 by default. Raise it when a release moves data between entities
    /// (something a single entity's <see cref="EntityAttribute.Version"/> step cannot do): the generator then
    /// declares <c>private partial ValueTask MigrateFromVersion{N}Async(DatabaseMigration migration,
    /// CancellationToken cancellationToken)</c> for every earlier version, and the build fails until each is
    /// implemented. Opening a file at an older version runs them in order, inside the open's transaction,
    /// after every entity has been brought to its own current version.
    /// </summary>
    public int Version { get; set; } = 1;
}
