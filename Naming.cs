using System;
using Microsoft.CodeAnalysis.CSharp;

namespace Repos.Generators.Parsing;

/// <summary>Names the generator derives: plurals for repository properties, parameter names.</summary>
internal static class Naming
{
    /// <summary>The plural of an entity name for its repository property: <c>DailyEntry</c> to <c>DailyEntries</c>.</summary>
    public static string Plural(string name)
    {
        if (name.EndsWith("Data", StringComparison.Ordinal) || name.EndsWith("Metadata", StringComparison.Ordinal)
            || name.EndsWith("Info", StringComparison.Ordinal) || name.EndsWith("Settings", StringComparison.Ordinal))
        {
            return name;
        }

        if (name.Length > 1 && name.EndsWith("y", StringComparison.Ordinal) && !IsVowel(name[name.Length - 2]))
        {
            return name.Substring(0, name.Length - 1) + "ies";
        }

        if (name.EndsWith("s", StringComparison.Ordinal) || name.EndsWith("x", StringComparison.Ordinal)
            || name.EndsWith("z", StringComparison.Ordinal) || name.EndsWith("ch", StringComparison.Ordinal)
            || name.EndsWith("sh", StringComparison.Ordinal))
        {
            return name + "es";
        }

        return name + "s";
    }

    /// <summary>A parameter name for a property: camel case, escaped with <c>@</c> when it is a keyword.</summary>
    public static string Parameter(string propertyName)
    {
        string name = char.ToLowerInvariant(propertyName[0]) + propertyName.Substring(1);
        return SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None || SyntaxFacts.GetContextualKeywordKind(name) != SyntaxKind.None
            ? "@" + name
            : name;
    }

    private static bool IsVowel(char c) => "aeiouAEIOU".IndexOf(c) >= 0;
}
