using System.ComponentModel;

namespace Repos.Internal;

/// <summary>An index of an entity: its name, its columns in order (property names) and whether it is unique.</summary>
/// <param name="Name">The index name, unique within the entity.</param>
/// <param name="Columns">The indexed properties, in order.</param>
/// <param name="Unique">Whether two entities may not share the same values.</param>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed record IndexDefinition(string Name, string[] Columns, bool Unique);
