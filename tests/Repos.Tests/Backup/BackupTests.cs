using System.Security.Cryptography;
using Repos.Backup;
using Repos.Transfer;
using Repos.Tests.Storage;

namespace Repos.Tests.Backup;

public sealed class BackupTests : IDisposable
{
    private readonly TempDirectory _folder = new();

    public void Dispose() => _folder.Dispose();

    private string DbPath => _folder.File("notes.db");

    private static Note NewNote(string user, int day, string text = "a note long enough to give the file some pages of rows") => new()
    {
        Id = Guid.NewGuid(),
        UserId = user,
        Date = new DateOnly(2026, 1, 1).AddDays(day),
        Mood = 1 + (day % 9),
        Text = text,
        Tags = [new Tag("t", day)],
    };

    private async Task<Note[]> Seed(NotesDb db, int count, string user = "seed")
    {
        Note[] notes = Enumerable.Range(0, count).Select(i => NewNote(user, i)).ToArray();
        await db.Notes.InsertManyAsync(notes);
        return notes;
    }

    [Fact]
    public async Task Create_WhileTasksKeepCommittingPairs_RestoresToAStateWithEveryPairComplete()
    {
        await using NotesDb db = await NotesDb.OpenAsync(DbPath);
        await Seed(db, 5000);
        long committed = 0;
        using var stop = new CancellationTokenSource();

        // Each transaction inserts a pair of notes under one user: a consistent copy has both or neither.
        Task[] writers = Enumerable.Range(0, 3).Select(w => Task.Run(async () =>
        {
            for (int n = 0; !stop.IsCancellationRequested; n++)
            {
                await using ReposTransaction tx = await db.BeginTransactionAsync();
                await db.Notes.InsertAsync(NewNote($"w{w}-{n}", 1));
                await db.Notes.InsertAsync(NewNote($"w{w}-{n}", 2));
                await tx.CommitAsync();
                Interlocked.Increment(ref committed);
            }
        })).ToArray();
        await WaitFor(() => Interlocked.Read(ref committed) >= 20);

        long before = await db.Notes.CountAsync();
        long committedAtStart = 0;
        int steps = 0;
        var copied = new List<long>();
        var progress = new InlineProgress(p =>
        {
            copied.Add(p.BytesCopied);
            // The copy holds its snapshot while the writers go on: after the first step, wait until they
            // have committed more, then copy the rest in small steps while they keep committing.
            if (steps++ == 0)
            {
                committedAtStart = Interlocked.Read(ref committed);
                SpinWait.SpinUntil(() => Interlocked.Read(ref committed) >= committedAtStart + 30, TimeSpan.FromSeconds(30));
            }
        });
        db.Backup.BytesPerStep = 64 * 1024;
        BackupInfo backup = await db.Backup.CreateAsync(BackupKind.Manual, progress);
        long after = await db.Notes.CountAsync();
        await stop.CancelAsync();
        await Task.WhenAll(writers);

        Assert.True(Interlocked.Read(ref committed) >= committedAtStart + 30, "the writers were blocked by the backup");
        Assert.True(steps > 10, $"the copy took {steps} steps");
        // One pass over one snapshot: a copy restarted by the writers' commits would go back to 0.
        Assert.True(copied.SequenceEqual(copied.Order()) && copied.Distinct().Count() == copied.Count, string.Join(", ", copied));
        Assert.Equal(backup.Size, copied[^1]);
        Assert.True(backup.IsVerified);
        Assert.Equal(BackupKind.Manual, backup.Kind);
        Assert.Equal(new FileInfo(backup.Path).Length, backup.Size);

        BackupInfo? replaced = await db.Backup.RestoreAsync(backup.Id);
        Assert.NotNull(replaced);
        await using NotesDb restored = await NotesDb.OpenAsync(DbPath);
        long count = await restored.Notes.CountAsync();
        Assert.InRange(count, before, after - 1);
        var pairs = new Dictionary<string, int>(StringComparer.Ordinal);
        await foreach (Note note in restored.Notes.All())
        {
            if (note.UserId.StartsWith('w'))
            {
                pairs[note.UserId] = pairs.GetValueOrDefault(note.UserId) + 1;
            }
        }

        Assert.All(pairs, pair => Assert.Equal(2, pair.Value));
        Assert.Equal(count - 5000, pairs.Count * 2);
    }

