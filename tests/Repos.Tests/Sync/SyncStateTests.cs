using Repos.Backup;
using Repos.Sync;
using Repos.Sync.Server;

namespace Repos.Tests.Sync;

/// <summary>What restores and imports do to sync state (docs/sync.md, <i>Migrations, imports and restores</i>).</summary>
public sealed class SyncStateTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 12, 3, 10, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _folder = new();
    private readonly SyncServer _server = new(new InMemorySyncServerStore());

    public void Dispose() => _folder.Dispose();

    private static Symptom NewSymptom(string name) => new() { Id = Guid.NewGuid(), Name = name, Severity = 3, Day = new DateOnly(2026, 11, 30) };

    [Fact]
    public async Task Restore_RefusesToLoseUnsyncedChanges_AndAfterASyncBringsBackWhatWasSyncedSinceTheBackup()
    {
        await using Device laptop = await Device.OpenAsync(_folder.File("laptop.db"), new InProcessSyncTransport(_server), Start);
        Device phone = await Device.OpenAsync(_folder.File("phone.db"), new InProcessSyncTransport(_server), Start);
        SymptomsDb db = phone.Db;
        try
        {
            Symptom before = await db.Symptoms.InsertAsync(NewSymptom("before the backup"));
            await db.Sync.SyncNowAsync();
            BackupInfo backup = await db.Backup.CreateAsync();
            phone.Time.Advance(TimeSpan.FromMinutes(1));
            Symptom after = await db.Symptoms.InsertAsync(NewSymptom("after the backup"));

            UnsyncedChangesException refused = await Assert.ThrowsAsync<UnsyncedChangesException>(() => db.RestoreAsync(backup.Id).AsTask());
            Assert.Contains("1 row(s) of synced entities (Symptom)", refused.Message);
            Assert.NotNull(await db.Symptoms.GetAsync(after.Id));

            await db.Sync.SyncNowAsync();
            long clock = db.SyncLog!.Clock.Last;
            phone.Time.SetUtcNow(Start - TimeSpan.FromMinutes(2));
            db = await db.RestoreAsync(backup.Id);

            // The restored file goes on from the clock the replaced one had, and pulls what was synced after the backup.
            Assert.True(db.SyncLog!.Clock.Last >= clock);
            Assert.Null(await db.Symptoms.GetAsync(after.Id));
            await db.Sync.SyncNowAsync();
            Assert.NotNull(await db.Symptoms.GetAsync(after.Id));
            Assert.NotNull(await db.Symptoms.GetAsync(before.Id));

            // Its next write is stamped after everything the replaced file stamped.
            Symptom edited = await db.Symptoms.UpdateAsync((await db.Symptoms.GetAsync(after.Id))! with { Severity = 9 });
            await db.Sync.SyncNowAsync();
            await laptop.Db.Sync.SyncNowAsync();
            Assert.Equal(9, (await laptop.Db.Symptoms.GetAsync(edited.Id))!.Severity);
        }
        finally
        {
            await db.DisposeAsync();
        }
    }

    [Fact]
    public async Task Restore_ThenAWriteBeforeAnySync_IsPushedAsABatchTheServerHasNotSeen_AndArrives()
    {
        await using Device laptop = await Device.OpenAsync(_folder.File("laptop.db"), new InProcessSyncTransport(_server), Start);
        Device phone = await Device.OpenAsync(_folder.File("phone.db"), new InProcessSyncTransport(_server), Start);
        SymptomsDb db = phone.Db;
        try
        {
            await db.Symptoms.InsertAsync(NewSymptom("before the backup"));
            await db.Sync.SyncNowAsync();
            BackupInfo backup = await db.Backup.CreateAsync();
            await db.Symptoms.InsertAsync(NewSymptom("after the backup"));
            await db.Sync.SyncNowAsync();
            db = await db.RestoreAsync(backup.Id);

            // The backup's push counter is behind the one the server knows: a batch numbered from it would be taken
            // for one the server applied already, answered as such, and its changes dropped on both sides.
            Symptom written = await db.Symptoms.InsertAsync(NewSymptom("after the restore"));
            await db.Sync.SyncNowAsync();
            await laptop.Db.Sync.SyncNowAsync();

            Assert.Equal(0, db.Sync.PendingChanges);
            Assert.NotNull(await laptop.Db.Symptoms.GetAsync(written.Id));
        }
        finally
        {
            await db.DisposeAsync();
        }
    }

    [Fact]
    public async Task Restore_WithDiscardUnsyncedChanges_RestoresAnyway()
    {
        await using Device phone = await Device.OpenAsync(_folder.File("phone.db"), new InProcessSyncTransport(_server), Start);
        BackupInfo backup = await phone.Db.Backup.CreateAsync();
        await phone.Db.Symptoms.InsertAsync(NewSymptom("never synced"));

        await phone.Db.Backup.RestoreAsync(backup.Id, new RestoreOptions { DiscardUnsyncedChanges = true });

        await using SymptomsDb restored = await SymptomsDb.OpenAsync(_folder.File("phone.db"));
        Assert.Equal(0, await restored.Symptoms.CountAsync());
    }
}
