using Repos.Backup;
using Repos.Diagnostics;
using Repos.Internal;
using Repos.Recovery;
using Repos.Serialization;
using Repos.Storage;
using Repos.Storage.Sqlite;
using Repos.Tests.Integrity;

namespace Repos.Tests.Storage;

/// <summary>
/// Each entity's compression dictionary as the file keeps it: trained from its rows, stored in the catalog in the
/// write's transaction, sealed twice, carried by backups and salvage, and never named by a row when it is not in
/// the file.
/// </summary>
public sealed class CompressionDictionaryStorageTests : IDisposable
{
    private readonly TempDirectory _folder = new();

    public void Dispose() => _folder.Dispose();

    private string DbPath => _folder.File("dictionaries.db");

    private static List<Note> Notes(int from, int count) => Enumerable.Range(from, count).Select(i => VerifyTests.NewNote(i)).ToList();

    /// <summary>The ids of the dictionaries in the file, and how many rows name each (0 for rows without one).</summary>
    private Dictionary<uint, int> BlobDictionaries(out List<uint> stored)
    {
        using SqliteConnection connection = SqliteConnection.Open(DbPath, readOnly: true, create: false);
        stored = [];
        if (CompressionDictionaries.Exists(connection))
        {
            using SqliteStatement ids = connection.PrepareOnce($"SELECT id FROM {CompressionDictionaries.Table}");
            while (ids.Step())
            {
                stored.Add((uint)ids.ColumnInt64(0));
            }
        }

        var counts = new Dictionary<uint, int>();
        using SqliteStatement blobs = connection.PrepareOnce("SELECT _blob FROM Note");
        while (blobs.Step())
        {
            uint id = BlobEnvelope.ReadHeader(blobs.ColumnBlob(0)).DictionaryId;
            counts[id] = counts.GetValueOrDefault(id) + 1;
        }

        return counts;
    }

    private long CatalogFormat()
    {
        using SqliteConnection connection = SqliteConnection.Open(DbPath, readOnly: true, create: false);
        return Catalog.ReadFormat(connection);
    }

    private async Task AssertAllRead(IEnumerable<Note> notes, string? path = null)
    {
        await using NotesDb db = await NotesDb.OpenAsync(path ?? DbPath);
        foreach (Note note in notes)
        {
            Note stored = (await db.Notes.GetAsync(note.Id))!;
            Assert.Equal(note.Text, stored.Text);
            Assert.Equal(note.Tags, stored.Tags);
        }

        VerifyReport report = await db.VerifyAsync();
        Assert.True(report.IsHealthy, report.ToString());
    }

    [Fact]
    public async Task BulkInsert_TrainsOneDictionary_InTheSameTransaction_AndMostRowsUseIt()
    {
        List<Note> notes = Notes(0, 3000);
        await using (NotesDb db = await NotesDb.OpenAsync(DbPath))
        {
            await db.Notes.InsertManyAsync(notes);
        }

        Dictionary<uint, int> counts = BlobDictionaries(out List<uint> stored);
        uint id = Assert.Single(stored);

        // Trained at the 256th row; of the rows after it, those it shrinks by 30% name it, the rest are stored as they are.
        Assert.True(counts.GetValueOrDefault(id) >= 1500, $"{counts.GetValueOrDefault(id)} of 3000 rows use the dictionary");
        Assert.Equal(Catalog.DictionaryFormatVersion, CatalogFormat());
        await AssertAllRead(notes);
    }

    [Fact]
    public async Task Disabled_NoDictionary_AndTheFileStaysAtFormat2()
    {
        List<Note> notes = Notes(0, 1000);
        await using (NotesDb db = await NotesDb.OpenAsync(DbPath, new ReposDatabaseOptions { CompressionDictionaries = false }))
        {
            await db.Notes.InsertManyAsync(notes);
        }

        Dictionary<uint, int> counts = BlobDictionaries(out List<uint> stored);
        Assert.Empty(stored);
        Assert.Equal([0u], counts.Keys);
        Assert.Equal(Catalog.FormatVersion, CatalogFormat());
        await AssertAllRead(notes);
    }

