namespace Repos.Generators.Model;

/// <summary>A stored property of an entity or nested type.</summary>
/// <param name="Name">The property name.</param>
/// <param name="Type">Its type.</param>
/// <param name="ConstructorParameter">The primary-constructor parameter that sets it, or null when it is set by initializer.</param>
/// <param name="IsRequiredMember">Whether it carries the C# <c>required</c> modifier.</param>
/// <param name="FormerNames">Names it had before (<c>[FormerName]</c>).</param>
/// <param name="Rules">Its validation rules.</param>
/// <param name="CatalogType">Its type as the database catalog records it.</param>
internal sealed record PropertySpec(
    string Name,
    TypeSpec Type,
    string CatalogType,
    string? ConstructorParameter,
    bool IsRequiredMember,
    EquatableArray<string> FormerNames,
    EquatableArray<RuleSpec> Rules);
