using Repos.Internal;
using Repos.Recovery;
using Repos.Storage.Sqlite;
using Repos.Tests.Generated;
using Repos.Tests.Integrity;
using Repos.Tests.Storage;
using Tag = Repos.Tests.Storage.Tag;

namespace Repos.Tests.Recovery;

public sealed class SalvageTests : IDisposable
{
    private readonly TempDirectory _folder = new();

    private string DbPath => _folder.File("notes.db");

    private string NewPath => _folder.File("salvaged.db");

    public void Dispose() => _folder.Dispose();

    /// <summary>Every note of the salvaged file, by key.</summary>
    private async Task<Dictionary<Guid, Note>> ReadSalvagedAsync()
    {
        await using NotesDb db = await NotesDb.OpenAsync(NewPath);
        var notes = new Dictionary<Guid, Note>();
        await foreach (Note note in db.Notes.All())
        {
            notes.Add(note.Id, note);
        }

        return notes;
    }

    private static void AssertSame(Note written, Note read, int seed)
    {
        Assert.True(
            written with { Tags = [] } == read with { Tags = [] } && written.Tags.SequenceEqual(read.Tags),
            $"seed {seed}: {written.Id} was salvaged with other values");
    }

    [Fact]
    public async Task Salvage_OfAHealthyFile_KeepsEveryRow_IncludingOverflowingOnes_AndTheNewFileVerifies()
    {
        List<Note> notes = await VerifyTests.WriteNotesAsync(DbPath, 3_000);
        await using (NotesDb db = await NotesDb.OpenAsync(DbPath))
        {
            // Rows larger than a page spill onto overflow pages.
            for (int i = 0; i < 30; i++)
            {
                notes[i] = notes[i] with { Tags = Enumerable.Range(0, 800).Select(t => new Tag($"tag {t} of note {i}", t)).ToList() };
                await db.Notes.UpdateAsync(notes[i]);
            }
        }

        SalvageReport report = await ReposRecovery.SalvageAsync(DbPath, NewPath, NotesDb.Model);

        Assert.True(report.IsComplete, report.ToString());
        Assert.True(report.CatalogRecovered);
        Assert.False(report.PageSizeGuessed);
        Assert.Equal(3_000, report.RowsRecovered);
        Assert.Equal(0, Assert.Single(report.Entities).RowsFromOrphanedPages);
        Assert.NotNull(report.Verification);
        Assert.True(report.Verification.IsHealthy, report.Verification.ToString());
        Dictionary<Guid, Note> salvaged = await ReadSalvagedAsync();
        Assert.Equal(3_000, salvaged.Count);
        foreach (Note note in notes)
        {
            AssertSame(note, salvaged[note.Id], 0);
        }

        // The indexes were built again from the blobs.
        await using NotesDb reopened = await NotesDb.OpenAsync(NewPath);
        Assert.Equal(notes.Count(n => n.Mood == 3), await reopened.Notes.ByIndex<long>("Mood", ColumnValue.From).Between(3, 3).CountAsync());
    }

    [Fact]
    public async Task Salvage_WithoutTheModel_CopiesTheCatalog_AndTheAppsNextOpenBuildsTheIndexes()
    {
        List<Note> notes = await VerifyTests.WriteNotesAsync(DbPath, 500);

        SalvageReport report = await ReposRecovery.SalvageAsync(DbPath, NewPath);

        Assert.True(report.IsComplete, report.ToString());
        Assert.Null(report.Verification);
        await using NotesDb db = await NotesDb.OpenAsync(NewPath);
        Assert.True((await db.VerifyAsync()).IsHealthy);
        Assert.Equal(notes.Count(n => n.UserId == "user-3"), await db.Notes.ByIndex<string>("UserId_Date", ColumnValue.From).Between("user-3", "user-3").CountAsync());
    }

