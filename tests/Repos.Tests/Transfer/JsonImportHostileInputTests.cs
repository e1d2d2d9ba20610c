using System.Security.Cryptography;
using System.Text;
using Repos.Transfer;

namespace Repos.Tests.Transfer;

/// <summary>
/// Dumps made to break the reader: bytes that are not UTF-8, escapes that are not Unicode, strings, names,
/// documents and nesting past the limits. Each is refused whole with a <see cref="JsonImportException"/> that
/// names the document and the path, and the file is left byte for byte.
/// </summary>
public sealed class JsonImportHostileInputTests : IDisposable
{
    private const string Good = "\"id\": \"a\", \"ownerId\": \"u\", \"title\": \"ok\"";

    private readonly TempDirectory _folder = new();

    public void Dispose() => _folder.Dispose();

    private string DbPath => _folder.File("todo.db");

    public static TheoryData<byte[], string, string> InvalidUtf8 => new()
    {
        // A byte that starts no UTF-8 sequence, in a value.
        { Json("[{", Good, ", \"notes\": \"bad ", [0xFF], "\"}]"), "$.notes", "a string is not valid UTF-8" },

        // A lead byte whose continuation is missing, in a value of an array.
        { Json("[{", Good, ", \"labels\": [\"fine\", \"caf", [0xC3], "\"]}]"), "$.labels[1]", "a string is not valid UTF-8" },

        // '/' written in two bytes (an overlong encoding), which decoders that allow it turn into a path separator.
        { Json("[{", Good, ", \"notes\": \"..", [0xC0, 0xAF], "..\"}]"), "$.notes", "a string is not valid UTF-8" },

        // A surrogate encoded as UTF-8 (CESU-8), which UTF-8 forbids.
        { Json("[{", Good, ", \"notes\": \"", [0xED, 0xA0, 0x80], "\"}]"), "$.notes", "a string is not valid UTF-8" },

        // In a property name, one the entity does not have: the object is the place.
        { Json("[{", Good, ", \"extra\": {\"n", [0xFE], "\": 1}}]"), "$.extra", "a property name is not valid UTF-8" },

        // In a property name of the document itself.
        { Json("[{", Good, ", \"", [0x80], "\": 1}]"), "$", "a property name is not valid UTF-8" },
    };

    public static TheoryData<string, string, string> LoneSurrogates => new()
    {
        { "\"notes\": \"\\ud800\"", "$.notes", "a string holds an escaped lone surrogate" },
        { "\"notes\": \"x\\udc00y\"", "$.notes", "a string holds an escaped lone surrogate" },
        { "\"notes\": \"\\ud83d\\u0041\"", "$.notes", "a string holds an escaped lone surrogate" },
        { "\"notes\": \"\\ud83d\\n\"", "$.notes", "a string holds an escaped lone surrogate" },
        { "\"notes\": \"\\ud83dA\"", "$.notes", "a string holds an escaped lone surrogate" },
        { "\"steps\": [{\"text\": \"ok\", \"done\": true}, {\"text\": \"\\uDBFF\", \"done\": false}]", "$.steps[1].text", "a string holds an escaped lone surrogate" },
        { "\"\\ud800x\": 1", "$", "a property name holds an escaped lone surrogate" },
    };

    [Theory]
    [MemberData(nameof(InvalidUtf8))]
    public async Task InvalidUtf8_IsMalformedJson_AtItsPath_AndNothingIsWritten(byte[] dump, string path, string message)
    {
        byte[] before = await SeedAsync();

        JsonImportError error = await ImportFailsAsync(new MemoryStream(dump));

        Assert.Equal(JsonImportErrorKind.MalformedJson, error.Kind);
        Assert.Equal(0, error.DocumentIndex);
        Assert.Equal(path, error.Path);
        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
        Assert.Equal(before, Hash());
    }

