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

    /// <summary>
    /// By ordinal, where the property's values hold objects of a stored type that has (or holds, at any depth)
    /// fields this model does not know: those objects are merged with the stored ones when a row is rewritten.
    /// Null for the other properties, and null altogether when no property holds such objects.
    /// </summary>
    internal NestedValue?[]? NestedUnknownFields { get; private set; }

    /// <summary>
    /// Whether rewriting a row of this type reads the stored row first, to carry over the fields this model does
    /// not know, of the type itself or of the objects nested in it. False in the common case, where the file's
    /// catalog has no field the model lacks: a write then reads nothing.
    /// </summary>
    internal bool CarriesOverStoredFields => HasUnknownStoredFields || NestedUnknownFields is not null;

    /// <summary>
    /// Works out, for every map of one database, which properties hold objects with fields the model does not
    /// know (<see cref="NestedUnknownFields"/>). Runs once, when the database opens.
    /// </summary>
    internal static void FindNestedUnknownFields(IReadOnlyList<FieldMap> maps)
    {
        var shapes = new Dictionary<string, TypeShape>(maps.Count, StringComparer.Ordinal);
        var carrying = new HashSet<TypeShape>();
        foreach (FieldMap map in maps)
        {
            shapes[map.Shape.Name] = map.Shape;
            if (map.HasUnknownStoredFields)
            {
                carrying.Add(map.Shape);
            }
        }

        if (carrying.Count == 0)
        {
            return;
        }

        var nested = new NestedValue?[maps.Count][];
        for (int i = 0; i < maps.Count; i++)
        {
            IReadOnlyList<FieldDefinition> fields = maps[i].Shape.Fields;
            nested[i] = new NestedValue?[fields.Count];
            for (int ordinal = 0; ordinal < fields.Count; ordinal++)
            {
                nested[i][ordinal] = NestedValue.Parse(fields[ordinal].TypeName, shapes);
            }
        }

        // A type carries fields over when it has unknown fields itself or holds a type that carries them; types
        // may hold each other (or themselves), so this repeats until nothing changes.
        for (bool grew = true; grew;)
        {
            grew = false;
            for (int i = 0; i < maps.Count; i++)
            {
                if (!carrying.Contains(maps[i].Shape) && Array.Exists(nested[i], n => n is not null && carrying.Contains(n.Target)))
                {
                    carrying.Add(maps[i].Shape);
                    grew = true;
                }
            }
        }

        for (int i = 0; i < maps.Count; i++)
        {
            NestedValue?[] values = nested[i];
            bool any = false;
            for (int ordinal = 0; ordinal < values.Length; ordinal++)
            {
                if (values[ordinal] is { } value && !carrying.Contains(value.Target))
                {
                    values[ordinal] = null;
                }

                any |= values[ordinal] is not null;
            }

            maps[i].NestedUnknownFields = any ? values : null;
        }
    }

    /// <summary>The ordinal of the property stored under <paramref name="id"/>, or -1 for a field this model does not have.</summary>
    public int OrdinalOf(long id) => (ulong)id < (ulong)_ordinalsById.Length ? _ordinalsById[id] : -1;
}
