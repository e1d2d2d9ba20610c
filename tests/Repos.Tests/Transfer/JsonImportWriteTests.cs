using System.Security.Cryptography;
using Repos.Transfer;

namespace Repos.Tests.Transfer;

/// <summary>All or nothing: validation, duplicate keys, unique indexes, the caller's transaction, cancellation.</summary>
public sealed class JsonImportWriteTests : IDisposable
{
    private readonly TempDirectory _folder = new();

    public void Dispose() => _folder.Dispose();

    private string DbPath => _folder.File("todo.db");

    private Task<TodoDb> OpenAsync() => TodoDb.OpenAsync(DbPath).AsTask();

    [Fact]
    public async Task BadDocumentInTheMiddle_LeavesTheFileByteForByte_AndNamesTheDocumentAndPath()
    {
        await using (TodoDb db = await OpenAsync())
        {
            await db.Todos.InsertAsync(new Todo { Id = "kept", OwnerId = "u0", Title = "Already here" });
        }

        byte[] before = Hash();
        string dump = Dump(1000, bad: (500, "\"progress\": \"half\""));

        await using (TodoDb db = await OpenAsync())
        {
            var e = await Assert.ThrowsAsync<JsonImportException>(() => db.Todos.ImportJsonAsync(JsonText.Raw(dump)).AsTask());

            JsonImportError error = Assert.Single(e.Errors);
            Assert.Equal(JsonImportErrorKind.InvalidValue, error.Kind);
            Assert.Equal(500, error.DocumentIndex);
            Assert.Null(error.DocumentKey);
            Assert.Equal("$.progress", error.Path);
            Assert.Contains("expected int", error.Message, StringComparison.Ordinal);
            Assert.Equal("Todo", e.EntityName);
            Assert.Equal(1000, e.DocumentsRead);
            Assert.False(e.StoppedAtLimit);
            Assert.Contains("document 500, $.progress: expected int (a number), found \"half\"", e.Message, StringComparison.Ordinal);
            Assert.Contains("nothing was written", e.Message, StringComparison.Ordinal);
            Assert.Equal(1, await db.Todos.CountAsync());
        }

        Assert.Equal(before, Hash());
    }

    [Fact]
    public async Task EveryBadDocument_IsListed_WithItsKey()
    {
        await using TodoDb db = await OpenAsync();
        const string dump = """
            {
              "a": {"ownerId": "u", "title": "fine"},
              "b": {"ownerId": "u", "title": "late", "due": "tomorrow"},
              "c": {"ownerId": "u", "title": "fine too"},
              "d": {"title": "no owner", "progress": 300}
            }
            """;

        var e = await Assert.ThrowsAsync<JsonImportException>(() => db.Todos.ImportJsonAsync(JsonText.Raw(dump)).AsTask());

        // Document d lacks its owner and breaks a rule: both are listed.
        Assert.Equal(
            [(1L, "b", "$.due"), (3L, "d", "$"), (3L, "d", "$.progress")],
            e.Errors.Select(x => (x.DocumentIndex!.Value, x.DocumentKey!, x.Path)));
        Assert.Equal("the required property OwnerId is missing", e.Errors[1].Message);
        Assert.Equal([null, null, "Range"], e.Errors.Select(x => x.Rule));
        Assert.Equal([3L, 5L, 5L], e.Errors.Select(x => x.Line!.Value));
        Assert.Contains("document 1 (key 'b'), $.due", e.Message, StringComparison.Ordinal);
        Assert.Contains("in 2 of 4 documents", e.Message, StringComparison.Ordinal);
        Assert.Equal(0, await db.Todos.CountAsync());
    }

