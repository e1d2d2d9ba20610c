using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Repos.Generators.Diagnostics;
using Repos.Generators.Model;

namespace Repos.Generators.Parsing;

/// <summary>
/// Checks that what the generator adds beside and inside the author's types can be added: type names free in
/// the namespace, member names free in the type, hooks the author implements declared to match, types of a kind
/// generated code can extend. Each problem is a diagnostic on the author's syntax, so nothing broken is emitted.
/// </summary>
internal static class GeneratedNames
{
    private const string ValidationErrors = "Repos.ValidationErrors";
    private const string StoredRow = "Repos.Migrations.StoredRow";

    /// <summary>Why <paramref name="type"/> cannot be an entity or a database (<c>"abstract"</c>, ...), or null.</summary>
    public static string? UnsupportedKind(INamedTypeSymbol type, bool database)
    {
        if (type.TypeKind == TypeKind.Struct)
        {
            return "a struct";
        }

        if (type.IsStatic)
        {
            return "static";
        }

        if (type.IsAbstract)
        {
            return "abstract";
        }

        if (type.IsFileLocal)
        {
            return "file-local, so the generated files cannot see it";
        }

        return database && type.IsRecord ? "a record, which cannot derive from ReposDatabase" : null;
    }

    /// <summary>The syntax of the named argument <paramref name="name"/> of <paramref name="attribute"/>, or the attribute.</summary>
    public static LocationInfo? NamedArgumentLocation(AttributeData attribute, string name, System.Threading.CancellationToken cancellationToken)
    {
        SyntaxNode? syntax = attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken);
        if (syntax is AttributeSyntax { ArgumentList: { } list })
        {
            foreach (AttributeArgumentSyntax argument in list.Arguments)
            {
                if (argument.NameEquals?.Name.Identifier.ValueText == name)
                {
                    return argument.ToInfo();
                }
            }
        }