    [Theory]
    [InlineData(601)]
    [InlineData(602)]
    public async Task Salvage_AfterRandomBlobBytesAreOverwritten_KeepsEveryIntactRow_AndNamesTheDamagedOnesAsLost(int defaultSeed)
    {
        int seed = FuzzSeed.Get(defaultSeed);
        var random = new Random(seed);
        List<Note> notes = await VerifyTests.WriteNotesAsync(DbPath, 2_000, random);
        Dictionary<Guid, byte[]> blobs = StoredFile.Blobs(DbPath, "Note");
        byte[] file = File.ReadAllBytes(DbPath);
        Dictionary<Guid, List<long>> offsets = StoredFile.Locate(file, blobs, seed);
        var damaged = new HashSet<Guid>();
        foreach (Note note in random.GetItems(notes.ToArray(), 60).DistinctBy(n => n.Id))
        {
            int at = random.Next(blobs[note.Id].Length);
            byte flip = (byte)random.Next(1, 256);
            foreach (long offset in offsets[note.Id])
            {
                file[offset + at] ^= flip;
            }

            damaged.Add(note.Id);
        }

        File.WriteAllBytes(DbPath, file);

        SalvageReport report = await ReposRecovery.SalvageAsync(DbPath, NewPath, NotesDb.Model);

        Dictionary<Guid, Note> salvaged = await ReadSalvagedAsync();
        SalvagedEntity entity = Assert.Single(report.Entities);
        HashSet<Guid> lost = entity.Lost.Select(l => Guid.Parse(l.Key)).ToHashSet();
        foreach (Note note in notes)
        {
            if (salvaged.TryGetValue(note.Id, out Note? read))
            {
                AssertSame(note, read, seed);
                Assert.DoesNotContain(note.Id, lost);
            }
            else
            {
                // Only a damaged row may be missing (a change LZ4 decodes to the same bytes leaves one intact).
                Assert.True(damaged.Contains(note.Id), $"seed {seed}: the intact {note.Id} was not salvaged\n{report}");
                Assert.Contains(note.Id, lost);
            }
        }

        Assert.Equal(2_000, salvaged.Count + lost.Count);
        Assert.True(report.Verification!.IsHealthy, $"seed {seed}: {report.Verification}");
    }

    [Theory]
    [InlineData(701, false, false)]
    [InlineData(702, false, true)]
    [InlineData(703, true, false)]
    [InlineData(704, true, true)]
    public async Task Salvage_AfterRandomPagesAndBlobBytesAreOverwritten_KeepsEveryRowThatSurvived(int defaultSeed, bool firstPageToo, bool withRandomBytes)
    {
        int seed = FuzzSeed.Get(defaultSeed);
        var random = new Random(seed);
        List<Note> notes = await VerifyTests.WriteNotesAsync(DbPath, 3_000, random);
        byte[] file = File.ReadAllBytes(DbPath);
        Dictionary<Guid, byte[]> blobs = StoredFile.Blobs(DbPath, "Note");
        Dictionary<Guid, List<long>> offsets = StoredFile.Locate(file, blobs, seed);
        int pageSize = StoredFile.PageSize(DbPath);
        int pages = file.Length / pageSize;
        HashSet<int> zeroed = random.GetItems(Enumerable.Range(2, pages - 1).ToArray(), 8).ToHashSet();
        if (firstPageToo)
        {
            zeroed.Add(1);
        }

        foreach (int page in zeroed)
        {
            random.NextBytes(file.AsSpan((page - 1) * pageSize, pageSize));
            if (!withRandomBytes)
            {
                file.AsSpan((page - 1) * pageSize, pageSize).Clear();
            }
        }

        // And a byte changed in each of 20 random blobs, wherever they are.
        var damaged = new HashSet<Guid>();
        foreach (Note note in random.GetItems(notes.ToArray(), 20))
        {
            byte[] blob = (byte[])blobs[note.Id].Clone();
            blob[random.Next(blob.Length)] ^= (byte)random.Next(1, 256);
            offsets[note.Id].ForEach(offset => blob.CopyTo(file, offset));
            if (!VerifyTests.Decodes(blob))
            {
                damaged.Add(note.Id);
            }
        }

        File.WriteAllBytes(DbPath, file);

        SalvageReport report = await ReposRecovery.SalvageAsync(DbPath, NewPath, NotesDb.Model);

        AssertKeepsWhatSurvived(
            notes,
            blobs,
            offsets,
            (offset, length) => !zeroed.Contains((int)(offset / pageSize) + 1) && !zeroed.Contains((int)((offset + length - 1) / pageSize) + 1),
            pageSize,
            report,
            await ReadSalvagedAsync(),
            seed,
            damaged);
    }

