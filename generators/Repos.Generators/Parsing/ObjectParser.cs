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
        Compilation compilation,
        List<INamedTypeSymbol> nestedObjects,
        List<DiagnosticInfo> diagnostics,
        CancellationToken cancellationToken)
    {
        string? keyword = PartialKeyword(type);
        List<Candidate> candidates = Candidates(type, compilation, diagnostics, cancellationToken);
        IMethodSymbol? constructor = ChooseConstructor(type, candidates.Select(c => c.Property).ToList());
        if (constructor is null)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NoUsableConstructor.Id, type.Locations.FirstOrDefault().ToInfo(), type.Name));
        }

        var properties = new List<(IPropertySymbol Property, bool SetInside)>();
        foreach (Candidate candidate in candidates)
        {
            IPropertySymbol property = candidate.Property;
            bool parameter = constructor?.Parameters.Any(p => string.Equals(p.Name, property.Name, StringComparison.OrdinalIgnoreCase)) ?? false;
            string? reason = candidate.Access switch
            {
                Access.GetOnly when !parameter && constructor is not null =>
                    "it has only a get accessor, and no parameter of the constructor Repos calls sets it; add an init accessor (it may be private) or a constructor parameter",
                Access.Inside when !parameter && keyword is null =>
                    $"only code inside '{type.Name}' can set it, and '{type.Name}' is not partial; declare '{type.Name}' partial so Repos can add the code that sets it, or give the property a public or internal set or init accessor",
                _ => null,
            };
            if (reason is not null)
            {
                ReportUnsettable(type, property, reason, diagnostics);
                continue;
            }

            if (constructor is not null)
            {
                properties.Add((property, candidate.Access == Access.Inside && !parameter));
            }
        }

        var specs = new List<PropertySpec>();
        var names = new HashSet<string>(properties.Select(p => p.Property.Name), StringComparer.Ordinal);
        var formerNames = new HashSet<string>(StringComparer.Ordinal);
        foreach ((IPropertySymbol property, bool setInside) in properties)
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
                    LocationInfo? where = attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken).ToInfo();
                    string? problem = formerName.Trim().Length == 0
                        ? "is empty; a former name is the name the property had before it was renamed"
                        : formerName == property.Name
                            ? "is the property's own name; a former name is the name it had before it was renamed"
                            : null;
                    if (problem is not null)
                    {
                        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidFormerName.Id, where, formerName, property.Name, type.Name, problem));
                        continue;
                    }

                    if (names.Contains(formerName) || !formerNames.Add(formerName))
                    {
                        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.FormerNameConflict.Id, where, formerName, property.Name, type.Name));
                        continue;
                    }

                    former.Add(formerName);
                }
            }

            EquatableArray<RuleSpec> rules = RuleParser.Parse(property, typeSpec, type.Name, diagnostics, cancellationToken);
            bool hasDefault = !property.IsRequired && (parameterSymbol is not null ? parameterSymbol.HasExplicitDefaultValue : HasInitializer(property, typeSpec, cancellationToken));
            specs.Add(new PropertySpec(property.Name, typeSpec, TypeClassifier.CatalogName(property.Type), parameter, property.IsRequired, former.ToEquatableArray(), rules, hasDefault)
            {
                SetInside = setInside,
            });
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
            constructor is { Parameters.Length: > 0 })
        {
            PartialKeyword = keyword,
        };
    }

    /// <summary>
    /// The keyword(s) a part of the type is declared with (<c>class</c>, <c>record</c>, <c>record class</c>) when it
    /// is declared partial in this compilation, so Repos can add code to it; null otherwise.
    /// </summary>
    public static string? PartialKeyword(INamedTypeSymbol type)
    {
        foreach (SyntaxReference reference in type.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax() is TypeDeclarationSyntax declaration && declaration.Modifiers.Any(SyntaxKind.PartialKeyword))
            {
                return declaration is RecordDeclarationSyntax record
                    ? record.ClassOrStructKeyword.IsKind(SyntaxKind.ClassKeyword) ? "record class" : "record"
                    : "class";
            }
        }

        return null;
    }

    /// <summary>How the generated code can give a property its value when it reads the type back.</summary>
    private enum Access
    {
        /// <summary>From outside the type: a public or internal set or init accessor, or a primary constructor parameter.</summary>
        Outside,

        /// <summary>Only from code inside the type: a private or protected accessor the type itself can call.</summary>
        Inside,

        /// <summary>Only through a constructor parameter: a get-only auto-property.</summary>
        GetOnly,
    }

    private sealed record Candidate(IPropertySymbol Property, Access Access);

    /// <summary>
    /// The public instance properties that hold the type's state, declared on it or a base type, in declaration
    /// order with base members first (an override takes its base property's place), each with how it can be set.
    /// Reports state Repos could not store: a property it could not read or set, a public field, an explicit
    /// interface implementation with a value of its own, a property hidden with <c>new</c>. A property computed
    /// from others (with a get body) holds no state of its own and is left out without a word, as are static
    /// properties, indexers, properties that are not public and those marked <c>[NotMapped]</c>.
    /// </summary>
    private static List<Candidate> Candidates(INamedTypeSymbol type, Compilation compilation, List<DiagnosticInfo> diagnostics, CancellationToken cancellationToken)
    {
        var chain = new List<INamedTypeSymbol>();
        for (INamedTypeSymbol? t = type; t is not null && t.SpecialType != SpecialType.System_Object; t = t.BaseType)
        {
            chain.Insert(0, t);
        }

        var result = new List<Candidate>();
        IMethodSymbol? primary = PrimaryConstructor(type);
        Compilation? allMembers = null;
        foreach (INamedTypeSymbol t in chain)
        {
            cancellationToken.ThrowIfCancellationRequested();

            // A type of another assembly shows only its public members: its private and internal accessors and
            // backing fields are seen in a view of it that imports every member.
            INamedTypeSymbol? hidden = null;
            if (!SymbolEqualityComparer.Default.Equals(t.ContainingAssembly, compilation.Assembly))
            {
                allMembers ??= compilation.WithOptions(compilation.Options.WithMetadataImportOptions(MetadataImportOptions.All));
                hidden = allMembers.GetTypeByMetadataName(MetadataName(t));
            }

            foreach (ISymbol member in t.GetMembers())
            {
                if (member is IFieldSymbol field)
                {
                    if (field is { IsStatic: false, IsConst: false, IsImplicitlyDeclared: false, DeclaredAccessibility: Accessibility.Public } && !IsNotMapped(field))
                    {
                        Report(DiagnosticDescriptors.StateNotStored, type, field, diagnostics,
                            field.Name, type.Name, "it is a field, and Repos stores properties; make it a property with a get and a set or init accessor");
                    }

                    continue;
                }

                if (member is not IPropertySymbol property || property.IsStatic || property.IsIndexer)
                {
                    continue;
                }

                if (property.ExplicitInterfaceImplementations.Length > 0)
                {
                    if (IsAutoProperty(property) && !IsNotMapped(property))
                    {
                        Report(DiagnosticDescriptors.StateNotStored, type, property, diagnostics,
                            property.ExplicitInterfaceImplementations[0].ToDisplayString(), type.Name,
                            "it is an explicit interface implementation with a value of its own, which Repos does not store; implement the interface with a public property");
                    }

                    continue;
                }

                int earlier = result.FindIndex(c => c.Property.Name == property.Name);
                if (property.DeclaredAccessibility != Accessibility.Public || IsNotMapped(property) || property.GetMethod is null)
                {
                    if (earlier >= 0 && property.IsOverride)
                    {
                        result.RemoveAt(earlier);
                    }

                    continue;
                }

                if (earlier >= 0 && !property.IsOverride)
                {
                    IPropertySymbol hiddenProperty = result[earlier].Property;
                    Report(DiagnosticDescriptors.PropertyHidesStoredProperty, type, property, diagnostics,
                        property.Name, t.Name, hiddenProperty.ContainingType.Name);
                    result.RemoveAt(earlier);
                    earlier = -1;
                }

                Access? access = AccessOf(type, t, hidden, property, compilation, primary, diagnostics);
                if (access is not { } found)
                {
                    // An override without state of its own (computed) replaces its base property too.
                    if (earlier >= 0)
                    {
                        result.RemoveAt(earlier);
                    }

                    continue;
                }

                var candidate = new Candidate(property, found);
                if (earlier >= 0)
                {
                    // An override takes the place of the property it overrides.
                    result[earlier] = candidate;
                }
                else
                {
                    result.Add(candidate);
                }
            }
        }

        return result;
    }

    /// <summary>How the generated code can set the property, or null when it holds no state or cannot be stored (then reported).</summary>
    private static Access? AccessOf(
        INamedTypeSymbol type,
        INamedTypeSymbol declaring,
        INamedTypeSymbol? hidden,
        IPropertySymbol property,
        Compilation compilation,
        IMethodSymbol? primary,
        List<DiagnosticInfo> diagnostics)
    {
        if (!compilation.IsSymbolAccessibleWithin(property.GetMethod!, compilation.Assembly))
        {
            ReportUnsettable(type, property, "its get accessor is not public or internal, so Repos cannot read it; make it public", diagnostics);
            return null;
        }

        if (primary?.Parameters.Any(p => string.Equals(p.Name, property.Name, StringComparison.OrdinalIgnoreCase)) ?? false)
        {
            return Access.Outside;
        }

        if (property.SetMethod is { } setter)
        {
            if (compilation.IsSymbolAccessibleWithin(setter, compilation.Assembly))
            {
                return Access.Outside;
            }

            if (compilation.IsSymbolAccessibleWithin(setter, type, type))
            {
                return Access.Inside;
            }

            ReportUnsettable(type, property, $"its set accessor is private to '{declaring.Name}', so no code outside '{declaring.Name}' can set it; make it protected, public or internal", diagnostics);
            return null;
        }

        if (hidden is not null)
        {
            // A property of another assembly's type: a set accessor this assembly cannot call, or a backing field
            // without one, is state Repos cannot set; neither is a property computed from others.
            IPropertySymbol? full = hidden.GetMembers(property.Name).OfType<IPropertySymbol>().FirstOrDefault(p => !p.IsStatic && !p.IsIndexer);
            bool hasSetter = full?.SetMethod is not null;
            bool hasField = hidden.GetMembers($"<{property.Name}>k__BackingField").Length > 0;
            if (hasSetter || hasField)
            {
                string what = hasSetter
                    ? $"its set accessor is not public in '{declaring.Name}', which is declared in the assembly '{declaring.ContainingAssembly.Name}', so code in this assembly cannot call it"
                    : $"it has only a get accessor in '{declaring.Name}', which is declared in the assembly '{declaring.ContainingAssembly.Name}', so code in this assembly cannot set it";
                ReportUnsettable(type, property, what, diagnostics);
            }

            return null;
        }

        return IsAutoProperty(property) && SymbolEqualityComparer.Default.Equals(declaring, type) ? Access.GetOnly
            : IsAutoProperty(property) ? ReportGetOnlyBase(type, declaring, property, diagnostics)
            : null;
    }

    private static Access? ReportGetOnlyBase(INamedTypeSymbol type, INamedTypeSymbol declaring, IPropertySymbol property, List<DiagnosticInfo> diagnostics)
    {
        ReportUnsettable(type, property, $"it has only a get accessor, declared in '{declaring.Name}', and only a constructor of '{declaring.Name}' can set it; add an init accessor (it may be protected)", diagnostics);
        return null;
    }

    private static void ReportUnsettable(INamedTypeSymbol type, IPropertySymbol property, string reason, List<DiagnosticInfo> diagnostics) =>
        Report(DiagnosticDescriptors.PropertyCannotBeStored, type, property, diagnostics, property.Name, type.Name, reason);

    /// <summary>Reports at the member when it is in source, else (a member of another assembly's type) at the stored type.</summary>
    private static void Report(DiagnosticDescriptor descriptor, INamedTypeSymbol type, ISymbol member, List<DiagnosticInfo> diagnostics, params string[] arguments)
    {
        Location? where = member.Locations.FirstOrDefault(l => l.IsInSource) ?? type.Locations.FirstOrDefault();
        diagnostics.Add(DiagnosticInfo.Create(descriptor.Id, where.ToInfo(), arguments));
    }

    /// <summary>Whether a property declared in source is an auto-property: accessors without bodies, no expression body.</summary>
    private static bool IsAutoProperty(IPropertySymbol property) =>
        !property.IsAbstract && !property.IsExtern && property.DeclaringSyntaxReferences.Any(r => r.GetSyntax() is PropertyDeclarationSyntax
        {
            ExpressionBody: null,
            AccessorList: { } accessors,
        } && accessors.Accessors.All(a => a.Body is null && a.ExpressionBody is null));

    private static bool IsNotMapped(ISymbol member)
    {
        for (ISymbol? m = member; m is not null; m = (m as IPropertySymbol)?.OverriddenProperty)
        {
            if (m.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == KnownTypes.NotMappedAttribute))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The name <see cref="Compilation.GetTypeByMetadataName"/> finds the type by (<c>Ns.Outer+Inner`1</c>).</summary>
    private static string MetadataName(INamedTypeSymbol type)
    {
        string name = type.MetadataName;
        for (INamedTypeSymbol? outer = type.ContainingType; outer is not null; outer = outer.ContainingType)
        {
            name = outer.MetadataName + "+" + name;
        }

        return type.ContainingNamespace is { IsGlobalNamespace: false } ns ? ns.ToDisplayString() + "." + name : name;
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
