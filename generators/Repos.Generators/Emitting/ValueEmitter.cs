using Repos.Generators.Model;

namespace Repos.Generators.Emitting;

/// <summary>
/// Writes the statements that encode and decode one value of a supported type. Locals get the nesting depth
/// as a suffix so collections of collections do not clash.
/// </summary>
internal static class ValueEmitter
{
    private const string Codec = "global::Repos.Internal.ValueCodec";

    /// <summary>Writes statements that encode <paramref name="value"/> with <c>writer</c>.</summary>
    public static void Write(SourceWriter w, TypeSpec type, string value, string scope)
    {
        switch (type.Kind)
        {
            case ValueKind.Boolean or ValueKind.Byte or ValueKind.SByte or ValueKind.Int16 or ValueKind.UInt16 or ValueKind.Int32
                or ValueKind.UInt32 or ValueKind.Int64 or ValueKind.UInt64 or ValueKind.Single or ValueKind.Double
                or ValueKind.String or ValueKind.ByteArray:
                w.Line($"writer.Write({value});");
                break;
            case ValueKind.Decimal or ValueKind.Char or ValueKind.Guid or ValueKind.DateTime or ValueKind.DateTimeOffset
                or ValueKind.DateOnly or ValueKind.TimeOnly or ValueKind.TimeSpan:
                w.Line($"{Codec}.Write{type.Kind}(ref writer, {value});");
                break;
            case ValueKind.Enum:
                w.Line($"writer.Write(({type.Element!.TypeName}){value});");
                break;
            case ValueKind.Nullable:
            {
                string inner = $"v{scope}";
                using (w.Block($"if ({value} is {{ }} {inner})"))
                {
                    Write(w, type.Element!, inner, scope + "_");
                }

                WriteNilElse(w);
                break;
            }

            default:
                WriteReference(w, type, value, scope);
                break;
        }
    }

    private static void WriteReference(SourceWriter w, TypeSpec type, string value, string scope)
    {
        string v = $"v{scope}";
        using (w.Block($"if ({value} is {{ }} {v})"))
        {
            string i = $"i{scope}";
            switch (type.Kind)
            {
                case ValueKind.Array:
                    w.Line($"writer.WriteArrayHeader({v}.Length);");
                    using (w.Block($"for (int {i} = 0; {i} < {v}.Length; {i}++)"))
                    {
                        Write(w, type.Element!, $"{v}[{i}]", scope + "_");
                    }

                    break;
                case ValueKind.List or ValueKind.ReadOnlyList when HasIndexer(type):
                    w.Line($"writer.WriteArrayHeader({v}.Count);");
                    using (w.Block($"for (int {i} = 0; {i} < {v}.Count; {i}++)"))
                    {
                        Write(w, type.Element!, $"{v}[{i}]", scope + "_");
                    }

                    break;
                case ValueKind.List or ValueKind.ReadOnlyList or ValueKind.HashSet:
                    w.Line($"writer.WriteArrayHeader({v}.Count);");
                    using (w.Block($"foreach ({type.Element!.TypeName} e{scope} in {v})"))
                    {
                        Write(w, type.Element!, $"e{scope}", scope + "_");
                    }

                    break;
                case ValueKind.Dictionary:
                    w.Line($"writer.WriteMapHeader({v}.Count);");
                    using (w.Block($"foreach (var e{scope} in {v})"))
                    {
                        Write(w, type.Key!, $"e{scope}.Key", scope + "_");
                        Write(w, type.Element!, $"e{scope}.Value", scope + "_");
                    }

                    break;
                default:
                    w.Line($"{SerializerOf(type)}.Write(ref writer, {v}, context);");
                    break;
            }
        }

        WriteNilElse(w);
    }

    private static void WriteNilElse(SourceWriter w)
    {
        using (w.Block("else"))
        {
            w.Line("writer.WriteNil();");
        }
    }

