using Repos.Transfer;

namespace Repos.Tests.Transfer;

/// <summary>How JSON names find properties: exactly, ignoring case, snake_case and kebab-case, or as the options map them.</summary>
public sealed class JsonImportNamingTests : IDisposable
{
    private readonly TempDirectory _folder = new();

    public void Dispose() => _folder.Dispose();

    private Task<TodoDb> OpenAsync() => TodoDb.OpenAsync(_folder.File("todo.db")).AsTask();

    [Theory]
    [InlineData("Id", "OwnerId", "Title", "CreatedAt", "Steps", "Text")]
    [InlineData("id", "ownerId", "title", "createdAt", "steps", "text")]
    [InlineData("ID", "OWNERID", "TITLE", "CREATEDAT", "STEPS", "TEXT")]
    [InlineData("id", "owner_id", "title", "created_at", "steps", "text")]
    [InlineData("id", "owner-id", "title", "created-at", "steps", "text")]
    [InlineData("ID", "OWNER_ID", "TITLE", "CREATED_AT", "STEPS", "TEXT")]
    public async Task PropertyNames_MatchInEveryCommonCase(string id, string owner, string title, string created, string steps, string text)
    {
        await using TodoDb db = await OpenAsync();
        string dump = $$"""[{"{{id}}": "a", "{{owner}}": "u", "{{title}}": "t", "{{created}}": 0, "{{steps}}": [{"{{text}}": "s"}]}]""";

        await db.Todos.ImportJsonAsync(JsonText.Raw(dump), new JsonImportOptions { UnknownProperties = UnknownPropertyHandling.Fail });

        Todo read = (await db.Todos.GetAsync("a"))!;
        Assert.Equal("u", read.OwnerId);
        Assert.Equal(DateTime.UnixEpoch, read.CreatedAt);
        Assert.Equal("s", read.Steps.Single().Text);
    }

    [Fact]
    public async Task PropertyNamesOption_MapsSourceNames_AtEveryLevel_BeforeOtherRules()
    {
        await using TodoDb db = await OpenAsync();
        var options = new JsonImportOptions
        {
            PropertyNames = new Dictionary<string, string> { ["uid"] = "OwnerId", ["notes"] = "Title", ["label"] = "Text" },
        };

        await db.Todos.ImportJsonAsync(JsonText.Stream("[{'id': 'a', 'uid': 'u', 'notes': 'mapped', 'steps': [{'label': 'nested'}]}]"), options);

        Todo read = (await db.Todos.GetAsync("a"))!;
        Assert.Equal("u", read.OwnerId);
        Assert.Equal("mapped", read.Title);
        Assert.Equal("nested", read.Steps.Single().Text);
        Assert.Null(read.Notes);
    }

    [Fact]
    public async Task PropertyNamesOption_ToAPropertyThatDoesNotExist_IsAnArgumentError()
    {
        await using TodoDb db = await OpenAsync();

        var e = await Assert.ThrowsAsync<ArgumentException>(() => db.Todos.ImportJsonAsync(
            JsonText.Stream("[]"),
            new JsonImportOptions { PropertyNames = new Dictionary<string, string> { ["x"] = "Nope" } }).AsTask());

        Assert.Contains("'Nope', which is not a property of Todo", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TwoJsonNamesForOneProperty_AreAnError()
    {
        await using TodoDb db = await OpenAsync();

        var e = await Assert.ThrowsAsync<JsonImportException>(() => db.Todos.ImportJsonAsync(
            JsonText.Stream("[{'id': 'a', 'ownerId': 'u', 'owner_id': 'v', 'title': 't'}]")).AsTask());

        JsonImportError error = Assert.Single(e.Errors);
        Assert.Equal(JsonImportErrorKind.AmbiguousProperty, error.Kind);
        Assert.Equal("$.owner_id", error.Path);
        Assert.Equal("'ownerId' and 'owner_id' both match Todo.OwnerId", error.Message);
    }

    [Fact]
    public async Task UnknownProperties_AreIgnoredByDefault()
    {
        await using TodoDb db = await OpenAsync();

        JsonImportResult result = await db.Todos.ImportJsonAsync(
            JsonText.Stream("[{'id': 'a', 'ownerId': 'u', 'title': 't', '_rev': '3-abc', 'steps': [{'text': 's', 'colour': 'red'}]}]"));

        Assert.Equal(1, result.Inserted);
    }

    [Fact]
    public async Task UnknownProperties_AreReported_WhenAsked_WithTheirPaths()
    {
        await using TodoDb db = await OpenAsync();

        var e = await Assert.ThrowsAsync<JsonImportException>(() => db.Todos.ImportJsonAsync(
            JsonText.Stream("[{'id': 'a', 'ownerId': 'u', 'title': 't', '_rev': '3-abc', 'steps': [{'text': 's', 'colour': 'red'}]}]"),
            new JsonImportOptions { UnknownProperties = UnknownPropertyHandling.Fail }).AsTask());

        Assert.Equal(["$._rev", "$.steps[0].colour"], e.Errors.Select(x => x.Path));
        Assert.All(e.Errors, x => Assert.Equal(JsonImportErrorKind.UnknownProperty, x.Kind));
        Assert.Equal("Step has no property that 'colour' matches", e.Errors[1].Message);
        Assert.Equal(0, await db.Todos.CountAsync());
    }

    [Theory]
    [InlineData("SomedayMaybe")]
    [InlineData("someday_maybe")]
    [InlineData("SOMEDAY-MAYBE")]
    [InlineData("somedayMaybe")]
    [InlineData("Someday Maybe")]
    public async Task EnumMembers_MatchInEveryCommonCase(string name)
    {
        await using TodoDb db = await OpenAsync();

        await db.Todos.ImportJsonAsync(JsonText.Raw($$"""[{"id": "a", "ownerId": "u", "title": "t", "priority": "{{name}}", "repeat": "saturday|SUNDAY"}]"""));

        Todo read = (await db.Todos.GetAsync("a"))!;
        Assert.Equal(Priority.SomedayMaybe, read.Priority);
        Assert.Equal(Weekdays.Saturday | Weekdays.Sunday, read.Repeat);
    }
}
