namespace Repos.Generators.Model;

/// <summary>The validation rules the generator turns into code.</summary>
internal enum RuleKind
{
    Required,
    Range,
    MinLength,
    MaxLength,
    StringLength,
    RegularExpression,
    EmailAddress,
}

/// <summary>One validation rule on a property, with its arguments as C# literals.</summary>
/// <param name="Kind">The rule.</param>
/// <param name="Arguments">Its arguments, already formatted as C# literals (numbers, strings).</param>
/// <param name="ErrorMessage">The attribute's <c>ErrorMessage</c>, if it set one.</param>
internal sealed record RuleSpec(RuleKind Kind, EquatableArray<string> Arguments, string? ErrorMessage);
