using System.Linq;

namespace Repos.Generators.Model;

/// <summary>A <c>[Database]</c> class and the entities it lists.</summary>
/// <param name="Namespace">Its namespace, empty for the global namespace.</param>
/// <param name="Name">Its simple name.</param>
/// <param name="Accessibility">Its declared accessibility keyword.</param>
/// <param name="Entities">The listed entity types, in order.</param>
/// <param name="HasConstructor">Whether the author declared an instance constructor (then none is emitted).</param>
/// <param name="Version">The database's schema version; steps from every earlier version are declared.</param>
internal sealed record DatabaseSpec(
    string Namespace,
    string Name,
    string Accessibility,
    EquatableArray<DatabaseEntitySpec> Entities,
    bool HasConstructor,
    int Version)
{
    /// <summary>The same spec without diagnostic locations, which change with every edit above the class.</summary>
    public DatabaseSpec WithoutLocations() =>
        this with { Entities = Entities.Select(e => e with { Location = null }).ToEquatableArray() };
}

/// <summary>An entity listed by a database.</summary>
/// <param name="FullName">The entity's full name without <c>global::</c>.</param>
/// <param name="Namespace">The entity's namespace.</param>
/// <param name="Name">The entity's simple name.</param>
/// <param name="PropertyName">The repository property's name (<c>[Entity(PropertyName = ...)]</c>, else the entity name in the plural), unescaped.</param>
/// <param name="RepositoryName">The repository type's simple name, unescaped.</param>
/// <param name="IsPublic">Whether the entity is public (else its repository property is internal).</param>
/// <param name="IsEntity">Whether the type carries <c>[Entity]</c>.</param>
/// <param name="Location">The <c>typeof</c> argument, for diagnostics.</param>
internal sealed record DatabaseEntitySpec(
    string FullName,
    string Namespace,
    string Name,
    string PropertyName,
    string RepositoryName,
    bool IsPublic,
    bool IsEntity,
    LocationInfo? Location);
