using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Repos.Generators.Diagnostics;
using Repos.Generators.Model;

namespace Repos.Generators.Parsing;

/// <summary>Parses a stored type (entity or nested): its properties, their types and rules, and how to construct it.</summary>
internal static class ObjectParser
{
    public static ObjectSpec Parse(
        INamedTypeSymbol type,
        List<INamedTypeSymbol> nestedObjects,
        List<DiagnosticInfo> diagnostics,
        CancellationToken cancellationToken)
    {
        List<IPropertySymbol> properties = StoredProperties(type);
        IMethodSymbol? constructor = ChooseConstructor(type, properties);
        if (constructor is null)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NoUsableConstructor.Id, type.Locations.FirstOrDefault().ToInfo(), type.Name));
        }

        var specs = new List<PropertySpec>();
        var names = new HashSet<string>(properties.Select(p => p.Name), StringComparer.Ordinal);
        var formerNames = new HashSet<string>(StringComparer.Ordinal);
        foreach (IPropertySymbol property in properties)
        {
            cancellationToken.ThrowIfCancellationRequested();
            TypeSpec? typeSpec = TypeClassifier.Classify(property.Type, nestedObjects, out string reason);
            if (typeSpec is null)
            {
                diagnostics.Add(DiagnosticInfo.Create(
                    DiagnosticDescriptors.UnsupportedPropertyType.Id,
                    property.Locations.FirstOrDefault().ToInfo(),
                    property.Name,
                    type.Name,
                    property.Type.ToDisplayString(),
                    reason));
                continue;
            }

            IParameterSymbol? parameterSymbol = constructor?.Parameters
                .FirstOrDefault(p => string.Equals(p.Name, property.Name, StringComparison.OrdinalIgnoreCase));
            string? parameter = parameterSymbol?.Name;

            var former = new List<string>();
            foreach (AttributeData attribute in property.GetAttributes())
            {
                if (attribute.AttributeClass?.ToDisplayString() == KnownTypes.FormerNameAttribute
                    && attribute.ConstructorArguments.Length == 1
                    && attribute.ConstructorArguments[0].Value is string formerName)
                {
                    if (names.Contains(formerName) || !formerNames.Add(formerName))
                    {
                        diagnostics.Add(DiagnosticInfo.Create(
                            DiagnosticDescriptors.FormerNameConflict.Id,
                            attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken).ToInfo(),
                            formerName,
                            property.Name,
                            type.Name));
                        continue;
                    }

                    former.Add(formerName);
                }
            }

            EquatableArray<RuleSpec> rules = RuleParser.Parse(property, typeSpec, type.Name, diagnostics, cancellationToken);
            bool hasDefault = !property.IsRequired && (parameterSymbol is not null ? parameterSymbol.HasExplicitDefaultValue : HasInitializer(property, typeSpec, cancellationToken));
            specs.Add(new PropertySpec(property.Name, typeSpec, TypeClassifier.CatalogName(property.Type), parameter, property.IsRequired, former.ToEquatableArray(), rules, hasDefault));
        }

        string ns = type.ContainingNamespace is { IsGlobalNamespace: false } n ? n.ToDisplayString() : string.Empty;
        string typeName = type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
        string accessibility = type.DeclaredAccessibility == Accessibility.Public ? "public" : "internal";
        return new ObjectSpec(
            ns,
            type.Name,
            typeName.Substring("global::".Length),
            typeName,
            accessibility,
            specs.ToEquatableArray(),
            constructor is { Parameters.Length: > 0 });
    }

    /// <summary>
    /// The public instance properties that are stored: declared on the type or a base type, readable, and
    /// settable (set, init, or a constructor parameter), in declaration order with base members first.
    /// </summary>
    private static List<IPropertySymbol> StoredProperties(INamedTypeSymbol type)
    {
        var chain = new List<INamedTypeSymbol>();
        for (INamedTypeSymbol? t = type; t is not null && t.SpecialType != SpecialType.System_Object; t = t.BaseType)
        {
            chain.Insert(0, t);
        }

        var result = new List<IPropertySymbol>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        IMethodSymbol? primary = PrimaryConstructor(type);
        foreach (INamedTypeSymbol t in chain)
        {
            foreach (ISymbol member in t.GetMembers())
            {
                if (member is not IPropertySymbol property
                    || property.IsStatic
                    || property.IsIndexer
                    || property.DeclaredAccessibility != Accessibility.Public
                    || property.GetMethod is null
                    || property.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == KnownTypes.NotMappedAttribute))
                {
                    continue;
                }

                bool settable = property.SetMethod is { DeclaredAccessibility: Accessibility.Public or Accessibility.Internal }
                    || (primary?.Parameters.Any(p => string.Equals(p.Name, property.Name, StringComparison.OrdinalIgnoreCase)) ?? false);
                if (!settable)
                {
                    continue;
                }

                // An override or a 'new' property replaces the base one in place.
                if (!seen.Add(property.Name))
                {
                    result.RemoveAll(p => p.Name == property.Name);
                }

                result.Add(property);
            }
        }

        return result;
    }

    private static IMethodSymbol? PrimaryConstructor(INamedTypeSymbol type)
    {
        foreach (SyntaxReference reference in type.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax() is Microsoft.CodeAnalysis.CSharp.Syntax.TypeDeclarationSyntax { ParameterList: { } parameters })
            {
                return type.InstanceConstructors.FirstOrDefault(c => c.Parameters.Length == parameters.Parameters.Count
                    && !c.Parameters.Any(p => SymbolEqualityComparer.Default.Equals(p.Type, type)));
            }
        }

        return null;
    }

    /// <summary>
    /// The constructor deserialization calls: a parameterless one if there is one, else the primary
    /// constructor, else the one with the most parameters that all name stored properties.
    /// </summary>
    private static IMethodSymbol? ChooseConstructor(INamedTypeSymbol type, List<IPropertySymbol> properties)
    {
        IEnumerable<IMethodSymbol> usable = type.InstanceConstructors.Where(c =>
            c.DeclaredAccessibility is Accessibility.Public or Accessibility.Internal or Accessibility.ProtectedOrInternal
            && !(c.Parameters.Length == 1 && SymbolEqualityComparer.Default.Equals(c.Parameters[0].Type, type)));

        IMethodSymbol? parameterless = usable.FirstOrDefault(c => c.Parameters.Length == 0);
        if (parameterless is not null)
        {
            return parameterless;
        }

        IMethodSymbol? primary = PrimaryConstructor(type);
        if (primary is not null && AllNameProperties(primary, properties))
        {
            return primary;
        }

        return usable
            .Where(c => AllNameProperties(c, properties))
            .OrderByDescending(c => c.Parameters.Length)
            .FirstOrDefault();
    }

    /// <summary>Whether the property's declaration has an initializer (<c>{ get; init; } = "todo";</c>).</summary>
    /// <summary>
    /// Whether the property's initializer gives it a value other than what a missing field reads as anyway
    /// (<c>""</c>, an empty collection, zero, <c>false</c>, null): only then does a row that lacks the field need it.
    /// </summary>
    private static bool HasInitializer(IPropertySymbol property, TypeSpec type, CancellationToken cancellationToken) =>
        property.DeclaringSyntaxReferences.Any(r =>
            r.GetSyntax(cancellationToken) is PropertyDeclarationSyntax { Initializer.Value: { } value }
            && !ReadsAsMissing(value, type));

    private static bool ReadsAsMissing(ExpressionSyntax value, TypeSpec type)
    {
        if (value is PostfixUnaryExpressionSyntax suppressed && suppressed.IsKind(SyntaxKind.SuppressNullableWarningExpression))
        {
            return ReadsAsMissing(suppressed.Operand, type);
        }

        if (value.IsKind(SyntaxKind.DefaultLiteralExpression) || value is DefaultExpressionSyntax)
        {
            return type.Kind != ValueKind.Object && !IsCollection(type.Kind) && type.Kind != ValueKind.String || type.IsNullableReference;
        }

        if (value.IsKind(SyntaxKind.NullLiteralExpression))
        {
            return type.IsNullableReference || type.Kind == ValueKind.Nullable;
        }

        switch (type.Kind)
        {
            case ValueKind.String:
                return value is LiteralExpressionSyntax { Token.ValueText: "" } literal && literal.IsKind(SyntaxKind.StringLiteralExpression)
                    || value is MemberAccessExpressionSyntax { Name.Identifier.Text: "Empty", Expression: var owner }
                        && owner.ToString() is "string" or "String" or "System.String" or "global::System.String";
            case ValueKind.Boolean:
                return value.IsKind(SyntaxKind.FalseLiteralExpression);
            case ValueKind.Byte or ValueKind.SByte or ValueKind.Int16 or ValueKind.UInt16 or ValueKind.Int32 or ValueKind.UInt32
                or ValueKind.Int64 or ValueKind.UInt64 or ValueKind.Single or ValueKind.Double or ValueKind.Decimal:
                return value is LiteralExpressionSyntax { Token.Value: { } number } && value.IsKind(SyntaxKind.NumericLiteralExpression)
                    && System.Convert.ToDouble(number, CultureInfo.InvariantCulture) == 0 && !value.ToString().Contains("-");
            case var kind when IsCollection(kind) && !type.IsNullableReference:
                return value switch
                {
                    CollectionExpressionSyntax collection => collection.Elements.Count == 0,
                    BaseObjectCreationExpressionSyntax creation => creation.Initializer is null && creation.ArgumentList is null or { Arguments.Count: 0 },
                    InvocationExpressionSyntax { ArgumentList.Arguments.Count: 0, Expression: MemberAccessExpressionSyntax { Name: GenericNameSyntax { Identifier.Text: "Empty" }, Expression: var array } } =>
                        array.ToString() is "Array" or "System.Array" or "global::System.Array",
                    _ => false,
                };
            default:
                return false;
        }
    }

    private static bool IsCollection(ValueKind kind) => kind is ValueKind.ByteArray or ValueKind.Array or ValueKind.List
        or ValueKind.ReadOnlyList or ValueKind.HashSet or ValueKind.Dictionary;

    private static bool AllNameProperties(IMethodSymbol constructor, List<IPropertySymbol> properties) =>
        constructor.Parameters.All(p => properties.Any(q =>
            string.Equals(q.Name, p.Name, StringComparison.OrdinalIgnoreCase)
            && SymbolEqualityComparer.Default.Equals(q.Type.WithNullableAnnotation(NullableAnnotation.None), p.Type.WithNullableAnnotation(NullableAnnotation.None))));

    internal static string Literal(object? value) => value switch
    {
        null => "null",
        string s => SymbolDisplay.FormatLiteral(s, quote: true),
        double d => d.ToString("R", CultureInfo.InvariantCulture) + "d",
        float f => f.ToString("R", CultureInfo.InvariantCulture) + "f",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "null",
    };
}
