using System.Collections;
using System.Globalization;

namespace Repos;

/// <summary>
/// The rules an entity breaks, collected by its generated validator and by the author's
/// <c>partial void Validate(ValidationErrors errors)</c> hook.
/// </summary>
public sealed class ValidationErrors : IReadOnlyList<ValidationError>
{
    private readonly List<ValidationError> _errors = [];

    /// <summary>The number of broken rules.</summary>
    public int Count => _errors.Count;

    /// <summary>Whether no rule is broken.</summary>
    public bool IsEmpty => _errors.Count == 0;

    /// <summary>The broken rule at <paramref name="index"/>.</summary>
    public ValidationError this[int index] => _errors[index];

    /// <summary>Records a broken rule.</summary>
    /// <param name="property">The property name, or empty for the entity as a whole.</param>
    /// <param name="rule">The rule's name.</param>
    /// <param name="message">What is wrong.</param>
    /// <param name="value">The offending value, if any; it is recorded as invariant-culture text.</param>
    public void Add(string property, string rule, string message, object? value = null)
    {
        ArgumentNullException.ThrowIfNull(property);
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentNullException.ThrowIfNull(message);
        _errors.Add(new ValidationError(property, rule, Format(value), message));
    }

    /// <summary>Removes every recorded error, so the collection can be reused.</summary>
    public void Clear() => _errors.Clear();

    /// <inheritdoc />
    public IEnumerator<ValidationError> GetEnumerator() => _errors.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private static string? Format(object? value) => value switch
    {
        null => null,
        string s => s.Length <= 100 ? $"\"{s}\"" : $"\"{s[..100]}...\" ({s.Length} characters)",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };
}