    [Theory]
    [MemberData(nameof(LoneSurrogates))]
    public async Task EscapedLoneSurrogate_IsMalformedJson_AtItsPath_AndNothingIsWritten(string member, string path, string message)
    {
        byte[] before = await SeedAsync();

        JsonImportError error = await ImportFailsAsync(JsonText.Raw($"[{{{Good}}}, {{{Good.Replace("\"a\"", "\"b\"", StringComparison.Ordinal)}, {member}}}]"));

        Assert.Equal(JsonImportErrorKind.MalformedJson, error.Kind);
        Assert.Equal(1, error.DocumentIndex);
        Assert.Equal(path, error.Path);
        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
        Assert.Equal(before, Hash());
    }

    [Fact]
    public async Task PairedSurrogateEscapes_AreRead()
    {
        await using TodoDb db = await TodoDb.OpenAsync(DbPath);

        await db.Todos.ImportJsonAsync(JsonText.Raw($"[{{{Good}, \"notes\": \"\\ud83d\\ude00 \\u00e9\\n\"}}]"));

        Assert.Equal("\U0001F600 é\n", (await db.Todos.GetAsync("a"))!.Notes);
    }

    [Fact]
    public async Task LoneSurrogate_InTheJsonTextOfALocalStorageValue_IsNamedByItsPathInThatText()
    {
        byte[] before = await SeedAsync();
        string dump = "{\"todo:1\": \"{\\\"id\\\": \\\"a\\\", \\\"ownerId\\\": \\\"u\\\", \\\"title\\\": \\\"\\\\ud800\\\"}\"}";

        JsonImportError error = await ImportFailsAsync(JsonText.Raw(dump), new JsonImportOptions { KeyPrefix = "todo:" });

        Assert.Equal(JsonImportErrorKind.MalformedJson, error.Kind);
        Assert.Equal(0, error.DocumentIndex);
        Assert.Equal("1", error.DocumentKey);
        Assert.Equal("$.title", error.Path);
        Assert.Contains("escaped lone surrogate", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, Hash());
    }

    [Fact]
    public async Task LoneSurrogate_InAStringThatHoldsTheDump_IsMalformedJson()
    {
        byte[] before = await SeedAsync();

        JsonImportError error = await ImportFailsAsync(JsonText.Raw("{\"all\": \"[\\ud800]\"}"), new JsonImportOptions { Path = "all" });

        Assert.Equal(JsonImportErrorKind.MalformedJson, error.Kind);
        Assert.Null(error.DocumentIndex);
        Assert.Equal("$.all", error.Path);
        Assert.Equal(before, Hash());
    }

    [Theory]
    [InlineData(10, true)]
    [InlineData(11, false)]
    public async Task StringOfTheLimit_IsRead_OneByteLonger_IsLimitExceeded(int length, bool fits)
    {
        var options = new JsonImportOptions { MaxStringBytes = 10 };
        string dump = $"[{{\"id\": \"a\", \"ownerId\": \"u\", \"title\": \"ok\", \"notes\": \"{new string('n', length)}\"}}]";
        if (fits)
        {
            await using TodoDb db = await TodoDb.OpenAsync(DbPath);
            await db.Todos.ImportJsonAsync(JsonText.Raw(dump), options);
            Assert.Equal(length, (await db.Todos.GetAsync("a"))!.Notes!.Length);
            return;
        }

        byte[] before = await SeedAsync();
        JsonImportError error = await ImportFailsAsync(JsonText.Raw(dump), options);

        Assert.Equal(JsonImportErrorKind.LimitExceeded, error.Kind);
        Assert.Equal(0, error.DocumentIndex);
        Assert.Equal("$.notes", error.Path);
        Assert.Equal("a string of 11 bytes is longer than the limit of 10 bytes (MaxStringBytes), so it was not read", error.Message);
        Assert.Equal(before, Hash());
    }

    [Fact]
    public async Task LongPropertyName_IsLimitExceeded_AtItsObject()
    {
        byte[] before = await SeedAsync();
        string dump = $"[{{{Good}, \"location\": {{\"latitude\": 1, \"{new string('n', 1025)}\": 2}}}}]";

        JsonImportError error = await ImportFailsAsync(JsonText.Raw(dump));

        Assert.Equal(JsonImportErrorKind.LimitExceeded, error.Kind);
        Assert.Equal(0, error.DocumentIndex);
        Assert.Equal("$.location", error.Path);
        Assert.Equal("a property name of 1,025 bytes is longer than the limit of 1,024 bytes (MaxPropertyNameBytes), so it was not read", error.Message);
        Assert.Equal(before, Hash());
    }

    [Fact]
    public async Task LongNumber_IsLimitExceeded()
    {
        byte[] before = await SeedAsync();
        string dump = $"[{{{Good}, \"progress\": 1{new string('0', 40)}}}]";

        JsonImportError error = await ImportFailsAsync(JsonText.Raw(dump), new JsonImportOptions { MaxStringBytes = 32 });

        Assert.Equal(JsonImportErrorKind.LimitExceeded, error.Kind);
        Assert.Equal("$.progress", error.Path);
        Assert.StartsWith("a number of 41 bytes", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, Hash());
    }

    [Theory]
    [InlineData(8, true)]
    [InlineData(9, false)]
    public async Task NestingOfTheLimit_IsRead_OneLevelDeeper_IsLimitExceeded(int depth, bool fits)
    {
        // The document's object is the first level; an unknown property holds the rest.
        var options = new JsonImportOptions { MaxDepth = 8 };
        string dump = $"[{{{Good}, \"extra\": {{}}, \"deep\": {new string('[', depth - 1)}{new string(']', depth - 1)}}}]";
        if (fits)
        {
            await using TodoDb db = await TodoDb.OpenAsync(DbPath);
            Assert.Equal(1, (await db.Todos.ImportJsonAsync(JsonText.Raw(dump), options)).Inserted);
            return;
        }

        byte[] before = await SeedAsync();
        JsonImportError error = await ImportFailsAsync(JsonText.Raw(dump), options);

        Assert.Equal(JsonImportErrorKind.LimitExceeded, error.Kind);
        Assert.Equal(0, error.DocumentIndex);
        Assert.Equal("$.deep[0][0][0][0][0][0][0]", error.Path);
        Assert.Equal("objects and arrays nest deeper than 8 levels (MaxDepth)", error.Message);
        Assert.Equal(before, Hash());
    }

    [Fact]
    public async Task DefaultDepthLimit_RefusesAThousandNestedArrays()
    {
        byte[] before = await SeedAsync();
        string dump = $"[{{{Good}, \"deep\": {new string('[', 1000)}{new string(']', 1000)}}}]";

        JsonImportError error = await ImportFailsAsync(JsonText.Raw(dump));

        Assert.Equal(JsonImportErrorKind.LimitExceeded, error.Kind);
        Assert.Equal("$.deep" + string.Concat(Enumerable.Repeat("[0]", 63)), error.Path);
        Assert.Equal(before, Hash());
    }

    [Fact]
    public async Task LargeDocument_IsLimitExceeded_AtTheDocument()
    {
        byte[] before = await SeedAsync();
        string filler = string.Join(", ", Enumerable.Repeat("1", 600));
        string dump = $"[{{{Good}}}, {{{Good.Replace("\"a\"", "\"b\"", StringComparison.Ordinal)}, \"extra\": {{}}, \"filler\": [{filler}]}}]";

        JsonImportError error = await ImportFailsAsync(JsonText.Raw(dump), new JsonImportOptions { MaxDocumentBytes = 1000 });

        Assert.Equal(JsonImportErrorKind.LimitExceeded, error.Kind);
        Assert.Equal(1, error.DocumentIndex);
        Assert.Equal("$", error.Path);
        Assert.StartsWith("the document of ", error.Message, StringComparison.Ordinal);
        Assert.Contains("longer than the limit of 1,000 bytes (MaxDocumentBytes)", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, Hash());
    }

    [Fact]
    public async Task LongEntryKey_OfAnObjectOfDocuments_IsLimitExceeded()
    {
        byte[] before = await SeedAsync();
        string dump = $"{{\"{new string('k', 2000)}\": {{\"ownerId\": \"u\", \"title\": \"ok\"}}}}";

        JsonImportError error = await ImportFailsAsync(JsonText.Raw(dump));

        Assert.Equal(JsonImportErrorKind.LimitExceeded, error.Kind);
        Assert.Equal(0, error.DocumentIndex);
        Assert.Null(error.DocumentKey);
        Assert.Equal("$", error.Path);
        Assert.Equal("the entry's key: a property name of 2,000 bytes is longer than the limit of 1,024 bytes (MaxPropertyNameBytes), so it was not read", error.Message);
        Assert.Equal(before, Hash());
    }

    [Fact]
    public async Task LongStringOutsideTheSelectedDocuments_IsLimitExceeded_InTheDump()
    {
        byte[] before = await SeedAsync();
        string dump = $"{{\"cache\": {{\"blob\": \"{new string('x', 100)}\"}}, \"todos\": [{{{Good}}}]}}";

        JsonImportError error = await ImportFailsAsync(JsonText.Raw(dump), new JsonImportOptions { Path = "todos", MaxStringBytes = 50, MaxDocumentBytes = 50 });

        Assert.Equal(JsonImportErrorKind.LimitExceeded, error.Kind);
        Assert.Null(error.DocumentIndex);
        Assert.Equal("$", error.Path);
        Assert.Equal(before, Hash());
    }

    [Theory]
    [InlineData(0, 1024, 1024, 64)]
    [InlineData(16, 0, 1024, 64)]
    [InlineData(16, 16, 1, 64)]
    [InlineData(16, 16, 1024, 0)]
    [InlineData(16, 16, 1024, 1001)]
    public async Task LimitsThatNoDumpCanMeet_AreArgumentErrors(int maxString, int maxName, int maxDocument, int maxDepth)
    {
        await using TodoDb db = await TodoDb.OpenAsync(DbPath);
        var options = new JsonImportOptions { MaxStringBytes = maxString, MaxPropertyNameBytes = maxName, MaxDocumentBytes = maxDocument, MaxDepth = maxDepth };

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => db.Todos.ImportJsonAsync(JsonText.Raw("[]"), options).AsTask());
    }

    /// <summary>The UTF-8 of the text parts with the raw bytes between them.</summary>
    private static byte[] Json(string start, string good, string before, byte[] raw, string after) =>
        [.. Encoding.UTF8.GetBytes(start + good + before), .. raw, .. Encoding.UTF8.GetBytes(after)];

    /// <summary>Stores one to-do, closes the file, and returns its hash.</summary>
    private async Task<byte[]> SeedAsync()
    {
        await using (TodoDb db = await TodoDb.OpenAsync(DbPath))
        {
            await db.Todos.InsertAsync(new Todo { Id = "kept", OwnerId = "u0", Title = "Already here" });
        }

        return Hash();
    }

    private async Task<JsonImportError> ImportFailsAsync(Stream dump, JsonImportOptions? options = null)
    {
        await using TodoDb db = await TodoDb.OpenAsync(DbPath);
        var e = await Assert.ThrowsAsync<JsonImportException>(() => db.Todos.ImportJsonAsync(dump, options).AsTask());
        Assert.Equal(1, await db.Todos.CountAsync());
        return Assert.Single(e.Errors);
    }

    private byte[] Hash()
    {
        Assert.False(File.Exists(DbPath + "-wal") && new FileInfo(DbPath + "-wal").Length > 0, "the file was left with a write-ahead log");
        return SHA256.HashData(File.ReadAllBytes(DbPath));
    }
}
