using Repos.Sync;
using Repos.Sync.Server;
using Repos.Tests.Backup;

namespace Repos.Tests.Sync;

/// <summary>
/// Replicas of two schema versions of one synced entity, and what migrations and row versions do to sync
/// (docs/sync.md, <i>Migrations, imports and restores</i>).
/// </summary>
public sealed class SchemaVersionSyncTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 12, 3, 10, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _folder = new();
    private readonly List<Guid> _refused = [];
    private readonly SyncServer _server;
    private readonly FakeTimeProvider _time = new(Start);

    public SchemaVersionSyncTests()
    {
        _server = new SyncServer(new InMemorySyncServerStore(), (_, change) =>
            change.Key.Bytes is { } key && _refused.Contains(new Guid(key, bigEndian: true)) ? "the server does not take this card" : null);
    }

    public void Dispose() => _folder.Dispose();

    private ReposDatabaseOptions Options(ISyncTransport? transport = null) => new()
    {
        TimeProvider = _time,
        BackupBeforeMigration = false,
        Sync = new SyncOptions { Transport = transport ?? new InProcessSyncTransport(_server), Random = new Random(1) },
    };

    private ValueTask<CardsDb<Card>> OpenV1(string name) => CardsDb<Card>.OpenAsync(_folder.File(name), CardV1Definition.Instance, Options());

    private ValueTask<CardsDb<CardV2>> OpenV2(string name) => CardsDb<CardV2>.OpenAsync(_folder.File(name), CardV2Definition.Instance, Options());

    [Fact]
    public async Task PulledChangeAtAnOlderVersion_IsUpgradedThroughTheMigrationSteps()
    {
        await using CardsDb<Card> older = await OpenV1("older.db");
        await using CardsDb<CardV2> newer = await OpenV2("newer.db");
        Card card = await older.Cards.InsertAsync(new Card { Id = Guid.NewGuid(), Title = "Plan the trip", Points = 3, Color = "red" });
        await older.Sync.SyncNowAsync();

        await newer.Sync.SyncNowAsync();

        CardV2 upgraded = (await newer.Cards.GetAsync(card.Id))!;
        Assert.Equal(("Plan the trip", 30), (upgraded.Name, upgraded.Points));
        Assert.Empty(newer.Sync.ReadDeadLetters());
        Assert.Equal(0, newer.Sync.HeldBackChanges);
        Assert.Equal(0, newer.Sync.PendingChanges);
    }

    [Fact]
    public async Task UpgradedFields_KeepTheStampsOfTheFieldsTheyCameFrom_SoTheyDoNotOverwriteANewerEdit()
    {
        await using CardsDb<Card> older = await OpenV1("older.db");
        await using CardsDb<CardV2> newer = await OpenV2("newer.db");
        Card card = await older.Cards.InsertAsync(new Card { Id = Guid.NewGuid(), Title = "Plan", Points = 3 });
        await older.Sync.SyncNowAsync();
        await newer.Sync.SyncNowAsync();

        // The newer app sets the points (its push refused, so the server's row stays at version 1), then the older
        // app renames the card: the row it pushes carries its points of before, stamped before the newer edit.
        _time.Advance(TimeSpan.FromSeconds(1));
        _refused.Add(card.Id);
        await newer.Cards.UpdateAsync((await newer.Cards.GetAsync(card.Id))! with { Points = 55 });
        await newer.Sync.SyncNowAsync();
        _refused.Clear();
        _time.Advance(TimeSpan.FromSeconds(1));
        await older.Cards.UpdateAsync(card with { Title = "Plan the trip" });
        await older.Sync.SyncNowAsync();

        await newer.Sync.SyncNowAsync();

        // Name came from Title (moved by the step) with its new stamp; Points was converted but keeps its old one.
        CardV2 merged = (await newer.Cards.GetAsync(card.Id))!;
        Assert.Equal(("Plan the trip", 55), (merged.Name, merged.Points));
    }

    [Fact]
    public async Task OlderAppsEdit_OfARowANewerAppWrote_IsUpgradedByEveryNewerReplica_WhileTheOlderAppHoldsTheNewerFieldsBack()
    {
        await using CardsDb<Card> older = await OpenV1("older.db");
        await using CardsDb<CardV2> newer = await OpenV2("newer.db");
        Card card = await older.Cards.InsertAsync(new Card { Id = Guid.NewGuid(), Title = "Plan", Points = 3 });
        await older.Sync.SyncNowAsync();
        await newer.Sync.SyncNowAsync();

        // The server's row then holds fields written at both versions: the newer app's Name, the older app's Points.
        _time.Advance(TimeSpan.FromSeconds(1));
        await newer.Cards.UpdateAsync((await newer.Cards.GetAsync(card.Id))! with { Name = "Plan the trip" });
        await newer.Sync.SyncNowAsync();
        _time.Advance(TimeSpan.FromSeconds(1));
        await older.Cards.UpdateAsync(card with { Points = 4 });
        await older.Sync.SyncNowAsync();

        await newer.Sync.SyncNowAsync();
        await using CardsDb<CardV2> third = await OpenV2("third.db");
        await third.Sync.SyncNowAsync();

        // Each field is upgraded from the version of the app that wrote it: the older app's 4 points are 40 tenths.
        foreach (CardsDb<CardV2> replica in new[] { newer, third })
        {
            CardV2 merged = (await replica.Cards.GetAsync(card.Id))!;
            Assert.Equal(("Plan the trip", 40), (merged.Name, merged.Points));
            Assert.Equal(0, replica.Sync.HeldBackChanges);
            Assert.Empty(replica.Sync.ReadDeadLetters());
        }

        // The older app applies what it can read (its own version's fields) and holds the newer app's back.
        Card kept = (await older.Cards.GetAsync(card.Id))!;
        Assert.Equal(("Plan", 4), (kept.Title, kept.Points));
        Assert.Equal(1, older.Sync.HeldBackChanges);
    }

    [Fact]
    public async Task PulledChangeTheMigrationFailsOn_GoesToTheDeadLetters_AndTheRestApplies()
    {
        await using CardsDb<Card> older = await OpenV1("older.db");
        await using CardsDb<CardV2> newer = await OpenV2("newer.db");
        Card bad = await older.Cards.InsertAsync(new Card { Id = Guid.NewGuid(), Title = "unmigratable", Points = 1 });
        Card good = await older.Cards.InsertAsync(new Card { Id = Guid.NewGuid(), Title = "fine", Points = 2 });
        await older.Sync.SyncNowAsync();

        await newer.Sync.SyncNowAsync();

        SyncDeadLetter letter = Assert.Single(newer.Sync.ReadDeadLetters());
        Assert.Equal((SyncDirection.Pull, "Card"), (letter.Direction, letter.Entity));
        Assert.Contains("at version 1 of Card and the migration to version 2 fails", letter.Reason);
        Assert.Contains("a card titled 'unmigratable' cannot be migrated", letter.Reason);
        Assert.Null(await newer.Cards.GetAsync(bad.Id));
        Assert.Equal(20, (await newer.Cards.GetAsync(good.Id))!.Points);
    }

    [Fact]
    public async Task MigrationStampsNothing_AndANewerEditOnAnotherReplicaSurvivesIt()
    {
        Guid id = Guid.NewGuid();
        await using (CardsDb<Card> a = await OpenV1("a.db"))
        await using (CardsDb<Card> b = await OpenV1("b.db"))
        {
            await a.Cards.InsertAsync(new Card { Id = id, Title = "Plan", Points = 3, Color = "red" });
            await a.Sync.SyncNowAsync();
            await b.Sync.SyncNowAsync();
            _time.Advance(TimeSpan.FromSeconds(1));
            await b.Cards.UpdateAsync((await b.Cards.GetAsync(id))! with { Points = 4 });
            await b.Sync.SyncNowAsync();
        }

        // Replica A is updated to version 2: the migration rewrites its row and records nothing to push.
        _time.Advance(TimeSpan.FromSeconds(1));
        await using (CardsDb<CardV2> a = await OpenV2("a.db"))
        {
            Assert.Equal(0, a.Sync.PendingChanges);
            Assert.Equal(30, (await a.Cards.GetAsync(id))!.Points);

            await a.Sync.SyncNowAsync();

            Assert.Equal(("Plan", 40), ((await a.Cards.GetAsync(id))!.Name, (await a.Cards.GetAsync(id))!.Points));
            Assert.Equal(0, a.Sync.PendingChanges);
        }

        await using (CardsDb<Card> b = await OpenV1("b.db"))
        {
            await b.Sync.SyncNowAsync();
            Assert.Equal(4, (await b.Cards.GetAsync(id))!.Points);
            Assert.Equal(0, b.Sync.HeldBackChanges);
        }

        await using (CardsDb<CardV2> b = await OpenV2("b.db"))
        {
            await b.Sync.SyncNowAsync();
            Assert.Equal(("Plan", 40), ((await b.Cards.GetAsync(id))!.Name, (await b.Cards.GetAsync(id))!.Points));
        }
    }

    [Fact]
    public async Task RowVersion_IsNotSynced_EachReplicaCountsTheWritesToItsOwnCopy()
    {
        var phoneTransport = new FlakyTransport(new InProcessSyncTransport(_server));
        await using ChoresDb phone = await ChoresDb.OpenAsync(_folder.File("phone.db"), Options(phoneTransport));
        await using ChoresDb laptop = await ChoresDb.OpenAsync(_folder.File("laptop.db"), Options());
        Chore chore = await phone.Chores.InsertAsync(new Chore { Id = Guid.NewGuid(), Title = "dishes", Minutes = 10 });
        await phone.Sync.SyncNowAsync();
        await laptop.Sync.SyncNowAsync();
        Chore onLaptop = (await laptop.Chores.GetAsync(chore.Id))!;
        Assert.Equal(1, onLaptop.Version);

        // Three writes on the phone, one on the laptop, to different fields.
        _time.Advance(TimeSpan.FromSeconds(1));
        for (int i = 1; i <= 3; i++)
        {
            chore = await phone.Chores.UpdateAsync(chore with { Title = $"dishes, take {i}" });
        }

        Assert.Equal(4, chore.Version);
        _time.Advance(TimeSpan.FromSeconds(1));
        onLaptop = await laptop.Chores.UpdateAsync(onLaptop with { Minutes = 25 });
        Assert.Equal(2, onLaptop.Version);

        await phone.Sync.SyncNowAsync();
        await laptop.Sync.SyncNowAsync();
        await phone.Sync.SyncNowAsync();

        // Both have the same fields; each row version counts the writes that file made to the row, the applied
        // pulls among them: the phone's 4 and the laptop's Minutes, the laptop's 2 and the phone's titles.
        Chore phoneCopy = (await phone.Chores.GetAsync(chore.Id))!;
        Chore laptopCopy = (await laptop.Chores.GetAsync(chore.Id))!;
        Assert.Equal(("dishes, take 3", 25), (phoneCopy.Title, phoneCopy.Minutes));
        Assert.Equal(("dishes, take 3", 25), (laptopCopy.Title, laptopCopy.Minutes));
        Assert.Equal(5, phoneCopy.Version);
        Assert.Equal(3, laptopCopy.Version);
        foreach (byte[] message in phoneTransport.PushedMessages)
        {
            Assert.All(SyncWire.ReadPush(message).Changes, c => Assert.DoesNotContain(c.Fields, f => f.Name == nameof(Chore.Version)));
        }

        // A copy read before a pull changed the row is refused like any other stale copy.
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => laptop.Chores.UpdateAsync(onLaptop with { Minutes = 30 }).AsTask());
    }
}
