using System.Security.Cryptography;
using Repos.Migrations;

namespace Repos.Tests.Storage;

[Collection(nameof(MigrationTests))]   // NoteV3Definition.FailOn is shared
public sealed class MigrationTests : IDisposable
{
    private readonly TempDirectory _folder = new();

    public void Dispose()
    {
        NoteV3Definition.FailOn = null;
        NoteV3Definition.Lazy = false;
        _folder.Dispose();
    }

    private string DbPath => _folder.File("notes.db");

    private async Task<Note[]> SeedVersion1(int count)
    {
        Note[] notes = Enumerable.Range(0, count).Select(i => new Note
        {
            Id = Guid.NewGuid(),
            UserId = $"u{i % 3}",
            Date = new DateOnly(2026, 1, 1).AddDays(i),
            Mood = 1 + (i % 9),
            Text = i % 10 == 0 ? "delete me" : $"note {i}",
            Tags = [new Tag("t", i)],
        }).ToArray();
        await using NotesDb db = await NotesDb.OpenAsync(DbPath);
        await db.Notes.InsertManyAsync(notes);
        return notes;
    }

    [Fact]
    public async Task OldFile_IsMigratedThroughEveryVersionInOneOpen_FieldByField()
    {
        Note[] notes = await SeedVersion1(1234);
        var progress = new List<MigrationProgress>();

        await using NotesDbV3 db = await NotesDbV3.OpenAsync(DbPath, new ReposDatabaseOptions { MigrationProgress = new SyncProgress(progress) });

        Note[] kept = notes.Where(n => n.Text != "delete me").ToArray();
        Assert.Equal(kept.Length, await db.Notes.CountAsync());
        foreach (Note before in kept)
        {
            NoteV3 after = (await db.Notes.GetAsync(before.Id))!;
            Assert.Equal(before.UserId, after.UserId);
            Assert.Equal(before.Date, after.Date);
            Assert.Equal(before.Mood * 10, after.Mood);
            Assert.Equal(before.Text, after.Body);
        }

        AppliedMigration applied = Assert.Single(await db.GetMigrationHistoryAsync());
        Assert.Equal(new AppliedMigration("Note", MigrationKind.Entity, 1, 3, 1234, applied.AppliedAt), applied);
        Assert.Equal(new MigrationProgress("Note", 3, 0, 1234), progress[0]);
        Assert.Equal(new MigrationProgress("Note", 3, 1234, 1234), progress[^1]);
        Assert.NotNull(db.MigrationBackupPath);
        Assert.True(File.Exists(db.MigrationBackupPath));
    }

    [Fact]
    public async Task MigrationChangingAnIndexedValueOnEveryRow_RebuildsThatIndex_AndQueriesAgree()
    {
        // Above one batch of 2,000 rows, an index whose values most rows change is dropped and built again at the end.
        Note[] notes = await SeedVersion1(5000);

        await using NotesDbV3 db = await NotesDbV3.OpenAsync(DbPath);

        for (int mood = 1; mood <= 9; mood++)
        {
            Guid[] expected = notes.Where(n => n.Mood == mood && n.Text != "delete me").Select(n => n.Id).Order().ToArray();
            Guid[] found = (await db.Notes.QueryMood(mood * 10).ToListAsync()).Select(n => n.Id).ToArray();
            Assert.Equal(expected, found);   // the index ends with the key, so rows come in key order
            Assert.Equal(0, await db.Notes.QueryMood(mood).CountAsync());
        }

        Assert.Equal(1, db.Writer.ExecuteScalar("SELECT count(*) FROM sqlite_schema WHERE type='index' AND name='Note_Mood'"));
    }

