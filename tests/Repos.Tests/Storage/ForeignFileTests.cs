using System.Security.Cryptography;
using Repos.Storage.Sqlite;

namespace Repos.Tests.Storage;

/// <summary>Opening a file Repos did not make: another program's SQLite database, or no database at all.</summary>
public sealed class ForeignFileTests : IDisposable
{
    private readonly TempDirectory _folder = new();

    private string DbPath => _folder.File("other.db");

    public void Dispose() => _folder.Dispose();

    /// <summary>A database as another program leaves it: a rollback journal, its own tables and rows.</summary>
    private void CreateForeignDatabase(string tableName = "customers")
    {
        using (SqliteConnection connection = SqliteConnection.Open(DbPath, readOnly: false, create: true))
        {
            connection.Execute($"CREATE TABLE \"{tableName}\"(id INTEGER PRIMARY KEY, name TEXT); CREATE INDEX \"{tableName}_name\" ON \"{tableName}\"(name);");
            connection.Execute($"INSERT INTO \"{tableName}\"(name) VALUES('Ada'), ('Grace')");
        }

        Assert.False(File.Exists(DbPath + "-wal"));
    }

    private byte[] Hash() => SHA256.HashData(File.ReadAllBytes(DbPath));

    private void AssertUnchanged(byte[] before)
    {
        Assert.Equal(before, Hash());
        Assert.False(File.Exists(DbPath + "-wal"), "a write-ahead log was created beside the refused file");
        Assert.False(File.Exists(DbPath + "-shm"), "a shared-memory index was created beside the refused file");
        Assert.False(File.Exists(DbPath + "-journal"), "a rollback journal was left beside the refused file");
        using SqliteConnection connection = SqliteConnection.Open(DbPath, readOnly: true, create: false);
        Assert.Equal("delete", connection.ExecuteText("PRAGMA journal_mode"));
        Assert.Equal(0, connection.ExecuteScalar("SELECT count(*) FROM sqlite_schema WHERE name='_repos_meta'"));
    }

    [Fact]
    public async Task Open_OfAnotherProgramsDatabase_ThrowsReposForeignDatabaseException_AndChangesNothing()
    {
        CreateForeignDatabase();
        byte[] before = Hash();

        ReposForeignDatabaseException e = await Assert.ThrowsAsync<ReposForeignDatabaseException>(() => NotesDb.OpenAsync(DbPath).AsTask());

        Assert.Contains(DbPath, e.Message, StringComparison.Ordinal);
        Assert.Contains("AllowForeignDatabase", e.Message, StringComparison.Ordinal);
        Assert.Contains("customers", e.Message, StringComparison.Ordinal);
        Assert.Equal(DbPath, e.DatabasePath);
        Assert.Empty(e.ConflictingNames);
        Assert.IsAssignableFrom<ReposSchemaException>(e);
        AssertUnchanged(before);
    }

    [Fact]
    public async Task Open_OfAnotherProgramsDatabaseInWalMode_ThrowsReposForeignDatabaseException_AndLeavesNoLogBeside()
    {
        CreateForeignDatabase();
        using (SqliteConnection connection = SqliteConnection.Open(DbPath, readOnly: false, create: false))
        {
            Assert.Equal("wal", connection.ExecuteText("PRAGMA journal_mode=WAL"));
        }

        Assert.False(File.Exists(DbPath + "-wal"));
        byte[] before = Hash();

        await Assert.ThrowsAsync<ReposForeignDatabaseException>(() => NotesDb.OpenAsync(DbPath).AsTask());

        Assert.Equal(before, Hash());
        Assert.Equal([DbPath], Directory.GetFiles(_folder.Path));
    }

    [Fact]
    public async Task ReadOnlyOpen_OfAnotherProgramsDatabase_ThrowsReposForeignDatabaseException_AndChangesNothing()
    {
        CreateForeignDatabase();
        byte[] before = Hash();

        ReposForeignDatabaseException e = await Assert.ThrowsAsync<ReposForeignDatabaseException>(
            () => NotesDb.OpenAsync(DbPath, new ReposDatabaseOptions { ReadOnly = true, AllowForeignDatabase = true }).AsTask());

        Assert.Contains(DbPath, e.Message, StringComparison.Ordinal);
        AssertUnchanged(before);
    }

