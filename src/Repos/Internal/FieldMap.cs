using System.ComponentModel;

namespace Repos.Internal;

/// <summary>
/// One type's field ids in one database file: ordinal (declaration order) to id for writing, id to
/// ordinal for reading.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class FieldMap
{
    private readonly int[] _ordinalsById;

    internal FieldMap(TypeShape shape, int[] ids)
    {
        Shape = shape;
        Ids = ids;
        int max = 0;
        foreach (int id in ids)
        {
            max = Math.Max(max, id);
        }

        _ordinalsById = new int[max + 1];
        Array.Fill(_ordinalsById, -1);
        for (int ordinal = 0; ordinal < ids.Length; ordinal++)
        {
            // -1 marks a field a read-only file has never stored.
            if (ids[ordinal] >= 0)
            {
                _ordinalsById[ids[ordinal]] = ordinal;
            }
        }
    }

    /// <summary>The type these ids belong to.</summary>
    public TypeShape Shape { get; }

    /// <summary>The field id of each property, by ordinal.</summary>
    public int[] Ids { get; }

    /// <summary>
    /// Whether the file's catalog has fields of this type that the model does not: written by a newer version
    /// of the app, or by one that still had a property this one removed. Rewriting a row then carries them over.
    /// </summary>
    public bool HasUnknownStoredFields { get; internal init; }

    /// <summary>The ordinal of the property stored under <paramref name="id"/>, or -1 for a field this model does not have.</summary>
    public int OrdinalOf(long id) => (ulong)id < (ulong)_ordinalsById.Length ? _ordinalsById[id] : -1;
}
