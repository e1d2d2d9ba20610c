using System.Text;
using Repos.Internal;
using Repos.Sync;
using Repos.Tests.Backup;
using Repos.Transfer;

namespace Repos.Tests.Sync;

/// <summary>
/// What a synced entity's writes record in their transaction: insert, update and delete stamps, only the fields a
/// write changed, one outbox entry per row however often it changed, and nothing for a write that is undone or
/// for an entity that is not synced.
/// </summary>
public sealed class ChangeCaptureTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 12, 3, 10, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _folder = new();
    private readonly FakeTimeProvider _time = new(Start);

    public void Dispose() => _folder.Dispose();

    private string DbPath => _folder.File("symptoms.db");

    private ValueTask<SymptomsDb> Open() => SymptomsDb.OpenAsync(DbPath, new ReposDatabaseOptions { TimeProvider = _time });

    private static Symptom NewSymptom(int i = 0) => new()
    {
        Id = Guid.NewGuid(),
        Name = $"headache {i}",
        Severity = 3,
        Day = new DateOnly(2026, 11, 1).AddDays(i),
        Tags = ["morning"],
    };

    private static SyncRowState? State(SymptomsDb db, Guid id) =>
        db.SyncLog!.ReadRow(db.Writer, "Symptom", ColumnValue.From(id));

    private static int FieldId(SymptomsDb db, string name) =>
        db.Context.GetFieldMap(db.Entities.Single(e => e.Name == "Symptom").Shape).Ids[
            db.Entities.Single(e => e.Name == "Symptom").Shape.Fields.ToList().FindIndex(f => f.Name == name)];

    [Fact]
    public async Task Insert_RecordsALiveRowToPush_StampedByThisReplica()
    {
        await using SymptomsDb db = await Open();
        Symptom symptom = await db.Symptoms.InsertAsync(NewSymptom());

        SyncRowState state = State(db, symptom.Id)!;
        Assert.True(state.IsLive);
        Assert.True(state.IsPending);
        Assert.Equal(db.SyncLog!.Replica, state.Inserted.Replica);
        Assert.Equal(Start, state.Inserted.Time);
        Assert.Empty(state.Fields);
        Assert.Equal(1, db.SyncLog!.PendingCount(db.Writer));
    }

    [Fact]
    public async Task ReplicaId_IsMadeOnce_KeptInTheCatalog_AndStampsStayMonotonicAcrossReopens()
    {
        Guid replica;
        long last;
        await using (SymptomsDb db = await Open())
        {
            replica = db.SyncLog!.Replica;
            await db.Symptoms.InsertAsync(NewSymptom());
            await db.Symptoms.InsertAsync(NewSymptom(1));
            last = db.SyncLog.Clock.Last;
        }

        // The wall clock went back an hour while the app was closed.
        _time.SetUtcNow(Start - TimeSpan.FromHours(1));
        await using (SymptomsDb db = await Open())
        {
            Assert.Equal(replica, db.SyncLog!.Replica);
            Assert.Equal(replica.ToString("D"), db.Writer.ExecuteText("SELECT value FROM _repos_meta WHERE key='sync_replica'"));
            Symptom symptom = await db.Symptoms.InsertAsync(NewSymptom(2));
            Assert.True(State(db, symptom.Id)!.Inserted.Value > last);
            Assert.True((await db.VerifyAsync()).IsHealthy);
        }
    }

    [Fact]
    public async Task Update_StampsOnlyTheFieldsItChanged_AndAWriteThatChangesNothingRecordsNothing()
    {
        await using SymptomsDb db = await Open();
        Symptom symptom = await db.Symptoms.InsertAsync(NewSymptom());
        SyncRowState inserted = State(db, symptom.Id)!;

        _time.Advance(TimeSpan.FromSeconds(1));
        await db.Symptoms.UpdateAsync(symptom with { Severity = 7, Note = "after lunch" });
        SyncRowState updated = State(db, symptom.Id)!;
        Assert.Equal(inserted.Inserted, updated.Inserted);
        Assert.Equal(
            new[] { FieldId(db, "Severity"), FieldId(db, "Note") }.Order(),
            updated.Fields.Select(f => f.FieldId).Order());
        Assert.All(updated.Fields, f => Assert.Equal(Start + TimeSpan.FromSeconds(1), f.Stamp.Time));

        _time.Advance(TimeSpan.FromSeconds(1));
        await db.Symptoms.UpsertAsync(symptom with { Severity = 7, Note = "after lunch" });
        await db.Symptoms.UpdateAsync(symptom with { Severity = 7, Note = "after lunch" });
        Assert.Equal(updated.Latest, State(db, symptom.Id)!.Latest);

        // A nested value and a list count as one field each.
        await db.Symptoms.UpdateAsync(symptom with { Severity = 7, Note = "after lunch", Dose = new Dose("ibuprofen", 400m), Tags = ["morning", "work"] });
        SyncRowState nested = State(db, symptom.Id)!;
        Assert.Equal(4, nested.Fields.Count);
        Assert.Equal(Start + TimeSpan.FromSeconds(2), nested.Fields.Single(f => f.FieldId == FieldId(db, "Dose")).Stamp.Time);
        Assert.Equal(Start + TimeSpan.FromSeconds(1), nested.Fields.Single(f => f.FieldId == FieldId(db, "Severity")).Stamp.Time);
    }

    [Fact]
    public async Task ManyWritesToTheSameRows_LeaveOneOutboxEntryPerRow()
    {
        await using SymptomsDb db = await Open();
        Symptom[] symptoms = [.. (await db.Symptoms.InsertManyAsync(Enumerable.Range(0, 1000).Select(NewSymptom)))];
        for (int round = 1; round <= 100; round++)
        {
            _time.Advance(TimeSpan.FromMilliseconds(1));
            int severity = round % 10;
            await db.Symptoms.UpdateManyAsync(symptoms.Select(s => s with { Severity = severity }));
        }

        Assert.Equal(1000, db.SyncLog!.PendingCount(db.Writer));
        string table = db.Entities.Single(d => d.Name == "Symptom").TableName;
        Assert.Equal(1000, db.Writer.ExecuteScalar($"SELECT count(*) FROM \"{table}\" INDEXED BY \"_repos_sync_outbox_{table}\" WHERE _sync_latest > _sync_pushed"));
        Assert.All(symptoms.Take(10), s => Assert.Single(State(db, s.Id)!.Fields));
    }

    [Fact]
    public async Task Delete_LeavesAStampedTombstone_AndAnInsertAfterItBringsTheRowBack()
    {
        await using SymptomsDb db = await Open();
        Symptom symptom = await db.Symptoms.InsertAsync(NewSymptom());
        await db.Symptoms.UpdateAsync(symptom with { Severity = 9 });

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(await db.Symptoms.DeleteAsync(symptom.Id));
        SyncRowState deleted = State(db, symptom.Id)!;
        Assert.False(deleted.IsLive);
        Assert.Equal(Start + TimeSpan.FromSeconds(1), deleted.Deleted.Time);
        Assert.Empty(deleted.Fields);
        Assert.True(deleted.IsPending);

        // Deleting what is not there records nothing.
        Assert.False(await db.Symptoms.DeleteAsync(symptom.Id));
        Assert.Equal(deleted.Latest, State(db, symptom.Id)!.Latest);

        _time.Advance(TimeSpan.FromSeconds(1));
        await db.Symptoms.UpsertAsync(symptom);
        SyncRowState back = State(db, symptom.Id)!;
        Assert.True(back.IsLive);
        Assert.Equal(deleted.Deleted, back.Deleted);
        Assert.Equal(Start + TimeSpan.FromSeconds(2), back.Inserted.Time);
        Assert.Empty(back.Fields);
    }

    [Fact]
    public async Task AcknowledgedRows_StayOutOfTheOutboxAcrossReopens_AndRowsWhoseStateWasLostAreInsertsOfTheOldestStampAtTheNextOpen()
    {
        Symptom[] symptoms;
        string table;
        await using (SymptomsDb db = await Open())
        {
            symptoms = [.. await db.Symptoms.InsertManyAsync(Enumerable.Range(0, 3).Select(NewSymptom))];
            table = db.Entities.Single(d => d.Name == "Symptom").TableName;
            foreach (Symptom symptom in symptoms)
            {
                db.SyncLog!.MarkPushed(db.Writer, "Symptom", ColumnValue.From(symptom.Id), State(db, symptom.Id)!.Latest);
            }

            Assert.Equal(0, db.SyncLog!.PendingCount(db.Writer));
        }

        await using (SymptomsDb db = await Open())
        {
            Assert.Equal(0, db.SyncLog!.PendingCount(db.Writer));
            Assert.Equal(Start, State(db, symptoms[0].Id)!.Inserted.Time);
        }

        // A copy of the table without its state columns (a salvage copies key, index columns and blob).
        using (var connection = Repos.Storage.Sqlite.SqliteConnection.Open(DbPath, readOnly: false, create: false))
        {
            connection.Execute($"DROP INDEX \"_repos_sync_outbox_{table}\"");
            foreach (string column in SyncLog.StateColumns)
            {
                connection.Execute($"ALTER TABLE \"{table}\" DROP COLUMN {column}");
            }
        }

        _time.Advance(TimeSpan.FromMinutes(1));
        await using (SymptomsDb db = await Open())
        {
            // Pushed again, but as old as a stamp can be: any write another replica made wins over a salvaged row.
            Assert.Equal(3, db.SyncLog!.PendingCount(db.Writer));
            Assert.All(symptoms, s => Assert.Equal(DateTimeOffset.UnixEpoch.AddMilliseconds(1), State(db, s.Id)!.Inserted.Time));

            // The clock goes on from where it was.
            Symptom later = await db.Symptoms.InsertAsync(NewSymptom(7));
            Assert.Equal(Start + TimeSpan.FromMinutes(1), State(db, later.Id)!.Inserted.Time);
            Assert.Equal(symptoms.Length + 1, await db.Symptoms.CountAsync());
        }
    }

    [Fact]
    public async Task RolledBackTransaction_LeavesNoTrace_AndACommittedOneRecordsEveryWrite()
    {
        await using SymptomsDb db = await Open();
        Symptom kept = await db.Symptoms.InsertAsync(NewSymptom());
        SyncRowState before = State(db, kept.Id)!;
        var dropped = NewSymptom(1);

        await using (ReposTransaction transaction = await db.BeginTransactionAsync())
        {
            await db.Symptoms.InsertAsync(dropped);
            await db.Symptoms.UpdateAsync(kept with { Severity = 1 });
            await db.Symptoms.DeleteAsync(kept.Id);
            await transaction.RollbackAsync();
        }

        Assert.Null(State(db, dropped.Id));
        Assert.Equal(before, State(db, kept.Id)! with { Fields = before.Fields });
        Assert.Empty(State(db, kept.Id)!.Fields);
        Assert.Equal(1, db.SyncLog!.PendingCount(db.Writer));

        await using (ReposTransaction transaction = await db.BeginTransactionAsync())
        {
            await db.Symptoms.InsertAsync(dropped);
            await db.Symptoms.UpdateAsync(kept with { Severity = 1 });
            await transaction.CommitAsync();
        }

        Assert.True(State(db, dropped.Id)!.IsLive);
        Assert.Single(State(db, kept.Id)!.Fields);
    }

    [Fact]
    public async Task ImportedRows_AreLocalChanges()
    {
        await using SymptomsDb db = await Open();
        var id = Guid.NewGuid();
        string json = $$"""[{"Id": "{{id}}", "Name": "imported", "Severity": 2, "Day": "2026-11-05"}]""";

        JsonImportResult result = await db.Symptoms.ImportJsonAsync(new MemoryStream(Encoding.UTF8.GetBytes(json)));

        Assert.Equal(1, result.Inserted);
        Assert.True(State(db, id)!.IsLive);
        Assert.True(State(db, id)!.IsPending);
    }

    [Fact]
    public async Task EntitiesNotSynced_RecordNothing_AndAModelWithoutSyncedEntitiesHasNoSyncTables()
    {
        await using (SymptomsDb db = await Open())
        {
            await db.Drafts.InsertAsync(new Draft { Id = Guid.NewGuid(), Text = "local only" });
            Assert.Equal(0, db.Writer.ExecuteScalar("SELECT count(*) FROM _repos_sync_tombstones"));
            Assert.Equal(0, db.Writer.ExecuteScalar($"SELECT count(*) FROM pragma_table_info('{db.Entities.Single(d => d.Name == "Draft").TableName}') WHERE name LIKE '\\_sync\\_%' ESCAPE '\\'"));
        }

        await using MemosDb memos = await MemosDb.OpenAsync(_folder.File("memos.db"));
        await memos.Memos.InsertAsync(new Memo { Id = Guid.NewGuid(), Text = "local only" });
        Assert.Null(memos.SyncLog);
        Assert.Equal(0, memos.Writer.ExecuteScalar("SELECT count(*) FROM sqlite_schema WHERE name LIKE '_repos_sync%'"));
    }
}