    [Fact]
    public async Task Open_WithAllowForeignDatabase_AddsRepos_AndKeepsTheFilesOwnTables()
    {
        CreateForeignDatabase();

        await using (NotesDb db = await NotesDb.OpenAsync(DbPath, new ReposDatabaseOptions { AllowForeignDatabase = true }))
        {
            await db.Notes.InsertAsync(new Note { Id = Guid.NewGuid(), UserId = "u", Date = new DateOnly(2026, 1, 1), Mood = 3 });
        }

        await using (NotesDb db = await NotesDb.OpenAsync(DbPath))
        {
            Assert.Equal(1, await db.Notes.CountAsync());
        }

        using SqliteConnection connection = SqliteConnection.Open(DbPath, readOnly: true, create: false);
        Assert.Equal(2, connection.ExecuteScalar("SELECT count(*) FROM customers"));
    }

    [Theory]
    [InlineData("Note")]
    [InlineData("note")]
    [InlineData("_repos_fields")]
    public async Task Open_WithAllowForeignDatabase_WhenATableHasANameReposNeeds_ThrowsBeforeChangingAnything(string tableName)
    {
        CreateForeignDatabase(tableName);
        byte[] before = Hash();

        ReposForeignDatabaseException e = await Assert.ThrowsAsync<ReposForeignDatabaseException>(
            () => NotesDb.OpenAsync(DbPath, new ReposDatabaseOptions { AllowForeignDatabase = true }).AsTask());

        Assert.Contains(DbPath, e.Message, StringComparison.Ordinal);
        Assert.Contains(tableName, e.ConflictingNames);
        Assert.Contains(tableName, e.Message, StringComparison.Ordinal);
        AssertUnchanged(before);
    }

    [Fact]
    public async Task Open_WithAllowForeignDatabase_WhenAnIndexHasTheNameOfAModelIndex_ThrowsBeforeChangingAnything()
    {
        CreateForeignDatabase();
        using (SqliteConnection connection = SqliteConnection.Open(DbPath, readOnly: false, create: false))
        {
            connection.Execute("CREATE INDEX Note_Mood ON customers(name)");
        }

        byte[] before = Hash();

        ReposForeignDatabaseException e = await Assert.ThrowsAsync<ReposForeignDatabaseException>(
            () => NotesDb.OpenAsync(DbPath, new ReposDatabaseOptions { AllowForeignDatabase = true }).AsTask());

        Assert.Equal(["Note_Mood"], e.ConflictingNames);
        AssertUnchanged(before);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Open_OfAFileThatIsNotSqlite_ThrowsANotADatabaseError_NamingTheFile_AndChangesNothing(bool text)
    {
        if (text)
        {
            await File.WriteAllTextAsync(DbPath, "name,mood\nada,3\ngrace,4\n");
        }
        else
        {
            var bytes = new byte[10_000];
            new Random(77).NextBytes(bytes);
            await File.WriteAllBytesAsync(DbPath, bytes);
        }

        byte[] before = Hash();
        foreach (bool readOnly in new[] { false, true })
        {
            ReposStorageException e = await Assert.ThrowsAsync<ReposStorageException>(
                () => NotesDb.OpenAsync(DbPath, new ReposDatabaseOptions { ReadOnly = readOnly, AllowForeignDatabase = true }).AsTask());

            Assert.Equal(26, e.ResultCode);
            Assert.Contains(DbPath, e.Message, StringComparison.Ordinal);
            Assert.Contains("not a SQLite database", e.Message, StringComparison.Ordinal);
            Assert.Equal(before, Hash());
            Assert.Equal([DbPath], Directory.GetFiles(_folder.Path));
        }
    }

    [Fact]
    public async Task Open_OfAnEmptyFile_CreatesTheDatabaseInIt()
    {
        await File.WriteAllBytesAsync(DbPath, []);

        await using (NotesDb db = await NotesDb.OpenAsync(DbPath))
        {
            await db.Notes.InsertAsync(new Note { Id = Guid.NewGuid(), UserId = "u", Date = new DateOnly(2026, 1, 1), Mood = 3 });
        }

        await using NotesDb reopened = await NotesDb.OpenAsync(DbPath);
        Assert.Equal(1, await reopened.Notes.CountAsync());
    }
}
