using System.Linq;

namespace Repos.Generators.Model;

/// <summary>
/// A stored type (an entity or a type nested in one): what its serializer and validator need.
/// </summary>
/// <param name="Namespace">Its namespace, empty for the global namespace.</param>
/// <param name="Name">Its simple name.</param>
/// <param name="FullName">Its full name without <c>global::</c>.</param>
/// <param name="TypeName">Its <c>global::</c>-qualified name.</param>
/// <param name="Accessibility">The accessibility generated helpers get (<c>public</c> or <c>internal</c>).</param>
/// <param name="Properties">Its stored properties, in declaration order (their ordinals).</param>
/// <param name="HasConstructorParameters">Whether it is built through a primary constructor.</param>
internal sealed record ObjectSpec(
    string Namespace,
    string Name,
    string FullName,
    string TypeName,
    string Accessibility,
    EquatableArray<PropertySpec> Properties,
    bool HasConstructorParameters)
{
    /// <summary>The name of the generated serializer class.</summary>
    public string SerializerName => Name + "Serializer";

    /// <summary>
    /// The keyword(s) of the type's declaration (<c>class</c>, <c>record</c>, <c>record class</c>) when it is
    /// declared partial, so Repos can add a part to it; null when it is not.
    /// </summary>
    public string? PartialKeyword { get; init; }

    /// <summary>Whether a value read back is created inside the type: some property only the type's own code can set.</summary>
    public bool CreatedInside => Properties.Any(p => p.SetInside);
}
