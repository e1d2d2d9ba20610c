using System.Buffers;
using System.Globalization;
using System.Text;
using Repos.Internal;
using Repos.Serialization;

namespace Repos.Tests.Storage;

// The merge of a written payload with the stored one it replaces, on hand-made payloads: the shapes Repos
// stores that the trip tests do not reach (collections of collections, a type that holds itself, dictionaries
// of lists, a type with many properties) and stored values of the wrong shape.
public sealed class CarryOverTests
{
    // The model knows Stop.Place (id 1); the file also has Stop.Note (id 2), from a newer app.
    private static readonly TypeShape s_stop = new("T.Stop", new FieldDefinition("Place", "string"));

    private static readonly TypeShape s_tree = new(
        "T.Tree",
        new FieldDefinition("Label", "string"),
        new FieldDefinition("Children", "System.Collections.Generic.List<T.Tree>"));

    private static readonly TypeShape s_trip = new(
        "T.Trip",
        new FieldDefinition("Name", "string"),
        new FieldDefinition("First", "T.Stop"),
        new FieldDefinition("Days", "System.Collections.Generic.List<T.Stop[]>"),
        new FieldDefinition("ByDay", "System.Collections.Generic.IReadOnlyDictionary<int, System.Collections.Generic.List<T.Stop>>"),
        new FieldDefinition("Tree", "T.Tree"),
        new FieldDefinition("Counts", "System.Collections.Generic.Dictionary<string, int>"));

    private static SerializationContext NewContext(bool stopHasUnknownFields = true, bool treeHasUnknownFields = false) =>
        new([
            new FieldMap(s_trip, [1, 2, 3, 4, 5, 6]) { HasUnknownStoredFields = true },
            new FieldMap(s_stop, [1]) { HasUnknownStoredFields = stopHasUnknownFields },
            new FieldMap(s_tree, [1, 2]) { HasUnknownStoredFields = treeHasUnknownFields },
        ]);

    [Fact]
    public void Shapes_FindTheFieldsThatHoldObjectsWithUnknownFields_AtAnyDepth()
    {
        SerializationContext context = NewContext();

        FieldMap trip = context.GetFieldMap(s_trip);
        Assert.True(trip.CarriesOverStoredFields);
        Assert.Equal(
            [null, "Object(T.Stop)", "Sequence(Sequence(Object(T.Stop)))", "Dictionary(Sequence(Object(T.Stop)))", null, null],
            trip.NestedUnknownFields!.Select(Describe));
        Assert.True(context.GetFieldMap(s_stop).CarriesOverStoredFields);
        Assert.False(context.GetFieldMap(s_tree).CarriesOverStoredFields);
    }

    [Fact]
    public void Shapes_WithNoUnknownFieldAnywhere_CarryNothing()
    {
        SerializationContext context = new([new FieldMap(s_trip, [1, 2, 3, 4, 5, 6]), new FieldMap(s_stop, [1]), new FieldMap(s_tree, [1, 2])]);

        Assert.False(context.GetFieldMap(s_trip).CarriesOverStoredFields);
        Assert.Null(context.GetFieldMap(s_trip).NestedUnknownFields);
        Assert.False(context.GetFieldMap(s_tree).CarriesOverStoredFields);
    }

    [Fact]
    public void Shapes_OfAGeneratedModel_ResolveTheCatalogTypeNamesTheGeneratorWrites()
    {
        // Point and Tree (which holds itself) have fields a newer app added; AllTypes holds both.
        TypeShape allTypes = Generated.AllTypesSerializer.Shape;
        var maps = new List<FieldMap>();
        foreach (TypeShape shape in new[] { allTypes, Generated.PointSerializer.Shape, Generated.TreeSerializer.Shape })
        {
            maps.Add(new FieldMap(shape, Enumerable.Range(1, shape.Fields.Count).ToArray()) { HasUnknownStoredFields = shape != allTypes });
        }

        var context = new SerializationContext(maps);

        NestedValue?[] nested = context.GetFieldMap(allTypes).NestedUnknownFields!;
        Assert.Equal(
            [
                "PointsById: Dictionary(Object(Repos.Tests.Generated.Point))",
                "Origin: Object(Repos.Tests.Generated.Point)",
                "Target: Object(Repos.Tests.Generated.Point)",
                "Tree: Object(Repos.Tests.Generated.Tree)",
            ],
            allTypes.Fields.Select((f, i) => nested[i] is { } value ? $"{f.Name}: {Describe(value)}" : null).OfType<string>());
        Assert.Equal([null, "Sequence(Object(Repos.Tests.Generated.Tree))"], context.GetFieldMap(Generated.TreeSerializer.Shape).NestedUnknownFields!.Select(Describe));
        Assert.Null(context.GetFieldMap(Generated.PointSerializer.Shape).NestedUnknownFields);
    }

