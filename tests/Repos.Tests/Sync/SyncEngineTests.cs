using System.Buffers;
using Repos.Sync;
using Repos.Sync.Server;
using Repos.Tests.Backup;

namespace Repos.Tests.Sync;

/// <summary>Two replicas and an in-process server: what pushing, pulling and merging do, case by case.</summary>
public sealed class SyncEngineTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2026, 12, 3, 10, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _folder = new();
    private readonly InMemorySyncServerStore _store = new();
    private readonly List<string> _refuse = [];
    private int _merged;
    private SyncServer _server = null!;
    private Device _phone = null!;
    private Device _laptop = null!;

    public async Task InitializeAsync()
    {
        _server = new SyncServer(_store, (_, change) =>
        {
            Interlocked.Increment(ref _merged);
            return _refuse.Contains(change.Key.ToString()) ? "the server does not accept it" : null;
        });
        _phone = await Device.OpenAsync(_folder.File("phone.db"), new InProcessSyncTransport(_server), Start);
        _laptop = await Device.OpenAsync(_folder.File("laptop.db"), new InProcessSyncTransport(_server), Start);
    }

    public async Task DisposeAsync()
    {
        await _phone.DisposeAsync();
        await _laptop.DisposeAsync();
        _folder.Dispose();
    }

    private static Symptom NewSymptom(string name = "headache") => new()
    {
        Id = Guid.NewGuid(),
        Name = name,
        Severity = 4,
        Day = new DateOnly(2026, 11, 30),
        Note = "after lunch",
        Tags = ["morning", "work"],
        Dose = new Dose("ibuprofen", 400.25m),
    };

    [Fact]
    public async Task InsertOnOneDevice_ArrivesWholeOnTheOther_AndNothingEchoes()
    {
        Symptom symptom = await _phone.Db.Symptoms.InsertAsync(NewSymptom());
        Assert.Equal(1, _phone.Db.Sync.PendingChanges);

        await _phone.Db.Sync.SyncNowAsync();
        await _laptop.Db.Sync.SyncNowAsync();

        Assert.Equal(0, _phone.Db.Sync.PendingChanges);
        Symptom copy = (await _laptop.Db.Symptoms.GetAsync(symptom.Id))!;
        AssertSame(symptom, copy);
        Assert.Equal(0, _laptop.Db.Sync.PendingChanges);
        Assert.Equal(SyncStatus.Idle, _laptop.Db.Sync.Status);
        Assert.NotNull(_laptop.Db.Sync.LastSuccess);
        Assert.Single(await _laptop.Db.Symptoms.ByDay(symptom.Day).ToListAsync());
    }

    [Fact]
    public async Task EditsOfDifferentFields_OnTwoDevices_AreBothKept()
    {
        Symptom symptom = await _phone.Db.Symptoms.InsertAsync(NewSymptom());
        await SyncAll();

        _phone.Time.Advance(TimeSpan.FromSeconds(1));
        _laptop.Time.Advance(TimeSpan.FromSeconds(2));
        await _phone.Db.Symptoms.UpdateAsync(symptom with { Severity = 8 });
        await _laptop.Db.Symptoms.UpdateAsync(symptom with { Note = "worse at night" });
        await SyncAll();

        Symptom expected = symptom with { Severity = 8, Note = "worse at night" };
        foreach (Device device in new[] { _phone, _laptop })
        {
            Symptom got = (await device.Db.Symptoms.GetAsync(symptom.Id))!;
            Assert.Equal((expected.Severity, expected.Note), (got.Severity, got.Note));
        }
    }

    [Fact]
    public async Task SameFieldOnTwoDevices_TheLaterStampWins_AndTheLoserHearsOfIt()
    {
        Symptom symptom = await _phone.Db.Symptoms.InsertAsync(NewSymptom());
        await SyncAll();
        var conflicts = new List<SyncConflict>();
        _phone.Db.Sync.Conflict += (_, c) => conflicts.Add(c);

        _phone.Time.Advance(TimeSpan.FromSeconds(1));
        _laptop.Time.Advance(TimeSpan.FromSeconds(5));
        await _phone.Db.Symptoms.UpdateAsync(symptom with { Severity = 2 });
        await _laptop.Db.Symptoms.UpdateAsync(symptom with { Severity = 9 });
        await _laptop.Db.Sync.SyncNowAsync();
        await _phone.Db.Sync.SyncNowAsync();
        await _laptop.Db.Sync.SyncNowAsync();

        Assert.Equal(9, (await _phone.Db.Symptoms.GetAsync(symptom.Id))!.Severity);
        Assert.Equal(9, (await _laptop.Db.Symptoms.GetAsync(symptom.Id))!.Severity);
        SyncConflict conflict = Assert.Single(conflicts);
        Assert.Equal(("Symptom", "Severity"), (conflict.Entity, conflict.Field));
        Assert.Equal(Start + TimeSpan.FromSeconds(5), conflict.Winner.Time);
        Assert.Equal(_laptop.Db.SyncLog!.Replica, conflict.RemoteStamp.Replica);
        Assert.Equal(2, Int(conflict.LocalValue));
        Assert.Equal(9, Int(conflict.RemoteValue));
    }

    [Fact]
    public async Task DeleteWinsOverEarlierEdits_AnUpdateAfterItDoesNotBringTheRowBack_AnInsertDoes()
    {
        Symptom symptom = await _phone.Db.Symptoms.InsertAsync(NewSymptom());
        await SyncAll();

        // The laptop edits before and after the phone's delete, not having seen it: the row stays deleted.
        _laptop.Time.Advance(TimeSpan.FromSeconds(1));
        await _laptop.Db.Symptoms.UpdateAsync(symptom with { Severity = 7 });
        _phone.Time.Advance(TimeSpan.FromSeconds(2));
        await _phone.Db.Symptoms.DeleteAsync(symptom.Id);
        _laptop.Time.Advance(TimeSpan.FromSeconds(2));
        await _laptop.Db.Symptoms.UpdateAsync(symptom with { Severity = 6 });
        await SyncAll();
        await _laptop.Db.Sync.SyncNowAsync();
        Assert.Null(await _phone.Db.Symptoms.GetAsync(symptom.Id));
        Assert.Null(await _laptop.Db.Symptoms.GetAsync(symptom.Id));

        // Inserting it again, after the delete, brings it back everywhere.
        _laptop.Time.Advance(TimeSpan.FromSeconds(10));
        await _laptop.Db.Symptoms.UpsertAsync(symptom with { Severity = 1 });
        _phone.Time.Advance(TimeSpan.FromSeconds(20));
        await SyncAll();
        Symptom back = (await _phone.Db.Symptoms.GetAsync(symptom.Id))!;
        Assert.Equal(1, back.Severity);
        AssertSame(back, (await _laptop.Db.Symptoms.GetAsync(symptom.Id))!);

        _phone.Time.Advance(TimeSpan.FromSeconds(30));
        await _phone.Db.Symptoms.DeleteAsync(symptom.Id);
        await SyncAll();
        Assert.Null(await _laptop.Db.Symptoms.GetAsync(symptom.Id));
        Assert.Equal(0, await _laptop.Db.Symptoms.CountAsync());
    }

    [Fact]
    public async Task PushWhoseAnswerWasLost_IsSentAgainAsTheSameBatch_AndAppliedOnce()
    {
        var flaky = new FlakyTransport(new InProcessSyncTransport(_server)) { LoseNextPushAnswer = true };
        await using Device tablet = await Device.OpenAsync(_folder.File("tablet.db"), flaky, Start);
        Symptom symptom = await tablet.Db.Symptoms.InsertAsync(NewSymptom());

        await Assert.ThrowsAsync<SyncTransportException>(() => tablet.Db.Sync.SyncNowAsync());
        Assert.Equal(1, tablet.Db.Sync.PendingChanges);
        Assert.Equal(SyncStatus.BackingOff, tablet.Db.Sync.Status);
        int merged = _merged;

        await tablet.Db.Sync.SyncNowAsync();

        Assert.Equal(merged, _merged);
        Assert.Equal(flaky.PushedBatches[0], flaky.PushedBatches[1]);
        Assert.Equal(0, tablet.Db.Sync.PendingChanges);
        await _laptop.Db.Sync.SyncNowAsync();
        Assert.NotNull(await _laptop.Db.Symptoms.GetAsync(symptom.Id));
    }

    [Fact]
    public async Task Server_ABatchNumberSeenBefore_WithChangesItLacks_IsMergedNotDropped_AndTheSameBatchAgainGetsItsAnswer()
    {
        var replica = Guid.NewGuid();
        SyncChange Change(string key, string note, long at) => new()
        {
            Entity = "Symptom",
            Key = SyncKey.From(key),
            Inserted = new SyncStamp(at << SyncStamp.CounterBits, replica),
            Fields = [new SyncFieldValue("Note", new SyncStamp(at << SyncStamp.CounterBits, replica), WireString(note))],
        };

        SyncChange first = Change("a", "first", 1_000);
        _refuse.Add("'a'");
        SyncPushResult answer = await _server.PushAsync(new SyncPush(replica, 1, [first, Change("b", "kept", 1_000)]));
        Assert.Equal(0, Assert.Single(answer.Refused).Index);
        _refuse.Clear();
        int merged = _merged;
        int rows = _store.RowCount;

        // The same batch again (its answer lost): nothing merged, only the change refused then checked again, and
        // the answer it got then.
        _refuse.Add("'a'");
        SyncPushResult again = await _server.PushAsync(new SyncPush(replica, 1, [first, Change("b", "kept", 1_000)]));
        _refuse.Clear();
        Assert.Same(answer, again);
        Assert.Equal((merged + 1, rows), (_merged, _store.RowCount));

        // Other changes under the same number (a replica whose file went back, counter and all): merged, not dropped.
        SyncPushResult other = await _server.PushAsync(new SyncPush(replica, 1, [Change("c", "after the file went back", 2_000)]));
        Assert.Empty(other.Refused);
        Assert.Equal(rows + 1, _store.RowCount);
    }

    private static byte[] WireString(string value)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        var writer = new Repos.Serialization.MessagePackWriter(buffer);
        writer.Write(value);
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    [Fact]
    public async Task Batches_StayWithinMaxBatchBytes_BothWays_AndEveryChangeArrives()
    {
        var phoneLink = new FlakyTransport(new InProcessSyncTransport(_server));
        var laptopLink = new FlakyTransport(new InProcessSyncTransport(_server));
        var small = new SyncOptions { Transport = phoneLink, Random = new Random(1), MaxBatchBytes = 4_000 };
        await using Device phone = await Device.OpenAsync(_folder.File("small-phone.db"), phoneLink, Start, options: small);
        await using Device laptop = await Device.OpenAsync(_folder.File("small-laptop.db"), laptopLink, Start, options: new SyncOptions
        {
            Transport = laptopLink,
            Random = new Random(1),
            MaxBatchBytes = 4_000,
        });
        Symptom[] symptoms = [.. Enumerable.Range(0, 40).Select(i => NewSymptom($"symptom {i}") with { Note = new string('n', 300) })];
        await phone.Db.Symptoms.InsertManyAsync(symptoms);

        await phone.Db.Sync.SyncNowAsync();
        await laptop.Db.Sync.SyncNowAsync();

        // 40 changes of some 400 bytes each: about ten to a batch, never one over the limit.
        Assert.InRange(phoneLink.PushedMessages.Count, 4, 40);
        Assert.All(phoneLink.PushedMessages, m => Assert.InRange(m.Length, 1, 4_000));
        Assert.InRange(laptopLink.PulledMessages.Count(m => SyncWire.ReadPullResult(m).Changes.Count > 0), 4, 40);
        Assert.All(laptopLink.PulledMessages, m => Assert.InRange(m.Length, 1, 4_000));
        Assert.Equal(0, phone.Db.Sync.PendingChanges);
        Assert.Equal(40, await laptop.Db.Symptoms.CountAsync());

        // A change bigger than the limit goes alone, whole.
        await phone.Db.Symptoms.UpdateAsync(symptoms[0] with { Note = new string('x', 9_000) });
        await phone.Db.Sync.SyncNowAsync();
        await laptop.Db.Sync.SyncNowAsync();
        Assert.Equal(9_000, (await laptop.Db.Symptoms.GetAsync(symptoms[0].Id))!.Note!.Length);
    }

    [Fact]
    public async Task RowsWhoseSyncStateWasLost_LoseToEveryWriteElsewhere_AndRowsOnlyTheyHadStillArrive()
    {
        Symptom shared = await _phone.Db.Symptoms.InsertAsync(NewSymptom("shared"));
        await SyncAll();
        _laptop.Time.Advance(TimeSpan.FromSeconds(1));
        await _laptop.Db.Symptoms.UpdateAsync(shared with { Severity = 8 });
        await _laptop.Db.Sync.SyncNowAsync();
        Symptom local = await _phone.Db.Symptoms.InsertAsync(NewSymptom("only on the phone"));

        // What a salvage keeps of the phone's file: the entity rows and the catalog, not their sync state.
        string table = _phone.Db.Entities.Single(e => e.Name == "Symptom").TableName;
        await _phone.DisposeAsync();
        using (var connection = Repos.Storage.Sqlite.SqliteConnection.Open(_folder.File("phone.db"), readOnly: false, create: false))
        {
            var tables = new List<string>();
            using (Repos.Storage.Sqlite.SqliteStatement select = connection.PrepareOnce("SELECT name FROM sqlite_schema WHERE type='table' AND name LIKE '\\_repos\\_sync\\_%' ESCAPE '\\'"))
            {
                while (select.Step())
                {
                    tables.Add(select.ColumnText(0));
                }
            }

            Assert.NotEmpty(tables);
            tables.ForEach(t => connection.Execute($"DROP TABLE \"{t}\""));
            connection.Execute($"DROP INDEX \"_repos_sync_outbox_{table}\"");
            foreach (string column in SyncLog.StateColumns)
            {
                connection.Execute($"ALTER TABLE \"{table}\" DROP COLUMN {column}");
            }
        }

        _phone = await Device.OpenAsync(_folder.File("phone.db"), new InProcessSyncTransport(_server), Start + TimeSpan.FromMinutes(1));
        await SyncAll();

        // The laptop's edit wins over the salvaged copy, and the row only the phone had reaches the laptop.
        Assert.Equal(8, (await _phone.Db.Symptoms.GetAsync(shared.Id))!.Severity);
        Assert.Equal(8, (await _laptop.Db.Symptoms.GetAsync(shared.Id))!.Severity);
        AssertSame(local, (await _laptop.Db.Symptoms.GetAsync(local.Id))!);
        Assert.Equal(0, _phone.Db.Sync.PendingChanges);
    }

    [Fact]
    public async Task SyncWithNothingToPush_UsesNoBatchNumber()
    {
        var counting = new FlakyTransport(new InProcessSyncTransport(_server));
        await using Device tablet = await Device.OpenAsync(_folder.File("tablet.db"), counting, Start);
        await tablet.Db.Symptoms.InsertAsync(NewSymptom());
        await tablet.Db.Sync.SyncNowAsync();

        // Idle syncs, as the background loop makes every minute: each used to take a batch number in a write of its own.
        for (int i = 0; i < 3; i++)
        {
            await tablet.Db.Sync.SyncNowAsync();
        }

        await tablet.Db.Symptoms.InsertAsync(NewSymptom("nausea"));
        await tablet.Db.Sync.SyncNowAsync();

        Assert.Equal([1L, 2L], counting.PushedBatches);
        Assert.Equal(0, tablet.Db.Sync.PendingChanges);
    }

    [Fact]
    public async Task MalformedPulledBatch_IsRefusedWhole_AndTheCursorStays()
    {
        await _phone.Db.Symptoms.InsertAsync(NewSymptom());
        await _phone.Db.Sync.SyncNowAsync();
        var hostile = new FlakyTransport(new InProcessSyncTransport(_server));
        await using Device tablet = await Device.OpenAsync(_folder.File("tablet.db"), hostile, Start);

        foreach (Func<byte[], byte[]> damage in new Func<byte[], byte[]>[]
        {
            bytes => bytes[..(bytes.Length / 2)],
            bytes => [.. bytes, 0xc1],
            _ => [0x93, 1, 2, 3],
            bytes => { bytes[0] = 0x81; return bytes; },
        })
        {
            hostile.DamagePull = damage;
            await Assert.ThrowsAsync<SyncFormatException>(() => tablet.Db.Sync.SyncNowAsync());
            Assert.Equal(0, await tablet.Db.Symptoms.CountAsync());
            Assert.Equal(SyncStatus.Error, tablet.Db.Sync.Status);
            Assert.NotNull(tablet.Db.Sync.LastError);
        }

        hostile.DamagePull = null;
        await tablet.Db.Sync.SyncNowAsync();
        Assert.Equal(1, await tablet.Db.Symptoms.CountAsync());
    }

    [Fact]
    public async Task ChangeThatBreaksARule_IsSetAsideAndReported_AndTheRestApplies()
    {
        Symptom good = await _phone.Db.Symptoms.InsertAsync(NewSymptom("good"));
        await _phone.Db.Sync.SyncNowAsync();

        // A change pushed by some other client that breaks Range(0, 10) on Severity.
        var rogue = Guid.NewGuid();
        SyncChange bad = await ChangeAsync(good with { Id = Guid.NewGuid(), Severity = 50 }, rogue);
        await _server.PushAsync(new SyncPush(rogue, 1, [bad]));

        await _laptop.Db.Sync.SyncNowAsync();

        Assert.NotNull(await _laptop.Db.Symptoms.GetAsync(good.Id));
        Assert.Equal(1, await _laptop.Db.Symptoms.CountAsync());
        SyncDeadLetter letter = Assert.Single(_laptop.Db.Sync.ReadDeadLetters());
        Assert.Equal(SyncDirection.Pull, letter.Direction);
        Assert.Contains("Severity", letter.Reason);
        await _laptop.Db.Sync.SyncNowAsync();
        Assert.Single(_laptop.Db.Sync.ReadDeadLetters());
    }

    [Fact]
    public async Task ChangeTheServerRefusesForGood_GoesToTheDeadLetters_LeavesTheOutbox_AndCanBeRetried()
    {
        Symptom symptom = await _phone.Db.Symptoms.InsertAsync(NewSymptom());
        _refuse.Add(symptom.Id.ToString());

        await _phone.Db.Sync.SyncNowAsync();

        Assert.Equal(0, _phone.Db.Sync.PendingChanges);
        SyncDeadLetter letter = Assert.Single(_phone.Db.Sync.ReadDeadLetters());
        Assert.Equal((SyncDirection.Push, "the server does not accept it"), (letter.Direction, letter.Reason));

        _refuse.Clear();
        await _phone.Db.Sync.RetryDeadLetterAsync(letter.Id);
        Assert.Empty(_phone.Db.Sync.ReadDeadLetters());
        Assert.Equal(1, _phone.Db.Sync.PendingChanges);
        await SyncAll();
        Assert.NotNull(await _laptop.Db.Symptoms.GetAsync(symptom.Id));
    }

    [Fact]
    public async Task FarFutureStamp_IsHeldBackAndReported_ThenAppliesOnceTheClockCatchesUp()
    {
        // The phone's clock runs an hour fast.
        _phone.Time.SetUtcNow(Start + TimeSpan.FromHours(1));
        Symptom symptom = await _phone.Db.Symptoms.InsertAsync(NewSymptom());
        await _phone.Db.Sync.SyncNowAsync();

        await _laptop.Db.Sync.SyncNowAsync();
        Assert.Null(await _laptop.Db.Symptoms.GetAsync(symptom.Id));
        Assert.Equal(1, _laptop.Db.Sync.HeldBackChanges);
        Assert.True(_laptop.Db.SyncLog!.Clock.Last < SyncStamp.Pack((Start + TimeSpan.FromMinutes(30)).ToUnixTimeMilliseconds(), 0));

        _laptop.Time.SetUtcNow(Start + TimeSpan.FromMinutes(58));
        await _laptop.Db.Sync.SyncNowAsync();
        Assert.NotNull(await _laptop.Db.Symptoms.GetAsync(symptom.Id));
        Assert.Equal(0, _laptop.Db.Sync.HeldBackChanges);
    }

    [Fact]
    public async Task Failures_BackOffWithJitterUpToTheCap_HonourRetryAfter_AndReportOffline()
    {
        var transport = new FlakyTransport(new InProcessSyncTransport(_server)) { Fail = new SyncTransportException("no route", offline: true) };
        await using Device tablet = await Device.OpenAsync(_folder.File("tablet.db"), transport, Start, new Random(7));
        var statuses = new List<SyncStatus>();
        tablet.Db.Sync.StatusChanged += (_, _) => statuses.Add(tablet.Db.Sync.Status);
        await tablet.Db.Symptoms.InsertAsync(NewSymptom());

        var waits = new List<TimeSpan>();
        for (int i = 0; i < 12; i++)
        {
            await Assert.ThrowsAsync<SyncTransportException>(() => tablet.Db.Sync.SyncNowAsync());
            waits.Add(tablet.Db.Sync.NextAttempt!.Value - tablet.Time.GetUtcNow());
        }

        Assert.Equal(SyncStatus.Offline, tablet.Db.Sync.Status);
        Assert.Contains("No connection", tablet.Db.Sync.LastError);
        for (int i = 0; i < waits.Count; i++)
        {
            TimeSpan cap = TimeSpan.FromSeconds(Math.Min(300, Math.Pow(2, i)));
            Assert.True(waits[i] >= TimeSpan.Zero && waits[i] <= cap, $"wait {i}: {waits[i]} against a cap of {cap}");
        }

        Assert.True(waits.Skip(9).Max() > TimeSpan.FromSeconds(16), "the waits grow");
        Assert.Equal([SyncStatus.Syncing, SyncStatus.Offline], statuses.Take(2));

        transport.Fail = new SyncTransportException("busy", retryAfter: TimeSpan.FromMinutes(10));
        tablet.Db.Sync.NotifyOnline();
        await Assert.ThrowsAsync<SyncTransportException>(() => tablet.Db.Sync.SyncNowAsync());
        Assert.Equal(SyncStatus.BackingOff, tablet.Db.Sync.Status);
        Assert.True(tablet.Db.Sync.NextAttempt >= tablet.Time.GetUtcNow() + TimeSpan.FromMinutes(10));

        transport.Fail = null;
        await tablet.Db.Sync.SyncNowAsync();
        Assert.Equal(SyncStatus.Idle, tablet.Db.Sync.Status);
        Assert.Null(tablet.Db.Sync.LastError);
        Assert.Null(tablet.Db.Sync.NextAttempt);
    }

    private static void AssertSame(Symptom expected, Symptom actual)
    {
        Assert.Equal(expected with { Tags = null! }, actual with { Tags = null! });
        Assert.Equal(expected.Tags, actual.Tags);
    }

    private async Task SyncAll()
    {
        await _phone.Db.Sync.SyncNowAsync();
        await _laptop.Db.Sync.SyncNowAsync();
        await _phone.Db.Sync.SyncNowAsync();
    }

    private static int Int(ReadOnlyMemory<byte> value)
    {
        var reader = new Repos.Serialization.MessagePackReader(value.Span);
        return reader.ReadInt32();
    }

    // The change a replica would push for an insert of the entity, made through a scratch replica.
    private async Task<SyncChange> ChangeAsync(Symptom symptom, Guid replica)
    {
        var capture = new FlakyTransport(new InProcessSyncTransport(new SyncServer(new InMemorySyncServerStore())));
        await using Device scratch = await Device.OpenAsync(_folder.File($"scratch-{Guid.NewGuid():N}.db"), capture, Start);
        await scratch.Db.Symptoms.InsertAsync(symptom with { Severity = 5 });

        await scratch.Db.Sync.SyncNowAsync();
        SyncChange change = SyncWire.ReadPush(capture.PushedMessages[0]).Changes[0];

        // The value the rule refuses, as a client that does not validate would send it.
        var fields = change.Fields.Select(f => f.Name != "Severity" ? f : f with { Value = Encode(symptom.Severity) }).ToList();
        return new SyncChange { Entity = change.Entity, Key = change.Key, Inserted = change.Inserted, Fields = fields, SchemaVersion = change.SchemaVersion };
    }

    private static byte[] Encode(int value)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new Repos.Serialization.MessagePackWriter(buffer);
        writer.Write(value);
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }
}

