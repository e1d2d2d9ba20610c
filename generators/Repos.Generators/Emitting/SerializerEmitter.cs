using System.Linq;
using Repos.Generators.Model;
using Repos.Generators.Parsing;

namespace Repos.Generators.Emitting;

/// <summary>Emits the serializer and validator of a stored type: <c>{Type}Serializer</c>.</summary>
internal static class SerializerEmitter
{
    private const string Writer = "global::Repos.Serialization.MessagePackWriter";
    private const string Reader = "global::Repos.Serialization.MessagePackReader";
    private const string Context = "global::Repos.Internal.SerializationContext";

    public static string Emit(ObjectSpec spec)
    {
        SourceWriter w = Emitting.Emit.Start(spec.Namespace);
        if (spec.CreatedInside)
        {
            EmitCreate(w, spec);
            w.Line();
        }

        w.Line($"/// <summary>Stores <see cref=\"{spec.TypeName}\"/> values as MessagePack maps of field ids to values, and validates them.</summary>");
        w.Line(Emitting.Emit.GeneratedCode);
        using (w.Block($"internal readonly struct {spec.SerializerName} : global::Repos.Internal.Codecs.IObjectSerializer<{spec.TypeName}>"))
        {
            EmitShape(w, spec);
            w.Line();
            EmitWrite(w, spec);
            w.Line();
            EmitRead(w, spec);
            w.Line();
            ValidationEmitter.EmitValidate(w, spec);
        }

        return w.ToString();
    }

    private static void EmitShape(SourceWriter w, ObjectSpec spec)
    {
        w.Line("/// <summary>The stored fields, in declaration order; each database file assigns their ids.</summary>");
        w.Line("public static global::Repos.Internal.TypeShape Shape { get; } = new(");
        w.Indent();
        w.Line($"\"{spec.FullName}\"{(spec.Properties.Count > 0 ? "," : ");")}");
        for (int i = 0; i < spec.Properties.Count; i++)
        {
            PropertySpec property = spec.Properties[i];
            string former = string.Concat(property.FormerNames.Select(n => $", \"{n}\""));
            string end = i == spec.Properties.Count - 1 ? ");" : ",";
            w.Line($"new global::Repos.Internal.FieldDefinition(\"{property.Name}\", \"{property.CatalogType}\"{former}){Traits(property)}{end}");
        }