    [Theory]
    [InlineData("T.Stop", "Object(T.Stop)")]
    [InlineData("T.Stop[]", "Sequence(Object(T.Stop))")]
    [InlineData("System.Collections.Generic.HashSet<T.Stop>", "Sequence(Object(T.Stop))")]
    [InlineData("System.Collections.Generic.Dictionary<System.Guid, T.Stop>", "Dictionary(Object(T.Stop))")]
    [InlineData("System.Collections.Generic.Dictionary<string, System.Collections.Generic.List<T.Stop[]>>", "Dictionary(Sequence(Sequence(Object(T.Stop))))")]
    [InlineData("System.Collections.Generic.List<System.Collections.Generic.Dictionary<int, T.Stop>>", "Sequence(Dictionary(Object(T.Stop)))")]
    [InlineData("int", null)]
    [InlineData("int?", null)]
    [InlineData("T.Color?", null)]
    [InlineData("byte[]", null)]
    [InlineData("T.Stopwatch", null)]
    [InlineData("System.Collections.Generic.List<string>", null)]
    [InlineData("System.Collections.Generic.Dictionary<string, int>", null)]
    public void NestedValue_IsReadFromTheCatalogTypeName(string typeName, string? expected)
    {
        var shapes = new Dictionary<string, TypeShape> { ["T.Stop"] = s_stop };

        Assert.Equal(expected, Describe(NestedValue.Parse(typeName, shapes)));
    }

    [Fact]
    public void Merge_CarriesUnknownFieldsOfEveryNestedShape_AndKeepsEveryKnownValueWritten()
    {
        byte[] stored = Pack(M(
            (1, "old name"),
            (2, M((1, "Brest"), (2, "first note"))),
            (3, A(A(M((1, "a"), (2, "day 1 a")), M((1, "b"), (2, "day 1 b"))), A(M((1, "c"), (2, "day 2 c"))))),
            (4, M((7, A(M((1, "x"), (2, "day 7 x")))), (8, A(M((1, "y"), (2, "day 8 y")))))),
            (5, M((1, "root"))),
            (6, M(("k", 1))),
            (9, "newer top-level field")));
        byte[] written = Pack(M(
            (1, "new name"),
            (2, M((1, "Morlaix"))),
            (3, A(A(M((1, "A")), M((1, "B")), M((1, "B2"))), A(M((1, "C"))), A(M((1, "D"))))),
            (4, M((8, A(M((1, "Y")))), (9, A(M((1, "Z")))))),
            (5, M((1, "new root"))),
            (6, M(("k", 2)))));

        string merged = Text(Merge(written, stored, NewContext()));

        Assert.Equal(
            Text(Pack(M(
                (1, "new name"),
                (2, M((1, "Morlaix"), (2, "first note"))),
                (3, A(A(M((1, "A"), (2, "day 1 a")), M((1, "B"), (2, "day 1 b")), M((1, "B2"))), A(M((1, "C"), (2, "day 2 c"))), A(M((1, "D"))))),
                (4, M((8, A(M((1, "Y"), (2, "day 8 y")))), (9, A(M((1, "Z")))))),
                (5, M((1, "new root"))),
                (6, M(("k", 2))),
                (9, "newer top-level field")))),
            merged);
    }

    [Fact]
    public void Merge_OfATypeThatHoldsItself_FollowsTheTreeAsDeepAsBothSidesGo()
    {
        byte[] stored = Pack(M((5, M((1, "root"), (2, A(M((1, "a"), (2, A(M((1, "a1"), (3, "deep")))), (3, "mid")))), (3, "top")))));
        byte[] written = Pack(M((5, M((1, "ROOT"), (2, A(M((1, "A"), (2, A(M((1, "A1"), (2, A())), M((1, "A2"), (2, A())))))))))));

        string merged = Text(Merge(written, stored, NewContext(stopHasUnknownFields: false, treeHasUnknownFields: true)));

        Assert.Equal(
            Text(Pack(M((5, M((1, "ROOT"), (2, A(M((1, "A"), (2, A(M((1, "A1"), (2, A()), (3, "deep")), M((1, "A2"), (2, A())))), (3, "mid")))), (3, "top")))))),
            merged);
    }

    [Fact]
    public void Merge_TakesNothingFromNilOrFromAStoredValueOfAnotherShape()
    {
        byte[] stored = Pack(M((2, A(M((1, "not a stop"), (2, "lost")))), (3, M((1, "not a list"))), (4, null), (9, "kept")));
        byte[] written = Pack(M((2, M((1, "Brest"))), (3, A(A(M((1, "a"))))), (4, M((1, A(M((1, "x"))))))));

        string merged = Text(Merge(written, stored, NewContext()));

        Assert.Equal(Text(Pack(M((2, M((1, "Brest"))), (3, A(A(M((1, "a"))))), (4, M((1, A(M((1, "x")))))), (9, "kept")))), merged);
        Assert.Equal(
            Text(Pack(M((2, null), (9, "kept")))),
            Text(Merge(Pack(M((2, null))), Pack(M((2, M((1, "Brest"), (2, "note"))), (9, "kept"))), NewContext())));
    }

    [Fact]
    public void Merge_WithNothingToCarry_WritesTheSameBytes()
    {
        byte[] written = Pack(M((1, "name"), (2, M((1, "Brest"))), (3, A(A(M((1, "a"))))), (6, M(("k", 1)))));
        byte[] stored = Pack(M((1, "old"), (2, M((1, "Morlaix"))), (3, A(A(M((1, "b"))))), (6, M(("k", 0)))));

        Assert.Equal(written, Merge(written, stored, NewContext()));
    }

