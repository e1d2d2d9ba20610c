using System.Security.Cryptography;
using Repos.Storage.Sqlite;
using Repos.Tests.Transfer;
using Repos.Transfer;

namespace Repos.Tests.Storage;

/// <summary>
/// Keys are at most <see cref="ReposLimits.MaxKeyBytes"/> bytes of UTF-8: every write refuses a longer one
/// with an <see cref="EntityValidationException"/> on the key property, and writes nothing.
/// </summary>
public sealed class KeyLengthTests : IDisposable
{
    private readonly TempDirectory _folder = new();

    public void Dispose() => _folder.Dispose();

    private string DbPath => _folder.File("todo.db");

    public static TheoryData<string> Writes => ["Insert", "Upsert", "Update", "InsertMany", "UpsertMany", "InsertInATransaction"];

    [Theory]
    [InlineData(1024, "k", true)]
    [InlineData(1025, "k", false)]
    [InlineData(512, "é", true)]
    [InlineData(513, "é", false)]
    [InlineData(256, "😀", true)]
    [InlineData(257, "😀", false)]
    public async Task KeyOfTheLimit_IsStored_OneCharacterLonger_IsRefused(int count, string character, bool fits)
    {
        string key = string.Concat(Enumerable.Repeat(character, count));
        await using TodoDb db = await TodoDb.OpenAsync(DbPath);

        if (fits)
        {
            await db.Todos.InsertAsync(Todo(key));
            Assert.Equal(key, (await db.Todos.GetAsync(key))!.Id);
            return;
        }

        var e = await Assert.ThrowsAsync<EntityValidationException>(() => db.Todos.InsertAsync(Todo(key)).AsTask());
        ValidationError error = Assert.Single(e.Errors);
        Assert.Equal("Id", error.Property);
        Assert.Equal("MaxKeyLength", error.Rule);
        Assert.Contains($"the key is {System.Text.Encoding.UTF8.GetByteCount(key):N0} bytes long in UTF-8; a key is at most 1,024 bytes", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, await db.Todos.CountAsync());
    }

    [Theory]
    [MemberData(nameof(Writes))]
    public async Task EveryWrite_RefusesALongKey_AndLeavesTheFileByteForByte(string write)
    {
        byte[] before = await SeedAsync();
        string key = new('k', 5000);

        await using (TodoDb db = await TodoDb.OpenAsync(DbPath))
        {
            Task attempt = write switch
            {
                "Insert" => db.Todos.InsertAsync(Todo(key)).AsTask(),
                "Upsert" => db.Todos.UpsertAsync(Todo(key)).AsTask(),
                "Update" => db.Todos.UpdateAsync(Todo(key)).AsTask(),
                "InsertMany" => db.Todos.InsertManyAsync([Todo("fine"), Todo(key)]).AsTask(),
                "UpsertMany" => db.Todos.UpsertManyAsync([Todo("fine"), Todo(key)]).AsTask(),
                _ => InTransaction(db, key),
            };

            var e = await Assert.ThrowsAsync<EntityValidationException>(() => attempt);
            Assert.Equal("Todo", e.EntityName);
            Assert.Equal("MaxKeyLength", Assert.Single(e.Errors).Rule);
            Assert.Contains("5,000 bytes", e.Message, StringComparison.Ordinal);
            Assert.Contains("1,024", e.Message, StringComparison.Ordinal);
            Assert.Equal(1, await db.Todos.CountAsync());
        }

        Assert.Equal(before, Hash());
    }

    [Fact]
    public async Task HugeKey_IsRefused_WithAShortMessage()
    {
        string key = new('k', 50 * 1024 * 1024);
        await using TodoDb db = await TodoDb.OpenAsync(DbPath);

        var e = await Assert.ThrowsAsync<EntityValidationException>(() => db.Todos.InsertAsync(Todo(key)).AsTask());

        Assert.True(e.Message.Length < 1000, e.Message);
        Assert.Contains("52,428,800 characters", e.Message, StringComparison.Ordinal);
        Assert.Contains("the key is 52,428,800 bytes long", e.Message, StringComparison.Ordinal);
        Assert.Equal(0, await db.Todos.CountAsync());
    }

    [Fact]
    public async Task Import_OfADocumentWithALongKey_IsAValidationErrorAtTheKey()
    {
        byte[] before = await SeedAsync();
        string dump = $"[{{\"id\": \"ok\", \"ownerId\": \"u\", \"title\": \"a\"}}, {{\"id\": \"{new string('k', 2000)}\", \"ownerId\": \"u\", \"title\": \"b\"}}]";

        await using (TodoDb db = await TodoDb.OpenAsync(DbPath))
        {
            var e = await Assert.ThrowsAsync<JsonImportException>(() => db.Todos.ImportJsonAsync(JsonText.Raw(dump)).AsTask());

            JsonImportError error = Assert.Single(e.Errors);
            Assert.Equal(JsonImportErrorKind.Validation, error.Kind);
            Assert.Equal(1, error.DocumentIndex);
            Assert.Equal("$.id", error.Path);
            Assert.Contains("MaxKeyLength", error.Message, StringComparison.Ordinal);
            Assert.Contains("2,000 bytes", error.Message, StringComparison.Ordinal);
            Assert.Equal(1, await db.Todos.CountAsync());
        }

        Assert.Equal(before, Hash());
    }

