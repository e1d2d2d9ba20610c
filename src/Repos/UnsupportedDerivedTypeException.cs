namespace Repos;

/// <summary>
/// A write was given an object of a type derived from the one the repository or property stores: Repos stores
/// exactly the declared type, so the derived type's own values would be lost. Nothing was written.
/// </summary>
/// <remarks>
/// A repository of <c>Animal</c> stores <c>Animal</c> objects; a <c>Dog : Animal</c> goes to the repository of
/// <c>Dog</c> (an entity of its own), and a property of type <c>Address</c> holds <c>Address</c> objects.
/// </remarks>
public sealed class UnsupportedDerivedTypeException : ReposException
{
    /// <summary>Creates the exception for an entity, the type stored where the object was given, and the object's type.</summary>
    /// <param name="entityName">The entity being written.</param>
    /// <param name="declaredType">The type the repository or property stores.</param>
    /// <param name="actualType">The type of the object given.</param>
    public UnsupportedDerivedTypeException(string entityName, Type declaredType, Type actualType)
        : base(Describe(entityName, declaredType, actualType))
    {
        EntityName = entityName;
        DeclaredType = declaredType;
        ActualType = actualType;
    }

    /// <summary>The entity being written.</summary>
    public string EntityName { get; }

    /// <summary>The type the repository (or the property inside the entity) stores.</summary>
    public Type DeclaredType { get; }

    /// <summary>The type of the object given, derived from <see cref="DeclaredType"/>.</summary>
    public Type ActualType { get; }

    private static string Describe(string entityName, Type declaredType, Type actualType)
    {
        string where = declaredType.Name == entityName
            ? $"The repository of {entityName} stores {declaredType.FullName} objects"
            : $"{entityName} stores {declaredType.FullName} objects in the property that held this one";
        return $"{where}, and was given a {actualType.FullName}, derived from it; Repos stores exactly the declared type, "
            + $"so the values only {actualType.Name} has would be lost. Nothing was written. Store a {actualType.Name} through its own repository "
            + $"(make it an entity), or give a {declaredType.Name} object.";
    }
}
