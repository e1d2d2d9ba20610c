namespace Repos.Internal;

/// <summary>The family of a stored type, as its catalog type name tells it.</summary>
internal enum CatalogTypeKind
{
    Boolean,
    SByte,
    Byte,
    Int16,
    UInt16,
    Int32,
    UInt32,
    Int64,
    UInt64,
    Single,
    Double,
    Decimal,
    Char,
    String,
    Guid,
    DateTime,
    DateTimeOffset,
    DateOnly,
    TimeOnly,
    TimeSpan,

    /// <summary><c>byte[]</c>, stored as MessagePack bin.</summary>
    Bytes,

    /// <summary><c>T?</c> of a value type.</summary>
    Nullable,

    /// <summary>Arrays, lists and their interfaces.</summary>
    List,

    /// <summary><c>HashSet&lt;T&gt;</c> and the set interfaces.</summary>
    Set,

    /// <summary>Dictionaries and their interfaces.</summary>
    Dictionary,

    /// <summary>A type named by its full name: a nested object or an enum, which the entity's definition describes.</summary>
    Named,
}

/// <summary>
/// A property's stored type, parsed from the type name the catalog records (<see cref="FieldDefinition.TypeName"/>):
/// C# keywords for primitives, full names without <c>global::</c> otherwise, <c>T?</c> for nullable value types,
/// <c>T[]</c> for arrays, and the generic collections Repos stores.
/// </summary>
internal sealed class CatalogType
{
    private static readonly Dictionary<string, CatalogTypeKind> s_scalars = new(StringComparer.Ordinal)
    {
        ["bool"] = CatalogTypeKind.Boolean,
        ["sbyte"] = CatalogTypeKind.SByte,
        ["byte"] = CatalogTypeKind.Byte,
        ["short"] = CatalogTypeKind.Int16,
        ["ushort"] = CatalogTypeKind.UInt16,
        ["int"] = CatalogTypeKind.Int32,
        ["uint"] = CatalogTypeKind.UInt32,
        ["long"] = CatalogTypeKind.Int64,
        ["ulong"] = CatalogTypeKind.UInt64,
        ["float"] = CatalogTypeKind.Single,
        ["double"] = CatalogTypeKind.Double,
        ["decimal"] = CatalogTypeKind.Decimal,
        ["char"] = CatalogTypeKind.Char,
        ["string"] = CatalogTypeKind.String,
        ["System.Guid"] = CatalogTypeKind.Guid,
        ["System.DateTime"] = CatalogTypeKind.DateTime,
        ["System.DateTimeOffset"] = CatalogTypeKind.DateTimeOffset,
        ["System.DateOnly"] = CatalogTypeKind.DateOnly,
        ["System.TimeOnly"] = CatalogTypeKind.TimeOnly,
        ["System.TimeSpan"] = CatalogTypeKind.TimeSpan,
    };

    private static readonly Dictionary<string, CatalogTypeKind> s_generics = new(StringComparer.Ordinal)
    {
        ["System.Collections.Generic.List"] = CatalogTypeKind.List,
        ["System.Collections.Generic.IList"] = CatalogTypeKind.List,
        ["System.Collections.Generic.ICollection"] = CatalogTypeKind.List,
        ["System.Collections.Generic.IReadOnlyList"] = CatalogTypeKind.List,
        ["System.Collections.Generic.IReadOnlyCollection"] = CatalogTypeKind.List,
        ["System.Collections.Generic.HashSet"] = CatalogTypeKind.Set,
        ["System.Collections.Generic.ISet"] = CatalogTypeKind.Set,
        ["System.Collections.Generic.IReadOnlySet"] = CatalogTypeKind.Set,
        ["System.Collections.Generic.Dictionary"] = CatalogTypeKind.Dictionary,
        ["System.Collections.Generic.IDictionary"] = CatalogTypeKind.Dictionary,
        ["System.Collections.Generic.IReadOnlyDictionary"] = CatalogTypeKind.Dictionary,
    };

