namespace Repos.Internal;

/// <summary>How a property's value holds objects of a stored type.</summary>
internal enum NestedValueKind
{
    /// <summary>The value is an object of <see cref="NestedValue.Target"/>.</summary>
    Object,

    /// <summary>The value is an array, list or set; <see cref="NestedValue.Element"/> describes its elements.</summary>
    Sequence,

    /// <summary>The value is a dictionary; <see cref="NestedValue.Element"/> describes its values (keys are scalars).</summary>
    Dictionary,
}

/// <summary>
/// Where a property's value holds objects of a stored type: the value itself, the elements of an array, list
/// or set, or the values of a dictionary, at any depth (a list of lists of stops). Rewriting a row follows it
/// to carry over the fields of those objects that the model does not know.
/// </summary>
/// <remarks>
/// It is read from the type name the catalog records for the property (<see cref="FieldDefinition.TypeName"/>,
/// as the generator writes it: <c>Trips.Stop</c>, <c>Trips.Stop[]</c>,
/// <c>System.Collections.Generic.List&lt;Trips.Stop&gt;</c>,
/// <c>System.Collections.Generic.Dictionary&lt;string, Trips.Stop&gt;</c>), resolved against the names of the
/// database's stored types. Collections are told apart by their number of type arguments: one for the
/// sequences Repos stores, two for dictionaries.
/// </remarks>
internal sealed class NestedValue
{
    private NestedValue(NestedValueKind kind, TypeShape target, NestedValue? element)
    {
        Kind = kind;
        Target = target;
        Element = element;
    }

    /// <summary>Whether the value is the object, or a collection of values described by <see cref="Element"/>.</summary>
    public NestedValueKind Kind { get; }

    /// <summary>The stored type of the objects the value holds, at the end of any collections.</summary>
    public TypeShape Target { get; }

    /// <summary>The elements of a sequence or the values of a dictionary; null for an object.</summary>
    public NestedValue? Element { get; }

    /// <summary>
    /// Where a value of the catalog type <paramref name="typeName"/> holds objects of one of
    /// <paramref name="shapes"/> (by name), or null when it holds none (numbers, strings, enums, collections of them).
    /// </summary>
    public static NestedValue? Parse(string typeName, IReadOnlyDictionary<string, TypeShape> shapes)
    {
        CatalogType type;
        try
        {
            type = CatalogType.Parse(typeName);
        }
        catch (FormatException)
        {
            // A type name this version of Repos does not write (a newer one may): nothing to merge into, so the
            // field's stored value is replaced like any other known field's.
            return null;
        }

        return From(type, shapes);
    }

    private static NestedValue? From(CatalogType type, IReadOnlyDictionary<string, TypeShape> shapes) => type.Kind switch
    {
        // A nullable value type: stored types are classes, so only the name of one could follow.
        CatalogTypeKind.Nullable => From(type.Element!, shapes),
        CatalogTypeKind.List or CatalogTypeKind.Set =>
            From(type.Element!, shapes) is { } element ? new NestedValue(NestedValueKind.Sequence, element.Target, element) : null,
        CatalogTypeKind.Dictionary =>
            From(type.Element!, shapes) is { } value ? new NestedValue(NestedValueKind.Dictionary, value.Target, value) : null,
        CatalogTypeKind.Named => shapes.TryGetValue(type.Name!, out TypeShape? shape) ? new NestedValue(NestedValueKind.Object, shape, null) : null,
        _ => null,
    };
}
