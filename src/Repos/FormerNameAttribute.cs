namespace Repos;

/// <summary>
/// Says that a property was renamed: rows stored under <see cref="Name"/> are read into this property,
/// keeping its field id.
/// </summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = true, Inherited = false)]
public sealed class FormerNameAttribute : Attribute
{
    /// <summary>Records a former name of the property.</summary>
    /// <param name="name">The name the property had before.</param>
    public FormerNameAttribute(string name)
    {
        Name = name;
    }

    /// <summary>The name the property had before.</summary>
    public string Name { get; }
}
