namespace Repos;

/// <summary>One broken rule: which property, which rule, the offending value and a readable message.</summary>
/// <param name="Property">The property name (a dotted path for nested values), or empty for a rule on the whole entity.</param>
/// <param name="Rule">The rule's name, such as <c>Range</c>, <c>MaxLength</c>, <c>Required</c>, or a custom one.</param>
/// <param name="Value">The offending value as text, or null.</param>
/// <param name="Message">What is wrong, for people.</param>
public sealed record ValidationError(string Property, string Rule, string? Value, string Message)
{
    /// <inheritdoc />
    public override string ToString() =>
        Value is null ? $"{Property}: {Message} ({Rule})" : $"{Property}: {Message} ({Rule}; value {Value})";
}
