using System.ComponentModel;

namespace Repos.Internal;

/// <summary>A column holding an indexed property: named after it, with the storage class of its values.</summary>
/// <param name="Name">The property (and column) name.</param>
/// <param name="Kind">The storage class its values are written with.</param>
/// <param name="Nullable">Whether the column can hold NULL (false only for non-nullable value types).</param>
/// <param name="Encoding">
/// How values are encoded when that is not the first encoding of their type, recorded with every index that uses
/// the column so a file written with another encoding has its indexes rebuilt: <c>u64</c> (unsigned integers with
/// the top bit flipped), <c>f64</c> (floating point as ordered integers), <c>ci</c> (strings folded to upper case).
/// </param>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed record IndexColumn(string Name, ColumnKind Kind, bool Nullable = true, string? Encoding = null);