    [Theory]
    [InlineData(801)]
    [InlineData(802)]
    public async Task Salvage_OfATruncatedFile_KeepsEveryRowBeforeTheCut(int defaultSeed)
    {
        int seed = FuzzSeed.Get(defaultSeed);
        var random = new Random(seed);
        List<Note> notes = await VerifyTests.WriteNotesAsync(DbPath, 3_000, random);
        byte[] file = File.ReadAllBytes(DbPath);
        Dictionary<Guid, byte[]> blobs = StoredFile.Blobs(DbPath, "Note");
        Dictionary<Guid, List<long>> offsets = StoredFile.Locate(file, blobs, seed);
        int pageSize = StoredFile.PageSize(DbPath);
        long cut = random.NextInt64(file.Length / 2, file.Length * 9 / 10);
        using (FileStream stream = File.OpenWrite(DbPath))
        {
            stream.SetLength(cut);
        }

        SalvageReport report = await ReposRecovery.SalvageAsync(DbPath, NewPath, NotesDb.Model);

        // On the page the cut goes through, the rows before the cut survive.
        AssertKeepsWhatSurvived(notes, blobs, offsets, (offset, length) => offset + length <= cut, pageSize, report, await ReadSalvagedAsync(), seed);
        Assert.True(report.PagesUnreadable > 0 || report.RowsLost > 0, $"seed {seed}: {report}");
    }

    [Fact]
    public async Task Salvage_WithTheHeaderOverwritten_GuessesThePageSizeAndKeepsEveryRow()
    {
        List<Note> notes = await VerifyTests.WriteNotesAsync(DbPath, 2_000);
        byte[] file = File.ReadAllBytes(DbPath);
        new Random(901).NextBytes(file.AsSpan(0, 100));
        File.WriteAllBytes(DbPath, file);

        SalvageReport report = await ReposRecovery.SalvageAsync(DbPath, NewPath, NotesDb.Model);

        Assert.True(report.PageSizeGuessed);
        Assert.Equal(StoredFilePageSize, report.PageSize);
        Assert.Equal(notes.Select(n => n.Id).Order(), (await ReadSalvagedAsync()).Keys.Order());
        Assert.True(report.Verification!.IsHealthy);
    }

    [Fact]
    public async Task Salvage_WithTheCatalogTablesDestroyed_TakesTheCatalogFromItsSealedCopy_WithoutTheModel()
    {
        List<Note> notes = await VerifyTests.WriteNotesAsync(DbPath, 1_000);
        var roots = new List<int>();
        using (SqliteConnection connection = SqliteConnection.Open(DbPath, readOnly: true, create: false))
        {
            using SqliteStatement select = connection.PrepareOnce("SELECT rootpage FROM sqlite_schema WHERE name IN ('_repos_entities', '_repos_fields')");
            while (select.Step())
            {
                roots.Add((int)select.ColumnInt64(0));
            }
        }

        int pageSize = StoredFile.PageSize(DbPath);
        foreach (int root in roots)
        {
            StoredFile.ZeroPage(DbPath, root, pageSize);
        }

        SalvageReport report = await ReposRecovery.SalvageAsync(DbPath, NewPath);

        Assert.True(report.CatalogRecovered);
        Assert.Contains(report.CatalogRepairs, r => r.Table == "_repos_entities" && r.Type == "Note");
        Assert.Contains(report.CatalogRepairs, r => r.Table == "_repos_fields" && r.Field == "Text");
        Assert.Equal(1_000, report.RowsRecovered);
        Dictionary<Guid, Note> salvaged = await ReadSalvagedAsync();
        foreach (Note note in notes)
        {
            AssertSame(note, salvaged[note.Id], 0);
        }
    }

    [Fact]
    public async Task Salvage_WithTheCatalogDestroyed_NeedsTheModel_AndWithItKeepsEveryRow()
    {
        List<Note> notes = await VerifyTests.WriteNotesAsync(DbPath, 1_000);
        var roots = new List<int>();
        using (SqliteConnection connection = SqliteConnection.Open(DbPath, readOnly: true, create: false))
        {
            // The sealed copy lives in _repos_meta: destroyed too, nothing in the file names the fields any more.
            using SqliteStatement select = connection.PrepareOnce("SELECT rootpage FROM sqlite_schema WHERE name IN ('_repos_entities', '_repos_fields', '_repos_meta')");
            while (select.Step())
            {
                roots.Add((int)select.ColumnInt64(0));
            }
        }

        int pageSize = StoredFile.PageSize(DbPath);
        foreach (int root in roots)
        {
            StoredFile.ZeroPage(DbPath, root, pageSize);
        }

        await Assert.ThrowsAsync<ReposRecoveryException>(() => ReposRecovery.SalvageAsync(DbPath, NewPath));
        Assert.False(File.Exists(NewPath));

        SalvageReport report = await ReposRecovery.SalvageAsync(DbPath, NewPath, NotesDb.Model);

        Assert.False(report.CatalogRecovered);
        Assert.Equal(1_000, report.RowsRecovered);
        Assert.True(report.Verification!.IsHealthy, report.Verification.ToString());
        Dictionary<Guid, Note> salvaged = await ReadSalvagedAsync();
        foreach (Note note in notes)
        {
            AssertSame(note, salvaged[note.Id], 0);
        }
    }

