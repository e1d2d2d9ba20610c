using System.Security.Cryptography;
using Repos.Transfer;
using Xunit.Abstractions;

namespace Repos.Tests.Transfer;

/// <summary>
/// Dumps of hundreds of megabytes, made as they are read (<see cref="GeneratedStream"/>): what is past a limit
/// is refused while it is read, with memory bounded by the limits, not by the dump.
/// </summary>
/// <remarks>
/// The tests measure what the whole process allocates, so they run alone (<see cref="MemoryCollection"/>).
/// </remarks>
[Collection(MemoryCollection.Name)]
public sealed class JsonImportMemoryTests(ITestOutputHelper output) : IDisposable
{
    private const long Huge = 500L * 1024 * 1024;
    private const string Good = "\"id\": \"a\", \"ownerId\": \"u\", \"title\": \"ok\"";

    private readonly TempDirectory _folder = new();

    public void Dispose() => _folder.Dispose();

    private string DbPath => _folder.File("todo.db");

    public static TheoryData<string, string, string, string> HugeStrings => new()
    {
        // In a property the entity has.
        { $"[{{{Good}, \"notes\": \"", "\"}]", "$.notes", "a string of more than" },

        // In a property it does not have, which the import would pass over.
        { $"[{{{Good}, \"attachment\": {{\"data\": \"", "\"}}]", "$.attachment.data", "a string of more than" },

        // In an array the entity does not have.
        { $"[{{{Good}, \"history\": [1, 2, \"", "\"]}]", "$.history[2]", "a string of more than" },

        // As a property name.
        { $"[{{{Good}, \"", "\": 1}]", "$", "a property name of more than" },
    };

    [Theory]
    [MemberData(nameof(HugeStrings))]
    public async Task HugeString_InADocument_IsRefusedWhileRead_WithBoundedMemory(string prefix, string suffix, string path, string message)
    {
        byte[] before = await SeedAsync();
        var dump = new GeneratedStream(prefix, 'x', Huge, suffix);

        (JsonImportError error, long allocated) = await ImportFailsAsync(dump, JsonImportOptions.Default);

        Assert.Equal(JsonImportErrorKind.LimitExceeded, error.Kind);
        Assert.Equal(0, error.DocumentIndex);
        Assert.Equal(path, error.Path);
        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
        Assert.True(dump.BytesRead < Huge / 4, $"read {dump.BytesRead:N0} bytes of {Huge:N0}");
        Assert.True(allocated < Huge / 4, $"allocated {allocated:N0} bytes for a dump of {Huge:N0}");
        Assert.Equal(before, Hash());
    }

    [Fact]
    public async Task HugeString_WithSmallLimits_AllocatesLittleMoreThanTheLimits()
    {
        byte[] before = await SeedAsync();
        var dump = new GeneratedStream($"[{{{Good}, \"notes\": \"", 'x', Huge, "\"}]");
        var options = new JsonImportOptions { MaxStringBytes = 1024 * 1024, MaxDocumentBytes = 2 * 1024 * 1024 };

        (JsonImportError error, long allocated) = await ImportFailsAsync(dump, options);

        Assert.Equal(JsonImportErrorKind.LimitExceeded, error.Kind);
        Assert.Equal("$.notes", error.Path);
        Assert.True(allocated < 16 * 1024 * 1024, $"allocated {allocated:N0} bytes");
        Assert.Equal(before, Hash());
    }

    [Fact]
    public async Task HugeEntryKey_OfAnObjectOfDocuments_IsRefusedWhileRead()
    {
        byte[] before = await SeedAsync();
        var dump = new GeneratedStream("{\"", 'k', Huge, "\": {\"ownerId\": \"u\", \"title\": \"ok\"}}");

        (JsonImportError error, long allocated) = await ImportFailsAsync(dump, JsonImportOptions.Default);

        Assert.Equal(JsonImportErrorKind.LimitExceeded, error.Kind);
        Assert.Equal(0, error.DocumentIndex);
        Assert.StartsWith("the entry's key: a property name of more than", error.Message, StringComparison.Ordinal);
        Assert.True(dump.BytesRead < 1024 * 1024, $"read {dump.BytesRead:N0} bytes");
        Assert.True(allocated < 8 * 1024 * 1024, $"allocated {allocated:N0} bytes");
        Assert.Equal(before, Hash());
    }

