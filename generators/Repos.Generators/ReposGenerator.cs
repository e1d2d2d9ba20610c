using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Repos.Generators.Diagnostics;
using Repos.Generators.Emitting;
using Repos.Generators.Model;
using Repos.Generators.Parsing;

namespace Repos.Generators;

/// <summary>
/// The Repos generator: for each <c>[Entity]</c> its serializer, validator, definition and typed
/// repository; for each type stored inside entities its serializer; for each <c>[Database]</c> its
/// repository properties and <c>OpenAsync</c>.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class ReposGenerator : IIncrementalGenerator
{
    /// <summary>Names of the pipeline steps, for tests that check what is cached.</summary>
    public static class Steps
    {
        /// <summary>Entities parsed into models.</summary>
        public const string Entities = "Entities";

        /// <summary>The distinct nested types of all entities.</summary>
        public const string NestedTypes = "NestedTypes";

        /// <summary>Databases parsed into models.</summary>
        public const string Databases = "Databases";

        /// <summary>Diagnostics that need every database and entity.</summary>
        public const string CrossChecks = "CrossChecks";

        /// <summary>The entities' diagnostics, each once.</summary>
        public const string EntityDiagnostics = "EntityDiagnostics";
    }

    /// <inheritdoc />
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        IncrementalValuesProvider<Result<EntitySpec>> entities = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                KnownTypes.EntityAttribute,
                static (node, _) => node is ClassDeclarationSyntax or RecordDeclarationSyntax,
                static (context, cancellationToken) => EntityParser.Parse(context, cancellationToken))
            .WithTrackingName(Steps.Entities);

        IncrementalValuesProvider<Result<DatabaseSpec>> databases = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                KnownTypes.DatabaseAttribute,
                static (node, _) => node is ClassDeclarationSyntax or RecordDeclarationSyntax,
                static (context, cancellationToken) => DatabaseParser.Parse(context, cancellationToken))
            .WithTrackingName(Steps.Databases);

        // Entity diagnostics are reported from the whole set, once each: a stored type shared by two entities
        // is parsed with both, and its mistakes would otherwise be reported twice.
        IncrementalValueProvider<EquatableArray<DiagnosticInfo>> entityDiagnostics = entities
            .Select(static (r, _) => r.Diagnostics)
            .Collect()
            .Select(static (all, _) => all.SelectMany(d => d).Distinct().ToEquatableArray())
            .WithTrackingName(Steps.EntityDiagnostics);
        context.RegisterSourceOutput(entityDiagnostics, ReportDiagnostics);
        context.RegisterSourceOutput(databases.Select(static (r, _) => r.Diagnostics), ReportDiagnostics);
        context.RegisterSourceOutput(
            context.SyntaxProvider.ForAttributeWithMetadataName(
                KnownTypes.SyncedAttribute,
                static (node, _) => node is TypeDeclarationSyntax,
                static (context, cancellationToken) => EntityParser.CheckSynced(context, cancellationToken)),
            ReportDiagnostics);

        IncrementalValuesProvider<EntitySpec> validEntities = entities
            .Where(static r => r.Value is not null)
            .Select(static (r, _) => r.Value!);
        context.RegisterSourceOutput(validEntities, static (output, spec) =>
        {
            ObjectSpec entity = spec.Object;
            output.AddSource(Emit.HintName(entity.Namespace, entity.Name, "Serializer"), SerializerEmitter.Emit(entity));
            output.AddSource(Emit.HintName(entity.Namespace, entity.Name, "Repository"), EntityEmitter.Emit(spec));
        });

        IncrementalValueProvider<EquatableArray<NestedFile>> nested = validEntities
            .Collect()
            .Select(static (all, cancellationToken) => DistinctNested(all))
            .WithTrackingName(Steps.NestedTypes);
        context.RegisterSourceOutput(nested, static (output, types) =>
        {
            foreach (NestedFile file in types)
            {
                output.AddSource(file.HintName, SerializerEmitter.Emit(file.Type));
            }
        });

        IncrementalValuesProvider<DatabaseSpec> validDatabases = databases
            .Where(static r => r.Value is not null)
            .Select(static (r, _) => r.Value!);
        // A database is emitted only when all its entities are valid: their diagnostics say what is wrong,
        // and a database referring to repositories that do not exist would only add noise to them.
        IncrementalValueProvider<EquatableArray<string>> validEntityNames = validEntities
            .Select(static (spec, _) => spec.Object.FullName)
            .Collect()
            .Select(static (names, _) => names.OrderBy(n => n, System.StringComparer.Ordinal).ToEquatableArray());

        // The emitter needs no locations; dropping them keeps an edit above the class from re-emitting it.
        IncrementalValuesProvider<DatabaseSpec> emittableDatabases = validDatabases
            .Select(static (spec, _) => spec.WithoutLocations())
            .Combine(validEntityNames)
            .Where(static pair => pair.Left.Entities.All(e => pair.Right.Contains(e.FullName)))
            .Select(static (pair, _) => pair.Left);
        context.RegisterSourceOutput(emittableDatabases, static (output, spec) =>
            output.AddSource(Emit.HintName(spec.Namespace, spec.Name, "Database"), DatabaseEmitter.Emit(spec)));

        IncrementalValueProvider<EquatableArray<DiagnosticInfo>> crossChecks = validDatabases
            .Collect()
            .Combine(validEntities.Collect())
            .Select(static (pair, _) => CrossCheck(pair.Left, pair.Right))
            .WithTrackingName(Steps.CrossChecks);
        context.RegisterSourceOutput(crossChecks, ReportDiagnostics);
    }

    private static void ReportDiagnostics(SourceProductionContext output, EquatableArray<DiagnosticInfo> diagnostics)
    {
        foreach (DiagnosticInfo info in diagnostics)
        {
            output.ReportDiagnostic(Diagnostic.Create(
                DiagnosticDescriptors.ById(info.Id),
                info.Location.ToLocation(),
                info.Arguments.Cast<object>().ToArray()));
        }
    }

    /// <summary>A stored type's serializer and the name of its file.</summary>
    private sealed record NestedFile(string HintName, ObjectSpec Type);

    /// <summary>
    /// Every nested type once, sorted, leaving out entities (they get their serializer as entities). File names are
    /// compared ignoring case, so a stored type named like another or like an entity but for case (<c>Part</c> and
    /// <c>part</c>) gets a numbered file: <c>part.Serializer2.g.cs</c>.
    /// </summary>
    private static EquatableArray<NestedFile> DistinctNested(ImmutableArray<EntitySpec> entities)
    {
        var entityNames = new HashSet<string>(entities.Select(e => e.Object.FullName));
        var byName = new SortedDictionary<string, ObjectSpec>(System.StringComparer.Ordinal);
        foreach (EntitySpec entity in entities)
        {
            foreach (ObjectSpec type in entity.Nested)
            {
                if (!entityNames.Contains(type.FullName))
                {
                    byName[type.FullName] = type;
                }
            }
        }

        var taken = new HashSet<string>(
            entities.Select(e => Emit.HintName(e.Object.Namespace, e.Object.Name, "Serializer")), System.StringComparer.OrdinalIgnoreCase);
        var files = new List<NestedFile>();
        foreach (ObjectSpec type in byName.Values)
        {
            string hint = Emit.HintName(type.Namespace, type.Name, "Serializer");
            for (int n = 2; !taken.Add(hint); n++)
            {
                hint = Emit.HintName(type.Namespace, type.Name, "Serializer" + n.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }

            files.Add(new NestedFile(hint, type));
        }

        return files.ToEquatableArray();
    }

    /// <summary>Checks that need the whole model: an entity in two databases, two entities in one table.</summary>
    private static EquatableArray<DiagnosticInfo> CrossCheck(ImmutableArray<DatabaseSpec> databases, ImmutableArray<EntitySpec> entities)
    {
        var diagnostics = new List<DiagnosticInfo>();
        var owner = new Dictionary<string, string>(System.StringComparer.Ordinal);
        Dictionary<string, EntitySpec> byName = entities
            .GroupBy(e => e.Object.FullName)
            .ToDictionary(g => g.Key, g => g.First(), System.StringComparer.Ordinal);
        foreach (DatabaseSpec database in databases.OrderBy(d => d.Namespace + "." + d.Name, System.StringComparer.Ordinal))
        {
            var tables = new Dictionary<string, string>(System.StringComparer.OrdinalIgnoreCase);
            foreach (DatabaseEntitySpec entity in database.Entities)
            {
                if (owner.TryGetValue(entity.FullName, out string? first))
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.EntityInSeveralDatabases.Id, entity.Location, entity.Name, first, database.Name));
                }
                else
                {
                    owner[entity.FullName] = database.Name;
                }

                if (byName.TryGetValue(entity.FullName, out EntitySpec? spec))
                {
                    if (tables.TryGetValue(spec.TableName, out string? other))
                    {
                        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.DuplicateTableName.Id, entity.Location, other, entity.Name, database.Name, spec.TableName));
                    }
                    else
                    {
                        tables[spec.TableName] = entity.Name;
                    }
                }
            }
        }

        return diagnostics.ToEquatableArray();
    }
}