    [Fact]
    public async Task ValidationFailures_AreReportedWithTheDocumentsNames_AndNothingIsWritten()
    {
        await using TodoDb db = await OpenAsync();
        const string dump = """
            [
              {"id": "ok", "owner_id": "u", "title": "fine"},
              {"id": "v1", "owner_id": "u", "title": "fine", "progress": 101},
              {"id": "v2", "owner_id": "u", "title": "fine", "steps": [{"text": "a", "done": false, "minutes": 5}, {"text": "b", "done": false, "mins": 0}]},
              {"id": "v3", "owner_id": "u", "title": "something forbidden"},
              {"id": "v4", "owner_id": "u", "title": "   "}
            ]
            """;

        var e = await Assert.ThrowsAsync<JsonImportException>(() =>
            db.Todos.ImportJsonAsync(JsonText.Raw(dump), new JsonImportOptions { PropertyNames = new Dictionary<string, string> { ["mins"] = "Minutes" } }).AsTask());

        Assert.All(e.Errors, x => Assert.Equal(JsonImportErrorKind.Validation, x.Kind));
        Assert.Equal(
            [(1L, "$.progress", "Range"), (2L, "$.steps[1].mins", "Range"), (3L, "$.title", "NoForbiddenWords"), (4L, "$.title", "Required")],
            e.Errors.Select(x => (x.DocumentIndex!.Value, x.Path, x.Message[(x.Message.IndexOf('(') + 1)..].Split(';', ')')[0])));
        Assert.Contains("Progress: The field Progress must be between 0 and 100.", e.Errors[0].Message, StringComparison.Ordinal);
        Assert.Equal(0, await db.Todos.CountAsync());
    }