    [Fact]
    public async Task ExistingRows_TrainTheDictionary_AtTheFirstWriteOfAnOpen()
    {
        List<Note> notes = Notes(0, 600);
        await using (NotesDb db = await NotesDb.OpenAsync(DbPath, new ReposDatabaseOptions { CompressionDictionaries = false }))
        {
            await db.Notes.InsertManyAsync(notes);
        }

        Note next = VerifyTests.NewNote(600);
        await using (NotesDb db = await NotesDb.OpenAsync(DbPath))
        {
            await db.Notes.InsertAsync(next);
        }

        Dictionary<uint, int> counts = BlobDictionaries(out List<uint> stored);
        uint id = Assert.Single(stored);
        Assert.Equal(1, counts.GetValueOrDefault(id));
        await AssertAllRead([.. notes, next]);
    }

    [Fact]
    public async Task RolledBackTransaction_TakesTheDictionaryWithIt_AndNoLaterRowNamesIt()
    {
        List<Note> single = Notes(1000, 20);
        List<Note> batch = Notes(2000, 100);
        await using (NotesDb db = await NotesDb.OpenAsync(DbPath))
        {
            await using (ReposTransaction transaction = await db.BeginTransactionAsync())
            {
                await db.Notes.InsertManyAsync(Notes(0, 1000));
                await transaction.RollbackAsync();
            }

            // Writes after the rollback, in transactions of their own and in one.
            foreach (Note note in single)
            {
                await db.Notes.InsertAsync(note);
            }

            await db.Notes.InsertManyAsync(batch);
        }

        Dictionary<uint, int> counts = BlobDictionaries(out List<uint> stored);
        Assert.All(counts.Keys.Where(k => k != 0), k => Assert.Contains(k, stored));
        Assert.Equal(120, counts.Values.Sum());
        await AssertAllRead([.. single, .. batch]);
    }

    [Fact]
    public async Task FailedBatchInACallersTransaction_RollsBackToItsSavepoint_AndLaterWritesDoNotNameTheLostDictionary()
    {
        List<Note> kept = Notes(5000, 10);
        await using (NotesDb db = await NotesDb.OpenAsync(DbPath))
        {
            await using ReposTransaction transaction = await db.BeginTransactionAsync();
            List<Note> batch = Notes(0, 1000);
            batch.Add(batch[0]); // a duplicate key fails the whole batch, after the dictionary was stored
            await Assert.ThrowsAnyAsync<ReposException>(() => db.Notes.InsertManyAsync(batch).AsTask());
            foreach (Note note in kept)
            {
                await db.Notes.InsertAsync(note);
            }

            await transaction.CommitAsync();
        }

        Dictionary<uint, int> counts = BlobDictionaries(out List<uint> stored);
        Assert.All(counts.Keys.Where(k => k != 0), k => Assert.Contains(k, stored));
        Assert.Equal(10, counts.Values.Sum());
        await AssertAllRead(kept);
    }

    [Fact]
    public async Task AnotherDatabaseObject_ReadsRowsOfADictionaryStoredAfterItOpened_AndWritesWithIt()
    {
        await using NotesDb early = await NotesDb.OpenAsync(DbPath);
        await early.Notes.InsertAsync(VerifyTests.NewNote(9999));
        List<Note> notes = Notes(0, 1000);
        await using (NotesDb other = await NotesDb.OpenAsync(DbPath))
        {
            await other.Notes.InsertManyAsync(notes);
        }

        foreach (Note note in notes.Take(50))
        {
            Assert.Equal(note.Text, (await early.Notes.GetAsync(note.Id))!.Text);
        }

        Assert.Equal(1001L, await early.Notes.CountAsync());
        int before = BlobDictionaries(out _).Where(c => c.Key != 0).Sum(c => c.Value);
        await early.Notes.InsertManyAsync(Notes(3000, 300));
        Dictionary<uint, int> counts = BlobDictionaries(out List<uint> stored);
        uint id = Assert.Single(stored);
        Assert.True(counts[id] >= before + 150, $"{counts[id] - before} of the 300 rows written after the other open stored it use the dictionary");
    }

