namespace Repos;

/// <summary>
/// Stores the property as a column of its own with an index on it, so typed queries can find rows by it.
/// </summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = false)]
public sealed class IndexedAttribute : Attribute
{
    /// <summary>Whether two entities may not share a value.</summary>
    public bool Unique { get; set; }

    /// <summary>
    /// Whether a string property's index ignores case: equality, uniqueness and ranges compare values as
    /// <see cref="StringComparison.OrdinalIgnoreCase"/> does, through each value's <see cref="string.ToUpperInvariant"/>
    /// form, which the index column stores. Only for <c>string</c> properties (diagnostic REPOS050 otherwise).
    /// </summary>
    public bool IgnoreCase { get; set; }
}