    [Fact]
    public async Task HugeDocument_OfSmallValues_IsRefusedAtTheDocumentLimit()
    {
        byte[] before = await SeedAsync();

        // Half a gigabyte of "1,1,1,..." in an array the entity does not have: every token is small, the document is not.
        var huge = new GeneratedStream(
            [.. "[{\"id\": \"a\", \"ownerId\": \"u\", \"title\": \"ok\", \"filler\": [1"u8],
            [.. ",1"u8],
            Huge / 4,
            [.. "]}]"u8]);
        var options = new JsonImportOptions { MaxDocumentBytes = 4 * 1024 * 1024 };

        (JsonImportError error, long allocated) = await ImportFailsAsync(huge, options);

        Assert.Equal(JsonImportErrorKind.LimitExceeded, error.Kind);
        Assert.Equal(0, error.DocumentIndex);
        Assert.Equal("$", error.Path);
        Assert.StartsWith("the document of more than", error.Message, StringComparison.Ordinal);
        Assert.True(huge.BytesRead < 16 * 1024 * 1024, $"read {huge.BytesRead:N0} bytes");
        Assert.True(allocated < 32 * 1024 * 1024, $"allocated {allocated:N0} bytes");
        Assert.Equal(before, Hash());
    }

    [Fact]
    public async Task HugeStringOutsideTheSelectedDocuments_IsRefusedWhileRead()
    {
        byte[] before = await SeedAsync();
        var dump = new GeneratedStream("{\"cache\": \"", 'x', Huge, $"\", \"todos\": [{{{Good}}}]}}");

        (JsonImportError error, long allocated) = await ImportFailsAsync(dump, new JsonImportOptions { Path = "todos" });

        Assert.Equal(JsonImportErrorKind.LimitExceeded, error.Kind);
        Assert.Null(error.DocumentIndex);
        Assert.True(dump.BytesRead < Huge / 4, $"read {dump.BytesRead:N0} bytes");
        Assert.True(allocated < Huge / 4, $"allocated {allocated:N0} bytes");
        Assert.Equal(before, Hash());
    }

    [Fact]
    public async Task HugeRunOfWhiteSpace_BetweenDocuments_IsReadWithBoundedMemory()
    {
        var dump = new GeneratedStream($"[{{{Good}}},", ' ', 200L * 1024 * 1024, "{\"id\": \"b\", \"ownerId\": \"u\", \"title\": \"two\"}]");
        await using TodoDb db = await TodoDb.OpenAsync(DbPath);
        long allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);

        JsonImportResult result = await db.Todos.ImportJsonAsync(dump);

        long allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        output.WriteLine($"allocated {allocated:N0} bytes");
        Assert.Equal(2, result.Inserted);
        Assert.True(allocated < 8 * 1024 * 1024, $"allocated {allocated:N0} bytes");
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

    private async Task<(JsonImportError Error, long Allocated)> ImportFailsAsync(Stream dump, JsonImportOptions options)
    {
        await using TodoDb db = await TodoDb.OpenAsync(DbPath);
        long allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var e = await Assert.ThrowsAsync<JsonImportException>(() => db.Todos.ImportJsonAsync(dump, options).AsTask());
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        output.WriteLine($"allocated {allocated:N0} bytes: {e.Message}");
        Assert.Equal(1, await db.Todos.CountAsync());
        return (Assert.Single(e.Errors), allocated);
    }

    private byte[] Hash()
    {
        Assert.False(File.Exists(DbPath + "-wal") && new FileInfo(DbPath + "-wal").Length > 0, "the file was left with a write-ahead log");
        return SHA256.HashData(File.ReadAllBytes(DbPath));
    }
}

/// <summary>Tests that measure the process's allocations, run one at a time and not beside other tests.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MemoryCollection
{
    public const string Name = "Memory";
}
