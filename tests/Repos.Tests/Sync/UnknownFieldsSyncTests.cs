using Repos.Sync;
using Repos.Sync.Server;
using Repos.Tests.Backup;

namespace Repos.Tests.Sync;

/// <summary>
/// Fields a newer version of the app syncs to a replica of an older one, which does not know them
/// (docs/sync.md, <i>Fields this app does not know</i>): kept, carried over, pushed on, and read by the newer app.
/// </summary>
public sealed class UnknownFieldsSyncTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 12, 3, 10, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _folder = new();
    private readonly List<Guid> _refused = [];
    private readonly SyncServer _server;
    private readonly FakeTimeProvider _time = new(Start);

    public UnknownFieldsSyncTests()
    {
        _server = new SyncServer(new InMemorySyncServerStore(), (_, change) =>
            change.Key.Bytes is { } key && _refused.Contains(new Guid(key, bigEndian: true)) ? "the server does not take this card" : null);
    }

    public void Dispose() => _folder.Dispose();

    private ReposDatabaseOptions Options(ISyncTransport? transport = null, bool readOnly = false) => new()
    {
        TimeProvider = _time,
        ReadOnly = readOnly,
        Sync = new SyncOptions { Transport = transport ?? new InProcessSyncTransport(_server), Random = new Random(1) },
    };

    private static CardPlus NewCard() => new()
    {
        Id = Guid.NewGuid(),
        Title = "Pack",
        Points = 2,
        Color = "blue",
        Estimate = 5,
        Checklist = [new CheckItem("passport", false), new CheckItem("tickets", true)],
    };

    [Fact]
    public async Task FieldsANewerAppAdded_AreKeptThroughLocalWrites_AndTheNewerAppReadsThemWhenItOpensTheFile()
    {
        CardPlus card = NewCard();
        await using (CardsDb<CardPlus> newer = await CardsDb<CardPlus>.OpenAsync(_folder.File("newer.db"), CardPlusDefinition.Instance, Options()))
        {
            await newer.Cards.InsertAsync(card);
            await newer.Sync.SyncNowAsync();
        }

        await using (CardsDb<Card> older = await CardsDb<Card>.OpenAsync(_folder.File("older.db"), CardV1Definition.Instance, Options()))
        {
            await older.Sync.SyncNowAsync();
            Card copy = (await older.Cards.GetAsync(card.Id))!;
            Assert.Equal(("Pack", 2, "blue"), (copy.Title, copy.Points, copy.Color));

            // A local write of the older app, which knows nothing of Estimate and Checklist, must not drop them.
            _time.Advance(TimeSpan.FromSeconds(1));
            await older.Cards.UpdateAsync(copy with { Title = "Pack the bags" });
            await older.Sync.SyncNowAsync();
            Assert.Empty(older.Sync.ReadDeadLetters());
        }

        // The catalog changed at run time was sealed: a read-only open checks it, and reads the kept number; the
        // kept objects are read once a writable open has converted them.
        await using (CardsDb<CardPlus> reading = await CardsDb<CardPlus>.OpenAsync(_folder.File("older.db"), CardPlusDefinition.Instance, Options(readOnly: true)))
        {
            CardPlus before = (await reading.Cards.GetAsync(card.Id))!;
            Assert.Equal(("Pack the bags", 5), (before.Title, before.Estimate));
            Assert.Empty(before.Checklist);
        }

        await using (CardsDb<CardPlus> updated = await CardsDb<CardPlus>.OpenAsync(_folder.File("older.db"), CardPlusDefinition.Instance, Options()))
        {
            Assert.Null(updated.CatalogRepair);
            CardPlus read = (await updated.Cards.GetAsync(card.Id))!;
            Assert.Equal(("Pack the bags", 2, "blue", 5), (read.Title, read.Points, read.Color, read.Estimate));
            Assert.Equal(card.Checklist, read.Checklist);
            Assert.True((await updated.VerifyAsync()).IsHealthy);

            // The converted fields sync on as any other.
            _time.Advance(TimeSpan.FromSeconds(1));
            await updated.Cards.UpdateAsync(read with { Checklist = [.. read.Checklist, new CheckItem("charger", false)] });
            await updated.Sync.SyncNowAsync();
        }

        await using CardsDb<CardPlus> first = await CardsDb<CardPlus>.OpenAsync(_folder.File("newer.db"), CardPlusDefinition.Instance, Options());
        await first.Sync.SyncNowAsync();
        CardPlus merged = (await first.Cards.GetAsync(card.Id))!;
        Assert.Equal(("Pack the bags", 5, 3), (merged.Title, merged.Estimate, merged.Checklist.Count));
        Assert.Equal(new CheckItem("charger", false), merged.Checklist[2]);
    }

    [Fact]
    public async Task FieldsKeptFromSync_ArePushedOnUnchanged_ToAThirdReplicaOfTheNewerApp()
    {
        var newerTransport = new FlakyTransport(new InProcessSyncTransport(_server));
        var olderTransport = new FlakyTransport(new InProcessSyncTransport(_server));
        CardPlus card = NewCard();
        await using CardsDb<CardPlus> newer = await CardsDb<CardPlus>.OpenAsync(_folder.File("newer.db"), CardPlusDefinition.Instance, Options(newerTransport));
        await using CardsDb<Card> older = await CardsDb<Card>.OpenAsync(_folder.File("older.db"), CardV1Definition.Instance, Options(olderTransport));
        await newer.Cards.InsertAsync(card);
        await newer.Sync.SyncNowAsync();
        await older.Sync.SyncNowAsync();

        // The older replica's edit is refused by the server, then retried: it pushes the whole row again, the fields
        // it keeps for the newer app among them.
        _time.Advance(TimeSpan.FromSeconds(1));
        _refused.Add(card.Id);
        await older.Cards.UpdateAsync((await older.Cards.GetAsync(card.Id))! with { Points = 3 });
        await older.Sync.SyncNowAsync();
        _refused.Clear();
        await older.Sync.RetryDeadLetterAsync(Assert.Single(older.Sync.ReadDeadLetters()).Id);
        olderTransport.PushedMessages.Clear();
        await older.Sync.SyncNowAsync();

        SyncFieldValue[] sent = SyncWire.ReadPush(Assert.Single(newerTransport.PushedMessages)).Changes.Single().Fields.ToArray();
        SyncFieldValue[] passedOn = SyncWire.ReadPush(Assert.Single(olderTransport.PushedMessages)).Changes.Single().Fields.ToArray();
        foreach (string name in new[] { nameof(CardPlus.Estimate), nameof(CardPlus.Checklist) })
        {
            SyncFieldValue original = sent.Single(f => f.Name == name);
            SyncFieldValue again = passedOn.Single(f => f.Name == name);
            Assert.Equal(original.Stamp, again.Stamp);
            Assert.Equal(original.Value.ToArray(), again.Value.ToArray());
        }

        await using CardsDb<CardPlus> third = await CardsDb<CardPlus>.OpenAsync(_folder.File("third.db"), CardPlusDefinition.Instance, Options());
        await third.Sync.SyncNowAsync();
        CardPlus copy = (await third.Cards.GetAsync(card.Id))!;
        Assert.Equal((3, 5), (copy.Points, copy.Estimate));
        Assert.Equal(card.Checklist, copy.Checklist);
    }

    [Fact]
    public async Task AFieldANewerAppAddedToANestedType_IsKeptInTheObjectsThatHoldIt()
    {
        CardPlus card = NewCard() with { Checklist = [new CheckItem("passport", false) { Due = "Friday" }, new CheckItem("tickets", true)] };
        await using (CardsDb<CardPlus> newest = await CardsDb<CardPlus>.OpenAsync(_folder.File("newest.db"), CardPlusDefinition.WithDue, Options()))
        {
            await newest.Cards.InsertAsync(card);
            await newest.Sync.SyncNowAsync();
        }

        await using (CardsDb<CardPlus> newer = await CardsDb<CardPlus>.OpenAsync(_folder.File("newer.db"), CardPlusDefinition.Instance, Options()))
        {
            await newer.Sync.SyncNowAsync();
            CardPlus copy = (await newer.Cards.GetAsync(card.Id))!;
            Assert.Null(copy.Checklist[0].Due);

            // The app that does not know Due ticks an item off: the item keeps its Due.
            _time.Advance(TimeSpan.FromSeconds(1));
            await newer.Cards.UpdateAsync(copy with { Checklist = [copy.Checklist[0] with { Done = true }, copy.Checklist[1]] });
        }

        await using CardsDb<CardPlus> updated = await CardsDb<CardPlus>.OpenAsync(_folder.File("newer.db"), CardPlusDefinition.WithDue, Options());
        CardPlus read = (await updated.Cards.GetAsync(card.Id))!;
        Assert.Equal(new CheckItem("passport", true) { Due = "Friday" }, read.Checklist[0]);
        Assert.Equal(new CheckItem("tickets", true), read.Checklist[1]);
    }
}
