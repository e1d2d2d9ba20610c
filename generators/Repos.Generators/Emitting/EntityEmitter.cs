using System.Collections.Generic;
using System.Linq;
using Repos.Generators.Model;
using Repos.Generators.Parsing;

namespace Repos.Generators.Emitting;

/// <summary>
/// Emits an entity's repository file: the entity's validation hook, its definition (key, index columns,
/// serializer, validator) and its typed repository with one query family per index.
/// </summary>
internal static class EntityEmitter
{
    private const string ColumnValue = "global::Repos.Internal.ColumnValue";

    public static string Emit(EntitySpec spec)
    {
        ObjectSpec entity = spec.Object;
        SourceWriter w = Emitting.Emit.Start(entity.Namespace);
        EmitPartial(w, spec);
        w.Line();
        EmitDefinition(w, spec);
        w.Line();
        EmitRepository(w, spec);
        return w.ToString();
    }

    private static void EmitPartial(SourceWriter w, EntitySpec spec)
    {
        using (w.Block($"partial {spec.TypeKeyword} {Naming.Escape(spec.Object.Name)}"))
        {
            w.Line("/// <summary>Adds the rules only code can express to <paramref name=\"errors\"/>; implement it in your part of the type.</summary>");
            w.Line("partial void Validate(global::Repos.ValidationErrors errors);");
            for (int from = 1; from < spec.Version; from++)
            {
                w.Line();
                w.Line($"/// <summary>Upgrades a row stored at version {from} to version {from + 1}: change <paramref name=\"row\"/> in place, or delete it. Repos calls it for every such row when it opens a file.</summary>");
                string hides = spec.HidingMigrations.Contains(from) ? "new " : string.Empty;
                w.Line($"internal static {hides}partial void MigrateFromVersion{from}(global::Repos.Migrations.StoredRow row);");
            }

            if (spec.HasValidateHook)
            {
                // Static and typed by the entity, so a derived entity's overloads its base's instead of hiding it.
                w.Line();
                w.Line($"internal static void CollectValidationErrors({spec.Object.TypeName} entity, global::Repos.ValidationErrors errors) => entity.Validate(errors);");
            }
        }
    }

