using Repos.Transfer;

namespace Repos.Tests.Transfer;

/// <summary>An import lists every problem of every document: conversion and validation alike, within MaxErrors.</summary>
public sealed class JsonImportEveryProblemTests : IDisposable
{
    private readonly TempDirectory _folder = new();

    public void Dispose() => _folder.Dispose();

    private Task<TodoDb> OpenAsync() => TodoDb.OpenAsync(_folder.File("todo.db")).AsTask();

    [Fact]
    public async Task ADocumentWithAConversionAndAValidationProblem_ListsBoth_WithLinePathAndRule()
    {
        await using TodoDb db = await OpenAsync();
        const string dump = """
            [
              {"id": "ok", "ownerId": "u", "title": "fine"},
              {"id": "two", "ownerId": "u", "title": "something forbidden",
               "due": "next week", "progress": 300, "priority": "Sometime"}
            ]
            """;

        var e = await Assert.ThrowsAsync<JsonImportException>(() => db.Todos.ImportJsonAsync(JsonText.Raw(dump)).AsTask());

        Assert.Equal(
            [
                (JsonImportErrorKind.InvalidValue, "$.priority", (string?)null),
                (JsonImportErrorKind.InvalidValue, "$.due", null),
                (JsonImportErrorKind.Validation, "$.title", "NoForbiddenWords"),
                (JsonImportErrorKind.Validation, "$.progress", "Range"),
            ],
            e.Errors.Select(x => (x.Kind, x.Path, x.Rule)).OrderBy(x => x.Kind).ThenBy(x => x.Path == "$.progress"));
        Assert.All(e.Errors, x => Assert.Equal((1L, 3L), (x.DocumentIndex!.Value, x.Line!.Value)));
        Assert.Contains("document 1, $.progress: Progress: The field Progress must be between 0 and 100. (Range; value 300) (line 3)", e.Message, StringComparison.Ordinal);
        Assert.Equal(0, await db.Todos.CountAsync());
    }

    [Fact]
    public async Task APropertyThatDoesNotConvert_IsNotAlsoReportedForItsRules()
    {
        await using TodoDb db = await OpenAsync();
        const string dump = """[{"id": "a", "ownerId": "u", "title": "fine", "progress": "lots", "steps": [{"text": "x", "done": "maybe", "minutes": 0}]}]""";

        var e = await Assert.ThrowsAsync<JsonImportException>(() => db.Todos.ImportJsonAsync(JsonText.Raw(dump)).AsTask());

        // progress = "lots" is not checked against [Range]; the step whose done does not convert is not checked either.
        Assert.Equal(["$.progress", "$.steps[0].done"], e.Errors.Select(x => x.Path).Order());
        Assert.All(e.Errors, x => Assert.Equal(JsonImportErrorKind.InvalidValue, x.Kind));
    }

    [Fact]
    public async Task ATitleThatDoesNotConvert_StillLetsTheOtherRulesBeChecked()
    {
        // Todo's Validate hook reads Title; the title (a number) does not convert, and the other rules are still checked.
        await using TodoDb db = await OpenAsync();
        const string dump = """[{"id": "a", "ownerId": "u", "title": 5, "progress": -1}]""";

        var e = await Assert.ThrowsAsync<JsonImportException>(() => db.Todos.ImportJsonAsync(JsonText.Raw(dump)).AsTask());

        Assert.Equal(
            [(JsonImportErrorKind.InvalidValue, "$.title"), (JsonImportErrorKind.Validation, "$.progress")],
            e.Errors.Select(x => (x.Kind, x.Path)).OrderBy(x => x.Kind));
    }

    [Fact]
    public async Task EveryDocumentsProblems_AreListed_InDocumentOrder()
    {
        await using TodoDb db = await OpenAsync();
        string dump = "[\n" + string.Join(",\n", Enumerable.Range(0, 10).Select(i =>
            $$"""{"id": "t{{i}}", "ownerId": "u", "title": "fine", "progress": {{(i % 2 == 0 ? "101" : "\"x\"")}}, "due": "{{(i % 3 == 0 ? "soon" : "2026-01-01")}}"}""")) + "\n]";

        var e = await Assert.ThrowsAsync<JsonImportException>(() => db.Todos.ImportJsonAsync(JsonText.Raw(dump)).AsTask());

        Assert.Equal(10 + 4, e.Errors.Count);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (long)i), e.Errors.Select(x => x.DocumentIndex!.Value).Distinct());
        Assert.All(e.Errors, x => Assert.Equal(x.DocumentIndex + 2, x.Line));
        Assert.Equal(5, e.Errors.Count(x => x.Rule == "Range"));
        Assert.False(e.StoppedAtLimit);
    }

    [Fact]
    public async Task ADocumentWithMoreProblemsThanMaxErrors_KeepsMaxErrors_AndSaysItStopped()
    {
        await using TodoDb db = await OpenAsync();
        string steps = string.Join(", ", Enumerable.Range(0, 50_000).Select(_ => """{"text": 1, "done": false}"""));
        string dump = $$"""[{"id": "a", "ownerId": "u", "title": "t", "steps": [{{steps}}]}, {"id": "b", "ownerId": "u", "title": "t", "progress": 101}]""";

        var e = await Assert.ThrowsAsync<JsonImportException>(
            () => db.Todos.ImportJsonAsync(JsonText.Raw(dump), new JsonImportOptions { MaxErrors = 25 }).AsTask());

        Assert.Equal(25, e.Errors.Count);
        Assert.True(e.StoppedAtLimit);
        Assert.Equal("$.steps[24].text", e.Errors[^1].Path);
        Assert.Equal(0, await db.Todos.CountAsync());
    }
}
