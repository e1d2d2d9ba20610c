using System.ComponentModel;

namespace Repos.Internal;

/// <summary>A stored property of a serializable type, as the catalog records it.</summary>
/// <param name="Name">The property name.</param>
/// <param name="TypeName">The property's C# type, fully qualified (the catalog uses it to detect type changes).</param>
/// <param name="FormerNames">Names the property had before (<see cref="FormerNameAttribute"/>).</param>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed record FieldDefinition(string Name, string TypeName, params string[] FormerNames)
{
    /// <summary>Whether the property is a C# <c>required</c> member: an import reports a document that lacks it.</summary>
    public bool IsRequired { get; init; }

    /// <summary>
    /// Whether the property's type is a nullable reference (<c>string?</c>). <see cref="TypeName"/> does not
    /// show it, as such values are stored alike; nullable value types show there as <c>int?</c>.
    /// </summary>
    public bool IsNullableReference { get; init; }
}