        w.Unindent();
    }

    /// <summary>
    /// What the catalog type does not say about a property and an import needs: that it is a C# required
    /// member, or a nullable reference (nullable value types show as <c>T?</c> in the type).
    /// </summary>
    private static string Traits(PropertySpec property)
    {
        string required = property.IsRequiredMember ? "IsRequired = true" : string.Empty;
        string nullable = property.Type.IsNullableReference ? "IsNullableReference = true" : string.Empty;
        string both = required.Length > 0 && nullable.Length > 0 ? $"{required}, {nullable}" : required + nullable;
        return both.Length == 0 ? string.Empty : $" {{ {both} }}";
    }

    private static void EmitWrite(SourceWriter w, ObjectSpec spec)
    {
        w.Line("/// <summary>Writes the value as a map of field ids to values.</summary>");
        using (w.Block($"public static void Write(ref {Writer} writer, {spec.TypeName} value, {Context} context)"))
        {
            w.Line("int[] ids = context.GetFieldMap(Shape).Ids;");
            w.Line("writer.EnterObject();");
            w.Line($"writer.WriteMapHeader({spec.Properties.Count});");
            for (int i = 0; i < spec.Properties.Count; i++)
            {
                PropertySpec property = spec.Properties[i];
                string value = $"value.{Naming.Escape(property.Name)}";
                if (ValueEmitter.IndexableCount(property.Type) is { } count)
                {
                    EmitListWrite(w, i, property.Type, value, count);
                }
                else
                {
                    w.Line($"writer.Write(ids[{i}]); {ValueEmitter.WriteStatement(property.Type, value)}");
                }
            }

            w.Line("writer.LeaveObject();");
        }
    }

    /// <summary>
    /// Writes a list or array property with a loop of its own: the collection codecs are generic over a
    /// reference type, so the JIT shares their code between element types and every element pays for lookups
    /// that this loop, written for the one element type, does not make.
    /// </summary>
    private static void EmitListWrite(SourceWriter w, int ordinal, TypeSpec type, string value, string count)
    {
        w.Line($"writer.Write(ids[{ordinal}]);");
        using (w.Block($"if ({value} is {{ }} items{ordinal})"))
        {
            w.Line($"writer.WriteArrayHeader(items{ordinal}.{count});");
            using (w.Block($"for (int i = 0; i < items{ordinal}.{count}; i++)"))
            {
                w.Line(ValueEmitter.WriteStatement(type.Element!, $"items{ordinal}[i]"));
            }
        }

        using (w.Block("else"))
        {
            w.Line("writer.WriteNil();");
        }
    }

    /// <summary>Reads a list or array property with a loop of its own, for the reason <see cref="EmitListWrite"/> gives.</summary>
    private static void EmitListRead(SourceWriter w, int ordinal, TypeSpec type, bool hasDefault)
    {
        string element = type.Element!.TypeName;
        string read = ValueEmitter.ReadExpression(type.Element!);
        using (w.Block($"case {ordinal}:"))
        {
            if (hasDefault)
            {
                w.Line($"missing{ordinal} = false;");
            }

            using (w.Block("if (reader.TryReadNil())"))
            {
                w.Line($"p{ordinal} = {ValueEmitter.EmptyValue(type)};");
            }

            using (w.Block("else"))
            {
                if (type.Kind == ValueKind.List)
                {
                    w.Line($"int length{ordinal} = reader.ReadArrayHeader();");
                    w.Line($"global::System.Collections.Generic.List<{element}> items{ordinal} = new(length{ordinal});");
                    using (w.Block($"for (int i = 0; i < length{ordinal}; i++)"))
                    {
                        w.Line($"items{ordinal}.Add({read});");
                    }
                }
                else
                {
                    w.Line($"{element}[] items{ordinal} = global::Repos.Internal.ValueCodec.NewArray<{element}>(reader.ReadArrayHeader());");
                    using (w.Block($"for (int i = 0; i < items{ordinal}.Length; i++)"))
                    {
                        w.Line($"items{ordinal}[i] = {read};");
                    }
                }

                w.Line($"p{ordinal} = items{ordinal};");
            }

            w.Line("break;");
        }
    }

    private static void EmitRead(SourceWriter w, ObjectSpec spec)
    {
        w.Line("/// <summary>Reads a value written by any version of <see cref=\"Write\"/>; fields it does not know are skipped.</summary>");
        using (w.Block($"public static {spec.TypeName} Read(ref {Reader} reader, {Context} context)"))
        {
            w.Line("global::Repos.Internal.FieldMap map = context.GetFieldMap(Shape);");
            w.Line("reader.EnterObject();");
            for (int i = 0; i < spec.Properties.Count; i++)
            {
                PropertySpec property = spec.Properties[i];
                w.Line($"{property.Type.TypeName} p{i} = {ValueEmitter.InitialValue(property.Type)};");
                if (property.HasDefault)
                {
                    w.Line($"bool missing{i} = true;");
                }
            }

            using (w.Block("for (int count = reader.ReadMapHeader(); count > 0; count--)"))
            {
                using (w.Block("switch (map.OrdinalOf(reader.ReadInt64()))"))
                {
                    for (int i = 0; i < spec.Properties.Count; i++)
                    {
                        PropertySpec property = spec.Properties[i];
                        if (ValueEmitter.IndexableCount(property.Type) is not null)
                        {
                            EmitListRead(w, i, property.Type, property.HasDefault);
                        }
                        else
                        {
                            string missing = property.HasDefault ? $"missing{i} = false; " : string.Empty;
                            w.Line($"case {i}: {missing}p{i} = {ValueEmitter.ReadExpression(spec.Properties[i].Type)}; break;");
                        }
                    }

                    w.Line("default: reader.Skip(); break;");
                }
            }

            w.Line("reader.LeaveObject();");
            EmitDefaults(w, spec);
            w.Line();
            if (spec.CreatedInside)
            {
                string values = string.Join(", ", spec.Properties.Select((_, i) => $"p{i}"));
                w.Line($"{spec.TypeName}.CreateStored(out {spec.TypeName} created, {values});");
                w.Line("return created;");
                return;
            }

            EmitCreation(w, spec, "return ");
        }
    }

    /// <summary>
    /// Adds to the type a method that creates a value read back, since only the type's own code can set some of
    /// its properties (private or protected accessors). It hands the value out through an <c>out</c> parameter
    /// of the type's own type, so that the method of a derived type never hides its base type's.
    /// </summary>
    private static void EmitCreate(SourceWriter w, ObjectSpec spec)
    {
        using (w.Block($"partial {spec.PartialKeyword} {Naming.Escape(spec.Name)}"))
        {
            string parameters = string.Join(", ", spec.Properties.Select((p, i) => $"{p.Type.TypeName} p{i}"));
            w.Line("/// <summary>Creates a value Repos read back, with the stored values of the properties only this type's code can set.</summary>");
            w.Line(Emitting.Emit.GeneratedCode);
            using (w.Block($"internal static void CreateStored(out {spec.TypeName} created, {parameters})"))
            {
                EmitCreation(w, spec, "created = ");
            }
        }
    }

    /// <summary>The expression that constructs the value from p0, p1, ...: constructor arguments, then initializers.</summary>
    private static void EmitCreation(SourceWriter w, ObjectSpec spec, string target)
    {
        string arguments = string.Join(", ", spec.Properties
            .Select((p, i) => (p, i))
            .Where(x => x.p.ConstructorParameter is not null)
            .Select(x => $"{Naming.Escape(x.p.ConstructorParameter!)}: p{x.i}"));
        var initializers = spec.Properties
            .Select((p, i) => (p, i))
            .Where(x => x.p.ConstructorParameter is null)
            .ToList();
        if (initializers.Count == 0)
        {
            w.Line($"{target}new {spec.TypeName}({arguments});");
            return;
        }

        using (w.StatementBlock(arguments.Length == 0 ? $"{target}new {spec.TypeName}" : $"{target}new {spec.TypeName}({arguments})"))
        {
            foreach ((PropertySpec property, int i) in initializers)
            {
                w.Line($"{Naming.Escape(property.Name)} = p{i},");
            }
        }
    }

    /// <summary>
    /// Gives the fields a row lacks (written before the property existed, or left out of an imported document) the
    /// values the author's code gives them: a value constructed as the author's code would construct one, with
    /// the row's values for what it must be given (constructor parameters without a default, required members),
    /// holds the initializers' and parameter defaults' values. It is built only when such a field is missing.
    /// </summary>
    private static void EmitDefaults(SourceWriter w, ObjectSpec spec)
    {
        var defaulted = spec.Properties.Select((p, i) => (p, i)).Where(x => x.p.HasDefault).ToList();
        if (defaulted.Count == 0)
        {
            return;
        }

        w.Line();
        using (w.Block($"if ({string.Join(" || ", defaulted.Select(x => $"missing{x.i}"))})"))
        {
            string arguments = string.Join(", ", spec.Properties
                .Select((p, i) => (p, i))
                .Where(x => x.p.ConstructorParameter is not null && !x.p.HasDefault)
                .Select(x => $"{Naming.Escape(x.p.ConstructorParameter!)}: p{x.i}"));
            string required = string.Join(", ", spec.Properties
                .Select((p, i) => (p, i))
                .Where(x => x.p.ConstructorParameter is null && x.p.IsRequiredMember)
                .Select(x => $"{Naming.Escape(x.p.Name)} = p{x.i}"));
            w.Line(required.Length == 0
                ? $"{spec.TypeName} defaults = new {spec.TypeName}({arguments});"
                : $"{spec.TypeName} defaults = new {spec.TypeName}({arguments}) {{ {required} }};");
            foreach ((PropertySpec property, int i) in defaulted)
            {
                w.Line($"if (missing{i}) {{ p{i} = defaults.{Naming.Escape(property.Name)}; }}");
            }
        }
    }
}
