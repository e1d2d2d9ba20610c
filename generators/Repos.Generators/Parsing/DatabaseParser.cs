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

/// <summary>Turns a <c>[Database]</c> class into a <see cref="DatabaseSpec"/> and its diagnostics.</summary>
internal static class DatabaseParser
{
    public static Result<DatabaseSpec> Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        var type = (INamedTypeSymbol)context.TargetSymbol;
        var declaration = (TypeDeclarationSyntax)context.TargetNode;
        var diagnostics = new List<DiagnosticInfo>();
        LocationInfo? location = declaration.Identifier.GetLocation().ToInfo();

        if (!declaration.Modifiers.Any(SyntaxKind.PartialKeyword))
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.DatabaseMustBePartial.Id, location, type.Name));
        }

        if (type.ContainingType is not null || type.IsGenericType)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.EntityMustBeTopLevel.Id, location, type.Name));
        }
        else if (GeneratedNames.UnsupportedKind(type, database: true) is { } kind)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.DatabaseKindNotSupported.Id, location, type.Name, kind));
        }

        if (type.BaseType is { SpecialType: not SpecialType.System_Object } baseType && baseType.ToDisplayString() != "Repos.ReposDatabase")
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.DatabaseHasBaseClass.Id, location, type.Name, baseType.ToDisplayString()));
        }

        AttributeData attribute = context.Attributes[0];
        var attributeSyntax = attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) as AttributeSyntax;
        var entities = new List<DatabaseEntitySpec>();
        var listed = new HashSet<INamedTypeSymbol>(SymbolEqualityComparer.Default);
        var properties = new Dictionary<string, string>(System.StringComparer.Ordinal);
        int version = DatabaseVersion(attribute);
        // [Database(null)] passes no array at all.
        TypedConstant[] arguments = attribute.ConstructorArguments.Length == 1 && attribute.ConstructorArguments[0].Kind == TypedConstantKind.Array
            ? (attribute.ConstructorArguments[0].IsNull ? [] : attribute.ConstructorArguments[0].Values.ToArray())
            : attribute.ConstructorArguments.ToArray();
        for (int i = 0; i < arguments.Length; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            LocationInfo? argumentLocation = attributeSyntax?.ArgumentList is { } list && i < list.Arguments.Count
                ? list.Arguments[i].GetLocation().ToInfo()
                : attributeSyntax.ToInfo();
            if (arguments[i].Value is not INamedTypeSymbol entity)
            {
                // An array, a pointer, a type parameter or null: never an entity, and never left out silently.
                string what = arguments[i].Value is ITypeSymbol listedType ? listedType.ToDisplayString() : "null";
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.DatabaseTypeIsNotEntity.Id, argumentLocation, type.Name, what));
                continue;
            }

            bool isEntity = entity.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == KnownTypes.EntityAttribute);
            if (!isEntity)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.DatabaseTypeIsNotEntity.Id, argumentLocation, type.Name, entity.ToDisplayString()));
                continue;
            }

            // Its definition and repository are generated into its own assembly, internal there.
            if (!SymbolEqualityComparer.Default.Equals(entity.ContainingAssembly, type.ContainingAssembly))
            {
                diagnostics.Add(DiagnosticInfo.Create(
                    DiagnosticDescriptors.EntityOfAnotherAssembly.Id, argumentLocation, type.Name, entity.Name, entity.ContainingAssembly?.Name ?? "another assembly"));
                continue;
            }

            if (!listed.Add(entity))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.DatabaseListsEntityTwice.Id, argumentLocation, type.Name, entity.Name));
                continue;
            }

            AttributeData entityAttribute = entity.GetAttributes().First(a => a.AttributeClass?.ToDisplayString() == KnownTypes.EntityAttribute);
            string propertyName = Naming.Identifier(GeneratedNames.NamedString(entityAttribute, "PropertyName")) ?? Naming.Plural(entity.Name);
            string repositoryName = Naming.Identifier(GeneratedNames.NamedString(entityAttribute, "RepositoryName")) ?? entity.Name + Naming.RepositorySuffix;
            string? taken = properties.TryGetValue(propertyName, out string? other)
                ? $"the repository property of '{other}'"
                : GeneratedNames.DatabaseMemberNamed(context.SemanticModel.Compilation, type, propertyName, version);
            if (taken is not null)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.RepositoryPropertyNameTaken.Id, argumentLocation, type.Name, propertyName, entity.Name, taken));
                continue;
            }

            properties[propertyName] = entity.Name;
            string full = entity.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat).Substring("global::".Length);
            string ns = entity.ContainingNamespace is { IsGlobalNamespace: false } n ? n.ToDisplayString() : string.Empty;
            bool isPublic = entity.DeclaredAccessibility == Accessibility.Public;
            entities.Add(new DatabaseEntitySpec(full, ns, entity.Name, propertyName, repositoryName, isPublic, true, argumentLocation));
        }

        if (arguments.Length == 0)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.DatabaseHasNoEntities.Id, location, type.Name));
        }

        // OpenAsync creates the database object: a declared constructor must include a parameterless one.
        IMethodSymbol[] declared = type.InstanceConstructors.Where(c => !c.IsImplicitlyDeclared).ToArray();
        if (declared.Length > 0 && !declared.Any(c => c.Parameters.Length == 0))
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.DatabaseNeedsParameterlessConstructor.Id, declared[0].Locations.FirstOrDefault().ToInfo(), type.Name));
        }

        LocationInfo? attributeLocation = attributeSyntax.ToInfo();
        if (version < 1)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidDatabaseVersion.Id, attributeLocation, type.Name, version.ToString(CultureInfo.InvariantCulture)));
        }

        GeneratedNames.CheckDatabaseMembers(type, version, diagnostics);
        foreach (int from in GeneratedNames.CheckDatabaseMigrations(type, version, diagnostics))
        {
            diagnostics.Add(DiagnosticInfo.Create(
                DiagnosticDescriptors.DatabaseMigrationMissing.Id,
                attributeLocation,
                type.Name,
                version.ToString(CultureInfo.InvariantCulture),
                from.ToString(CultureInfo.InvariantCulture)));
        }

        if (diagnostics.Count > 0)
        {
            return new Result<DatabaseSpec>(null, diagnostics.ToEquatableArray());
        }

        bool hasConstructor = type.InstanceConstructors.Any(c => !c.IsImplicitlyDeclared);
        string ns2 = type.ContainingNamespace is { IsGlobalNamespace: false } n2 ? n2.ToDisplayString() : string.Empty;
        string accessibility = type.DeclaredAccessibility == Accessibility.Public ? "public" : "internal";
        var spec = new DatabaseSpec(ns2, type.Name, accessibility, entities.ToEquatableArray(), hasConstructor, version);
        return new Result<DatabaseSpec>(spec, EquatableArray<DiagnosticInfo>.Empty);
    }

    private static int DatabaseVersion(AttributeData attribute)
    {
        int version = 1;
        foreach (KeyValuePair<string, TypedConstant> named in attribute.NamedArguments)
        {
            if (named.Key == "Version" && named.Value.Value is int v)
            {
                version = v;
            }
        }

        return version;
    }
}
