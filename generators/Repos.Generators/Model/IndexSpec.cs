namespace Repos.Generators.Model;

/// <summary>An index of an entity.</summary>
/// <param name="Name">The index name (its properties joined by <c>_</c>).</param>
/// <param name="MethodName">The query method suffix (its properties joined by <c>And</c>).</param>
/// <param name="Properties">The ordinals of its properties in the entity's property list, in order.</param>
/// <param name="Unique">Whether it is unique.</param>
/// <param name="IgnoreCase">Whether its string columns compare ignoring case (ordinally).</param>
internal sealed record IndexSpec(string Name, string MethodName, EquatableArray<int> Properties, bool Unique, bool IgnoreCase = false);
