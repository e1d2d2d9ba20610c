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
}