    [Fact]
    public async Task DamagedDictionaryRow_IsPutBackFromTheSealedCopy_AtAWritableOpen()
    {
        List<Note> notes = Notes(0, 1000);
        await using (NotesDb db = await NotesDb.OpenAsync(DbPath))
        {
            await db.Notes.InsertManyAsync(notes);
        }

        using (SqliteConnection connection = SqliteConnection.Open(DbPath, readOnly: false, create: false))
        {
            connection.Execute($"UPDATE {CompressionDictionaries.Table} SET content=zeroblob(length(content))");
        }

        await Assert.ThrowsAsync<ReposCatalogDamagedException>(async () =>
        {
            await using NotesDb readOnly = await NotesDb.OpenAsync(DbPath, new ReposDatabaseOptions { ReadOnly = true });
        });

        await using (NotesDb db = await NotesDb.OpenAsync(DbPath))
        {
            Assert.NotNull(db.CatalogRepair);
            Assert.Contains(db.CatalogRepair.Rows, r => r.Contains(CompressionDictionaries.Table, StringComparison.Ordinal));
        }

        await AssertAllRead(notes);
    }

    [Theory]
    [InlineData(CompressionDictionaries.Table, false)] // the dictionary is in the sealed copy
    [InlineData("_repos_meta", true)] // the sealed copy and the schema are gone: found by scanning the pages
    public async Task Salvage_WithTheDictionaryTableOrItsCopyDestroyed_FindsTheDictionary_AndKeepsEveryRow(string table, bool schemaToo)
    {
        List<Note> notes = Notes(0, 1000);
        await using (NotesDb db = await NotesDb.OpenAsync(DbPath))
        {
            await db.Notes.InsertManyAsync(notes);
        }

        int root;
        using (SqliteConnection connection = SqliteConnection.Open(DbPath, readOnly: false, create: false))
        {
            connection.Execute("PRAGMA wal_checkpoint(TRUNCATE)");
            root = (int)connection.ExecuteScalar($"SELECT rootpage FROM sqlite_schema WHERE name='{table}'");
        }

        int pageSize = StoredFile.PageSize(DbPath);
        StoredFile.ZeroPage(DbPath, root, pageSize);
        if (schemaToo)
        {
            StoredFile.ZeroPage(DbPath, 1, pageSize);
        }

        string salvaged = _folder.File("salvaged.db");
        SalvageReport report = await ReposRecovery.SalvageAsync(DbPath, salvaged, NotesDb.Model);

        Assert.Equal(1000, report.RowsRecovered);
        await AssertAllRead(notes, salvaged);
    }

    [Fact]
    public async Task Archive_CarriesTheDictionary_IntoANewArchive_AndIntoAnExistingOne()
    {
        List<Note> notes = Notes(0, 1000);
        string archivePath = _folder.File("archive.db");
        await using (NotesDb db = await NotesDb.OpenAsync(DbPath))
        {
            await db.Notes.InsertManyAsync(notes);
            Assert.True(await db.Notes.ByIndex<long>("Mood", ColumnValue.From).Between(1, 3).ArchiveAsync(archivePath) > 0);
            Assert.True(await db.Notes.ByIndex<long>("Mood", ColumnValue.From).Between(4, 6).ArchiveAsync(archivePath) > 0);
        }

        using (SqliteConnection archive = SqliteConnection.Open(archivePath, readOnly: true, create: false))
        {
            Assert.Equal(Catalog.DictionaryFormatVersion, Catalog.ReadFormat(archive));
        }

        await AssertAllRead(notes.Where(n => n.Mood <= 6), archivePath);
        await AssertAllRead(notes.Where(n => n.Mood > 6));
    }

    [Fact]
    public async Task Backup_AndRestore_CarryTheDictionary()
    {
        List<Note> notes = Notes(0, 1000);
        await using (NotesDb db = await NotesDb.OpenAsync(DbPath))
        {
            await db.Notes.InsertManyAsync(notes);
            BackupInfo backup = await db.Backup.CreateAsync(BackupKind.Manual);
            await db.Notes.DeleteAsync(notes[0].Id);
            await db.Backup.RestoreAsync(backup.Id);
        }

        await AssertAllRead(notes);
    }
}