    /// <summary>
    /// The expression that decodes a value of <paramref name="type"/>, or null when decoding it takes
    /// statements (collections).
    /// </summary>
    public static string? ReadExpression(TypeSpec type) => type.Kind switch
    {
        ValueKind.Boolean => "reader.ReadBoolean()",
        ValueKind.Byte or ValueKind.SByte or ValueKind.Int16 or ValueKind.UInt16 or ValueKind.Int32 or ValueKind.UInt32
            or ValueKind.Int64 or ValueKind.UInt64 or ValueKind.Single or ValueKind.Double => $"reader.Read{type.Kind}()",
        ValueKind.String => type.IsNullableReference ? "reader.ReadString()" : $"{Codec}.ReadRequiredString(ref reader)",
        ValueKind.ByteArray => type.IsNullableReference ? "reader.ReadBytes()" : "reader.ReadBytes() ?? global::System.Array.Empty<byte>()",
        ValueKind.Decimal or ValueKind.Char or ValueKind.Guid or ValueKind.DateTime or ValueKind.DateTimeOffset
            or ValueKind.DateOnly or ValueKind.TimeOnly or ValueKind.TimeSpan => $"{Codec}.Read{type.Kind}(ref reader)",
        ValueKind.Enum => $"({type.TypeName})reader.Read{type.Element!.Kind}()",
        ValueKind.Nullable when ReadExpression(type.Element!) is { } inner => $"reader.TryReadNil() ? null : {inner}",
        ValueKind.Object => $"reader.TryReadNil() ? {EmptyValue(type)} : {SerializerOf(type)}.Read(ref reader, context)",
        _ => null,
    };

    /// <summary>Writes statements that decode a value with <c>reader</c> and assign it to <paramref name="target"/>.</summary>
    public static void Read(SourceWriter w, TypeSpec type, string target, string scope)
    {
        if (ReadExpression(type) is { } expression)
        {
            w.Line($"{target} = {expression};");
            return;
        }

        using (w.Block("if (reader.TryReadNil())"))
        {
            w.Line($"{target} = {EmptyValue(type)};");
        }

        using (w.Block("else"))
        {
            ReadReference(w, type, target, scope);
        }
    }

    private static void ReadReference(SourceWriter w, TypeSpec type, string target, string scope)
    {
        string c = $"c{scope}";
        string i = $"i{scope}";
        string e = $"e{scope}";
        switch (type.Kind)
        {
            case ValueKind.Array or ValueKind.ReadOnlyList:
                w.Line($"var {c} = {Codec}.NewArray<{type.Element!.TypeName}>(reader.ReadArrayHeader());");
                using (w.Block($"for (int {i} = 0; {i} < {c}.Length; {i}++)"))
                {
                    Read(w, type.Element!, $"{c}[{i}]", scope + "_");
                }

                break;
            case ValueKind.List or ValueKind.HashSet:
            {
                string collection = type.Kind == ValueKind.List ? "List" : "HashSet";
                w.Line($"int count{scope} = reader.ReadArrayHeader();");
                w.Line($"var {c} = new global::System.Collections.Generic.{collection}<{type.Element!.TypeName}>(count{scope});");
                using (w.Block($"for (int {i} = 0; {i} < count{scope}; {i}++)"))
                {
                    if (ReadExpression(type.Element!) is { } element)
                    {
                        w.Line($"{c}.Add({element});");
                    }
                    else
                    {
                        w.Line($"{type.Element!.TypeName} {e};");
                        Read(w, type.Element!, e, scope + "_");
                        w.Line($"{c}.Add({e});");
                    }
                }

                break;
            }

            case ValueKind.Dictionary:
                w.Line($"int count{scope} = reader.ReadMapHeader();");
                w.Line($"var {c} = new global::System.Collections.Generic.Dictionary<{type.Key!.TypeName}, {type.Element!.TypeName}>(count{scope});");
                using (w.Block($"for (int {i} = 0; {i} < count{scope}; {i}++)"))
                {
                    w.Line($"{type.Key!.TypeName} k{scope} = {ReadExpression(type.Key!)};");
                    if (ReadExpression(type.Element!) is { } element)
                    {
                        w.Line($"{c}[k{scope}] = {element};");
                    }
                    else
                    {
                        w.Line($"{type.Element!.TypeName} {e};");
                        Read(w, type.Element!, e, scope + "_");
                        w.Line($"{c}[k{scope}] = {e};");
                    }
                }

                break;
            default:
                w.Line($"{target} = {SerializerOf(type)}.Read(ref reader, context);");
                return;
        }

        w.Line($"{target} = {c};");
    }

