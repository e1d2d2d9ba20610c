namespace Repos;

/// <summary>
/// Declares an index over one or more properties of an entity, in order; queries can use it with
/// equality on a prefix of the properties and a range on the next one.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class IndexAttribute : Attribute
{
    /// <summary>Declares an index over <paramref name="properties"/>, in order.</summary>
    /// <param name="properties">The property names, as <c>nameof(...)</c>.</param>
    public IndexAttribute(params string[] properties)
    {
        Properties = properties;
    }

    /// <summary>The indexed properties, in order.</summary>
    public IReadOnlyList<string> Properties { get; }

    /// <summary>Whether two entities may not share the same combination of values.</summary>
    public bool Unique { get; set; }

    /// <summary>
    /// Whether the index's string properties ignore case: equality, uniqueness and ranges compare them as
    /// <see cref="StringComparison.OrdinalIgnoreCase"/> does, through each value's <see cref="string.ToUpperInvariant"/>
    /// form, which the index column stores. Other properties of the index compare as usual; at least one must be a
    /// <c>string</c> (diagnostic REPOS050 otherwise).
    /// </summary>
    public bool IgnoreCase { get; set; }
}
