using Repos.Recovery;
using Repos.Tests.Integrity;
using Repos.Tests.Storage;

namespace Repos.Tests.Recovery;

public sealed class EmergencyModeTests : IDisposable
{
    private readonly TempDirectory _folder = new();

    private string DbPath => _folder.File("notes.db");

    public void Dispose() => _folder.Dispose();

    /// <summary>Writes notes, then destroys page 1 (the header and the schema): SQLite refuses the file.</summary>
    private async Task<(List<Note> Notes, byte[] Damaged)> WriteAndDamageAsync(int count = 500, Action? beforeDamage = null)
    {
        List<Note> notes = await VerifyTests.WriteNotesAsync(DbPath, count);
        beforeDamage?.Invoke();
        StoredFile.ZeroPage(DbPath, 1, StoredFile.PageSize(DbPath));
        return (notes, File.ReadAllBytes(DbPath));
    }

    private static ReposDatabaseOptions Choosing(DamagedFileAction action, List<DamagedFile>? calls = null) => new()
    {
        OnDamagedFile = damaged =>
        {
            calls?.Add(damaged);
            return ValueTask.FromResult(action);
        },
    };

    private string[] DamagedCopies() => Directory.GetFiles(_folder.Path, "notes.db.damaged-*").Where(f => !f.EndsWith("-wal", StringComparison.Ordinal) && !f.EndsWith("-shm", StringComparison.Ordinal)).ToArray();

    [Fact]
    public async Task Open_OfADamagedFile_WithoutEmergencyMode_Throws_AndChangesNothing()
    {
        (_, byte[] damaged) = await WriteAndDamageAsync();

        ReposStorageException e = await Assert.ThrowsAsync<ReposStorageException>(() => NotesDb.OpenAsync(DbPath).AsTask());

        Assert.Equal(26, e.ResultCode);
        Assert.Equal(damaged, File.ReadAllBytes(DbPath));
        Assert.Empty(DamagedCopies());
    }

    [Fact]
    public async Task EmergencyMode_Fail_ThrowsTheOpensError_AndLeavesTheFileInPlace()
    {
        (_, byte[] damaged) = await WriteAndDamageAsync();
        var calls = new List<DamagedFile>();

        await Assert.ThrowsAsync<ReposStorageException>(() => NotesDb.OpenAsync(DbPath, Choosing(DamagedFileAction.Fail, calls)).AsTask());

        DamagedFile call = Assert.Single(calls);
        Assert.Equal(Path.GetFullPath(DbPath), call.Path);
        Assert.IsType<ReposStorageException>(call.Error);
        Assert.Empty(call.Backups);
        Assert.Equal(damaged, File.ReadAllBytes(DbPath));
        Assert.Empty(DamagedCopies());
    }

    [Fact]
    public async Task EmergencyMode_StartEmpty_OpensANewFile_AndKeepsTheDamagedOne()
    {
        (_, byte[] damaged) = await WriteAndDamageAsync();

        await using NotesDb db = await NotesDb.OpenAsync(DbPath, Choosing(DamagedFileAction.StartEmpty));

        Assert.Equal(0, await db.Notes.CountAsync());
        Assert.NotNull(db.DamageRecovery);
        Assert.Equal(DamagedFileAction.StartEmpty, db.DamageRecovery.Action);
        Assert.Equal(damaged, File.ReadAllBytes(db.DamageRecovery.DamagedFileKeptAt));
        Assert.Equal(db.DamageRecovery.DamagedFileKeptAt, Assert.Single(DamagedCopies()));
        await db.Notes.InsertAsync(VerifyTests.NewNote(1));
        Assert.True((await db.VerifyAsync()).IsHealthy);
    }

    [Fact]
    public async Task EmergencyMode_Salvage_PutsEveryReadableRowInANewFile_AndKeepsTheDamagedOne()
    {
        (List<Note> notes, byte[] damaged) = await WriteAndDamageAsync();

        await using NotesDb db = await NotesDb.OpenAsync(DbPath, Choosing(DamagedFileAction.Salvage));

        // Page 1 held the schema, not rows: every row is found by scanning the pages.
        Assert.Equal(notes.Count, await db.Notes.CountAsync());
        foreach (Note note in notes)
        {
            Assert.Equal(note.Text, (await db.Notes.GetAsync(note.Id))!.Text);
        }

        DamageRecovery recovery = db.DamageRecovery!;
        Assert.Equal(DamagedFileAction.Salvage, recovery.Action);
        Assert.Equal(notes.Count, recovery.Salvage!.RowsRecovered);
        Assert.True(recovery.Salvage.PageSizeGuessed);
        Assert.Equal(damaged, File.ReadAllBytes(recovery.DamagedFileKeptAt));
        Assert.True((await db.VerifyAsync()).IsHealthy);
    }

