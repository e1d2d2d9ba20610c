namespace Repos.Generators.Model;

/// <summary>
/// An enum stored inside an entity: what the runtime needs to turn member names into values (an import
/// from JSON, for one) without reflection.
/// </summary>
/// <param name="Name">Its full name as the catalog writes type names (no <c>global::</c>).</param>
/// <param name="UnderlyingType">Its underlying integer type as a C# keyword (<c>int</c>, <c>byte</c>...).</param>
/// <param name="IsFlags">Whether it carries <c>[Flags]</c>.</param>
/// <param name="Members">Its member names, in declaration order.</param>
/// <param name="Values">Each member's value as a <c>long</c> literal (an unsigned value above <c>long.MaxValue</c> wraps).</param>
internal sealed record EnumSpec(string Name, string UnderlyingType, bool IsFlags, EquatableArray<string> Members, EquatableArray<string> Values);
