using System.Text;
using Repos.Transfer;

namespace Repos.Tests.Transfer;

/// <summary>The dump shapes an import reads: arrays, key → document maps, localStorage strings, a part of a bigger dump.</summary>
public sealed class JsonImportShapeTests : IDisposable
{
    private readonly TempDirectory _folder = new();

    public void Dispose() => _folder.Dispose();

    private Task<TodoDb> OpenAsync() => TodoDb.OpenAsync(_folder.File("todo.db")).AsTask();

    [Fact]
    public async Task ArrayOfDocuments_InsertsEach()
    {
        await using TodoDb db = await OpenAsync();

        JsonImportResult result = await db.Todos.ImportJsonAsync(JsonText.Stream("""
            [
              {'id': 'a', 'ownerId': 'u1', 'title': 'Buy milk', 'priority': 'High', 'createdAt': '2024-05-01T08:00:00Z'},
              {'id': 'b', 'ownerId': 'u1', 'title': 'Call mum', 'steps': [{'text': 'dial', 'done': true}]}
            ]
            """));

        Assert.Equal(new JsonImportResult(2, 2, 0, 0), result);
        Todo a = (await db.Todos.GetAsync("a"))!;
        Assert.Equal("Buy milk", a.Title);
        Assert.Equal(Priority.High, a.Priority);
        Assert.Equal(new DateTime(2024, 5, 1, 8, 0, 0, DateTimeKind.Utc), a.CreatedAt);
        Assert.Equal(DateTimeKind.Utc, a.CreatedAt.Kind);
        Todo b = (await db.Todos.GetAsync("b"))!;
        Assert.Equal([new Step("dial", true, null)], b.Steps);
    }

    [Fact]
    public async Task ObjectOfKeyToDocument_TheKeyFillsTheMissingKeyProperty()
    {
        await using TodoDb db = await OpenAsync();

        JsonImportResult result = await db.Todos.ImportJsonAsync(JsonText.Stream("""
            {
              "t1": {"ownerId": "u1", "title": "From the map key"},
              "t2": {"id": "own-id", "ownerId": "u1", "title": "Keeps its own id"}
            }
            """));

        Assert.Equal(2, result.Inserted);
        Assert.Equal("From the map key", (await db.Todos.GetAsync("t1"))!.Title);
        Assert.Equal("Keeps its own id", (await db.Todos.GetAsync("own-id"))!.Title);
        Assert.Null(await db.Todos.GetAsync("t2"));
    }

    [Fact]
    public async Task MapKey_IsConvertedToTheKeyType()
    {
        await using TodoDb db = await OpenAsync();

        await db.Contacts.ImportJsonAsync(JsonText.Stream("{'17': {'name': 'Ada', 'preferred': 'email'}, '-4': {'name': 'Bob'}}"));

        Assert.Equal("Ada", (await db.Contacts.GetAsync(17))!.Name);
        Assert.Equal(Channels.Kind.Email, (await db.Contacts.GetAsync(17))!.Preferred);
        Assert.Equal("Bob", (await db.Contacts.GetAsync(-4))!.Name);
    }