    private CatalogType(CatalogTypeKind kind, string displayName, CatalogType? element = null, CatalogType? key = null, string? name = null)
    {
        Kind = kind;
        DisplayName = displayName;
        Element = element;
        Key = key;
        Name = name;
    }

    /// <summary>The type's family.</summary>
    public CatalogTypeKind Kind { get; }

    /// <summary>The type as people read it: C# syntax without namespaces (<c>List&lt;Tag&gt;</c>, <c>int?</c>).</summary>
    public string DisplayName { get; }

    /// <summary>The element type (lists, sets), the value type (dictionaries) or the underlying type (nullable).</summary>
    public CatalogType? Element { get; }

    /// <summary>The key type of a dictionary.</summary>
    public CatalogType? Key { get; }

    /// <summary>The full name of a <see cref="CatalogTypeKind.Named"/> type.</summary>
    public string? Name { get; }

    /// <summary>Parses a catalog type name.</summary>
    /// <exception cref="FormatException">The name is not one the generator writes.</exception>
    public static CatalogType Parse(string typeName)
    {
        ArgumentNullException.ThrowIfNull(typeName);
        int position = 0;
        CatalogType type = ParseType(typeName, ref position);
        if (position != typeName.Length)
        {
            throw Invalid(typeName);
        }

        return type;
    }

    private static CatalogType ParseType(string text, ref int position)
    {
        int start = position;
        while (position < text.Length && text[position] is not ('<' or '>' or ',' or '[' or ']' or '?' or ' '))
        {
            position++;
        }

        string name = text[start..position];
        if (name.Length == 0)
        {
            throw Invalid(text);
        }

        CatalogType type;
        if (position < text.Length && text[position] == '<')
        {
            position++;
            var arguments = new List<CatalogType> { ParseType(text, ref position) };
            while (position < text.Length && text[position] == ',')
            {
                position++;
                while (position < text.Length && text[position] == ' ')
                {
                    position++;
                }

                arguments.Add(ParseType(text, ref position));
            }

            if (position >= text.Length || text[position] != '>')
            {
                throw Invalid(text);
            }

            position++;
            if (!s_generics.TryGetValue(name, out CatalogTypeKind kind) || arguments.Count != (kind == CatalogTypeKind.Dictionary ? 2 : 1))
            {
                throw Invalid(text);
            }

            string shortName = ShortName(name);
            type = kind == CatalogTypeKind.Dictionary
                ? new CatalogType(kind, $"{shortName}<{arguments[0].DisplayName}, {arguments[1].DisplayName}>", arguments[1], arguments[0])
                : new CatalogType(kind, $"{shortName}<{arguments[0].DisplayName}>", arguments[0]);
        }
        else if (s_scalars.TryGetValue(name, out CatalogTypeKind scalar))
        {
            type = new CatalogType(scalar, ShortName(name));
        }
        else
        {
            type = new CatalogType(CatalogTypeKind.Named, ShortName(name), name: name);
        }

        // Suffixes apply left to right: int?[] is an array of int?.
        while (position < text.Length && text[position] is '?' or '[')
        {
            if (text[position] == '?')
            {
                position++;
                type = new CatalogType(CatalogTypeKind.Nullable, type.DisplayName + "?", type);
                continue;
            }

            if (position + 1 >= text.Length || text[position + 1] != ']')
            {
                throw Invalid(text);
            }

            position += 2;
            type = type.Kind == CatalogTypeKind.Byte
                ? new CatalogType(CatalogTypeKind.Bytes, "byte[]")
                : new CatalogType(CatalogTypeKind.List, type.DisplayName + "[]", type);
        }

        return type;
    }

    private static string ShortName(string name) => name[(name.LastIndexOf('.') + 1)..];

    private static FormatException Invalid(string typeName) => new($"'{typeName}' is not a stored type name Repos knows.");
}