    [Fact]
    public async Task MissingKey_WithoutAnEntryKey_IsAnError()
    {
        await using TodoDb db = await OpenAsync();

        var e = await Assert.ThrowsAsync<JsonImportException>(() =>
            db.Todos.ImportJsonAsync(JsonText.Stream("[{'ownerId': 'u', 'title': 't'}]")).AsTask());

        JsonImportError error = Assert.Single(e.Errors);
        Assert.Equal(JsonImportErrorKind.MissingValue, error.Kind);
        Assert.Contains("the key property Id is missing", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EntryKeyThatIsNotAValidKey_IsAnError()
    {
        await using TodoDb db = await OpenAsync();

        var e = await Assert.ThrowsAsync<JsonImportException>(() =>
            db.Contacts.ImportJsonAsync(JsonText.Stream("{'contact:x': {'name': 'Ada'}}"), new JsonImportOptions { KeyPrefix = "contact:" }).AsTask());

        JsonImportError error = Assert.Single(e.Errors);
        Assert.Equal("x", error.DocumentKey);
        Assert.Equal("the entry key cannot be the key property Id: expected long (a number), found \"x\"", error.Message);
    }

    [Fact]
    public async Task DuplicateKeys_Fail_ByDefault_NamingTheKey()
    {
        await using TodoDb db = await OpenAsync();
        await db.Todos.InsertAsync(new Todo { Id = "a", OwnerId = "u", Title = "stored" });

        var e = await Assert.ThrowsAsync<JsonImportException>(() => db.Todos.ImportJsonAsync(JsonText.Stream("""
            [{'id': 'a', 'ownerId': 'u', 'title': 'again'}, {'id': 'b', 'ownerId': 'u', 'title': 'new'}, {'id': 'b', 'ownerId': 'u', 'title': 'twice'}]
            """)).AsTask());

        Assert.Equal([0L, 2L], e.Errors.Select(x => x.DocumentIndex!.Value));
        Assert.All(e.Errors, x => Assert.Equal(JsonImportErrorKind.DuplicateKey, x.Kind));
        Assert.All(e.Errors, x => Assert.Equal("$.id", x.Path));
        Assert.Contains("Todo 'a' is stored already", e.Errors[0].Message, StringComparison.Ordinal);
        Assert.Equal("stored", (await db.Todos.GetAsync("a"))!.Title);
        Assert.Null(await db.Todos.GetAsync("b"));
    }

    [Fact]
    public async Task DuplicateKeys_Skip_KeepsTheStoredEntities_AndCountsThem()
    {
        await using TodoDb db = await OpenAsync();
        await db.Todos.InsertAsync(new Todo { Id = "a", OwnerId = "u", Title = "stored" });

        JsonImportResult result = await db.Todos.ImportJsonAsync(
            JsonText.Stream("[{'id': 'a', 'ownerId': 'u', 'title': 'again'}, {'id': 'b', 'ownerId': 'u', 'title': 'new'}, {'id': 'b', 'ownerId': 'u', 'title': 'twice'}]"),
            new JsonImportOptions { DuplicateKeys = DuplicateKeyHandling.Skip });

        Assert.Equal(new JsonImportResult(3, 1, 0, 2), result);
        Assert.Equal("stored", (await db.Todos.GetAsync("a"))!.Title);
        Assert.Equal("new", (await db.Todos.GetAsync("b"))!.Title);
    }

    [Fact]
    public async Task DuplicateKeys_Replace_OverwritesTheStoredEntities_AndCountsThem()
    {
        await using TodoDb db = await OpenAsync();
        await db.Todos.InsertAsync(new Todo { Id = "a", OwnerId = "u", Title = "stored", Progress = 10 });

        JsonImportResult result = await db.Todos.ImportJsonAsync(
            JsonText.Stream("[{'id': 'a', 'ownerId': 'u', 'title': 'again'}, {'id': 'b', 'ownerId': 'u', 'title': 'new'}, {'id': 'b', 'ownerId': 'u', 'title': 'twice'}]"),
            new JsonImportOptions { DuplicateKeys = DuplicateKeyHandling.Replace });

        Assert.Equal(new JsonImportResult(3, 1, 2, 0), result);
        Todo a = (await db.Todos.GetAsync("a"))!;
        Assert.Equal("again", a.Title);
        Assert.Equal(0, a.Progress);
        Assert.Equal("twice", (await db.Todos.GetAsync("b"))!.Title);
        Assert.Equal(2, await db.Todos.CountAsync());
    }

    [Fact]
    public async Task UniqueIndexViolation_IsAnError_NamingTheIndex()
    {
        await using TodoDb db = await OpenAsync();

        var e = await Assert.ThrowsAsync<JsonImportException>(() => db.Todos.ImportJsonAsync(JsonText.Stream(
            "[{'id': 'a', 'ownerId': 'u', 'title': 'same'}, {'id': 'b', 'ownerId': 'u', 'title': 'same'}]"),
            new JsonImportOptions { DuplicateKeys = DuplicateKeyHandling.Replace }).AsTask());

        JsonImportError error = Assert.Single(e.Errors);
        Assert.Equal(JsonImportErrorKind.UniqueIndexViolation, error.Kind);
        Assert.Equal(1, error.DocumentIndex);
        Assert.Equal("$.ownerId", error.Path);
        Assert.Contains("unique index OwnerId_Title", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, await db.Todos.CountAsync());
    }

    [Fact]
    public async Task InsideAnOpenTransaction_TheImportJoinsIt_AndCommitsOrRollsBackWithIt()
    {
        await using TodoDb db = await OpenAsync();
        const string dump = "[{\"id\": \"a\", \"ownerId\": \"u\", \"title\": \"imported\"}]";

        await using (ReposTransaction tx = await db.BeginTransactionAsync())
        {
            await db.Contacts.InsertAsync(new Contact { Id = 1, Name = "Ada" });
            await db.Todos.ImportJsonAsync(JsonText.Raw(dump));
            Assert.Equal(1, await db.Todos.CountAsync());
            await tx.RollbackAsync();
        }

        Assert.Equal(0, await db.Todos.CountAsync());
        Assert.Equal(0, await db.Contacts.CountAsync());

        await using (ReposTransaction tx = await db.BeginTransactionAsync())
        {
            await db.Contacts.InsertAsync(new Contact { Id = 1, Name = "Ada" });
            await db.Todos.ImportJsonAsync(JsonText.Raw(dump));
            await tx.CommitAsync();
        }

        Assert.Equal(1, await db.Todos.CountAsync());
        Assert.Equal(1, await db.Contacts.CountAsync());
    }

    [Fact]
    public async Task FailedImportInsideAnOpenTransaction_UndoesOnlyItself_AndTheTransactionGoesOn()
    {
        await using TodoDb db = await OpenAsync();

        await using (ReposTransaction tx = await db.BeginTransactionAsync())
        {
            await db.Contacts.InsertAsync(new Contact { Id = 1, Name = "Ada" });
            await Assert.ThrowsAsync<JsonImportException>(() => db.Todos.ImportJsonAsync(JsonText.Stream(
                "[{'id': 'a', 'ownerId': 'u', 'title': 'fine'}, {'id': 'b', 'ownerId': 'u', 'title': 'bad', 'progress': -1}]")).AsTask());
            Assert.Equal(0, await db.Todos.CountAsync());
            await db.Contacts.InsertAsync(new Contact { Id = 2, Name = "Bob" });
            await tx.CommitAsync();
        }

        Assert.Equal(0, await db.Todos.CountAsync());
        Assert.Equal(2, await db.Contacts.CountAsync());
    }

    [Fact]
    public async Task MaxErrors_StopsTheImportThere()
    {
        await using TodoDb db = await OpenAsync();
        string dump = "[" + string.Join(",", Enumerable.Range(0, 50).Select(i => $"{{\"id\": \"{i}\", \"ownerId\": \"u\", \"title\": \"t{i}\", \"progress\": \"x\"}}")) + "]";

        var e = await Assert.ThrowsAsync<JsonImportException>(() =>
            db.Todos.ImportJsonAsync(JsonText.Raw(dump), new JsonImportOptions { MaxErrors = 5 }).AsTask());

        Assert.Equal(5, e.Errors.Count);
        Assert.True(e.StoppedAtLimit);
        Assert.Equal(5, e.DocumentsRead);
        Assert.Contains("and stopped there", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ManyErrors_TheMessageListsTheFirstTwenty()
    {
        await using TodoDb db = await OpenAsync();
        string dump = "[" + string.Join(",", Enumerable.Range(0, 30).Select(i => $"{{\"id\": \"{i}\", \"ownerId\": \"u\", \"title\": \"t{i}\", \"progress\": \"x\"}}")) + "]";

        var e = await Assert.ThrowsAsync<JsonImportException>(() => db.Todos.ImportJsonAsync(JsonText.Raw(dump)).AsTask());

        Assert.Equal(30, e.Errors.Count);
        Assert.Contains("document 19,", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("document 20,", e.Message, StringComparison.Ordinal);
        Assert.Contains("... and 10 more (see Errors).", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancellation_WritesNothing()
    {
        await using TodoDb db = await OpenAsync();
        using var cancel = new CancellationTokenSource();
        var stream = new CancellingStream(JsonText.Raw(Dump(20_000, bad: null)), cancel, afterBytes: 100_000);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => db.Todos.ImportJsonAsync(stream, cancellationToken: cancel.Token).AsTask());

        Assert.Equal(0, await db.Todos.CountAsync());
        await db.Todos.InsertAsync(new Todo { Id = "after", OwnerId = "u", Title = "the write lock was released" });
    }

    [Fact]
    public async Task ReadOnlyDatabase_RefusesTheImport()
    {
        await using (await OpenAsync())
        {
        }

        await using TodoDb db = await TodoDb.OpenAsync(DbPath, new ReposDatabaseOptions { ReadOnly = true });

        await Assert.ThrowsAsync<InvalidOperationException>(() => db.Todos.ImportJsonAsync(JsonText.Stream("[]")).AsTask());
    }

    [Fact]
    public async Task MaxErrorsBelowOne_IsAnArgumentError()
    {
        await using TodoDb db = await OpenAsync();

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() =>
            db.Todos.ImportJsonAsync(JsonText.Stream("[]"), new JsonImportOptions { MaxErrors = 0 }).AsTask());
    }

    /// <summary>A JSON array of valid to-dos, with one document's members replaced by <paramref name="bad"/>'s.</summary>
    private static string Dump(int count, (int Index, string Member)? bad)
    {
        var documents = new List<string>(count);
        for (int i = 0; i < count; i++)
        {
            string extra = bad is { } b && b.Index == i ? ", " + b.Member : string.Empty;
            documents.Add($"{{\"id\": \"t{i}\", \"ownerId\": \"u{i % 7}\", \"title\": \"Todo {i}\", \"createdAt\": {1714550400000 + i}{extra}}}");
        }

        return "[" + string.Join(",\n", documents) + "]";
    }

    private byte[] Hash()
    {
        Assert.False(File.Exists(DbPath + "-wal") && new FileInfo(DbPath + "-wal").Length > 0, "the file was left with a write-ahead log");
        return SHA256.HashData(File.ReadAllBytes(DbPath));
    }

    /// <summary>A stream that cancels a token once a number of bytes have been read from it.</summary>
    private sealed class CancellingStream(Stream inner, CancellationTokenSource cancel, int afterBytes) : Stream
    {
        private long _read;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => _read; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            int read = inner.Read(buffer[..Math.Min(buffer.Length, 4096)]);
            _read += read;
            if (_read >= afterBytes)
            {
                cancel.Cancel();
            }

            return read;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            cancellationToken.ThrowIfCancellationRequested();
            return new ValueTask<int>(Read(buffer.Span));
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