    [Fact]
    public async Task Migration_OfMoreRowsThanABatchHolds_MigratesEveryRow_InBatchesBoundedInRowsAndBytes()
    {
        // 2,600 notes, all but the first 300 with over 8 KiB of tags: about 19 MiB of payloads, so batches are
        // cut by their bytes (Internal.MigrationBatch.MaxBytes) as well as by their rows.
        int seed = FuzzSeed.Get(Random.Shared.Next());
        var random = new Random(seed);
        Note[] notes = Enumerable.Range(0, 2600).Select(i => new Note
        {
            Id = Guid.NewGuid(),
            UserId = $"u{i % 3}",
            Date = new DateOnly(2026, 1, 1).AddDays(i),
            Mood = 1 + (i % 9),
            Text = $"note {i}",
            Tags = i < 300 ? [] : Enumerable.Range(0, 256).Select(t => new Tag(RandomName(random), t)).ToArray(),
        }).ToArray();
        await using (NotesDb seeding = await NotesDb.OpenAsync(DbPath))
        {
            await seeding.Notes.InsertManyAsync(notes);
        }

        var progress = new List<MigrationProgress>();
        await using NotesDbV3 db = await NotesDbV3.OpenAsync(DbPath, new ReposDatabaseOptions { MigrationProgress = new SyncProgress(progress), BackupBeforeMigration = false });

        Assert.True(2600 == await db.Notes.CountAsync(), $"seed {seed}");
        foreach (Note before in notes)
        {
            NoteV3 after = (await db.Notes.GetAsync(before.Id))!;
            Assert.True(after is not null && after.Mood == before.Mood * 10 && after.Body == before.Text && after.UserId == before.UserId, $"seed {seed}: note {before.Id}");
        }

        long[] batches = progress.Zip(progress.Skip(1), (a, b) => b.RowsDone - a.RowsDone).Where(n => n > 0).ToArray();
        Assert.Equal(2600, batches.Sum());
        Assert.True(batches.Max() <= Internal.MigrationBatch.MaxRows, string.Join(", ", batches));
        int cutByBytes = (Internal.MigrationBatch.MaxBytes / 8192) + 1;
        Assert.True(
            batches.Length >= 3 && batches[0] < Internal.MigrationBatch.MaxRows && batches.Skip(1).All(n => n <= cutByBytes),
            $"batches of rows over 8 KiB hold at most {cutByBytes}: {string.Join(", ", batches)}");
        Assert.True((await db.VerifyAsync()).IsHealthy);
    }

    private static string RandomName(Random random) => string.Create(32, random, (span, r) =>
    {
        for (int c = 0; c < span.Length; c++)
        {
            span[c] = (char)('a' + r.Next(26));
        }
    });

    [Fact]
    public async Task Migration_CanTurnOneRowIntoTwo()
    {
        var original = new Note { Id = Guid.NewGuid(), UserId = "u", Date = new DateOnly(2020, 1, 1), Mood = 2, Text = "split me" };
        await using (NotesDb db = await NotesDb.OpenAsync(DbPath))
        {
            await db.Notes.InsertAsync(original);
        }

        await using NotesDbV3 migrated = await NotesDbV3.OpenAsync(DbPath);

        Assert.Equal(2, await migrated.Notes.CountAsync());
        NoteV3 kept = (await migrated.Notes.GetAsync(original.Id))!;
        NoteV3 split = (await migrated.Notes.GetAsync(NoteV3Definition.SplitKey(original.Id)))!;
        Assert.Equal("split me", kept.Body);
        Assert.Equal(20, kept.Mood);
        Assert.Equal("the split-off half", split.Body);
        Assert.Equal(20, split.Mood);
        Assert.Equal(original.Date.AddDays(10_000), split.Date);
    }