    private static void EmitDefinition(SourceWriter w, EntitySpec spec)
    {
        ObjectSpec entity = spec.Object;
        PropertySpec key = spec.Key;
        string keyType = key.Type.TypeName;
        List<int> columns = Columns(spec);
        HashSet<int> folded = FoldedColumns(spec);

        w.Line($"/// <summary>What the Repos runtime knows of <see cref=\"{entity.TypeName}\"/>: table, key, indexes, serializer and validator.</summary>");
        w.Line(Emitting.Emit.GeneratedCode);
        using (w.Block($"internal sealed class {spec.DefinitionName} : global::Repos.Internal.EntityDefinition<{entity.TypeName}, {keyType}, global::{entity.FullName}Serializer>"))
        {
            w.Line($"public static readonly {spec.DefinitionName} Instance = new();");
            w.Line();
            w.Line($"private {spec.DefinitionName}()");
            w.Indent();
            w.Line($": base(\"{entity.Name}\", {Emitting.Emit.Literal(spec.TableName)}, {spec.Version}, \"{key.Name}\", global::Repos.Internal.ColumnKind.{TypeClassifier.ColumnKind(key.Type)},");
            w.Indent();
            w.Line(spec.Nested.Count == 0
                ? "global::System.Array.Empty<global::Repos.Internal.TypeShape>(),"
                : $"new global::Repos.Internal.TypeShape[] {{ {string.Join(", ", spec.Nested.Select(n => $"global::{n.FullName}Serializer.Shape"))} }},");
            w.Line(columns.Count == 0
                ? "global::System.Array.Empty<global::Repos.Internal.IndexColumn>(),"
                : $"new global::Repos.Internal.IndexColumn[] {{ {string.Join(", ", columns.Select(c => IndexColumn(entity.Properties[c], folded.Contains(c))))} }},");
            string end = spec.Enums.Count == 0 ? ")" : ",";
            w.Line(spec.Indexes.Count == 0
                ? $"global::System.Array.Empty<global::Repos.Internal.IndexDefinition>(){end}"
                : $"new global::Repos.Internal.IndexDefinition[] {{ {string.Join(", ", spec.Indexes.Select(i => $"new(\"{i.Name}\", new[] {{ {string.Join(", ", i.Properties.Select(p => $"\"{entity.Properties[p].Name}\""))} }}, {(i.Unique ? "true" : "false")})"))} }}{end}");
            if (spec.Enums.Count > 0)
            {
                w.Line("new global::Repos.Internal.EnumShape[]");
                w.Line("{");
                w.Indent();
                foreach (EnumSpec e in spec.Enums)
                {
                    string members = string.Join(", ", e.Members.Select(m => $"\"{m}\""));
                    string values = string.Join(", ", e.Values);
                    string flags = e.IsFlags ? "true" : "false";
                    w.Line($"new(\"{e.Name}\", \"{e.UnderlyingType}\", {flags}, new[] {{ {members} }}, new long[] {{ {values} }}),");
                }

                w.Unindent();
                w.Line("})");
            }

            w.Unindent();
            w.Unindent();
            w.Line("{ }");
            w.Line();

            w.Line($"public override {keyType} GetKey({entity.TypeName} entity) => entity.{Naming.Escape(key.Name)};");
            w.Line($"public override {ColumnValue} GetKeyColumn({keyType} key) => {ValueEmitter.Column(key.Type, "key")};");
            if (spec.HasValidateHook)
            {
                w.Line($"public override void Validate({entity.TypeName} entity, global::Repos.ValidationErrors errors)");
                w.Line("{");
                w.Line("    base.Validate(entity, errors);");
                w.Line($"    {entity.TypeName}.CollectValidationErrors(entity, errors);");
                w.Line("}");
            }

            if (columns.Count > 0)
            {
                EmitIndexColumns(w, spec, columns, folded);
            }

            if (spec.RowVersion is { } rowVersion)
            {
                EmitRowVersion(w, spec, rowVersion);
            }

            if (spec.KeyGeneration != KeyGeneration.None)
            {
                EmitKeyGeneration(w, spec);
            }

            if (spec.MigrateLazily)
            {
                w.Line("protected override bool MigratesLazily => true;");
            }

            if (spec.Synced)
            {
                w.Line("public override bool IsSynced => true;");
            }

            if (spec.Version > 1)
            {
                using (w.Block("protected override void Migrate(int fromVersion, global::Repos.Migrations.StoredRow row)"))
                {
                    using (w.Block("switch (fromVersion)"))
                    {
                        for (int from = 1; from < spec.Version; from++)
                        {
                            w.Line($"case {from}:");
                            w.Line($"    {entity.TypeName}.MigrateFromVersion{from}(row);");
                            w.Line("    break;");
                        }

                        w.Line("default:");
                        w.Line("    base.Migrate(fromVersion, row);");
                        w.Line("    break;");
                    }
                }
            }
        }
    }

    /// <summary>The index column values of an entity, in the definition's column order.</summary>
    private static void EmitIndexColumns(SourceWriter w, EntitySpec spec, List<int> columns, HashSet<int> folded)
    {
        ObjectSpec entity = spec.Object;
        using (w.Block($"public override void GetIndexColumns({entity.TypeName} entity, global::System.Span<{ColumnValue}> values)"))
        {
            for (int i = 0; i < columns.Count; i++)
            {
                PropertySpec property = entity.Properties[columns[i]];
                w.Line($"values[{i}] = {ValueEmitter.Column(property.Type, $"entity.{Naming.Escape(property.Name)}", folded.Contains(columns[i]))};");
            }
        }
    }

    /// <summary>The row version's accessors: Repos checks it on every write and stores the next one.</summary>
    private static void EmitRowVersion(SourceWriter w, EntitySpec spec, PropertySpec property)
    {
        string entity = spec.Object.TypeName;
        string value = property.Type.Kind == ValueKind.Int32 ? "checked((int)version)" : "version";
        w.Line($"public override string RowVersionProperty => \"{property.Name}\";");
        w.Line($"public override long GetRowVersion({entity} entity) => entity.{Naming.Escape(property.Name)};");
        if (!spec.SetsRowVersionInPlace)
        {
            w.Line($"public override {entity} WithRowVersion({entity} entity, long version) => entity with {{ {Naming.Escape(property.Name)} = {value} }};");
            return;
        }

        using (w.Block($"public override {entity} WithRowVersion({entity} entity, long version)"))
        {
            w.Line($"entity.{Naming.Escape(property.Name)} = {value};");
            w.Line("return entity;");
        }
    }

    /// <summary>The key Repos assigns on insert: how, and how the assigned key is given to the entity.</summary>
    private static void EmitKeyGeneration(SourceWriter w, EntitySpec spec)
    {
        string entity = spec.Object.TypeName;
        PropertySpec key = spec.Key;
        w.Line($"public override global::Repos.Internal.KeyGeneration KeyGeneration => global::Repos.Internal.KeyGeneration.{spec.KeyGeneration};");
        if (spec.TypeKeyword != "class")
        {
            w.Line($"public override {entity} WithKey({entity} entity, {key.Type.TypeName} key) => entity with {{ {Naming.Escape(key.Name)} = key }};");
            return;
        }

        using (w.Block($"public override {entity} WithKey({entity} entity, {key.Type.TypeName} key)"))
        {
            w.Line($"entity.{Naming.Escape(key.Name)} = key;");
            w.Line("return entity;");
        }
    }

    private static void EmitRepository(SourceWriter w, EntitySpec spec)
    {
        ObjectSpec entity = spec.Object;
        string keyType = spec.Key.Type.TypeName;
        w.Line($"/// <summary>The repository of <see cref=\"{entity.TypeName}\"/>: reads, writes and typed index queries.</summary>");
        w.Line(Emitting.Emit.GeneratedCode);
        using (w.Block($"{entity.Accessibility} sealed class {Naming.Escape(spec.RepositoryName)} : global::Repos.Repository<{entity.TypeName}, {keyType}>"))
        {
            w.Line("/// <summary>Creates the repository of an open database.</summary>");
            w.Line($"internal {Naming.Escape(spec.RepositoryName)}(global::Repos.ReposDatabase database) : base(database, {spec.DefinitionName}.Instance) {{ }}");

            for (int index = 0; index < spec.Indexes.Count; index++)
            {
                EmitQueries(w, spec, index, keyType);
            }
        }
    }

    private static void EmitQueries(SourceWriter w, EntitySpec spec, int index, string keyType)
    {
        ObjectSpec entity = spec.Object;
        IndexSpec indexSpec = spec.Indexes[index];
        PropertySpec[] properties = indexSpec.Properties.Select(p => entity.Properties[p]).ToArray();
        HashSet<int> folded = FoldedColumns(spec);
        bool[] fold = indexSpec.Properties.Select(folded.Contains).ToArray();
        string columns = string.Join(", ", properties.Select(p => p.Name));
        string kind = indexSpec.Unique ? "unique index" : "index";

        // The method's own parameter is never a property's: a property CancellationToken gets cancellationToken2.
        string[] names = Naming.Parameters(properties.Select(p => p.Name).ToArray(), "cancellationToken");

        for (int prefix = 0; prefix <= properties.Length; prefix++)
        {
            w.Line();
            string parameters = string.Join(", ", properties.Take(prefix).Select((p, i) => $"{p.Type.TypeName} {names[i]}"));
            string values = prefix == 0
                ? "global::System.Array.Empty<global::Repos.Internal.ColumnValue>()"
                : $"new {ColumnValue}[] {{ {string.Join(", ", properties.Take(prefix).Select((p, i) => ValueEmitter.Column(p.Type, names[i], fold[i])))} }}";
            string equality = prefix switch
            {
                0 => string.Empty,
                1 => $" with {properties[0].Name} equal to the given value",
                _ => $" with {string.Join(" and ", properties.Take(prefix).Select(p => p.Name))} equal to the given values",
            };
            if (prefix < properties.Length)
            {
                PropertySpec next = properties[prefix];
                w.Line($"/// <summary>Queries through the {kind} on ({columns}){equality}; a range can follow on {next.Name}. Results come in index order.</summary>");
                w.Line($"public global::Repos.Querying.IndexQuery<{entity.TypeName}, {keyType}, {next.Type.TypeName}> By{indexSpec.MethodName}({parameters}) =>");
                w.Line($"    QueryIndex<{next.Type.TypeName}>({index}, {values}, static value => {ValueEmitter.Column(next.Type, "value", fold[prefix])});");
            }
            else
            {
                w.Line($"/// <summary>Queries through the {kind} on ({columns}){equality}. Results come in key order.</summary>");
                w.Line($"public global::Repos.Querying.IndexQuery<{entity.TypeName}, {keyType}> By{indexSpec.MethodName}({parameters}) =>");
                w.Line($"    QueryIndex({index}, {values});");
                if (indexSpec.Unique)
                {
                    string arguments = string.Join(", ", names);
                    w.Line();
                    w.Line($"/// <summary>Reads the entity whose ({columns}) equal the given values, or null; the unique index finds it.</summary>");
                    w.Line($"public global::System.Threading.Tasks.ValueTask<{entity.TypeName}?> GetBy{indexSpec.MethodName}Async({parameters}, global::System.Threading.CancellationToken cancellationToken = default) =>");
                    w.Line($"    By{indexSpec.MethodName}({arguments}).FirstOrDefaultAsync(cancellationToken);");
                }
            }
        }
    }

    private static string IndexColumn(PropertySpec property, bool folded)
    {
        // Only a value type that is not Nullable<T> is known never to be null.
        bool nullable = property.Type.IsNullableReference || property.Type.Kind is ValueKind.Nullable or ValueKind.String or ValueKind.ByteArray;
        string kind = $"global::Repos.Internal.ColumnKind.{TypeClassifier.ColumnKind(property.Type)}";
        string encoding = TypeClassifier.ColumnEncoding(property.Type, folded) is { } e ? $", Encoding: \"{e}\"" : string.Empty;
        return nullable ? $"new(\"{property.Name}\", {kind}{encoding})" : $"new(\"{property.Name}\", {kind}, Nullable: false{encoding})";
    }

    /// <summary>The string properties an index that ignores case holds: their column stores folded values.</summary>
    public static HashSet<int> FoldedColumns(EntitySpec spec)
    {
        var folded = new HashSet<int>();
        foreach (IndexSpec index in spec.Indexes)
        {
            if (index.IgnoreCase)
            {
                foreach (int property in index.Properties)
                {
                    TypeSpec type = spec.Object.Properties[property].Type;
                    if (type.Kind == ValueKind.String)
                    {
                        folded.Add(property);
                    }
                }
            }
        }

        return folded;
    }

    /// <summary>The index columns: every indexed property once, in order of first use.</summary>
    public static List<int> Columns(EntitySpec spec)
    {
        var columns = new List<int>();
        foreach (IndexSpec index in spec.Indexes)
        {
            foreach (int property in index.Properties)
            {
                if (!columns.Contains(property))
                {
                    columns.Add(property);
                }
            }
        }

        return columns;
    }

}
