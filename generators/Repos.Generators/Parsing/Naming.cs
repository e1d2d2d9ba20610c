using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis.CSharp;

namespace Repos.Generators.Parsing;

/// <summary>
/// Names the generator derives: plurals for repository properties, parameter names; and how a name is written
/// in emitted code (a keyword used as a name takes an <c>@</c>).
/// </summary>
internal static class Naming
{
    /// <summary>The suffix of an entity's or stored type's serializer: <c>ItemSerializer</c>.</summary>
    public const string SerializerSuffix = "Serializer";

    /// <summary>The suffix of an entity's definition: <c>ItemDefinition</c>.</summary>
    public const string DefinitionSuffix = "Definition";

    /// <summary>The suffix of an entity's repository type unless the author names it: <c>ItemRepository</c>.</summary>
    public const string RepositorySuffix = "Repository";

    /// <summary>
    /// <paramref name="name"/> as emitted code writes it: with <c>@</c> when it is a keyword or a contextual keyword
    /// (the prefix is always allowed, and a contextual keyword is one in some positions, such as <c>value</c>).
    /// </summary>
    public static string Escape(string name) =>
        name.Length > 0 && name[0] != '@' && (SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None || SyntaxFacts.GetContextualKeywordKind(name) != SyntaxKind.None)
            ? "@" + name
            : name;

    /// <summary>A dotted namespace with each of its parts escaped as <see cref="Escape"/> does.</summary>
    public static string EscapeNamespace(string @namespace) =>
        @namespace.Length == 0 ? @namespace : string.Join(".", @namespace.Split('.').Select(Escape));

    /// <summary>
    /// The identifier a name an author gave (<c>RepositoryName</c>, <c>PropertyName</c>) stands for, without a leading
    /// <c>@</c>, or null when it is not a C# identifier. A keyword is a name like any other: emitted code escapes it.
    /// </summary>
    public static string? Identifier(string? text)
    {
        if (text is null)
        {
            return null;
        }

        string name = text.StartsWith("@", StringComparison.Ordinal) ? text.Substring(1) : text;
        return name.Length > 0 && SyntaxFacts.IsValidIdentifier(name) ? name : null;
    }

    /// <summary>The plural of an entity name for its repository property: <c>DailyEntry</c> to <c>DailyEntries</c>.</summary>
    public static string Plural(string name)
    {
        foreach ((string singular, string plural) in s_irregular)
        {
            // Already the plural: People stays People (and so clashes with Person's property, a diagnostic).
            if (name.EndsWith(plural, StringComparison.Ordinal) && plural != "Indexes")
            {
                return name;
            }


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
    public static string Parameter(string propertyName) => Escape(Camel(propertyName));

    /// <summary>
    /// Parameter names for <paramref name="propertyNames"/> in one method: camel case, distinct from each other and
    /// from <paramref name="taken"/> (the method's own parameters, such as <c>cancellationToken</c>), escaped.
    /// </summary>
    public static string[] Parameters(IReadOnlyList<string> propertyNames, params string[] taken)
    {
        var used = new HashSet<string>(taken, StringComparer.Ordinal);
        var names = new string[propertyNames.Count];
        for (int i = 0; i < names.Length; i++)
        {
            string name = Camel(propertyNames[i]);
            string candidate = name;
            for (int n = 2; !used.Add(candidate); n++)
            {
                candidate = name + n.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            names[i] = Escape(candidate);
        }

        return names;
    }

    private static string Camel(string propertyName) =>
        char.ToLowerInvariant(propertyName[0]) + propertyName.Substring(1);

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