        return syntax.ToInfo();
    }

    /// <summary>The string value of the named argument <paramref name="name"/>, or null when it is not set or set to null.</summary>
    public static string? NamedString(AttributeData attribute, string name)
    {
        foreach (KeyValuePair<string, TypedConstant> named in attribute.NamedArguments)
        {
            if (named.Key == name)
            {
                return named.Value.IsNull ? null : named.Value.Value as string ?? string.Empty;
            }
        }

        return null;
    }

    /// <summary>
    /// Reports a type Repos generates for <paramref name="owner"/> whose name a type or namespace of the author's (or of a
    /// referenced assembly) already has in the owner's namespace.
    /// </summary>
    public static void CheckTypeName(
        Compilation compilation, INamedTypeSymbol owner, string generated, LocationInfo? location, string hint, List<DiagnosticInfo> diagnostics)
    {
        INamespaceSymbol? ns = Merged(compilation, owner.ContainingNamespace);
        if (ns is null)
        {
            return;
        }

        bool taken = ns.GetMembers(generated).Any(m => m is INamespaceSymbol
            || (m is INamedTypeSymbol t && (t.Locations.Any(l => l.IsInSource) || t.DeclaredAccessibility == Accessibility.Public)));
        if (taken)
        {
            diagnostics.Add(DiagnosticInfo.Create(
                DiagnosticDescriptors.GeneratedNameTaken.Id, location, generated, owner.Name, $"{Describe(owner.ContainingNamespace)} already has a type or namespace of that name", hint));
        }
    }

    /// <summary>
    /// Reports a repository name the author gave that Repos generates for another type of the namespace too: another
    /// entity's repository (named or derived) or definition, or a serializer.
    /// </summary>
    public static void CheckRepositoryName(Compilation compilation, INamedTypeSymbol entity, string name, LocationInfo? location, List<DiagnosticInfo> diagnostics)
    {
        INamespaceSymbol? ns = Merged(compilation, entity.ContainingNamespace);
        if (ns is null)
        {
            return;
        }

        foreach (INamedTypeSymbol other in ns.GetTypeMembers())
        {
            if (SymbolEqualityComparer.Default.Equals(other, entity))
            {
                continue;
            }

            AttributeData? attribute = other.GetAttributes().FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == KnownTypes.EntityAttribute);
            string? repository = attribute is null ? null : Naming.Identifier(NamedString(attribute, "RepositoryName")) ?? other.Name + Naming.RepositorySuffix;
            if (name == other.Name + Naming.SerializerSuffix || (attribute is not null && (name == other.Name + Naming.DefinitionSuffix || name == repository)))
            {
                diagnostics.Add(DiagnosticInfo.Create(
                    DiagnosticDescriptors.GeneratedNameTaken.Id, location, name, entity.Name, $"it generates a type of that name for '{other.Name}' too", string.Empty));
                return;
            }
        }
    }

    /// <summary>Reports an entity whose name differs only in case from another entity's in its namespace (their files would share names).</summary>
    public static void CheckCaseClash(Compilation compilation, INamedTypeSymbol entity, LocationInfo? location, List<DiagnosticInfo> diagnostics)
    {
        INamespaceSymbol? ns = Merged(compilation, entity.ContainingNamespace);
        INamedTypeSymbol? other = ns?.GetTypeMembers()
            .Where(t => string.Equals(t.Name, entity.Name, StringComparison.OrdinalIgnoreCase)
                && string.CompareOrdinal(t.Name, entity.Name) < 0
                && t.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == KnownTypes.EntityAttribute))
            .OrderBy(t => t.Name, StringComparer.Ordinal)
            .FirstOrDefault();
        if (other is not null)
        {
            diagnostics.Add(DiagnosticInfo.Create(
                DiagnosticDescriptors.EntityNamesDifferOnlyInCase.Id, location, other.Name, entity.Name, Describe(entity.ContainingNamespace)));
        }
    }

    /// <summary>
    /// Checks the members Repos adds to an entity: <c>Validate</c> (a partial hook), <c>CollectValidationErrors</c>
    /// and <c>MigrateFromVersionN</c> (hooks up to <paramref name="version"/>). Returns the versions whose migration is missing.
    /// </summary>
    public static List<int> CheckEntityMembers(INamedTypeSymbol type, int version, List<DiagnosticInfo> diagnostics)
    {
        // A base type's member of such a name would be hidden by the one Repos adds (a warning in generated code).
        // A base that is an entity has its own, which its hierarchy's checks cover.
        for (INamedTypeSymbol? t = type.BaseType; t is not null && t.SpecialType != SpecialType.System_Object; t = t.BaseType)
        {
            if (t.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == KnownTypes.EntityAttribute))
            {
                break;
            }

            foreach (ISymbol member in t.GetMembers("Validate").Concat(t.GetMembers("CollectValidationErrors")))
            {
                if (member.DeclaredAccessibility != Accessibility.Private && !member.IsImplicitlyDeclared)
                {
                    diagnostics.Add(DiagnosticInfo.Create(
                        DiagnosticDescriptors.ReservedMemberName.Id,
                        type.Locations.FirstOrDefault().ToInfo(),
                        $"{t.Name}.{member.Name}",
                        type.Name,
                        member.Name == "Validate" ? "the hook 'partial void Validate(ValidationErrors errors)', which would hide it" : "the method Repos validates the entity with, which would hide it"));
                }
            }
        }

        foreach (ISymbol member in type.GetMembers("CollectValidationErrors"))
        {
            if (member is not IMethodSymbol method || HasParameters(method, ValidationErrors))
            {
                Reserved(member, type, "the method Repos validates the entity with", diagnostics);
            }
        }

        foreach (ISymbol member in type.GetMembers("Validate"))
        {
            if (member is not IMethodSymbol method)
            {
                Reserved(member, type, "the hook 'partial void Validate(ValidationErrors errors)'", diagnostics);
            }
            else if (HasParameters(method, ValidationErrors)
                && !IsImplementation(method, isStatic: false, accessibility: null, returnsVoid: true))
            {
                WrongHook(method, type, "partial void Validate(Repos.ValidationErrors errors) { ... }", diagnostics);
            }
        }

        var missing = new List<int>();
        for (int from = 1; from < version; from++)
        {
            string name = $"MigrateFromVersion{from}";
            bool found = false;
            foreach (ISymbol member in type.GetMembers(name))
            {
                found = true;
                if (member is not IMethodSymbol method)
                {
                    Reserved(member, type, $"the migration hook '{name}'", diagnostics);
                }
                else if (!HasParameters(method, StoredRow) || !IsImplementation(method, isStatic: true, accessibility: "internal", returnsVoid: true))
                {
                    WrongHook(method, type, $"internal static partial void {name}(Repos.Migrations.StoredRow row) {{ ... }}", diagnostics);
                }
            }

            if (!found)
            {
                missing.Add(from);
            }
        }

        return missing;
    }

    /// <summary>Reports members of the database named like the static members Repos adds to it.</summary>
    public static void CheckDatabaseMembers(INamedTypeSymbol type, int version, List<DiagnosticInfo> diagnostics)
    {
        string[] names = version > 1 ? ["Model", "OpenAsync", "RestoreAsync", "MigrateAsync"] : ["Model", "OpenAsync", "RestoreAsync"];
        foreach (string name in names)
        {
            foreach (ISymbol member in type.GetMembers(name).Where(m => !m.IsImplicitlyDeclared))
            {
                Reserved(member, type, $"'{name}', which Repos generates", diagnostics);
            }
        }
    }

    /// <summary>Checks the database's migration steps up to <paramref name="version"/>; returns the versions whose step is missing.</summary>
    public static List<int> CheckDatabaseMigrations(INamedTypeSymbol type, int version, List<DiagnosticInfo> diagnostics)
    {
        var missing = new List<int>();
        for (int from = 1; from < version; from++)
        {
            string name = $"MigrateFromVersion{from}Async";
            bool found = false;
            foreach (ISymbol member in type.GetMembers(name))
            {
                found = true;
                bool right = member is IMethodSymbol method
                    && method.ReturnType.ToDisplayString() == "System.Threading.Tasks.ValueTask"
                    && HasParameters(method, "Repos.Migrations.DatabaseMigration", "System.Threading.CancellationToken")
                    && IsImplementation(method, isStatic: false, accessibility: "private", returnsVoid: false);
                if (!right)
                {
                    WrongHook(member, type, $"private partial System.Threading.Tasks.ValueTask {name}(Repos.Migrations.DatabaseMigration migration, System.Threading.CancellationToken cancellationToken) {{ ... }}", diagnostics);
                }
            }

            if (!found)
            {
                missing.Add(from);
            }
        }

        return missing;
    }

    /// <summary>Where a member of a database that is not the repository properties Repos generates comes from, or null when the name is free.</summary>
    public static string? DatabaseMemberNamed(Compilation compilation, INamedTypeSymbol database, string name, int version)
    {
        if (name == database.Name)
        {
            return "the database type itself";
        }

        if (database.GetMembers(name).Any(m => !m.IsImplicitlyDeclared))
        {
            return $"its own member '{name}'";
        }

        if (name is "Model" or "OpenAsync" or "RestoreAsync" or "MigrateAsync")
        {
            return $"the member '{name}' Repos generates";
        }

        for (int from = 1; from < version; from++)
        {
            if (name == $"MigrateFromVersion{from}Async")
            {
                return $"the migration step '{name}'";
            }
        }

        for (INamedTypeSymbol? t = compilation.GetTypeByMetadataName(KnownTypes.ReposDatabase); t is not null; t = t.BaseType)
        {
            // Only what the database's assembly sees: ReposDatabase's internal members are no clash.
            if (t.GetMembers(name).Any(m => m.DeclaredAccessibility is Accessibility.Public or Accessibility.Protected or Accessibility.ProtectedOrInternal))
            {
                return $"the member '{name}' of {t.Name}";
            }
        }

        return null;
    }

    /// <summary>Whether the author implemented the <c>partial void Validate(ValidationErrors)</c> hook the generator declares.</summary>
    public static bool ImplementsValidateHook(INamedTypeSymbol type) => type.GetMembers("Validate")
        .OfType<IMethodSymbol>()
        .Any(m => HasParameters(m, ValidationErrors) && IsImplementation(m, isStatic: false, accessibility: null, returnsVoid: true));

    private static bool HasParameters(IMethodSymbol method, params string[] types) =>
        method.Parameters.Length == types.Length
        && method.Parameters.Select(p => p.Type.ToDisplayString()).SequenceEqual(types)
        && method.Parameters.All(p => p.RefKind == RefKind.None);

    /// <summary>Whether <paramref name="method"/> is written as the implementation of the partial method Repos declares.</summary>
    private static bool IsImplementation(IMethodSymbol method, bool isStatic, string? accessibility, bool returnsVoid)
    {
        if (method.IsStatic != isStatic || method.ReturnsVoid != returnsVoid || method.IsGenericMethod)
        {
            return false;
        }

        foreach (SyntaxReference reference in method.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax() is not MethodDeclarationSyntax syntax
                || !syntax.Modifiers.Any(SyntaxKind.PartialKeyword)
                || (syntax.Body is null && syntax.ExpressionBody is null))
            {
                return false;
            }

            string[] access = syntax.Modifiers
                .Where(m => m.IsKind(SyntaxKind.PublicKeyword) || m.IsKind(SyntaxKind.PrivateKeyword) || m.IsKind(SyntaxKind.InternalKeyword) || m.IsKind(SyntaxKind.ProtectedKeyword))
                .Select(m => m.ValueText)
                .ToArray();
            if (!access.SequenceEqual(accessibility is null ? [] : [accessibility]))
            {
                return false;
            }
        }

        return method.DeclaringSyntaxReferences.Length == 1;
    }

    private static void Reserved(ISymbol member, INamedTypeSymbol type, string what, List<DiagnosticInfo> diagnostics) =>
        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ReservedMemberName.Id, member.Locations.FirstOrDefault().ToInfo(), member.Name, type.Name, what));

    private static void WrongHook(ISymbol member, INamedTypeSymbol type, string declaration, List<DiagnosticInfo> diagnostics) =>
        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.HookHasWrongDeclaration.Id, member.Locations.FirstOrDefault().ToInfo(), member.Name, type.Name, declaration));

    private static string Describe(INamespaceSymbol ns) =>
        ns.IsGlobalNamespace ? "the global namespace" : $"the namespace '{ns.ToDisplayString()}'";

    /// <summary>The namespace as the whole compilation sees it, with the types of referenced assemblies too.</summary>
    private static INamespaceSymbol? Merged(Compilation compilation, INamespaceSymbol ns)
    {
        if (ns.IsGlobalNamespace)
        {
            return compilation.GlobalNamespace;
        }

        INamespaceSymbol? parent = Merged(compilation, ns.ContainingNamespace);
        return parent?.GetMembers(ns.Name).OfType<INamespaceSymbol>().FirstOrDefault();
    }
}