    [Fact]
    public async Task EmergencyMode_RestoreLatestBackup_SkipsABackupThatDoesNotVerify_AndOpensTheNewestGoodOne()
    {
        string good = DbPath + ".before-migration-20260101-000000-000.bak";
        string broken = DbPath + ".manual.bak";
        (List<Note> notes, byte[] damaged) = await WriteAndDamageAsync(beforeDamage: () =>
        {
            File.Copy(DbPath, good);
            File.WriteAllBytes(broken, new byte[8192]);
            File.SetLastWriteTimeUtc(good, DateTime.UtcNow.AddHours(-1));
        });
        var calls = new List<DamagedFile>();

        await using NotesDb db = await NotesDb.OpenAsync(DbPath, Choosing(DamagedFileAction.RestoreLatestBackup, calls));

        Assert.Equal([Path.GetFullPath(broken), Path.GetFullPath(good)], Assert.Single(calls).Backups);
        Assert.Equal(Path.GetFullPath(good), db.DamageRecovery!.RestoredFrom);
        Assert.Equal(notes.Count, await db.Notes.CountAsync());
        Assert.True(File.Exists(good), "the backup is copied, not moved");
        Assert.Equal(damaged, File.ReadAllBytes(db.DamageRecovery.DamagedFileKeptAt));
    }

    [Fact]
    public async Task EmergencyMode_RestoreLatestBackup_WithNoBackup_Throws_AndPutsTheDamagedFileBack()
    {
        (_, byte[] damaged) = await WriteAndDamageAsync();

        ReposRecoveryException e = await Assert.ThrowsAsync<ReposRecoveryException>(
            () => NotesDb.OpenAsync(DbPath, Choosing(DamagedFileAction.RestoreLatestBackup)).AsTask());

        Assert.Contains("no backup", e.Message, StringComparison.Ordinal);
        Assert.Equal(damaged, File.ReadAllBytes(DbPath));
        Assert.Empty(DamagedCopies());
    }

    [Fact]
    public async Task EmergencyMode_Salvage_WhenADamagedRowStopsTheOpen_KeepsEveryOtherRow()
    {
        List<Note> notes = await VerifyTests.WriteNotesAsync(DbPath, 200);
        StoredFile.DamageBlob(DbPath, "Note", notes[42].Id);

        // A new index is filled from every blob at open, so the damaged one stops it.
        var withTextIndex = new NoteDefinition(
            [.. NoteDefinition.DefaultColumns, new Repos.Internal.IndexColumn("Text", Repos.Internal.ColumnKind.Text)],
            [.. NoteDefinition.DefaultIndexes, new Repos.Internal.IndexDefinition("Text", ["Text"], Unique: false)]);
        CorruptedRowException stopped = await Assert.ThrowsAsync<CorruptedRowException>(() => NotesDb.OpenAsync(DbPath, definition: withTextIndex).AsTask());
        Assert.Equal(notes[42].Id.ToString(), stopped.Key);

        await using NotesDb db = await NotesDb.OpenAsync(DbPath, Choosing(DamagedFileAction.Salvage), definition: withTextIndex);

        Assert.Equal(199, await db.Notes.CountAsync());
        LostRow lost = Assert.Single(Assert.Single(db.DamageRecovery!.Salvage!.Entities).Lost);
        Assert.Equal(notes[42].Id.ToString(), lost.Key);
        Assert.Equal(notes[7].Text, (await db.Notes.GetAsync(notes[7].Id))!.Text);
        Assert.True((await db.VerifyAsync()).IsHealthy);
    }

    [Fact]
    public async Task EmergencyMode_IsNotAskedWhenTheFileOpens()
    {
        await VerifyTests.WriteNotesAsync(DbPath, 10);
        var calls = new List<DamagedFile>();

        await using NotesDb db = await NotesDb.OpenAsync(DbPath, Choosing(DamagedFileAction.StartEmpty, calls));

        Assert.Empty(calls);
        Assert.Null(db.DamageRecovery);
        Assert.Equal(10, await db.Notes.CountAsync());
    }
}