    [Fact]
    public async Task Salvage_ReadsTransactionsStillInTheWriteAheadLog()
    {
        string copy = _folder.File("copy.db");
        List<Note> notes = Enumerable.Range(0, 300).Select(i => VerifyTests.NewNote(i)).ToList();
        await using (NotesDb db = await NotesDb.OpenAsync(DbPath))
        {
            await db.Notes.InsertManyAsync(notes.Take(200));
            using (SqliteConnection checkpoint = SqliteConnection.Open(DbPath, readOnly: false, create: false))
            {
                checkpoint.Execute("PRAGMA wal_checkpoint(TRUNCATE)");
            }

            // Committed, not yet copied into the main file: a process killed now leaves them in the log.
            foreach (Note note in notes.Skip(200))
            {
                await db.Notes.InsertAsync(note);
            }

            await db.Notes.DeleteAsync(notes[0].Id);
            File.Copy(DbPath, copy);
            File.Copy(DbPath + "-wal", copy + "-wal");
        }

        SalvageReport report = await ReposRecovery.SalvageAsync(copy, NewPath, NotesDb.Model);

        Assert.True(report.PagesFromWriteAheadLog > 0);
        Assert.Equal(notes.Skip(1).Select(n => n.Id).Order(), (await ReadSalvagedAsync()).Keys.Order());
    }

    [Fact]
    public async Task Salvage_DoesNotBringBackDeletedRows()
    {
        List<Note> notes = await VerifyTests.WriteNotesAsync(DbPath, 3_000);
        await using (NotesDb db = await NotesDb.OpenAsync(DbPath))
        {
            foreach (Note note in notes.Where((_, i) => i % 3 != 0))
            {
                await db.Notes.DeleteAsync(note.Id);
            }
        }

        SalvageReport report = await ReposRecovery.SalvageAsync(DbPath, NewPath, NotesDb.Model);

        Assert.True(report.IsComplete, report.ToString());
        Assert.Equal(notes.Where((_, i) => i % 3 == 0).Select(n => n.Id).Order(), (await ReadSalvagedAsync()).Keys.Order());
    }

