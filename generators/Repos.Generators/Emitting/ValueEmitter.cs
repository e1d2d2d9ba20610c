using Repos.Generators.Model;

namespace Repos.Generators.Emitting;

/// <summary>
/// Writes the code that encodes and decodes one value of a supported type: the built-in scalars directly, and
/// everything else (nullable values, collections, stored objects) through the runtime codec of its type.
/// </summary>
internal static class ValueEmitter
{
    private const string Codec = "global::Repos.Internal.ValueCodec";
    private const string Codecs = "global::Repos.Internal.Codecs";

    /// <summary>The statement that encodes <paramref name="value"/> with <c>writer</c>.</summary>
    public static string WriteStatement(TypeSpec type, string value) => type.Kind switch
    {
        ValueKind.Boolean or ValueKind.Byte or ValueKind.SByte or ValueKind.Int16 or ValueKind.UInt16 or ValueKind.Int32
            or ValueKind.UInt32 or ValueKind.Int64 or ValueKind.UInt64 or ValueKind.Single or ValueKind.Double
            or ValueKind.String or ValueKind.ByteArray => $"writer.Write({value});",
        ValueKind.Decimal or ValueKind.Char or ValueKind.Guid or ValueKind.DateTime or ValueKind.DateTimeOffset
            or ValueKind.DateOnly or ValueKind.TimeOnly or ValueKind.TimeSpan => $"{Codec}.Write{type.Kind}(ref writer, {value});",
        ValueKind.Enum => $"writer.Write(({type.Element!.TypeName}){value});",
        _ => $"{CodecOf(type)}.Write(ref writer, {value}, context);",
    };

    /// <summary>The expression that decodes a value of <paramref name="type"/> with <c>reader</c>.</summary>
    public static string ReadExpression(TypeSpec type) => type.Kind switch
    {
        ValueKind.Boolean => "reader.ReadBoolean()",
        ValueKind.Byte or ValueKind.SByte or ValueKind.Int16 or ValueKind.UInt16 or ValueKind.Int32 or ValueKind.UInt32
            or ValueKind.Int64 or ValueKind.UInt64 or ValueKind.Single or ValueKind.Double => $"reader.Read{type.Kind}()",
        ValueKind.String => type.IsNullableReference ? "reader.ReadString()" : $"{Codec}.ReadRequiredString(ref reader)",
        ValueKind.Decimal or ValueKind.Char or ValueKind.Guid or ValueKind.DateTime or ValueKind.DateTimeOffset
            or ValueKind.DateOnly or ValueKind.TimeOnly or ValueKind.TimeSpan => $"{Codec}.Read{type.Kind}(ref reader)",
        ValueKind.Enum => $"({type.TypeName})reader.Read{type.Element!.Kind}()",
        _ => $"{CodecOf(type)}.Read(ref reader, context)",
    };

    /// <summary>
    /// The runtime codec (<c>Repos.Internal.Codecs</c>) of a value of <paramref name="type"/>: one struct type that
    /// composes the codecs of the types inside it, which the JIT specializes into direct code.
    /// </summary>
    public static string CodecOf(TypeSpec type)
    {
        switch (type.Kind)
        {
            case ValueKind.String:
                return type.IsNullableReference ? $"{Codecs}.NullableStringCodec" : $"{Codecs}.StringCodec";
            case ValueKind.ByteArray:
                return type.IsNullableReference ? $"{Codecs}.NullableBytesCodec" : $"{Codecs}.BytesCodec";
            case ValueKind.Enum:
                return $"{Codecs}.EnumCodec<{type.TypeName}, {type.Element!.TypeName}, {CodecOf(type.Element!)}>";
            case ValueKind.Nullable:
                return $"{Codecs}.NullableCodec<{type.Element!.TypeName}, {CodecOf(type.Element!)}>";
            case ValueKind.Object:
                return type.IsNullableReference
                    ? $"{Codecs}.NullableObjectCodec<{type.NonNullableName}, {SerializerOf(type)}>"
                    : $"{Codecs}.ObjectCodec<{type.TypeName}, {SerializerOf(type)}>";
            case ValueKind.Array or ValueKind.List or ValueKind.ReadOnlyList or ValueKind.HashSet or ValueKind.Dictionary:
            {
                string arguments = type.Kind == ValueKind.Dictionary
                    ? $"{type.Key!.TypeName}, {type.Element!.TypeName}, {CodecOf(type.Key!)}, {CodecOf(type.Element!)}"
                    : $"{type.Element!.TypeName}, {CodecOf(type.Element!)}";
                string codec = $"{Codecs}.{CollectionName(type)}Codec<{arguments}>";

                // The collection codecs read nil as null; a non-nullable collection reads it as an empty one.
                return type.IsNullableReference ? codec : $"{Codecs}.NonNullCodec<{type.TypeName}, {codec}>";
            }

            default:
                return $"{Codecs}.{type.Kind}Codec";
        }
    }

    /// <summary>
    /// For an array or a list the code can index (<c>T[]</c>, <c>List&lt;T&gt;</c>, <c>IList&lt;T&gt;</c>,
    /// <c>IReadOnlyList&lt;T&gt;</c>), the member that counts its elements; null for every other type.
    /// </summary>
    public static string? IndexableCount(TypeSpec type) => type.Kind switch
    {
        ValueKind.Array => "Length",
        ValueKind.List or ValueKind.ReadOnlyList when CollectionName(type) is "List" or "IList" or "IReadOnlyList" => "Count",
        _ => null,
    };

    /// <summary>The declared collection type's name without namespace and type arguments: <c>List</c>, <c>IReadOnlyList</c>, <c>Array</c>.</summary>
    private static string CollectionName(TypeSpec type)
    {
        if (type.Kind == ValueKind.Array)
        {
            return "Array";
        }

        string name = type.NonNullableName;
        int open = name.IndexOf('<');
        int dot = name.LastIndexOf('.', open);
        return name.Substring(dot + 1, open - dot - 1);
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
}
