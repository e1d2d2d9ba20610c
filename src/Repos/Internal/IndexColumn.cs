using System.ComponentModel;

namespace Repos.Internal;

/// <summary>A column holding an indexed property: named after it, with the storage class of its values.</summary>
/// <param name="Name">The property (and column) name.</param>
/// <param name="Kind">The storage class its values are written with.</param>
/// <param name="Nullable">Whether the column can hold NULL (false only for non-nullable value types).</param>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed record IndexColumn(string Name, ColumnKind Kind, bool Nullable = true);
