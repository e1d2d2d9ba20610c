using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Repos.Generators.Diagnostics;
using Repos.Generators.Model;

namespace Repos.Generators.Parsing;

/// <summary>Turns an <c>[Entity]</c> type into an <see cref="EntitySpec"/> and its diagnostics.</summary>
internal static class EntityParser
{
    public static Result<EntitySpec> Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        var type = (INamedTypeSymbol)context.TargetSymbol;
        var declaration = (TypeDeclarationSyntax)context.TargetNode;
        var diagnostics = new List<DiagnosticInfo>();
        LocationInfo? location = declaration.Identifier.GetLocation().ToInfo();

        if (type.ContainingType is not null || type.IsGenericType)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.EntityMustBeTopLevel.Id, location, type.Name));
            return Fail(diagnostics);
        }

        if (GeneratedNames.UnsupportedKind(type, database: false) is { } kind)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.EntityKindNotSupported.Id, location, type.Name, kind));
            return Fail(diagnostics);
        }

        if (!declaration.Modifiers.Any(SyntaxKind.PartialKeyword))
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.EntityMustBePartial.Id, location, type.Name));
        }

        AttributeData entityAttribute = context.Attributes[0];
        string tableName = entityAttribute.ConstructorArguments.Length == 1 && entityAttribute.ConstructorArguments[0].Value is string table
            ? table
            : type.Name;
        if (tableName.Trim().Length == 0
            || tableName.StartsWith("_repos", StringComparison.OrdinalIgnoreCase)
            || tableName.StartsWith("sqlite_", StringComparison.OrdinalIgnoreCase))
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidTableName.Id, AttributeLocation(entityAttribute, cancellationToken), tableName, type.Name));
        }

        int version = 1;
        bool lazily = false;
        foreach (KeyValuePair<string, TypedConstant> named in entityAttribute.NamedArguments)
        {
            if (named.Key == "Version" && named.Value.Value is int v)
            {
                version = v;
            }
            else if (named.Key == "MigrateLazily" && named.Value.Value is bool lazy)
            {
                lazily = lazy;
            }
        }

        if (version < 1)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidVersion.Id, AttributeLocation(entityAttribute, cancellationToken), type.Name, version.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        string? repositoryName = NamedIdentifier(type, entityAttribute, "RepositoryName", diagnostics, cancellationToken);
        NamedIdentifier(type, entityAttribute, "PropertyName", diagnostics, cancellationToken);
        Compilation compilation = context.SemanticModel.Compilation;
        GeneratedNames.CheckCaseClash(compilation, type, location, diagnostics);
        GeneratedNames.CheckTypeName(compilation, type, type.Name + Naming.SerializerSuffix, location, string.Empty, diagnostics);
        GeneratedNames.CheckTypeName(compilation, type, type.Name + Naming.DefinitionSuffix, location, string.Empty, diagnostics);
        GeneratedNames.CheckTypeName(
            compilation,
            type,
            repositoryName ?? type.Name + Naming.RepositorySuffix,
            repositoryName is null ? location : GeneratedNames.NamedArgumentLocation(entityAttribute, "RepositoryName", cancellationToken),
            repositoryName is null ? ", or name the repository with [Entity(RepositoryName = \"...\")]" : string.Empty,
            diagnostics);
        if (repositoryName is not null)
        {
            GeneratedNames.CheckRepositoryName(compilation, type, repositoryName, GeneratedNames.NamedArgumentLocation(entityAttribute, "RepositoryName", cancellationToken), diagnostics);
        }

        foreach (int from in GeneratedNames.CheckEntityMembers(type, version, diagnostics))
        {
            diagnostics.Add(DiagnosticInfo.Create(
                DiagnosticDescriptors.MigrationMissing.Id,
                AttributeLocation(entityAttribute, cancellationToken),
                type.Name,
                version.ToString(System.Globalization.CultureInfo.InvariantCulture),
                from.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        var hidingMigrations = new List<int>();
        for (int from = 1; from < version; from++)
        {
            string name = $"MigrateFromVersion{from}";
            IMethodSymbol? step = type.GetMembers(name).OfType<IMethodSymbol>().FirstOrDefault(m => m.IsStatic && m.Parameters.Length == 1);

            // A base entity's step of the same version is hidden: the generated declaration says 'new' when the author's does.
            if (step is not null && HidesBaseMigration(type, name))
            {
                if (step.DeclaringSyntaxReferences.Any(r => r.GetSyntax(cancellationToken) is MethodDeclarationSyntax m && m.Modifiers.Any(SyntaxKind.NewKeyword)))
                {
                    hidingMigrations.Add(from);
                }
                else
                {
                    diagnostics.Add(DiagnosticInfo.Create(
                        DiagnosticDescriptors.MigrationHidesBaseMigration.Id,
                        step.Locations.FirstOrDefault().ToInfo(),
                        name,
                        type.Name,
                        type.BaseType?.Name ?? string.Empty));
                }
            }

        }

        var nestedSymbols = new List<INamedTypeSymbol>();
        ObjectSpec entity = ObjectParser.Parse(type, compilation, nestedSymbols, diagnostics, cancellationToken);
        List<ObjectSpec> nested = ParseNested(type, compilation, nestedSymbols, diagnostics, cancellationToken);

        int keyIndex = FindKey(type, entity, diagnostics, location, out KeyGeneration keyGeneration);
        int rowVersionIndex = FindRowVersion(type, entity, keyIndex, diagnostics);
        AttributeData? synced = type.GetAttributes().FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == KnownTypes.SyncedAttribute);
        if (synced is not null && keyGeneration == KeyGeneration.Sequence)
        {
            diagnostics.Add(DiagnosticInfo.Create(
                DiagnosticDescriptors.SyncedKeyFromCounter.Id, AttributeLocation(synced, cancellationToken), type.Name, entity.Properties[keyIndex].Name));
        }

        EquatableArray<IndexSpec> indexes = ParseIndexes(type, entity, diagnostics, cancellationToken);

        if (diagnostics.Count > 0 || keyIndex < 0)
        {
            return Fail(diagnostics);
        }

        string keyword = declaration switch
        {
            RecordDeclarationSyntax record => record.ClassOrStructKeyword.IsKind(SyntaxKind.ClassKeyword) ? "record class" : "record",
            _ => "class",
        };

        var spec = new EntitySpec(
            entity,
            keyword,
            tableName,
            version,
            keyIndex,
            indexes,
            nested.Select(n => n.FullName).OrderBy(n => n, StringComparer.Ordinal).ToEquatableArray(),
            nested.OrderBy(n => n.FullName, StringComparer.Ordinal).ToEquatableArray(),
            CollectEnums(entity, nested),
            lazily,
            rowVersionIndex,
            SetsRowVersionInPlace: rowVersionIndex >= 0 && !type.IsRecord,
            KeyGeneration: keyGeneration,
            HasValidateHook: GeneratedNames.ImplementsValidateHook(type),
            RepositoryName: repositoryName,
            Synced: synced is not null)
        {
            HidingMigrations = hidingMigrations.ToEquatableArray(),
        };
        return new Result<EntitySpec>(spec, EquatableArray<DiagnosticInfo>.Empty);
    }

    /// <summary>Whether a base type declares a static migration step <paramref name="name"/> that the type's would hide.</summary>
    private static bool HidesBaseMigration(INamedTypeSymbol type, string name)
    {
        for (INamedTypeSymbol? t = type.BaseType; t is not null; t = t.BaseType)
        {
            if (t.GetMembers(name).OfType<IMethodSymbol>().Any(m => m.IsStatic && m.Parameters.Length == 1 && m.DeclaredAccessibility != Accessibility.Private))
            {
                return true;
            }
        }

        return false;
    }

    private static Result<EntitySpec> Fail(List<DiagnosticInfo> diagnostics) => new(null, diagnostics.ToEquatableArray());

    /// <summary>The mistake of a <c>[Synced]</c> type that is not an <c>[Entity]</c>, or none.</summary>
    public static EquatableArray<DiagnosticInfo> CheckSynced(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        var type = (INamedTypeSymbol)context.TargetSymbol;
        if (type.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == KnownTypes.EntityAttribute))
        {
            return EquatableArray<DiagnosticInfo>.Empty;
        }

        return new[] { DiagnosticInfo.Create(DiagnosticDescriptors.SyncedWithoutEntity.Id, AttributeLocation(context.Attributes[0], cancellationToken), type.Name) }.ToEquatableArray();
    }

    /// <summary>The identifier a named argument of <c>[Entity]</c> gives, or null when it is not set (or not an identifier, reported).</summary>
    private static string? NamedIdentifier(
        INamedTypeSymbol type, AttributeData attribute, string argument, List<DiagnosticInfo> diagnostics, CancellationToken cancellationToken)
    {
        string? text = GeneratedNames.NamedString(attribute, argument);
        if (text is null)
        {
            return null;
        }

        string? name = Naming.Identifier(text);
        if (name is null)
        {
            diagnostics.Add(DiagnosticInfo.Create(
                DiagnosticDescriptors.InvalidGeneratedName.Id, GeneratedNames.NamedArgumentLocation(attribute, argument, cancellationToken), argument, text, type.Name));
        }

        return name;
    }

    private static LocationInfo? AttributeLocation(AttributeData attribute, CancellationToken cancellationToken) =>
        attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken).ToInfo();

    /// <summary>Parses every class stored inside the entity, transitively (a type may contain itself).</summary>
    private static List<ObjectSpec> ParseNested(
        INamedTypeSymbol entity,
        Compilation compilation,
        List<INamedTypeSymbol> pending,
        List<DiagnosticInfo> diagnostics,
        CancellationToken cancellationToken)
    {
        var result = new List<ObjectSpec>();
        var seen = new HashSet<INamedTypeSymbol>(SymbolEqualityComparer.Default) { entity };
        for (int i = 0; i < pending.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            INamedTypeSymbol type = pending[i];
            if (!seen.Add(type))
            {
                continue;
            }

            if (type.ContainingType is not null || type.IsGenericType)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.EntityMustBeTopLevel.Id, type.Locations.FirstOrDefault().ToInfo(), type.Name));
                continue;
            }

            result.Add(ObjectParser.Parse(type, compilation, pending, diagnostics, cancellationToken));
            if (!type.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == KnownTypes.EntityAttribute))
            {
                GeneratedNames.CheckTypeName(compilation, type, type.Name + Naming.SerializerSuffix, type.Locations.FirstOrDefault().ToInfo(), string.Empty, diagnostics);
            }

            // A type that is an entity too has its row version checked where it is parsed as one.
            if (!type.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == KnownTypes.EntityAttribute))
            {
                foreach (IPropertySymbol property in RowVersionCandidates(type))
                {
                    diagnostics.Add(DiagnosticInfo.Create(
                        DiagnosticDescriptors.RowVersionOutsideEntity.Id, property.Locations.FirstOrDefault().ToInfo(), property.Name, type.Name));
                }
            }
        }

        return result;
    }

    /// <summary>Every enum stored in the entity or the types inside it, once each, sorted by name.</summary>
    private static EquatableArray<EnumSpec> CollectEnums(ObjectSpec entity, List<ObjectSpec> nested)
    {
        var enums = new Dictionary<string, EnumSpec>(StringComparer.Ordinal);

        void Visit(TypeSpec? type)
        {
            for (; type is not null; type = type.Element)
            {
                if (type.Enum is { } found)
                {
                    enums[found.Name] = found;
                }

                Visit(type.Key);
            }
        }

        foreach (ObjectSpec type in nested.Prepend(entity))
        {
            foreach (PropertySpec property in type.Properties)
            {
                Visit(property.Type);
            }
        }

        return enums.Values.OrderBy(e => e.Name, StringComparer.Ordinal).ToEquatableArray();
    }

    /// <summary>
    /// The properties marked <c>[ConcurrencyCheck]</c>, in declaration order with base types first; an override
    /// counts once, as declared last.
    /// </summary>
    private static List<IPropertySymbol> RowVersionCandidates(INamedTypeSymbol type)
    {
        var marked = new List<IPropertySymbol>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (IPropertySymbol property in AllProperties(type))
        {
            if (seen.Add(property.Name)
                && property.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == KnownTypes.ConcurrencyCheckAttribute))
            {
                marked.Add(property);
            }
        }

        return marked
            .OrderBy(p => Depth(p.ContainingType))
            .ThenBy(p => p.Locations.FirstOrDefault()?.SourceSpan.Start ?? 0)
            .ToList();
    }

    private static int Depth(INamedTypeSymbol type)
    {
        int depth = 0;
        for (INamedTypeSymbol? t = type.BaseType; t is not null; t = t.BaseType)
        {
            depth++;
        }

        return depth;
    }

    /// <summary>
    /// The ordinal of the entity's row version, its <c>[ConcurrencyCheck]</c> property: -1 when it has none, or
    /// when the property cannot be one (then with a diagnostic). Repos sets it on every write: on a copy
    /// (<c>with</c>) for a record, on the object itself for a class, which therefore needs a set accessor.
    /// </summary>
    private static int FindRowVersion(INamedTypeSymbol type, ObjectSpec entity, int keyIndex, List<DiagnosticInfo> diagnostics)
    {
        List<IPropertySymbol> marked = RowVersionCandidates(type);
        if (marked.Count == 0)
        {
            return -1;
        }

        if (marked.Count > 1)
        {
            diagnostics.Add(DiagnosticInfo.Create(
                DiagnosticDescriptors.EntityHasSeveralRowVersions.Id, marked[1].Locations.FirstOrDefault().ToInfo(), type.Name, marked[1].Name, marked[0].Name));
            return -1;
        }

        IPropertySymbol property = marked[0];
        LocationInfo? where = property.Locations.FirstOrDefault().ToInfo();
        if (property.Type.SpecialType is not (SpecialType.System_Int32 or SpecialType.System_Int64))
        {
            diagnostics.Add(DiagnosticInfo.Create(
                DiagnosticDescriptors.UnsupportedRowVersionType.Id, where, property.Name, type.Name, property.Type.ToDisplayString()));
            return -1;
        }

        int ordinal = IndexOf(entity, property.Name);
        string? reason = ordinal < 0
            ? "it is not stored; a stored property is public, readable, settable (set, init or a primary constructor parameter) and not [NotMapped]"
            : ordinal == keyIndex
                ? "it is the entity's key"
                : property.SetMethod is not { DeclaredAccessibility: Accessibility.Public or Accessibility.Internal } setter
                    ? "it has no public or internal set or init accessor to give it a new value"
                    : !type.IsRecord && setter.IsInitOnly
                        ? $"'{type.Name}' is a class, not a record, so Repos sets its row version in place, which an init accessor does not allow; give it a set accessor, or make '{type.Name}' a record"
                        : null;
        if (reason is not null)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.RowVersionCannotBeSet.Id, where, property.Name, type.Name, reason));
            return -1;
        }

        return ordinal;
    }

    private static int FindKey(INamedTypeSymbol type, ObjectSpec entity, List<DiagnosticInfo> diagnostics, LocationInfo? location, out KeyGeneration generation)
    {
        generation = KeyGeneration.None;
        // [Key] on a base property and on its override (or a property hiding it) marks one key, named once.
        IPropertySymbol[] keys = AllProperties(type)
            .Where(p => p.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == KnownTypes.KeyAttribute))
            .GroupBy(p => p.Name, StringComparer.Ordinal)
            .Select(g => g.First())
            .ToArray();
        if (keys.Length == 0)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.EntityHasNoKey.Id, location, type.Name));
            return -1;
        }

        if (keys.Length > 1)
        {
            diagnostics.Add(DiagnosticInfo.Create(
                DiagnosticDescriptors.EntityHasSeveralKeys.Id, keys[1].Locations.FirstOrDefault().ToInfo(), type.Name, keys[1].Name, keys[0].Name));
            return -1;
        }

        int index = IndexOf(entity, keys[0].Name);
        if (index < 0)
        {
            return -1;
        }

        ValueKind kind = entity.Properties[index].Type.Kind;
        if (kind is not (ValueKind.Guid or ValueKind.String or ValueKind.Int32 or ValueKind.Int64) || entity.Properties[index].Type.IsNullableReference)
        {
            diagnostics.Add(DiagnosticInfo.Create(
                DiagnosticDescriptors.UnsupportedKeyType.Id, keys[0].Locations.FirstOrDefault().ToInfo(), keys[0].Name, type.Name, keys[0].Type.ToDisplayString()));
            return -1;
        }

        generation = FindKeyGeneration(type, keys[0], kind, diagnostics);
        return index;
    }

    /// <summary>
    /// How the key is assigned: by Repos on insert when it is marked <c>[DatabaseGenerated(DatabaseGeneratedOption.Identity)]</c>
    /// (the next number of a counter for <c>int</c> and <c>long</c>, a version 7 GUID for <c>Guid</c>), else by the app.
    /// Reports the attribute on any other property, with any other option, or on a key Repos cannot assign.
    /// </summary>
    private static KeyGeneration FindKeyGeneration(INamedTypeSymbol type, IPropertySymbol key, ValueKind kind, List<DiagnosticInfo> diagnostics)
    {
        KeyGeneration generation = KeyGeneration.None;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (IPropertySymbol property in AllProperties(type))
        {
            AttributeData? attribute = property.GetAttributes().FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == KnownTypes.DatabaseGeneratedAttribute);
            if (!seen.Add(property.Name) || attribute is null
                || attribute.ConstructorArguments.Length != 1 || attribute.ConstructorArguments[0].Value is not int option || option == 0)
            {
                continue;
            }

            string optionName = option switch { 1 => "Identity", 2 => "Computed", _ => option.ToString(System.Globalization.CultureInfo.InvariantCulture) };
            LocationInfo? where = property.Locations.FirstOrDefault().ToInfo();
            if (property.Name != key.Name)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.GeneratedPropertyNotKey.Id, where, property.Name, type.Name, optionName));
                continue;
            }

            if (option != 1 || kind is not (ValueKind.Int32 or ValueKind.Int64 or ValueKind.Guid))
            {
                string what = option != 1 ? $"marked {optionName}" : $"a {key.Type.ToDisplayString()}";
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedGeneratedKey.Id, where, key.Name, type.Name, optionName, what));
                continue;
            }

            // A record gets a copy with the key (with), a class the key set in place, which needs a setter.
            string? reason = key.SetMethod is not { DeclaredAccessibility: Accessibility.Public or Accessibility.Internal } setter
                ? "it has no public or internal set or init accessor to give it a value"
                : !type.IsRecord && setter.IsInitOnly
                    ? $"'{type.Name}' is a class, not a record, so Repos sets the assigned key in place, which an init accessor does not allow; give it a set accessor, or make '{type.Name}' a record"
                    : null;
            if (reason is not null)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.GeneratedKeyCannotBeSet.Id, where, key.Name, type.Name, reason));
                continue;
            }

            generation = kind == ValueKind.Guid ? KeyGeneration.GuidVersion7 : KeyGeneration.Sequence;
        }

        return generation;
    }

    private static EquatableArray<IndexSpec> ParseIndexes(
        INamedTypeSymbol type,
        ObjectSpec entity,
        List<DiagnosticInfo> diagnostics,
        CancellationToken cancellationToken)
    {
        var indexes = new List<IndexSpec>();
        var seen = new HashSet<string>(StringComparer.Ordinal);

        void Add(string[] names, bool isUnique, bool ignoreCase, Location? where)
        {
            if (names.Length == 0)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.EmptyIndex.Id, where.ToInfo(), type.Name));
                return;
            }

            var ordinals = new List<int>();
            foreach (string name in names)
            {
                int ordinal = IndexOf(entity, name);
                if (ordinal < 0)
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.IndexPropertyNotFound.Id, where.ToInfo(), type.Name, name));
                    return;
                }

                if (ordinals.Contains(ordinal))
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.IndexRepeatsProperty.Id, where.ToInfo(), type.Name, name));
                    return;
                }

                PropertySpec property = entity.Properties[ordinal];
                if (!TypeClassifier.IsIndexable(property.Type))
                {
                    diagnostics.Add(DiagnosticInfo.Create(
                        DiagnosticDescriptors.PropertyCannotBeIndexed.Id, where.ToInfo(), name, type.Name, property.Type.TypeName.Replace("global::", string.Empty)));
                    return;
                }

                if (ColumnNameProblem(entity, indexes, ordinals, ordinal) is { } problem)
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.IndexColumnNameNotAllowed.Id, where.ToInfo(), name, type.Name, problem));
                    return;
                }

                ordinals.Add(ordinal);
            }

            string indexName = string.Join("_", names);
            if (!seen.Add(string.Join(",", ordinals)))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.DuplicateIndex.Id, where.ToInfo(), type.Name, string.Join(", ", names)));
                return;
            }

            if (ignoreCase && !ordinals.Any(o => entity.Properties[o].Type.Kind == ValueKind.String))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.IgnoreCaseWithoutString.Id, where.ToInfo(), type.Name, string.Join(", ", names)));
                return;
            }

            foreach (IndexSpec other in indexes)
            {
                foreach (int ordinal in ordinals)
                {
                    if (other.IgnoreCase != ignoreCase && other.Properties.Contains(ordinal) && entity.Properties[ordinal].Type.Kind == ValueKind.String)
                    {
                        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.IgnoreCaseConflict.Id, where.ToInfo(), type.Name, entity.Properties[ordinal].Name));
                        return;
                    }
                }
            }

            string methodName = string.Join("And", names);
            if (indexes.FirstOrDefault(i => i.MethodName == methodName) is { } same)
            {
                diagnostics.Add(DiagnosticInfo.Create(
                    DiagnosticDescriptors.IndexMethodsCollide.Id,
                    where.ToInfo(),
                    type.Name,
                    string.Join(", ", same.Properties.Select(o => entity.Properties[o].Name)),
                    string.Join(", ", names),
                    methodName));
                return;
            }

            // Index names are the properties joined by '_', so (A, B) and a property A_B would share one: the later gets a number.
            string storedName = indexName;
            for (int n = 2; indexes.Any(i => string.Equals(i.Name, storedName, StringComparison.OrdinalIgnoreCase)); n++)
            {
                storedName = indexName + "_" + n.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            indexes.Add(new IndexSpec(storedName, methodName, ordinals.ToEquatableArray(), isUnique, ignoreCase));
        }

        // [Indexed] on a base property and on its override is one index.
        var indexed = new HashSet<string>(StringComparer.Ordinal);
        foreach (IPropertySymbol property in AllProperties(type))
        {
            foreach (AttributeData attribute in property.GetAttributes())
            {
                if (attribute.AttributeClass?.ToDisplayString() == KnownTypes.IndexedAttribute && indexed.Add(property.Name))
                {
                    Add([property.Name], Unique(attribute), IgnoreCase(attribute), property.Locations.FirstOrDefault());
                }
            }
        }

        foreach (AttributeData attribute in type.GetAttributes())
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (attribute.AttributeClass?.ToDisplayString() != KnownTypes.IndexAttribute)
            {
                continue;
            }

            string[] names = attribute.ConstructorArguments.Length == 1 && attribute.ConstructorArguments[0].Kind == TypedConstantKind.Array
                ? (attribute.ConstructorArguments[0].IsNull ? [] : attribute.ConstructorArguments[0].Values.Select(v => v.Value as string ?? string.Empty).ToArray())
                : attribute.ConstructorArguments.Select(v => v.Value as string ?? string.Empty).ToArray();
            Add(names, Unique(attribute), IgnoreCase(attribute), attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken).GetLocation());
        }

        return indexes.ToEquatableArray();
    }

    /// <summary>
    /// Why the property at <paramref name="ordinal"/> cannot be an index column, or null. Its column is named after it,
    /// and SQLite compares column names ignoring case: so no other index column, nor a column Repos keeps itself
    /// (<c>key</c>, <c>_schema</c>, <c>_blob</c>) or a name of SQLite's row id, may differ from it only in case.
    /// </summary>
    private static string? ColumnNameProblem(ObjectSpec entity, List<IndexSpec> indexes, List<int> current, int ordinal)
    {
        string name = entity.Properties[ordinal].Name;
        foreach (string reserved in s_reservedColumns)
        {
            if (string.Equals(name, reserved, StringComparison.OrdinalIgnoreCase))
            {
                return $"the table has a column '{reserved}' of its own, and SQLite compares column names ignoring case";
            }
        }

        foreach (int other in indexes.SelectMany(i => i.Properties).Concat(current))
        {
            string otherName = entity.Properties[other].Name;
            if (other != ordinal && string.Equals(name, otherName, StringComparison.OrdinalIgnoreCase))
            {
                return $"its column and that of '{otherName}' would share a name, since SQLite compares column names ignoring case";
            }
        }

        return null;
    }

    private static readonly string[] s_reservedColumns = ["key", "_schema", "_blob", "rowid", "oid", "_rowid_"];

    private static bool Unique(AttributeData attribute) =>
        attribute.NamedArguments.Any(n => n.Key == "Unique" && n.Value.Value is true);

    private static bool IgnoreCase(AttributeData attribute) =>
        attribute.NamedArguments.Any(n => n.Key == "IgnoreCase" && n.Value.Value is true);

    private static int IndexOf(ObjectSpec spec, string name)
    {
        for (int i = 0; i < spec.Properties.Count; i++)
        {
            if (spec.Properties[i].Name == name)
            {
                return i;
            }
        }

        return -1;
    }

    private static IEnumerable<IPropertySymbol> AllProperties(INamedTypeSymbol type)
    {
        for (INamedTypeSymbol? t = type; t is not null && t.SpecialType != SpecialType.System_Object; t = t.BaseType)
        {
            foreach (IPropertySymbol property in t.GetMembers().OfType<IPropertySymbol>())
            {
                yield return property;
            }
        }
    }
}
