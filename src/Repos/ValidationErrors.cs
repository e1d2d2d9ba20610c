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
    private readonly List<(string Property, int Index, object? Key)> _scopes = [];
    private int _depth = 1;

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
        _errors.Add(new ValidationError(_scopes.Count == 0 ? property : PathTo(property, -1, null), rule, Format(value), message));
    }

    /// <summary>
    /// Enters the object in <paramref name="property"/> (element <paramref name="index"/> of it when not negative)
    /// of the value being validated: errors added until <see cref="Leave"/> name properties under it. The path is
    /// built only when an error is added. Returns false, having added a <c>MaxDepth</c> error, when the object
    /// would nest deeper than <see cref="ReposLimits.MaxDepth"/>; then the generated validator does not enter it.
    /// </summary>
    [System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
    public bool Enter(string property, int index = -1) => Enter(property, index, null);

    /// <summary>
    /// Enters the value under <paramref name="key"/> of the dictionary in <paramref name="property"/>, as
    /// <see cref="Enter(string, int)"/> enters an element: errors until <see cref="Leave"/> name properties under
    /// <c>Property[key]</c>.
    /// </summary>
    [System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
    public bool Enter(string property, object key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return Enter(property, -1, key);
    }

    private bool Enter(string property, int index, object? key)
    {
        int depth = _depth + (index >= 0 || key is not null ? 2 : 1);
        if (depth > ReposLimits.MaxDepth)
        {
            _errors.Add(new ValidationError(
                PathTo(property, index, key),
                "MaxDepth",
                null,
                string.Create(CultureInfo.InvariantCulture, $"Objects and collections nest deeper than {ReposLimits.MaxDepth} levels (ReposLimits.MaxDepth) here, at level {depth}.")));
            return false;
        }

        _scopes.Add((property, index, key));
        _depth = depth;
        return true;
    }

    /// <summary>Leaves the object the matching <see cref="Enter(string, int)"/> or <see cref="Enter(string, object)"/> entered.</summary>
    [System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
    public void Leave()
    {
        (string _, int index, object? key) = _scopes[^1];
        _scopes.RemoveAt(_scopes.Count - 1);
        _depth -= index >= 0 || key is not null ? 2 : 1;
    }

    /// <summary>Removes every recorded error, so the collection can be reused.</summary>
    public void Clear()
    {
        _errors.Clear();
        _scopes.Clear();
        _depth = 1;
    }

    // The path of a property (an element of it when index is not negative) inside the entered objects: Stops[2].Place.Name.
    private string PathTo(string property, int index, object? key)
    {
        var path = new System.Text.StringBuilder();
        foreach ((string name, int at, object? under) in _scopes)
        {
            Append(path, name, at, under);
        }

        Append(path, property, index, key);
        return path.ToString();

        static void Append(System.Text.StringBuilder path, string name, int at, object? key)
        {
            if (path.Length > 0 && name.Length > 0)
            {
                path.Append('.');
            }

            path.Append(name);
            if (at >= 0)
            {
                path.Append('[').Append(at.ToString(CultureInfo.InvariantCulture)).Append(']');
            }
            else if (key is not null)
            {
                path.Append('[').Append(key is IFormattable f ? f.ToString(null, CultureInfo.InvariantCulture) : key.ToString()).Append(']');
            }
        }
    }

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