    [Fact]
    public async Task Salvage_OfAGeneratedDatabase_KeepsIntegerKeyedRows_AndRefusesAnExistingTarget()
    {
        string path = _folder.File("journal.db");
        var people = Enumerable.Range(1, 400).Select(i => new Person { Id = i * 7L, Email = $"p{i}@example.com", Tags = [$"t{i}"], Balance = i / 4m }).ToList();
        await using (JournalDb db = await JournalDb.OpenAsync(path))
        {
            await db.People.InsertManyAsync(people);
        }

        await Assert.ThrowsAsync<IOException>(() => ReposRecovery.SalvageAsync(path, path, JournalDb.Model));

        SalvageReport report = await ReposRecovery.SalvageAsync(path, NewPath, JournalDb.Model);

        Assert.True(report.IsComplete, report.ToString());
        Assert.True(report.Verification!.IsHealthy);
        await using JournalDb salvaged = await JournalDb.OpenAsync(NewPath);
        foreach (Person person in people)
        {
            Person? read = await salvaged.People.GetAsync(person.Id);
            Assert.True(read is not null && read.Email == person.Email && read.Balance == person.Balance && read.Tags.SequenceEqual(person.Tags));
        }

        Assert.Equal(people[5].Id, (await salvaged.People.GetByEmailAsync(people[5].Email))!.Id);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Salvage_WhenEveryTablesRootIsDestroyed_GivesEachCutOffLeafToItsEntity(bool withModel)
    {
        // AllTypes and Counter both have integer keys and their key in field 1, and Counter's field ids are a
        // subset of AllTypes': only what the rows hold tells them apart.
        string path = _folder.File("types.db");
        var all = Enumerable.Range(1, 600).Select(i => new AllTypes { Id = i, String = $"all {i}", Int64 = i * 1_000L }).ToList();
        var counters = Enumerable.Range(1, 900).Select(i => new Counter { Id = i * 2, Label = $"counter {i}", Value = i }).ToList();
        var tags = Enumerable.Range(1, 300).Select(i => new Repos.Tests.Generated.Tag($"tag {i}", i, null)).ToList();
        await using (TypesDb db = await TypesDb.OpenAsync(path))
        {
            await db.AllTypes.InsertManyAsync(all);
            await db.Counters.InsertManyAsync(counters);
            await db.Tags.InsertManyAsync(tags);
        }

        var roots = new List<int>();
        using (SqliteConnection connection = SqliteConnection.Open(path, readOnly: true, create: false))
        {
            using SqliteStatement select = connection.PrepareOnce("SELECT rootpage FROM sqlite_schema WHERE type = 'table' AND name IN ('AllTypes', 'Counter', 'Tag')");
            while (select.Step())
            {
                roots.Add((int)select.ColumnInt64(0));
            }
        }

        Assert.Equal(3, roots.Count);
        roots.ForEach(root => StoredFile.ZeroPage(path, root, StoredFile.PageSize(path)));

        SalvageReport report = await ReposRecovery.SalvageAsync(path, NewPath, withModel ? TypesDb.Model : null);

        Assert.Equal(0, report.RowsUnidentified);
        await using TypesDb salvaged = await TypesDb.OpenAsync(NewPath);
        Assert.Equal(all.Count, await salvaged.AllTypes.CountAsync());
        Assert.Equal(counters.Count, await salvaged.Counters.CountAsync());
        Assert.Equal("all 77", (await salvaged.AllTypes.GetAsync(77))!.String);
        Assert.Equal("counter 77", (await salvaged.Counters.GetAsync(154))!.Label);
        Assert.True((await salvaged.VerifyAsync()).IsHealthy);

        // A root that held rows itself (a table on one page) is gone with them, and named lost through the key index.
        long tagsKept = await salvaged.Tags.CountAsync();
        SalvagedEntity tagReport = Assert.Single(report.Entities, e => e.Entity == "Tag");
        Assert.Equal(tags.Count, tagsKept + tagReport.RowsLost);
        Assert.True(report.Entities.Single(e => e.Entity == "Counter").RowsFromOrphanedPages == counters.Count, report.ToString());
    }

    private const int StoredFilePageSize = 4096;

    /// <summary>
    /// Checks a salvage against what survived: every row whose every stored copy is on a surviving page is kept,
    /// nothing is kept that has no surviving copy, every kept row is as written, and no kept row is listed lost.
    /// </summary>
    private static void AssertKeepsWhatSurvived(
        List<Note> notes,
        Dictionary<Guid, byte[]> blobs,
        Dictionary<Guid, List<long>> offsets,
        Func<long, int, bool> survived,
        int pageSize,
        SalvageReport report,
        Dictionary<Guid, Note> salvaged,
        int seed,
        HashSet<Guid>? damaged = null)
    {
        _ = pageSize;
        bool Survives(Guid id, long offset, int length) => survived(offset, length) && damaged?.Contains(id) != true;

        HashSet<string> lost = report.Entities.SelectMany(e => e.Lost).Select(l => l.Key).ToHashSet();
        foreach (Note note in notes)
        {
            List<long> copies = offsets[note.Id];
            if (salvaged.TryGetValue(note.Id, out Note? read))
            {
                AssertSame(note, read, seed);
                Assert.False(damaged?.Contains(note.Id) == true, $"seed {seed}: the damaged {note.Id} was salvaged");
                Assert.DoesNotContain(note.Id.ToString(), lost);
                Assert.True(copies.Any(o => survived(o, blobs[note.Id].Length)), $"seed {seed}: {note.Id} was salvaged but no copy of it survived");
            }
            else
            {
                Assert.False(copies.All(o => Survives(note.Id, o, blobs[note.Id].Length)), $"seed {seed}: {note.Id} survived but was not salvaged\n{report}\n{string.Join("\n", report.Entities.SelectMany(e => e.Lost).Take(5))}");
            }
        }

        Assert.True(report.Verification is null || report.Verification.IsHealthy, $"seed {seed}: {report.Verification}");
    }
}
