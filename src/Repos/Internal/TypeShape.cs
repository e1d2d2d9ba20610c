using System.ComponentModel;

namespace Repos.Internal;

/// <summary>
/// The stored shape of a serializable type (an entity or a type nested in one): its name and fields in
/// declaration order. Field ids are not part of it: each database file assigns its own in its catalog.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class TypeShape
{
    private static int s_nextSlot = -1;

    /// <summary>Describes a type; generated serializers create one per type, once.</summary>
    /// <param name="name">The type's full name without <c>global::</c>.</param>
    /// <param name="fields">The stored properties, in declaration order (their ordinals).</param>
    public TypeShape(string name, params FieldDefinition[] fields)
    {
        Name = name;
        Fields = fields;
        Slot = Interlocked.Increment(ref s_nextSlot);
    }

    /// <summary>The type's full name without <c>global::</c>.</summary>
    public string Name { get; }

    /// <summary>The stored properties; a property's index here is its ordinal.</summary>
    public IReadOnlyList<FieldDefinition> Fields { get; }

    /// <summary>A number unique to this shape in the process, indexing per-database lookup tables.</summary>
    internal int Slot { get; }
}