    [Fact]
    public void Merge_OfATypeWithManyProperties_FindsTheStoredValueOfEachOne()
    {
        // More properties than the merge keeps on the stack: its table of stored values comes from a pool.
        var fields = Enumerable.Range(0, 40).Select(i => new FieldDefinition($"P{i}", i % 10 == 9 ? "T.Stop" : "int")).ToArray();
        var wide = new TypeShape("T.Wide", fields);
        var context = new SerializationContext([new FieldMap(wide, Enumerable.Range(1, 40).ToArray()), new FieldMap(s_stop, [1]) { HasUnknownStoredFields = true }]);
        byte[] written = Pack(M(Enumerable.Range(1, 40).Select(id => ((object)id, id % 10 == 0 ? M((1, $"new {id}")) : (object?)id)).ToArray()));
        byte[] stored = Pack(M(Enumerable.Range(1, 40).Reverse().Select(id => ((object)id, id % 10 == 0 ? M((1, $"old {id}"), (2, $"note {id}")) : (object?)0)).ToArray()));

        string merged = Text(Merge(written, stored, context, wide));

        Assert.Equal(
            Text(Pack(M(Enumerable.Range(1, 40).Select(id => ((object)id, id % 10 == 0 ? M((1, $"new {id}"), (2, $"note {id}")) : (object?)id)).ToArray()))),
            merged);
    }

    [Fact]
    public void Merge_OfAMalformedStoredPayload_FailsWithAFormatError()
    {
        // A map key that is not a field id: the write path then carries nothing over.
        byte[] stored = Pack(M((2, M(("Place", "Brest"))), (9, "x")));
        byte[] written = Pack(M((2, M((1, "Brest")))));

        Assert.Throws<ReposFormatException>(() => Merge(written, stored, NewContext()));
    }

    private static byte[] Merge(byte[] written, byte[] stored, SerializationContext context, TypeShape? shape = null)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(buffer);
        CarryOver.Merge(ref writer, written, stored, context.GetFieldMap(shape ?? s_trip), context);
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    private static string? Describe(NestedValue? value) => value is null
        ? null
        : value.Kind == NestedValueKind.Object ? $"Object({value.Target.Name})" : $"{value.Kind}({Describe(value.Element)})";

    private sealed record Map((object Key, object? Value)[] Pairs);

    private static Map M(params (object Key, object? Value)[] pairs) => new(pairs);

    private sealed record Arr(object?[] Items);

    private static Arr A(params object?[] items) => new(items);

    private static byte[] Pack(object? value)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(buffer);
        Write(ref writer, value);
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    private static void Write(ref MessagePackWriter writer, object? value)
    {
        switch (value)
        {
            case null:
                writer.WriteNil();
                break;
            case int number:
                writer.Write(number);
                break;
            case string text:
                writer.Write(text);
                break;
            case Arr array:
                writer.WriteArrayHeader(array.Items.Length);
                foreach (object? item in array.Items)
                {
                    Write(ref writer, item);
                }

                break;
            case Map map:
                writer.WriteMapHeader(map.Pairs.Length);
                foreach ((object key, object? item) in map.Pairs)
                {
                    Write(ref writer, key);
                    Write(ref writer, item);
                }

                break;
            default:
                throw new ArgumentException($"Cannot pack {value.GetType()}.", nameof(value));
        }
    }

    /// <summary>A payload as text, such as <c>{1:"a",2:[nil,3]}</c>.</summary>
    private static string Text(ReadOnlySpan<byte> payload)
    {
        var reader = new MessagePackReader(payload);
        var text = new StringBuilder();
        Append(ref reader, text);
        Assert.True(reader.End);
        return text.ToString();
    }

    private static void Append(ref MessagePackReader reader, StringBuilder text)
    {
        switch (reader.NextMessagePackType)
        {
            case MessagePackType.Nil:
                reader.ReadNil();
                text.Append("nil");
                break;
            case MessagePackType.Integer:
                text.Append(reader.ReadInt64().ToString(CultureInfo.InvariantCulture));
                break;
            case MessagePackType.String:
                text.Append('"').Append(reader.ReadString()).Append('"');
                break;
            case MessagePackType.Array:
                text.Append('[');
                for (int i = 0, count = reader.ReadArrayHeader(); i < count; i++)
                {
                    text.Append(i > 0 ? "," : string.Empty);
                    Append(ref reader, text);
                }

                text.Append(']');
                break;
            case MessagePackType.Map:
                text.Append('{');
                for (int i = 0, count = reader.ReadMapHeader(); i < count; i++)
                {
                    text.Append(i > 0 ? "," : string.Empty);
                    Append(ref reader, text);
                    text.Append(':');
                    Append(ref reader, text);
                }

                text.Append('}');
                break;
            default:
                throw new ArgumentException($"Unexpected {reader.NextMessagePackType}.", nameof(reader));
        }
    }
}
