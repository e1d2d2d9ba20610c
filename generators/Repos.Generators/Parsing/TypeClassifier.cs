using System.Linq;
using Microsoft.CodeAnalysis;
using Repos.Generators.Model;

namespace Repos.Generators.Parsing;

/// <summary>Maps a property's type to the way Repos stores it, or says why it cannot.</summary>
internal static class TypeClassifier
{
    private static readonly SymbolDisplayFormat s_typeFormat = SymbolDisplayFormat.FullyQualifiedFormat
        .AddMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

    /// <summary>The type as emitted code writes it, <c>global::</c>-qualified, with <c>?</c> on nullable references.</summary>
    public static string Display(ITypeSymbol type) => type.ToDisplayString(s_typeFormat);

    /// <summary>
    /// The type as the catalog records it: full names without <c>global::</c>, and no mark on nullable
    /// references, which are stored the same way as non-nullable ones (nullable value types keep their <c>?</c>).
    /// </summary>
    public static string CatalogName(ITypeSymbol type) =>
        type.WithNullableAnnotation(NullableAnnotation.NotAnnotated).ToDisplayString(s_catalogFormat);

    private static readonly SymbolDisplayFormat s_catalogFormat = SymbolDisplayFormat.FullyQualifiedFormat
        .WithGlobalNamespaceStyle(SymbolDisplayGlobalNamespaceStyle.Omitted)
        .WithMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.UseSpecialTypes);

    /// <summary>The kind of a built-in scalar type, or null when the type is not one.</summary>
    public static ValueKind? ScalarKind(SpecialType type) => type switch
    {
        SpecialType.System_Boolean => ValueKind.Boolean,
        SpecialType.System_Byte => ValueKind.Byte,
        SpecialType.System_SByte => ValueKind.SByte,
        SpecialType.System_Int16 => ValueKind.Int16,
        SpecialType.System_UInt16 => ValueKind.UInt16,
        SpecialType.System_Int32 => ValueKind.Int32,
        SpecialType.System_UInt32 => ValueKind.UInt32,
        SpecialType.System_Int64 => ValueKind.Int64,
        SpecialType.System_UInt64 => ValueKind.UInt64,
        SpecialType.System_Single => ValueKind.Single,
        SpecialType.System_Double => ValueKind.Double,
        SpecialType.System_Decimal => ValueKind.Decimal,
        SpecialType.System_Char => ValueKind.Char,
        SpecialType.System_String => ValueKind.String,
        SpecialType.System_DateTime => ValueKind.DateTime,
        _ => null,
    };

    /// <summary>
    /// Classifies <paramref name="type"/>. Nested object types are reported through <paramref name="objects"/>
    /// so the caller can parse them too. Returns null with <paramref name="reason"/> set when unsupported.
    /// </summary>
    public static TypeSpec? Classify(ITypeSymbol type, System.Collections.Generic.List<INamedTypeSymbol> objects, out string reason)
    {
        reason = string.Empty;
        bool nullableReference = type.IsReferenceType && type.NullableAnnotation == NullableAnnotation.Annotated;
        string name = Display(type);

        ValueKind? scalar = ScalarKind(type.SpecialType);
        if (scalar is { } kind)
        {
            return new TypeSpec(kind, name, nullableReference);
        }

        string metadataName = type.ContainingNamespace is null ? type.MetadataName : type.ContainingNamespace.ToDisplayString() + "." + type.MetadataName;
        switch (metadataName)
        {
            case "System.Guid": return new TypeSpec(ValueKind.Guid, name, false);
            case "System.DateTimeOffset": return new TypeSpec(ValueKind.DateTimeOffset, name, false);
            case "System.DateOnly": return new TypeSpec(ValueKind.DateOnly, name, false);
            case "System.TimeOnly": return new TypeSpec(ValueKind.TimeOnly, name, false);
            case "System.TimeSpan": return new TypeSpec(ValueKind.TimeSpan, name, false);
        }

        if (type is INamedTypeSymbol { TypeKind: TypeKind.Enum, EnumUnderlyingType: { } underlying } enumType)
        {
            TypeSpec? inner = Classify(underlying, objects, out reason);
            return inner is null ? null : new TypeSpec(ValueKind.Enum, name, false, inner, Enum: DescribeEnum(enumType, underlying));
        }

        if (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable)
        {
            TypeSpec? inner = Classify(nullable.TypeArguments[0], objects, out reason);
            return inner is null ? null : new TypeSpec(ValueKind.Nullable, name, false, inner);
        }

        if (type is IArrayTypeSymbol array)
        {
            if (array.Rank != 1)
            {
                reason = ": only one-dimensional arrays are supported";
                return null;
            }

            if (array.ElementType.SpecialType == SpecialType.System_Byte)
            {
                return new TypeSpec(ValueKind.ByteArray, name, nullableReference);
            }

            TypeSpec? element = Classify(array.ElementType, objects, out reason);
            return element is null ? null : new TypeSpec(ValueKind.Array, name, nullableReference, element);
        }

        if (type is INamedTypeSymbol { IsGenericType: true } generic)
        {
            string definition = generic.OriginalDefinition.ToDisplayString();
            ValueKind? collection = definition switch
            {
                "System.Collections.Generic.List<T>" or "System.Collections.Generic.IList<T>" or "System.Collections.Generic.ICollection<T>" => ValueKind.List,
                "System.Collections.Generic.IReadOnlyList<T>" or "System.Collections.Generic.IReadOnlyCollection<T>" => ValueKind.ReadOnlyList,
                "System.Collections.Generic.HashSet<T>" or "System.Collections.Generic.ISet<T>" or "System.Collections.Generic.IReadOnlySet<T>" => ValueKind.HashSet,
                "System.Collections.Generic.Dictionary<TKey, TValue>" or "System.Collections.Generic.IDictionary<TKey, TValue>"
                    or "System.Collections.Generic.IReadOnlyDictionary<TKey, TValue>" => ValueKind.Dictionary,
                _ => null,
            };

            if (collection == ValueKind.Dictionary)
            {
                TypeSpec? key = Classify(generic.TypeArguments[0], objects, out reason);
                if (key is null)
                {
                    return null;
                }

                if (!IsScalar(key.Kind) || key.IsNullableReference)
                {
                    reason = ": dictionary keys must be non-null numbers, strings, enums, Guids, dates or times";
                    return null;
                }

                TypeSpec? value = Classify(generic.TypeArguments[1], objects, out reason);
                return value is null ? null : new TypeSpec(ValueKind.Dictionary, name, nullableReference, value, key);
            }

            if (collection is { } collectionKind)
            {
                TypeSpec? element = Classify(generic.TypeArguments[0], objects, out reason);
                return element is null ? null : new TypeSpec(collectionKind, name, nullableReference, element);
            }

            reason = ": generic types other than List, HashSet, Dictionary and their interfaces are not supported";
            return null;
        }

        if (type is INamedTypeSymbol { TypeKind: TypeKind.Class, IsAbstract: false } objectType
            && objectType.SpecialType == SpecialType.None
            && !metadataName.StartsWith("System.", System.StringComparison.Ordinal))
        {
            objects.Add(objectType);
            string full = objectType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat).Substring("global::".Length);
            return new TypeSpec(ValueKind.Object, name, nullableReference, ObjectName: full);
        }

        reason = type.TypeKind switch
        {
            _ when type.SpecialType == SpecialType.System_Object => ": a property of type object could hold anything; use a concrete type",
            TypeKind.Dynamic => ": dynamic values have no fixed shape; use a concrete type",
            TypeKind.Struct => ": structs other than the built-in value types are not supported; use a class or record",
            TypeKind.Interface => ": interfaces other than the collection interfaces are not supported",
            _ when type.IsAbstract => ": abstract types are not supported",
            _ => string.Empty,
        };
        return null;
    }

    /// <summary>An enum's members and values, which the runtime needs to read them by name.</summary>
    private static EnumSpec DescribeEnum(INamedTypeSymbol type, INamedTypeSymbol underlying)
    {
        var members = new System.Collections.Generic.List<string>();
        var values = new System.Collections.Generic.List<string>();
        foreach (ISymbol member in type.GetMembers())
        {
            if (member is IFieldSymbol { IsConst: true, ConstantValue: { } value } field)
            {
                long number = value is ulong unsigned ? unchecked((long)unsigned) : System.Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture);
                members.Add(field.Name);
                values.Add(number.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        bool flags = type.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == KnownTypes.FlagsAttribute);
        return new EnumSpec(CatalogName(type), CatalogName(underlying), flags, members.ToEquatableArray(), values.ToEquatableArray());
    }

    /// <summary>Whether values of this kind are single scalars (dictionary keys, index columns).</summary>
    public static bool IsScalar(ValueKind kind) => kind <= ValueKind.TimeSpan || kind == ValueKind.Enum;

    /// <summary>Whether a property of this type can be an index column.</summary>
    public static bool IsIndexable(TypeSpec type) => type.Kind switch
    {
        ValueKind.Nullable => IsIndexable(type.Element!),
        ValueKind.Decimal => false,
        ValueKind.ByteArray => true,
        _ => IsScalar(type.Kind),
    };

    /// <summary>The SQLite storage class an index column of this type uses (a <c>ColumnKind</c> member name).</summary>
    public static string ColumnKind(TypeSpec type) => type.Kind switch
    {
        ValueKind.Nullable => ColumnKind(type.Element!),
        ValueKind.String => "Text",
        ValueKind.Guid or ValueKind.ByteArray => "Blob",
        _ => "Integer",
    };

    /// <summary>
    /// The encoding an index column of this type records when it is not its type's first one (an
    /// <c>IndexColumn.Encoding</c>), or null: <c>u64</c> for <c>ulong</c> and enums backed by it, <c>f64</c> for
    /// floating point, <c>ci</c> for a string folded for an index that ignores case.
    /// </summary>
    public static string? ColumnEncoding(TypeSpec type, bool ignoreCase) => type.Kind switch
    {
        ValueKind.Nullable => ColumnEncoding(type.Element!, ignoreCase),
        ValueKind.UInt64 => "u64",
        ValueKind.Enum when type.Element!.Kind == ValueKind.UInt64 => "u64",
        ValueKind.Single or ValueKind.Double => "f64",
        ValueKind.String when ignoreCase => "ci",
        _ => null,
    };
}