    [Fact]
    public async Task Import_WithALongEntryKey_WhenNamesMayBeLonger_IsAValidationError()
    {
        byte[] before = await SeedAsync();
        string dump = $"{{\"{new string('k', 2000)}\": {{\"ownerId\": \"u\", \"title\": \"b\"}}}}";

        await using (TodoDb db = await TodoDb.OpenAsync(DbPath))
        {
            var e = await Assert.ThrowsAsync<JsonImportException>(() =>
                db.Todos.ImportJsonAsync(JsonText.Raw(dump), new JsonImportOptions { MaxPropertyNameBytes = 4096 }).AsTask());

            JsonImportError error = Assert.Single(e.Errors);
            Assert.Equal(JsonImportErrorKind.Validation, error.Kind);
            Assert.Contains("MaxKeyLength", error.Message, StringComparison.Ordinal);
        }

        Assert.Equal(before, Hash());
    }

    [Fact]
    public async Task RowStoredWithALongKey_BeforeTheLimit_CanBeReadAndDeleted_ButNotWrittenOrArchived()
    {
        string key = new('k', 3000);
        await SeedAsync();
        StoreUnderKey("kept", key);

        await using TodoDb db = await TodoDb.OpenAsync(DbPath);
        Assert.NotNull(await db.Todos.GetAsync(key));

        await Assert.ThrowsAsync<EntityValidationException>(() => db.Todos.UpsertAsync(Todo(key)).AsTask());
        var e = await Assert.ThrowsAsync<EntityValidationException>(() => db.Todos.ByCreatedAt().ArchiveAsync(_folder.File("archive.db")).AsTask());
        Assert.Equal("MaxKeyLength", Assert.Single(e.Errors).Rule);
        Assert.Contains("cannot go into the archive", e.Message, StringComparison.Ordinal);
        Assert.Equal(1, await db.Todos.CountAsync());

        Assert.True(await db.Todos.DeleteAsync(key));
        Assert.Equal(0, await db.Todos.CountAsync());
    }

    [Fact]
    public async Task Migration_ThatGivesARowALongKey_FailsWhole_AndLeavesTheRowsAtTheOldVersion()
    {
        string path = _folder.File("labels.db");
        await using (LabelsDb db = await LabelsDb.OpenAsync(path))
        {
            await db.Labels.InsertAsync(new Label { Id = "short", Name = "fine" });
            await db.Labels.InsertAsync(new Label { Id = "a", Name = "split", SplitKey = new string('k', 1500) });
        }

        // As a version 1 app left the file.
        using (SqliteConnection connection = SqliteConnection.Open(path, readOnly: false, create: false))
        {
            connection.Execute("UPDATE labels SET _schema=1");
        }

        CatalogEdit.Run(path, "UPDATE _repos_entities SET version=1 WHERE table_name='labels'");

        var e = await Assert.ThrowsAsync<ReposMigrationException>(() => LabelsDb.OpenAsync(path).AsTask());

        EntityValidationException inner = Assert.IsType<EntityValidationException>(e.InnerException);
        Assert.Equal("MaxKeyLength", Assert.Single(inner.Errors).Rule);
        Assert.Contains("1,500 bytes", inner.Message, StringComparison.Ordinal);
        using (SqliteConnection connection = SqliteConnection.Open(path, readOnly: true, create: false))
        {
            Assert.Equal(2L, connection.ExecuteScalar("SELECT count(*) FROM labels WHERE _schema=1"));
            Assert.Equal(2L, connection.ExecuteScalar("SELECT count(*) FROM labels"));
        }
    }

    private static Todo Todo(string id) => new() { Id = id, OwnerId = "u-" + id[..Math.Min(id.Length, 8)] + id.Length, Title = "t" };

    private static async Task InTransaction(TodoDb db, string key)
    {
        await using ReposTransaction transaction = await db.BeginTransactionAsync();
        await db.Todos.InsertAsync(Todo("fine"));
        await db.Todos.InsertAsync(Todo(key));
        await transaction.CommitAsync();
    }

    /// <summary>Gives a stored row another key, as a version of Repos without the limit could have stored it.</summary>
    private void StoreUnderKey(string key, string longKey)
    {
        using SqliteConnection connection = SqliteConnection.Open(DbPath, readOnly: false, create: false);
        using SqliteStatement update = connection.PrepareOnce("UPDATE \"Todo\" SET key=?1 WHERE key=?2");
        update.BindText(1, longKey);
        update.BindText(2, key);
        update.Execute();
    }

    /// <summary>Stores one to-do, closes the file, and returns its hash.</summary>
    private async Task<byte[]> SeedAsync()
    {
        await using (TodoDb db = await TodoDb.OpenAsync(DbPath))
        {
            await db.Todos.InsertAsync(new Todo { Id = "kept", OwnerId = "u0", Title = "Already here" });
        }

        return Hash();
    }

    private byte[] Hash()
    {
        Assert.False(File.Exists(DbPath + "-wal") && new FileInfo(DbPath + "-wal").Length > 0, "the file was left with a write-ahead log");
        return SHA256.HashData(File.ReadAllBytes(DbPath));
    }
}
