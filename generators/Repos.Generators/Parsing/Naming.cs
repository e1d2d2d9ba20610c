using System;
using Microsoft.CodeAnalysis.CSharp;

namespace Repos.Generators.Parsing;

/// <summary>Names the generator derives: plurals for repository properties, parameter names.</summary>
internal static class Naming
{
    /// <summary>The plural of an entity name for its repository property: <c>DailyEntry</c> to <c>DailyEntries</c>.</summary>
    public static string Plural(string name)
    {
        foreach ((string singular, string plural) in s_irregular)
        {
            if (name.EndsWith(singular, StringComparison.Ordinal))
            {
                return name.Substring(0, name.Length - singular.Length) + plural;
            }
        }

        if (name.EndsWith("data", StringComparison.OrdinalIgnoreCase) || name.EndsWith("Info", StringComparison.Ordinal)
            || name.EndsWith("Settings", StringComparison.Ordinal))
        {
            return name;
        }

        // Diagnosis, Analysis, Thesis: Greek -is plurals take -es in place of -is.
        if (name.EndsWith("sis", StringComparison.Ordinal))
        {
            return name.Substring(0, name.Length - 2) + "es";
        }

        if (name.Length > 1 && name.EndsWith("y", StringComparison.Ordinal) && !IsVowel(name[name.Length - 2]))
        {
            return name.Substring(0, name.Length - 1) + "ies";
        }

        if (name.EndsWith("ss", StringComparison.Ordinal) || name.EndsWith("us", StringComparison.Ordinal)
            || name.EndsWith("x", StringComparison.Ordinal) || name.EndsWith("z", StringComparison.Ordinal)
            || name.EndsWith("ch", StringComparison.Ordinal) || name.EndsWith("sh", StringComparison.Ordinal))
        {
            return name + "es";
        }

        if (name.EndsWith("is", StringComparison.Ordinal))
        {
            return name.Substring(0, name.Length - 2) + "es";
        }

        // Already a plural ("Settings", "AllTypes").
        if (name.EndsWith("s", StringComparison.Ordinal))
        {
            return name;
        }

        return name + "s";
    }

    /// <summary>A parameter name for a property: camel case, escaped with <c>@</c> when it is a keyword.</summary>
    public static string Parameter(string propertyName)
    {
        string name = char.ToLowerInvariant(propertyName[0]) + propertyName.Substring(1);
        return SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None ? "@" + name : name;
    }

    private static readonly (string Singular, string Plural)[] s_irregular =
    [
        ("Person", "People"),
        ("Child", "Children"),
        ("Woman", "Women"),
        ("Man", "Men"),
        ("Mouse", "Mice"),
        ("Index", "Indexes"),
    ];

    private static bool IsVowel(char c) => "aeiouAEIOU".IndexOf(c) >= 0;
}