/// <summary>A replica for sync tests: a symptoms database with a clock of its own.</summary>
internal sealed class Device : IAsyncDisposable
{
    private Device(SymptomsDb db, FakeTimeProvider time)
    {
        Db = db;
        Time = time;
    }

    public SymptomsDb Db { get; }

    public FakeTimeProvider Time { get; }

    public static async Task<Device> OpenAsync(string path, ISyncTransport transport, DateTimeOffset now, Random? random = null, SyncOptions? options = null)
    {
        var time = new FakeTimeProvider(now);
        SymptomsDb db = await SymptomsDb.OpenAsync(path, new ReposDatabaseOptions
        {
            TimeProvider = time,
            Sync = options ?? new SyncOptions { Transport = transport, Random = random ?? new Random(1) },
        });
        return new Device(db, time);
    }

    public ValueTask DisposeAsync() => Db.DisposeAsync();
}

/// <summary>A transport that can lose answers, fail, or damage what it pulls.</summary>
internal sealed class FlakyTransport(ISyncTransport inner) : ISyncTransport
{
    public bool LoseNextPushAnswer { get; set; }

    public SyncTransportException? Fail { get; set; }

    public Func<byte[], byte[]>? DamagePull { get; set; }

    public List<long> PushedBatches { get; } = [];

    public List<byte[]> PushedMessages { get; } = [];

    public List<byte[]> PulledMessages { get; } = [];

    public async ValueTask<ReadOnlyMemory<byte>> PushAsync(ReadOnlyMemory<byte> push, CancellationToken cancellationToken)
    {
        if (Fail is { } fail)
        {
            throw fail;
        }

        PushedMessages.Add(push.ToArray());
        PushedBatches.Add(SyncWire.ReadPush(push).Batch);
        ReadOnlyMemory<byte> answer = await inner.PushAsync(push, cancellationToken);
        if (LoseNextPushAnswer)
        {
            LoseNextPushAnswer = false;
            throw new SyncTransportException("the connection dropped before the answer came");
        }

        return answer;
    }

    public async ValueTask<ReadOnlyMemory<byte>> PullAsync(ReadOnlyMemory<byte> request, CancellationToken cancellationToken)
    {
        if (Fail is { } fail)
        {
            throw fail;
        }

        ReadOnlyMemory<byte> answer = await inner.PullAsync(request, cancellationToken);
        PulledMessages.Add(answer.ToArray());
        return DamagePull is { } damage ? damage(answer.ToArray()) : answer;
    }
}
