namespace Repos.Generators.Model;

/// <summary>A stored property of an entity or nested type.</summary>
/// <param name="Name">The property name.</param>
/// <param name="Type">Its type.</param>
/// <param name="ConstructorParameter">The primary-constructor parameter that sets it, or null when it is set by initializer.</param>
/// <param name="IsRequiredMember">Whether it carries the C# <c>required</c> modifier.</param>
/// <param name="FormerNames">Names it had before (<c>[FormerName]</c>).</param>
/// <param name="Rules">Its validation rules.</param>
/// <param name="CatalogType">Its type as the database catalog records it.</param>
/// <param name="HasDefault">
/// Whether the author gave it a value of its own for when nothing sets it: an initializer on the property
/// declaration, or a default value on the constructor parameter that sets it. A row without the field reads it.
/// </param>
internal sealed record PropertySpec(
    string Name,
    TypeSpec Type,
    string CatalogType,
    string? ConstructorParameter,
    bool IsRequiredMember,
    EquatableArray<string> FormerNames,
    EquatableArray<RuleSpec> Rules,
    bool HasDefault = false)
{
    /// <summary>
    /// Whether only code inside the type can set it (a private or protected set or init accessor): Repos then
    /// creates the value read back in a part of the type it adds.
    /// </summary>
    public bool SetInside { get; init; }
}