    /// <summary>What a missing or nil value of a reference type reads as: null when allowed, else empty.</summary>
    public static string EmptyValue(TypeSpec type)
    {
        if (type.IsNullableReference)
        {
            return "null";
        }

        return type.Kind switch
        {
            ValueKind.String => "string.Empty",
            ValueKind.ByteArray => "global::System.Array.Empty<byte>()",
            ValueKind.Array or ValueKind.ReadOnlyList => $"global::System.Array.Empty<{type.Element!.TypeName}>()",
            ValueKind.List => $"new global::System.Collections.Generic.List<{type.Element!.TypeName}>()",
            ValueKind.HashSet => $"new global::System.Collections.Generic.HashSet<{type.Element!.TypeName}>()",
            ValueKind.Dictionary => $"new global::System.Collections.Generic.Dictionary<{type.Key!.TypeName}, {type.Element!.TypeName}>()",
            ValueKind.Object => "null!",
            _ => "default",
        };
    }

    /// <summary>The initial value of a property's local before its field is read.</summary>
    public static string InitialValue(TypeSpec type) => type.Kind switch
    {
        ValueKind.String or ValueKind.ByteArray or ValueKind.Array or ValueKind.ReadOnlyList or ValueKind.List
            or ValueKind.HashSet or ValueKind.Dictionary or ValueKind.Object => EmptyValue(type),
        _ => "default",
    };

    /// <summary>
    /// The expression that turns a property value into an index column value (folded to upper case when
    /// <paramref name="ignoreCase"/> and the value is a string).
    /// </summary>
    public static string Column(TypeSpec type, string value, bool ignoreCase = false)
    {
        const string ColumnValue = "global::Repos.Internal.ColumnValue";
        TypeSpec inner = type.Kind == ValueKind.Nullable ? type.Element! : type;
        string suffix = type.Kind == ValueKind.Nullable ? "?" : string.Empty;
        return inner.Kind switch
        {
            ValueKind.UInt64 => $"{ColumnValue}.FromUInt64({value})",
            ValueKind.Enum when inner.Element!.Kind == ValueKind.UInt64 => $"{ColumnValue}.FromUInt64((ulong{suffix}){value})",
            ValueKind.Byte or ValueKind.SByte or ValueKind.Int16 or ValueKind.UInt16 or ValueKind.Int32 or ValueKind.UInt32
                or ValueKind.Int64 or ValueKind.Enum => $"{ColumnValue}.From((long{suffix}){value})",
            ValueKind.Single => $"{ColumnValue}.FromOrdered((double{suffix}){value})",
            ValueKind.Double => $"{ColumnValue}.FromOrdered({value})",
            ValueKind.String when ignoreCase => $"{ColumnValue}.FromIgnoreCase({value})",
            _ => $"{ColumnValue}.From({value})",
        };
    }

    /// <summary>The generated serializer class of a nested object type: <c>{Type}Serializer</c> beside the type.</summary>
    public static string SerializerOf(TypeSpec type) => $"global::{type.ObjectName}Serializer";

    private static bool HasIndexer(TypeSpec type) =>
        !type.TypeName.Contains("ICollection<") && !type.TypeName.Contains("IReadOnlyCollection<");
}