    [Fact]
    public async Task LocalStorageDump_ValuesAreJsonStrings_KeyPrefixSelectsAndIsRemoved()
    {
        await using TodoDb db = await OpenAsync();
        string todo1 = """{"ownerId":"u1","title":"Water plants","createdAt":1714550400000}""";
        string todo2 = """{"ownerId":"u1","title":"Pay rent","priority":"urgent","repeat":"Monday, Friday"}""";
        string dump = new StringBuilder()
            .Append("{\"theme\":\"dark\",")
            .Append("\"todo:x1\":").Append(JsonString(todo1)).Append(',')
            .Append("\"session\":\"not json at all {\",")
            .Append("\"todo:x2\":").Append(JsonString(todo2))
            .Append('}')
            .ToString();

        JsonImportResult result = await db.Todos.ImportJsonAsync(JsonText.Raw(dump), new JsonImportOptions { KeyPrefix = "todo:" });

        Assert.Equal(new JsonImportResult(2, 2, 0, 0), result);
        Todo first = (await db.Todos.GetAsync("x1"))!;
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1714550400000).UtcDateTime, first.CreatedAt);
        Todo second = (await db.Todos.GetAsync("x2"))!;
        Assert.Equal(Priority.Urgent, second.Priority);
        Assert.Equal(Weekdays.Monday | Weekdays.Friday, second.Repeat);
        Assert.Equal(2, await db.Todos.CountAsync());
    }

    [Fact]
    public async Task LocalStorageKeyHoldingAnArray_AsJsonText_IsReadThroughThePath()
    {
        await using TodoDb db = await OpenAsync();
        string todos = """[{"id":"a","ownerId":"u","title":"One"},{"id":"b","ownerId":"u","title":"Two"}]""";
        string dump = "{\"todos\":" + JsonString(todos) + ",\"other\":[1,2,3]}";

        JsonImportResult result = await db.Todos.ImportJsonAsync(JsonText.Raw(dump), new JsonImportOptions { Path = "todos" });

        Assert.Equal(2, result.Inserted);
        Assert.Equal("Two", (await db.Todos.GetAsync("b"))!.Title);
    }

    [Fact]
    public async Task Path_SelectsOneObjectStoreOfABiggerDump()
    {
        await using TodoDb db = await OpenAsync();
        const string dump = """
            {
              "version": 3,
              "stores": {
                "contacts": [{"id": 1, "name": "Ada"}],
                "todos": [{"id": "a", "ownerId": "u", "title": "Only this one"}],
                "settings": {"todos": "not these"}
              }
            }
            """;

        JsonImportResult result = await db.Todos.ImportJsonAsync(JsonText.Raw(dump), new JsonImportOptions { Path = "stores.todos" });

        Assert.Equal(new JsonImportResult(1, 1, 0, 0), result);
        Assert.Equal("Only this one", (await db.Todos.GetAsync("a"))!.Title);
    }

    [Fact]
    public async Task Path_WithIndexesAndQuotedNames_AsDexieExportsNest()
    {
        await using TodoDb db = await OpenAsync();
        const string dump = """
            {"formatName": "dexie", "data": {"data": [
              {"tableName": "contacts", "rows": [{"id": 9, "name": "Skipped"}]},
              {"tableName": "todos", "rows": [{"id": "a", "ownerId": "u", "title": "Second table"}]}
            ]}, "odd.name": {"list": [{"id": 5, "name": "Quoted"}]}}
            """;

        await db.Todos.ImportJsonAsync(JsonText.Raw(dump), new JsonImportOptions { Path = "$.data.data[1].rows" });
        await db.Contacts.ImportJsonAsync(JsonText.Raw(dump), new JsonImportOptions { Path = "$['odd.name'].list" });

        Assert.Equal("Second table", (await db.Todos.GetAsync("a"))!.Title);
        Assert.Equal("Quoted", (await db.Contacts.GetAsync(5))!.Name);
        Assert.Equal(1, await db.Contacts.CountAsync());
    }

    [Theory]
    [InlineData("stores.missing", "$.stores has no property 'missing'")]
    [InlineData("stores.todos[3]", "$.stores.todos has 1 element")]
    [InlineData("version.x", "$.version, which is a number, not an object")]
    [InlineData("version", "at $.version, which is a number")]
    public async Task Path_ThatSelectsNoDocuments_IsReported_AndNothingIsWritten(string path, string expected)
    {
        await using TodoDb db = await OpenAsync();
        const string dump = """{"version": 3, "stores": {"todos": [{"id": "a", "ownerId": "u", "title": "t"}]}}""";

        var e = await Assert.ThrowsAsync<JsonImportException>(() =>
            db.Todos.ImportJsonAsync(JsonText.Raw(dump), new JsonImportOptions { Path = path }).AsTask());

        JsonImportError error = Assert.Single(e.Errors);
        Assert.Equal(JsonImportErrorKind.PathNotFound, error.Kind);
        Assert.Null(error.DocumentIndex);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Equal(0, await db.Todos.CountAsync());
    }

    [Theory]
    [InlineData("a..b")]
    [InlineData("a[x]")]
    [InlineData("a[1")]
    [InlineData("$a")]
    public async Task MalformedPath_IsAnArgumentError(string path)
    {
        await using TodoDb db = await OpenAsync();

        await Assert.ThrowsAsync<ArgumentException>(() =>
            db.Todos.ImportJsonAsync(JsonText.Stream("[]"), new JsonImportOptions { Path = path }).AsTask());
    }

    [Fact]
    public async Task DocumentsThatAreNotObjects_AreReportedByIndex()
    {
        await using TodoDb db = await OpenAsync();

        var e = await Assert.ThrowsAsync<JsonImportException>(() =>
            db.Todos.ImportJsonAsync(JsonText.Stream("[{'id':'a','ownerId':'u','title':'ok'}, 42, 'not json', [1]]")).AsTask());

        Assert.Equal([1L, 2L, 3L], e.Errors.Select(x => x.DocumentIndex!.Value));
        Assert.Equal(JsonImportErrorKind.NotAnObject, e.Errors[0].Kind);
        Assert.Equal(JsonImportErrorKind.MalformedJson, e.Errors[1].Kind);
        Assert.Equal(JsonImportErrorKind.NotAnObject, e.Errors[2].Kind);
        Assert.Equal(0, await db.Todos.CountAsync());
    }

    [Fact]
    public async Task MalformedDump_IsReported_WithTheLine_AndNothingIsWritten()
    {
        await using TodoDb db = await OpenAsync();

        var e = await Assert.ThrowsAsync<JsonImportException>(() =>
            db.Todos.ImportJsonAsync(JsonText.Stream("[\n{'id':'a','ownerId':'u','title':'ok'},\n{'id': 'b' 'title': 'x'}\n]")).AsTask());

        JsonImportError error = Assert.Single(e.Errors);
        Assert.Equal(JsonImportErrorKind.MalformedJson, error.Kind);
        Assert.Equal(1, error.DocumentIndex);
        Assert.Contains("LineNumber: 2", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, await db.Todos.CountAsync());
    }

    [Theory]
    [InlineData("[{'id':'a','ownerId':'u','title':'ok'}")]
    [InlineData("[{'id':'a','ownerId':'u','title':'ok'}] trailing")]
    [InlineData("")]
    public async Task TruncatedOrTrailingGarbage_IsMalformed(string json)
    {
        await using TodoDb db = await OpenAsync();

        var e = await Assert.ThrowsAsync<JsonImportException>(() => db.Todos.ImportJsonAsync(JsonText.Stream(json)).AsTask());

        Assert.Equal(JsonImportErrorKind.MalformedJson, Assert.Single(e.Errors).Kind);
        Assert.Equal(0, await db.Todos.CountAsync());
    }

    [Fact]
    public async Task ByteOrderMark_IsSkipped()
    {
        await using TodoDb db = await OpenAsync();
        byte[] utf8 = [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes("""[{"id":"a","ownerId":"u","title":"bom"}]""")];

        await db.Todos.ImportJsonAsync(new MemoryStream(utf8));

        Assert.Equal("bom", (await db.Todos.GetAsync("a"))!.Title);
    }

    [Fact]
    public async Task EmptyArray_ImportsNothing()
    {
        await using TodoDb db = await OpenAsync();

        Assert.Equal(new JsonImportResult(0, 0, 0, 0), await db.Todos.ImportJsonAsync(JsonText.Stream("[]")));
    }

    [Fact]
    public async Task DocumentLargerThanTheReadBuffer_IsRead()
    {
        await using TodoDb db = await OpenAsync();
        string notes = new('n', 300_000);

        await db.Todos.ImportJsonAsync(JsonText.Raw($$"""[{"id":"a","ownerId":"u","title":"big","notes":"{{notes}}"},{"id":"b","ownerId":"u","title":"small"}]"""));

        Assert.Equal(notes, (await db.Todos.GetAsync("a"))!.Notes);
        Assert.Equal("small", (await db.Todos.GetAsync("b"))!.Title);
    }

    [Fact]
    public async Task HandWrittenDefinition_WithoutEnums_Imports_AndKnowsItsRequiredAndNullableFields()
    {
        await using Repos.Tests.Storage.NotesDb db = await Repos.Tests.Storage.NotesDb.OpenAsync(_folder.File("notes.db"));
        const string id = "0f8fad5b-d9cb-469f-a165-70867728950e";

        JsonImportResult result = await db.Notes.ImportJsonAsync(JsonText.Raw($$$"""
            {"{{{id}}}": {"userId": "u", "date": "2024-05-01", "mood": 7, "text": null, "tags": [{"name": "walk", "weight": 2}]}}
            """));
        var e = await Assert.ThrowsAsync<JsonImportException>(() => db.Notes.ImportJsonAsync(JsonText.Raw(
            """[{"id": "10000000-0000-0000-0000-000000000000", "date": "2024-05-02", "mood": 7}]""")).AsTask());

        Assert.Equal(1, result.Inserted);
        Repos.Tests.Storage.Note note = (await db.Notes.GetAsync(Guid.Parse(id)))!;
        Assert.Null(note.Text);
        Assert.Equal(new DateOnly(2024, 5, 1), note.Date);
        Assert.Equal([new Repos.Tests.Storage.Tag("walk", 2)], note.Tags);
        Assert.Equal("the required property UserId is missing", Assert.Single(e.Errors).Message);
    }

    private static string JsonString(string text) => System.Text.Json.JsonSerializer.Serialize(text);
}
