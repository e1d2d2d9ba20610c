using System.ComponentModel;
using System.Text.RegularExpressions;

namespace Repos.Internal;

/// <summary>The checks generated validators call for rules that are more than a comparison.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class ValidationRules
{
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