    [Fact]
    public async Task LazyMigration_ReadsWhatTheEagerOneWrites_AndUpgradesRowsWhenWritten()
    {
        Note[] notes = (await SeedVersion1(300)).Where(n => n.Text != "delete me").ToArray();
        await using (NotesDb db = await NotesDb.OpenAsync(DbPath))
        {
            // Lazy migrations may not delete rows: take out the ones the version 3 model drops.
            await db.Notes.DeleteManyAsync((await AllIds(db)).Except(notes.Select(n => n.Id)));
        }

        string eagerPath = _folder.File("eager.db");
        File.Copy(DbPath, eagerPath);
        Dictionary<Guid, NoteV3> eager;
        await using (NotesDbV3 eagerDb = await NotesDbV3.OpenAsync(eagerPath))
        {
            eager = await ReadAll(eagerDb);
        }

        NoteV3Definition.Lazy = true;
        await using NotesDbV3 lazy = await NotesDbV3.OpenAsync(DbPath);

        Assert.Equal(notes.Length, StoredAtVersion(1));
        AppliedMigration applied = Assert.Single(await lazy.GetMigrationHistoryAsync());
        Assert.Equal((MigrationKind.LazyEntity, 1, 3, (long)notes.Length), (applied.Kind, applied.FromVersion, applied.ToVersion, applied.Rows));

        // VerifyAsync upgrades the old rows in memory, as reads do, and checks the index columns against that.
        Diagnostics.VerifyReport verified = await lazy.VerifyAsync();
        Assert.True(verified.IsHealthy, verified.ToString());
        Assert.Equal(notes.Length, verified.RowsChecked);
        Dictionary<Guid, NoteV3> read = await ReadAll(lazy);
        Assert.Equal(eager.Count, read.Count);
        foreach ((Guid id, NoteV3 expected) in eager)
        {
            Assert.Equal(expected, read[id]);
        }

        // Index columns already hold the upgraded values, so index queries agree too.
        var byMood = await lazy.Notes.QueryMood(50).ToListAsync();
        Assert.Equal(eager.Values.Count(n => n.Mood == 50), byMood.Count);

        await lazy.Notes.UpdateAsync(read[notes[0].Id] with { Body = "written again" });
        Assert.Equal(notes.Length - 1, StoredAtVersion(1));
    }

    private static async Task<List<Guid>> AllIds(NotesDb db)
    {
        var ids = new List<Guid>();
        await foreach (Note note in db.Notes.All())
        {
            ids.Add(note.Id);
        }

        return ids;
    }

    private static async Task<Dictionary<Guid, NoteV3>> ReadAll(NotesDbV3 db)
    {
        var all = new Dictionary<Guid, NoteV3>();
        await foreach (NoteV3 note in db.Notes.All())
        {
            all[note.Id] = note;
        }

        return all;
    }

    private long StoredAtVersion(int version)
    {
        using var connection = Repos.Storage.Sqlite.SqliteConnection.Open(DbPath, readOnly: true, create: false);
        return connection.ExecuteScalar($"SELECT count(*) FROM Note WHERE _schema = {version}");
    }

    [Fact]
    public async Task OldFile_JumpsFromVersion1To4InOneOpen_FieldByField()
    {
        Note[] notes = await SeedVersion1(500);

        await using NotesDbV4 db = await NotesDbV4.OpenAsync(DbPath);

        Note[] kept = notes.Where(n => n.Text != "delete me").ToArray();
        Assert.Equal(kept.Length, await db.Notes.CountAsync());
        foreach (Note before in kept)
        {
            NoteV4 after = (await db.Notes.GetAsync(before.Id))!;
            Assert.Equal(before.UserId, after.UserId);
            Assert.Equal(before.Date, after.Date);
            Assert.Equal(before.Mood * 10, after.Mood);
            Assert.Equal(before.Text, after.Body);
            Assert.Equal(before.Text!.Length, after.BodyLength);
        }
    }

    [Fact]
    public async Task FileAtVersion3_TakesOnlyTheLastStepToVersion4()
    {
        Note[] notes = await SeedVersion1(50);
        await using (await NotesDbV3.OpenAsync(DbPath))
        {
        }

        await using NotesDbV4 db = await NotesDbV4.OpenAsync(DbPath);

        NoteV4 after = (await db.Notes.GetAsync(notes[7].Id))!;
        Assert.Equal(notes[7].Mood * 10, after.Mood);   // not multiplied twice
        Assert.Equal(notes[7].Text!.Length, after.BodyLength);
    }