    [Fact]
    public async Task Create_AwaitedInsideATransactionThatBeganDuringTheCopy_DoesNotDeadlock_AndCheckpointsResume()
    {
        await using NotesDb db = await NotesDb.OpenAsync(DbPath);
        await Seed(db, 2000);
        using var copying = new SemaphoreSlim(0);
        using var transactionOpen = new SemaphoreSlim(0);
        long checkpointSizeWhileCopying = -1;
        var progress = new InlineProgress(_ =>
        {
            if (checkpointSizeWhileCopying < 0)
            {
                checkpointSizeWhileCopying = db.Writer.ExecuteScalar("PRAGMA wal_autocheckpoint");
                copying.Release();
                Assert.True(transactionOpen.Wait(TimeSpan.FromSeconds(30)));
            }
        });

        Task<BackupInfo> backup = db.Backup.CreateAsync(BackupKind.Manual, progress).AsTask();
        Assert.True(await copying.WaitAsync(TimeSpan.FromSeconds(30)));
        Note late = NewNote("late", 1);
        await using (ReposTransaction tx = await db.BeginTransactionAsync())
        {
            await db.Notes.InsertAsync(late);
            transactionOpen.Release();
            await backup.WaitAsync(TimeSpan.FromSeconds(30));   // the backup must not wait for this transaction
            await tx.CommitAsync();
        }

        // Inside a transaction's flow a backup sees only what was committed, and does not wait for the flow.
        BackupInfo inside;
        await using (ReposTransaction tx = await db.BeginTransactionAsync())
        {
            await db.Notes.InsertAsync(NewNote("uncommitted", 2));
            inside = await db.Backup.CreateAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30));
        }

        Assert.Equal(0, checkpointSizeWhileCopying);
        await WaitFor(() => db.Writer.ExecuteScalar("PRAGMA wal_autocheckpoint") == 1000);
        await using NotesDb copy = await NotesDb.OpenAsync((await backup).Path, new ReposDatabaseOptions { ReadOnly = true });
        Assert.Null(await copy.Notes.GetAsync(late.Id));
        await using NotesDb second = await NotesDb.OpenAsync(inside.Path, new ReposDatabaseOptions { ReadOnly = true });
        Assert.Equal(2001, await second.Notes.CountAsync());
    }

    [Fact]
    public async Task Restore_SwapsTheFile_AndKeepsTheReplacedFileAsABeforeRestoreBackup()
    {
        BackupInfo backup;
        Note late;
        await using (NotesDb db = await NotesDb.OpenAsync(DbPath))
        {
            await Seed(db, 100);
            backup = await db.Backup.CreateAsync();
            late = NewNote("late", 500);
            await db.Notes.InsertAsync(late);

            BackupInfo? replaced = await db.Backup.RestoreAsync(backup.Id);

            Assert.NotNull(replaced);
            Assert.Equal(BackupKind.BeforeRestore, replaced.Kind);
            Assert.False(replaced.IsVerified);
            Assert.Equal(1, replaced.DatabaseVersion);
            await Assert.ThrowsAsync<ObjectDisposedException>(() => db.Notes.CountAsync().AsTask());
        }

        // Nothing is left beside the database: no staged copy, no log or journal of the replaced file.
        Assert.Equal(["notes.db"], Directory.GetFiles(_folder.Path).Select(Path.GetFileName));

        await using (NotesDb restored = await NotesDb.OpenAsync(DbPath))
        {
            Assert.Equal(100, await restored.Notes.CountAsync());
            Assert.Null(await restored.Notes.GetAsync(late.Id));
            IReadOnlyList<BackupInfo> all = await restored.Backup.ListAsync();
            Assert.Equal([BackupKind.BeforeRestore, BackupKind.Manual], all.Select(b => b.Kind));
            Assert.Equal(backup.Id, all[1].Id);
        }

        // The replaced file, with the write the backup did not have, is itself a backup that restores.
        IReadOnlyList<BackupInfo> backups = await ReposBackups.ForFile(DbPath).ListAsync();
        await ReposBackups.ForFile(DbPath).RestoreAsync(backups[0].Id);
        await using NotesDb again = await NotesDb.OpenAsync(DbPath);
        Assert.Equal(101, await again.Notes.CountAsync());
        Assert.Equal(late.Text, (await again.Notes.GetAsync(late.Id))!.Text);
        Assert.Equal(3, (await again.Backup.ListAsync()).Count);
    }

    [Fact]
    public async Task List_AfterReopening_ShowsTheSameBackups_NewestFirst()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 9, 0, 0, TimeSpan.Zero));
        var options = new ReposDatabaseOptions { TimeProvider = clock };
        BackupInfo first;
        BackupInfo second;
        await using (NotesDb db = await NotesDb.OpenAsync(DbPath, options))
        {
            await Seed(db, 10);
            first = await db.Backup.CreateAsync();
            clock.Advance(TimeSpan.FromMinutes(5));
            second = await db.Backup.CreateAsync(BackupKind.Scheduled);
        }

        await using NotesDb reopened = await NotesDb.OpenAsync(DbPath, options);
        IReadOnlyList<BackupInfo> listed = await reopened.Backup.ListAsync();
        IReadOnlyList<BackupInfo> withoutOpening = await ReposBackups.ForFile(DbPath).ListAsync();

        Assert.Equal(["20260301-090500-000-scheduled", "20260301-090000-000-manual"], listed.Select(b => b.Id));
        Assert.Equal(listed.Select(Describe), withoutOpening.Select(Describe));
        Assert.Equal(Describe(second), Describe(listed[0]));
        Assert.Equal(Describe(first), Describe(listed[1]));
        Assert.Equal(new DateTimeOffset(2026, 3, 1, 9, 5, 0, TimeSpan.Zero), listed[0].CreatedAt);
        Assert.Equal(_folder.File("notes.db.backups"), reopened.Backup.Folder);
        Assert.Equal(Path.Combine(reopened.Backup.Folder, "20260301-090000-000-manual.db"), listed[1].Path);
        Assert.Equal(listed[1].Id, (await reopened.Backup.GetAsync(first.Id))!.Id);

        static string Describe(BackupInfo b) => $"{b.Id} {b.Kind} {b.CreatedAt:O} {b.Size} {b.IsVerified} {b.DatabaseVersion} {b.Path}";
    }

    [Fact]
    public async Task Backups_GoToTheConfiguredFolder()
    {
        string folder = _folder.File("elsewhere");
        await using NotesDb db = await NotesDb.OpenAsync(DbPath, new ReposDatabaseOptions { BackupFolder = folder });
        await Seed(db, 3);

        BackupInfo backup = await db.Backup.CreateAsync();

        Assert.Equal(folder, Path.GetDirectoryName(backup.Path));
        Assert.True(File.Exists(Path.Combine(folder, backup.Id + ".json")));
        Assert.Single(await ReposBackups.ForFile(DbPath, folder).ListAsync());
        Assert.Empty(await ReposBackups.ForFile(DbPath).ListAsync());
    }

    [Fact]
    public async Task Restore_WithAnUnknownId_ThrowsBackupNotFound_AndChangesNothing()
    {
        await using (NotesDb db = await NotesDb.OpenAsync(DbPath))
        {
            await Seed(db, 10);
            await db.Backup.CreateAsync();
        }

        byte[] before = Hash(DbPath);
        ReposBackups backups = ReposBackups.ForFile(DbPath);

        var e = await Assert.ThrowsAsync<BackupNotFoundException>(() => backups.RestoreAsync("20990101-000000-000-manual").AsTask());
        await Assert.ThrowsAsync<BackupNotFoundException>(() => backups.RestoreAsync("../notes.db").AsTask());

        Assert.Equal("20990101-000000-000-manual", e.BackupId);
        Assert.Contains("Nothing was changed", e.Message, StringComparison.Ordinal);
        Assert.Equal(before, Hash(DbPath));
        Assert.Single(await backups.ListAsync());
        Assert.False(await backups.DeleteAsync("20990101-000000-000-manual"));
    }

    [Fact]
    public async Task Restore_OfADamagedBackup_ThrowsBackupVerification_AndChangesNothing()
    {
        BackupInfo backup;
        await using (NotesDb db = await NotesDb.OpenAsync(DbPath))
        {
            await Seed(db, 500);
            backup = await db.Backup.CreateAsync();
            await db.Notes.InsertAsync(NewNote("after", 1));

            // One flipped byte in the middle of the copy, as a failing disk would leave it.
            using (var file = new FileStream(backup.Path, FileMode.Open, FileAccess.ReadWrite))
            {
                file.Position = file.Length / 2;
                int b = file.ReadByte();
                file.Position--;
                file.WriteByte((byte)(b ^ 0x40));
            }

            var e = await Assert.ThrowsAsync<BackupVerificationException>(() => db.Backup.RestoreAsync(backup.Id).AsTask());

            Assert.Equal(backup.Id, e.BackupId);
            Assert.Contains("CRC-32C", e.Problem, StringComparison.Ordinal);
            Assert.Equal(501, await db.Notes.CountAsync());   // still open, still the same
        }

        byte[] before = Hash(DbPath);
        await using (var file = new FileStream(backup.Path, FileMode.Open, FileAccess.ReadWrite))
        {
            file.SetLength(file.Length - 4096);
        }

        var truncated = await Assert.ThrowsAsync<BackupVerificationException>(() => ReposBackups.ForFile(DbPath).RestoreAsync(backup.Id).AsTask());

        Assert.Contains("bytes long", truncated.Problem, StringComparison.Ordinal);
        Assert.Equal(before, Hash(DbPath));
        Assert.Empty(Directory.GetFiles(_folder.Path, "*restoring*"));
        Assert.Single(await ReposBackups.ForFile(DbPath).ListAsync());
    }

    [Fact]
    public async Task ListAndRestore_WorkWhenTheDatabaseFileIsDamaged()
    {
        Note[] notes;
        await using (NotesDb db = await NotesDb.OpenAsync(DbPath))
        {
            notes = await Seed(db, 200);
            await db.Backup.CreateAsync();
        }

        // Zero the first pages: SQLite no longer recognises the file.
        await using (var file = new FileStream(DbPath, FileMode.Open, FileAccess.Write))
        {
            file.Write(new byte[8192]);
        }

        await Assert.ThrowsAnyAsync<ReposException>(() => NotesDb.OpenAsync(DbPath).AsTask());
        byte[] damaged = Hash(DbPath);
        ReposBackups backups = ReposBackups.ForFile(DbPath);

        IReadOnlyList<BackupInfo> listed = await backups.ListAsync();
        BackupInfo? replaced = await backups.RestoreAsync(listed[0].Id);

        Assert.NotNull(replaced);
        Assert.Null(replaced.DatabaseVersion);
        Assert.Equal(damaged, Hash(replaced.Path));   // the damaged file is kept as it was
        await using NotesDb restored = await NotesDb.OpenAsync(DbPath);
        Assert.Equal(200, await restored.Notes.CountAsync());
        Assert.Equal(notes[123].Text, (await restored.Notes.GetAsync(notes[123].Id))!.Text);
    }

    [Fact]
    public async Task EmergencyMode_RestoresTheNewestRecordedBackup_FromTheConfiguredFolder()
    {
        string folder = _folder.File("kept-elsewhere");
        BackupInfo older;
        BackupInfo newest;
        await using (NotesDb db = await NotesDb.OpenAsync(DbPath, new ReposDatabaseOptions { BackupFolder = folder }))
        {
            await Seed(db, 40);
            older = await db.Backup.CreateAsync();
            await db.Notes.InsertAsync(NewNote("later", 1));
            newest = await db.Backup.CreateAsync(BackupKind.Scheduled);
        }

        await using (var file = new FileStream(DbPath, FileMode.Open, FileAccess.Write))
        {
            file.Write(new byte[8192]);
        }

        var offered = new List<string>();
        await using NotesDb restored = await NotesDb.OpenAsync(DbPath, new ReposDatabaseOptions
        {
            BackupFolder = folder,
            OnDamagedFile = damaged =>
            {
                offered.AddRange(damaged.Backups);
                return ValueTask.FromResult(Repos.Recovery.DamagedFileAction.RestoreLatestBackup);
            },
        });

        Assert.Equal([newest.Path, older.Path], offered);
        Assert.Equal(newest.Path, restored.DamageRecovery!.RestoredFrom);
        Assert.Equal(41, await restored.Notes.CountAsync());
        Repos.Housekeeping.StorageInfo storage = await restored.GetStorageInfoAsync();
        Assert.Equal(folder, storage.BackupFolderPath);
        Assert.True(storage.BackupFolderSizeBytes >= older.Size + newest.Size);
    }

    [Fact]
    public async Task Restore_WhileAnotherConnectionHasTheFileOpen_FailsAndChangesNothing()
    {
        await using NotesDb db = await NotesDb.OpenAsync(DbPath);
        await Seed(db, 20);
        BackupInfo backup = await db.Backup.CreateAsync();
        await db.Notes.InsertAsync(NewNote("after", 1));
        var backups = new ReposBackups(DbPath, null, null, TimeSpan.FromMilliseconds(100), null);

        var e = await Assert.ThrowsAsync<ReposStorageException>(() => backups.RestoreAsync(backup.Id).AsTask());

        Assert.Contains("open in another connection", e.Message, StringComparison.Ordinal);
        Assert.Equal(21, await db.Notes.CountAsync());
        Assert.Single(await backups.ListAsync());
        Assert.Empty(Directory.GetFiles(_folder.Path, "*restoring*"));
    }

    [Fact]
    public async Task Restore_WhenTheDatabaseFileIsGone_PutsTheBackupInPlace()
    {
        BackupInfo backup;
        await using (NotesDb db = await NotesDb.OpenAsync(DbPath))
        {
            await Seed(db, 7);
            backup = await db.Backup.CreateAsync();
        }

        File.Delete(DbPath);

        Assert.Null(await ReposBackups.ForFile(DbPath).RestoreAsync(backup.Id));
        await using NotesDb restored = await NotesDb.OpenAsync(DbPath);
        Assert.Equal(7, await restored.Notes.CountAsync());
    }

    [Fact]
    public async Task Create_Cancelled_LeavesNothingBehind()
    {
        await using NotesDb db = await NotesDb.OpenAsync(DbPath);
        await Seed(db, 50);
        using var cancel = new CancellationTokenSource();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => db.Backup.CreateAsync(BackupKind.Manual, new InlineProgress(_ => cancel.Cancel()), cancel.Token).AsTask());

        Assert.Empty(Directory.GetFiles(db.Backup.Folder));
        Assert.Empty(await db.Backup.ListAsync());
    }

    [Fact]
    public async Task Backup_IsAStandaloneVerifiedCopy_AndDeleteRemovesIt()
    {
        await using NotesDb db = await NotesDb.OpenAsync(DbPath);
        Note[] notes = await Seed(db, 300);
        var reports = new List<BackupProgress>();

        BackupInfo backup = await db.Backup.CreateAsync(BackupKind.Manual, new InlineProgress(reports.Add));

        Assert.Equal(reports[^1].BytesTotal, reports[^1].BytesCopied);
        Assert.Equal(backup.Size, reports[^1].BytesTotal);
        Assert.Equal(1, backup.DatabaseVersion);
        Assert.Equal(["notes.db.backups"], Directory.GetDirectories(_folder.Path).Select(Path.GetFileName));
        Assert.Equal([backup.Id + ".db", backup.Id + ".json"], Directory.GetFiles(db.Backup.Folder).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        await using (NotesDb copy = await NotesDb.OpenAsync(backup.Path, new ReposDatabaseOptions { ReadOnly = true }))
        {
            Assert.Equal(300, await copy.Notes.CountAsync());
            Assert.Equal(notes[42].Text, (await copy.Notes.GetAsync(notes[42].Id))!.Text);
        }

        Assert.True(await db.Backup.DeleteAsync(backup.Id));
        Assert.Empty(Directory.GetFiles(db.Backup.Folder));
        Assert.Null(await db.Backup.GetAsync(backup.Id));
    }

    [Fact]
    public async Task Import_IsPrecededByABeforeImportBackup_OfWhatWasCommitted()
    {
        const string dump = """[{"id": "0f8fad5b-d9cb-469f-a165-70867728950e", "userId": "imported", "date": "2024-05-01", "mood": 7}]""";
        await using NotesDb db = await NotesDb.OpenAsync(DbPath);
        await Seed(db, 5);

        await db.Notes.ImportJsonAsync(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(dump)));

        BackupInfo backup = Assert.Single(await db.Backup.ListAsync());
        Assert.Equal(BackupKind.BeforeImport, backup.Kind);
        Assert.EndsWith("-before-import", backup.Id, StringComparison.Ordinal);
        Assert.Equal(6, await db.Notes.CountAsync());
        await using NotesDb before = await NotesDb.OpenAsync(backup.Path, new ReposDatabaseOptions { ReadOnly = true });
        Assert.Equal(5, await before.Notes.CountAsync());
    }

    [Fact]
    public async Task Import_WithBackupBeforeImportOff_TakesNoBackup()
    {
        const string dump = """[{"id": "0f8fad5b-d9cb-469f-a165-70867728950e", "userId": "imported", "date": "2024-05-01", "mood": 7}]""";
        await using NotesDb db = await NotesDb.OpenAsync(DbPath, new ReposDatabaseOptions { BackupBeforeImport = false });

        await db.Notes.ImportJsonAsync(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(dump)));

        Assert.Equal(1, await db.Notes.CountAsync());
        Assert.Empty(await db.Backup.ListAsync());
    }

    [Fact]
    public async Task List_SkipsDamagedManifests_AndKeepsTheirFiles()
    {
        await using NotesDb db = await NotesDb.OpenAsync(DbPath);
        await Seed(db, 5);
        BackupInfo kept = await db.Backup.CreateAsync();
        BackupInfo damaged = await db.Backup.CreateAsync(BackupKind.Scheduled);
        await File.WriteAllTextAsync(Path.Combine(db.Backup.Folder, damaged.Id + ".json"), "{\"format\":1,\"id\":");

        IReadOnlyList<BackupInfo> listed = await db.Backup.ListAsync();
        await db.Backup.ApplyRetentionAsync(new BackupRetention { KeepLast = 1 });

        Assert.Equal(kept.Id, Assert.Single(listed).Id);
        Assert.True(File.Exists(damaged.Path));
    }

    private static byte[] Hash(string path) => SHA256.HashData(File.ReadAllBytes(path));

    private static async Task WaitFor(Func<bool> condition)
    {
        for (int i = 0; i < 3000 && !condition(); i++)
        {
            await Task.Delay(10);
        }

        Assert.True(condition(), "timed out");
    }

    /// <summary>Reports on the calling thread, unlike <see cref="Progress{T}"/>, which posts.</summary>
    private sealed class InlineProgress(Action<BackupProgress> report) : IProgress<BackupProgress>
    {
        public void Report(BackupProgress value) => report(value);
    }
}
