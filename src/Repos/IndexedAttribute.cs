namespace Repos;

/// <summary>
/// Stores the property as a column of its own with an index on it, so typed queries can find rows by it.
/// </summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = false)]
public sealed class IndexedAttribute : Attribute
{
    /// <summary>Whether two entities may not share a value.</summary>
    public bool Unique { get; set; }
}