    [Fact]
    public async Task MigratedFile_OpensAgainWithoutMigrating()
    {
        await SeedVersion1(10);
        await using (NotesDbV3 first = await NotesDbV3.OpenAsync(DbPath))
        {
            Assert.NotNull(first.MigrationBackupPath);
        }

        await using NotesDbV3 again = await NotesDbV3.OpenAsync(DbPath);
        Assert.Null(again.MigrationBackupPath);
        Assert.Single(await again.GetMigrationHistoryAsync());
        Assert.Equal(9, await again.Notes.CountAsync());
    }

    [Fact]
    public async Task MigrationFailingHalfway_LeavesTheFileByteForByte_AndNamesTheRow()
    {
        Note[] notes = await SeedVersion1(2000);
        Note failing = notes[1501];
        NoteV3Definition.FailOn = failing.Text;
        byte[] before = Hash();

        var e = await Assert.ThrowsAsync<ReposMigrationException>(() => NotesDbV3.OpenAsync(DbPath).AsTask());

        Assert.Equal("Note", e.EntityName);
        Assert.Equal(failing.Id.ToString(), e.Key);
        Assert.Equal(1, e.FromVersion);
        Assert.Equal(3, e.ToVersion);
        Assert.Contains("the test asked this row to fail", e.Message, StringComparison.Ordinal);
        Assert.Equal(before, Hash());
        await using NotesDb old = await NotesDb.OpenAsync(DbPath);
        Assert.Equal(2000, await old.Notes.CountAsync());
    }

    [Fact]
    public async Task NewerFile_IsRefusedByTheOlderModel_ButReadableReadOnly()
    {
        Note[] notes = await SeedVersion1(5);
        await using (await NotesDbV3.OpenAsync(DbPath))
        {
        }

        var e = await Assert.ThrowsAsync<ReposSchemaException>(() => NotesDb.OpenAsync(DbPath).AsTask());
        Assert.Contains("newer version of the app", e.Message, StringComparison.Ordinal);
        await using NotesDb readOnly = await NotesDb.OpenAsync(DbPath, new ReposDatabaseOptions { ReadOnly = true });
        Assert.Equal(4, await readOnly.Notes.CountAsync());
        Assert.Equal(notes[1].UserId, (await readOnly.Notes.GetAsync(notes[1].Id))!.UserId);
    }

    [Fact]
    public async Task MigrationBackup_CanBeRestored_AndTheMigratedFileIsKept()
    {
        Note[] notes = await SeedVersion1(20);
        string backup;
        await using (NotesDbV3 migrated = await NotesDbV3.OpenAsync(DbPath))
        {
            backup = migrated.MigrationBackupPath!;
        }

        string kept = await ReposDatabase.RestoreFileAsync(DbPath, backup);

        await using (NotesDb restored = await NotesDb.OpenAsync(DbPath))
        {
            Assert.Equal(20, await restored.Notes.CountAsync());
            Assert.Equal(notes[3].Text, (await restored.Notes.GetAsync(notes[3].Id))!.Text);
        }

        await using NotesDbV3 keptFile = await NotesDbV3.OpenAsync(kept);
        Assert.Equal(18, await keptFile.Notes.CountAsync());
    }

    [Fact]
    public async Task Restore_FromAFileThatIsNotRepos_ChangesNothing()
    {
        await SeedVersion1(3);
        string junk = _folder.File("junk.bak");
        await File.WriteAllTextAsync(junk, "not a database");
        byte[] before = Hash();

        await Assert.ThrowsAnyAsync<ReposException>(() => ReposDatabase.RestoreFileAsync(DbPath, junk).AsTask());

        Assert.Equal(before, Hash());
    }

    // The database file with its write-ahead log folded in (a closed file has none), hashed.
    private byte[] Hash()
    {
        Assert.False(File.Exists(DbPath + "-wal") && new FileInfo(DbPath + "-wal").Length > 0, "the file was left with a write-ahead log");
        return SHA256.HashData(File.ReadAllBytes(DbPath));
    }

    private sealed class SyncProgress(List<MigrationProgress> list) : IProgress<MigrationProgress>
    {
        public void Report(MigrationProgress value) => list.Add(value);
    }
}
