namespace Repos.Transfer;

/// <summary>One property of a stored type as an import writes it.</summary>
/// <param name="Name">The property name.</param>
/// <param name="Type">How its values are written.</param>
/// <param name="IsRequired">Whether a document must have it (a C# <c>required</c> member).</param>
/// <param name="AllowsNull">Whether JSON null is a legal value (a nullable value or reference type).</param>
internal sealed record JsonFieldPlan(string Name, JsonValuePlan Type, bool IsRequired, bool AllowsNull);
