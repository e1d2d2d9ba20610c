using System.Text;
using System.Text.Json;
using Repos.Transfer;

namespace Repos.Tests.Transfer;

/// <summary>
/// The streaming reader hands out the same documents whatever its buffer size, so a document, a key or a
/// skipped value cut across two reads is read whole.
/// </summary>
public sealed class JsonDocumentReaderTests
{
    private const string Dump = """
        {
          "meta": {"version": 2, "skip": [1, 2, {"deep": [[], {}, "x\"y"]}], "todos": "not these"},
          "stores": [
            {"name": "first", "rows": [{"id": 1}]},
            {"name": "second", "rows": [
              {"id": "a", "text": "caf\u00e9 \ud83d\ude00 \"quoted\""},
              "{\"id\": \"as text\"}",
              12.5e3,
              null,
              [1, [2, [3]]],
              {"id": "b", "nested": {"deeper": {"deepest": [true, false]}}}
            ]}
          ],
          "local": {"note:1": {"t": 1}, "other": "{\"t\": 0}", "note:2": "{\"t\": 2}", "note:\u00e9": {"t": 3}},
          "asText": "[{\"t\": 1}, {\"t\": 2}]"
        }
        """;

    public static TheoryData<string, string?> Selections => new()
    {
        { "$.stores[1].rows", null },
        { "local", null },
        { "local", "note:" },
        { "$.asText", null },
        { "$['stores'][0].rows", null },
    };

    [Theory]
    [MemberData(nameof(Selections))]
    public async Task EveryBufferSize_ReadsTheSameDocuments(string path, string? prefix)
    {
        List<(string? Key, string Json)> expected = Expected(path, prefix);
        Assert.NotEmpty(expected);

        for (int size = 1; size <= 96; size++)
        {
            List<(string? Key, string Json)> actual = await ReadAllAsync(path, prefix, size);
            Assert.True(expected.SequenceEqual(actual), $"buffer size {size}: got [{string.Join(" | ", actual)}]");
        }
    }

    [Fact]
    public async Task KeyPrefix_PassesOverOtherEntries_AndIsRemoved()
    {
        List<(string? Key, string Json)> read = await ReadAllAsync("local", "note:", 4096);

        Assert.Equal(["1", "2", "é"], read.Select(d => d.Key));
    }

    [Fact]
    public async Task DocumentsInsideAString_AreCountedOnFromTheOuterReader()
    {
        using var reader = new JsonDocumentReader(new MemoryStream(Encoding.UTF8.GetBytes(Dump)), JsonPathSelector.Parse("asText"), null, 16);

        Assert.True(await reader.MoveNextAsync(default));
        Assert.Equal(0, reader.Index);
        Assert.True(await reader.MoveNextAsync(default));
        Assert.Equal(1, reader.Index);
        Assert.Equal("{\"t\": 2}", Encoding.UTF8.GetString(reader.Document.Span));
        Assert.False(await reader.MoveNextAsync(default));
    }

    private static async Task<List<(string? Key, string Json)>> ReadAllAsync(string path, string? prefix, int bufferSize)
    {
        var documents = new List<(string? Key, string Json)>();
        using var reader = new JsonDocumentReader(new MemoryStream(Encoding.UTF8.GetBytes(Dump)), JsonPathSelector.Parse(path), prefix, bufferSize);
        while (await reader.MoveNextAsync(default))
        {
            Assert.Equal(documents.Count, reader.Index);
            documents.Add((reader.Key, Encoding.UTF8.GetString(reader.Document.Span)));
        }

        return documents;
    }

    /// <summary>The documents at <paramref name="path"/>, found with <see cref="JsonDocument"/> over the whole dump.</summary>
    private static List<(string? Key, string Json)> Expected(string path, string? prefix)
    {
        using JsonDocument document = JsonDocument.Parse(Dump);
        JsonElement selected = document.RootElement;
        foreach (JsonPathSelector.Segment segment in JsonPathSelector.Parse(path).Segments)
        {
            selected = segment.Name is null ? selected[segment.Index] : selected.GetProperty(segment.Name);
        }

        if (selected.ValueKind == JsonValueKind.String)
        {
            using JsonDocument inner = JsonDocument.Parse(selected.GetString()!);
            return inner.RootElement.EnumerateArray().Select(e => ((string?)null, e.GetRawText())).ToList();
        }

        if (selected.ValueKind == JsonValueKind.Array)
        {
            return selected.EnumerateArray().Select(e => ((string?)null, e.GetRawText())).ToList();
        }

        return selected.EnumerateObject()
            .Where(p => prefix is null || p.Name.StartsWith(prefix, StringComparison.Ordinal))
            .Select(p => ((string?)p.Name[(prefix?.Length ?? 0)..], p.Value.GetRawText()))
            .ToList();
    }
}
