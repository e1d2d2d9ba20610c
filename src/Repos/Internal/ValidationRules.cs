using System.ComponentModel;
using System.Text.RegularExpressions;
using Repos.Internal.Codecs;

namespace Repos.Internal;

/// <summary>
/// The checks generated validators call, one call per rule: each adds an error to the collection when its
/// rule is broken, with the message the generator formatted from the attribute at compile time. The
/// offending value is recorded only when an error is added, so a valid entity costs no allocation.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class ValidationRules
{
    /// <summary>[Required] (and a C# <c>required</c> member) on a reference: the value must not be null.</summary>
    public static void Required(ValidationErrors errors, string property, object? value, string message)
    {
        if (value is null)
        {
            errors.Add(property, "Required", message);
        }
    }

    /// <summary>[Required] on a nullable value type: the value must not be null.</summary>
    public static void RequiredValue<T>(ValidationErrors errors, string property, T? value, string message)
        where T : struct
    {
        if (!value.HasValue)
        {
            errors.Add(property, "Required", message);
        }
    }

    /// <summary>[Required] on a string: the value must not be null, empty or white space.</summary>
    public static void RequiredText(ValidationErrors errors, string property, string? value, string message)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            errors.Add(property, "Required", message);
        }
    }

    /// <summary>[Range]: the value must lie between the bounds, both included (NaN lies outside, as DataAnnotations has it).</summary>
    public static void Range<T>(ValidationErrors errors, string property, T value, T minimum, T maximum, string message)
        where T : IComparable<T>
    {
        if (value.CompareTo(minimum) < 0 || value.CompareTo(maximum) > 0)
        {
            errors.Add(property, "Range", message, value);
        }
    }

    /// <summary>[Range] on a nullable value type: a value that is there must lie between the bounds.</summary>
    public static void NullableRange<T>(ValidationErrors errors, string property, T? value, T minimum, T maximum, string message)
        where T : struct, IComparable<T>
    {
        if (value is { } present)
        {
            Range(errors, property, present, minimum, maximum, message);
        }
    }

    /// <summary>[MinLength]: a value that is there must have at least <paramref name="minimum"/> characters, bytes or elements.</summary>
    public static void MinLength(ValidationErrors errors, string property, object? value, int? length, int minimum, string message)
    {
        if (length < minimum)
        {
            errors.Add(property, "MinLength", message, value);
        }
    }

    /// <summary>[MaxLength]: a value that is there must have at most <paramref name="maximum"/> characters, bytes or elements.</summary>
    public static void MaxLength(ValidationErrors errors, string property, object? value, int? length, int maximum, string message)
    {
        if (length > maximum)
        {
            errors.Add(property, "MaxLength", message, value);
        }
    }

    /// <summary>[StringLength]: a string that is there must have between <paramref name="minimum"/> and <paramref name="maximum"/> characters.</summary>
    public static void StringLength(ValidationErrors errors, string property, string? value, int maximum, int minimum, string message)
    {
        if (value is not null && (value.Length > maximum || value.Length < minimum))
        {
            errors.Add(property, "StringLength", message, value);
        }
    }

    /// <summary>
    /// [RegularExpression]: a string that is there must match <paramref name="expression"/> as a whole. The
    /// expression (checked by the generator at compile time) is built on first use and kept in
    /// <paramref name="pattern"/>, never in a static constructor.
    /// </summary>
    public static void Matches(ValidationErrors errors, string property, string? value, ref Regex? pattern, string expression, string message)
    {
        if (value is null)
        {
            return;
        }

        if (pattern is null)
        {
            // Two threads may both build it; one is kept.
            Interlocked.CompareExchange(ref pattern, new Regex(expression, RegexOptions.CultureInvariant), null);
        }

        if (!IsFullMatch(pattern, value))
        {
            errors.Add(property, "RegularExpression", message, value);
        }
    }

    /// <summary>[EmailAddress]: a string that is there must look like an e-mail address (see <see cref="IsEmailAddress"/>).</summary>
    public static void EmailAddress(ValidationErrors errors, string property, string? value, string message)
    {
        if (value is not null && !IsEmailAddress(value))
        {
            errors.Add(property, "EmailAddress", message, value);
        }
    }

    /// <summary>Validates the stored object in <paramref name="property"/>, when there is one, naming its properties under it.</summary>
    public static void Object<T, TSerializer>(ValidationErrors errors, string property, T? value)
        where T : class
        where TSerializer : IObjectSerializer<T>
    {
        if (value is not null && errors.Enter(property))
        {
            TSerializer.Validate(value, errors);
            errors.Leave();
        }
    }

    /// <summary>Validates every stored object of an array or list, naming each by its index.</summary>
    public static void Elements<T, TSerializer>(ValidationErrors errors, string property, IReadOnlyList<T?>? values)
        where T : class
        where TSerializer : IObjectSerializer<T>
    {
        if (values is null)
        {
            return;
        }

        for (int i = 0; i < values.Count; i++)
        {
            Element<T, TSerializer>(errors, property, i, values[i]);
        }
    }

    /// <summary>Validates every stored object of a set or other collection, naming each by its position in enumeration order.</summary>
    public static void Elements<T, TSerializer>(ValidationErrors errors, string property, IEnumerable<T?>? values)
        where T : class
        where TSerializer : IObjectSerializer<T>
    {
        if (values is null)
        {
            return;
        }

        int i = 0;
        foreach (T? element in values)
        {
            Element<T, TSerializer>(errors, property, i++, element);
        }
    }

    private static void Element<T, TSerializer>(ValidationErrors errors, string property, int index, T? element)
        where T : class
        where TSerializer : IObjectSerializer<T>
    {
        if (element is not null && errors.Enter(property, index))
        {
            TSerializer.Validate(element, errors);
            errors.Leave();
        }
    }

    /// <summary>Validates every stored object among a dictionary's values, naming each by its key.</summary>
    /// <typeparam name="TKey">The dictionary's key type.</typeparam>
    /// <typeparam name="TValue">The dictionary's value type as declared (nullable or not).</typeparam>
    /// <typeparam name="T">The stored type of its values.</typeparam>
    /// <typeparam name="TSerializer">The stored type's serializer.</typeparam>
    public static void Values<TKey, TValue, T, TSerializer>(ValidationErrors errors, string property, IEnumerable<KeyValuePair<TKey, TValue>>? values)
        where TKey : notnull
        where TValue : class?
        where T : class
        where TSerializer : IObjectSerializer<T>
    {
        if (values is null)
        {
            return;
        }

        foreach (KeyValuePair<TKey, TValue> pair in values)
        {
            if (pair.Value is T value && errors.Enter(property, pair.Key))
            {
                TSerializer.Validate(value, errors);
                errors.Leave();
            }
        }
    }

    /// <summary>Whether <paramref name="pattern"/> matches the whole of <paramref name="value"/>, as [RegularExpression] requires.</summary>
    public static bool IsFullMatch(Regex pattern, string value)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        ArgumentNullException.ThrowIfNull(value);
        Match match = pattern.Match(value);
        return match.Success && match.Index == 0 && match.Length == value.Length;
    }

    /// <summary>
    /// Whether <paramref name="value"/> looks like an e-mail address by the rule of [EmailAddress]: exactly one
    /// <c>@</c>, neither first nor last, and no line breaks.
    /// </summary>
    public static bool IsEmailAddress(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Contains('\r', StringComparison.Ordinal) || value.Contains('\n', StringComparison.Ordinal))
        {
            return false;
        }

        int at = value.IndexOf('@', StringComparison.Ordinal);
        return at > 0 && at != value.Length - 1 && at == value.LastIndexOf('@');
    }
}
