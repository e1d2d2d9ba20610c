using Repos.Internal;
using Repos.Storage.Sqlite;
using Repos.Transfer;

namespace Repos.Tests.Keys;

/// <summary>Keys marked [DatabaseGenerated(DatabaseGeneratedOption.Identity)] are assigned by Repos on insert.</summary>
public sealed class AssignedKeyTests : IDisposable
{
    private readonly TempDirectory _folder = new();

    public void Dispose() => _folder.Dispose();

    private string DbPath => _folder.File("keys.db");

    private Task<IdentityDb> OpenAsync() => IdentityDb.OpenAsync(DbPath).AsTask();

    [Fact]
    public async Task Insert_OfAZeroKey_ReturnsACopyWithTheNextNumber_AndLeavesTheRecordAsItWas()
    {
        await using IdentityDb db = await OpenAsync();
        var draft = new Ticket { Title = "first" };

        Ticket first = await db.Tickets.InsertAsync(draft);
        Ticket second = await db.Tickets.InsertAsync(new Ticket { Title = "second" });

        Assert.Equal((1, 1L), (first.Id, first.Version));
        Assert.Equal(2, second.Id);
        Assert.Equal(0, draft.Id);
        Assert.Equal(first, await db.Tickets.GetAsync(1));
        Ticket updated = await db.Tickets.UpdateAsync(first with { Title = "changed" });
        Assert.Equal((1, 2L), (updated.Id, updated.Version));
    }

    [Fact]
    public async Task Numbers_AreNeverGivenAgain_AfterTheirRowsAreDeleted_NorAfterReopening()
    {
        await using (IdentityDb db = await OpenAsync())
        {
            await db.Tickets.InsertManyAsync([new Ticket { Title = "a" }, new Ticket { Title = "b" }, new Ticket { Title = "c" }]);
            await db.Tickets.DeleteAsync(3);
            await db.Tickets.DeleteAsync(2);
            Assert.Equal(4, (await db.Tickets.InsertAsync(new Ticket { Title = "d" })).Id);
            await db.Tickets.DeleteManyAsync([1, 4]);
        }

        await using (IdentityDb db = await OpenAsync())
        {
            Assert.Equal(0, await db.Tickets.CountAsync());
            Assert.Equal(5, (await db.Tickets.InsertAsync(new Ticket { Title = "e" })).Id);
        }
    }

    [Fact]
    public async Task AKeyTheAppGives_IsKept_AndTheCounterPassesIt()
    {
        await using IdentityDb db = await OpenAsync();
        await db.Tickets.InsertAsync(new Ticket { Title = "one" });

        Ticket explicitKey = await db.Tickets.InsertAsync(new Ticket { Id = 100, Title = "hundred" });
        Ticket next = await db.Tickets.InsertAsync(new Ticket { Title = "next" });

        Assert.Equal(100, explicitKey.Id);
        Assert.Equal(101, next.Id);
        await Assert.ThrowsAsync<DuplicateKeyException>(() => db.Tickets.InsertAsync(new Ticket { Id = 100, Title = "again" }).AsTask());
    }

    [Fact]
    public async Task InsertMany_ReturnsEachWithItsKey_InOrder_InATransactionToo()
    {
        await using IdentityDb db = await OpenAsync();
        IReadOnlyList<Ticket> outside = await db.Tickets.InsertManyAsync(Enumerable.Range(0, 5).Select(i => new Ticket { Title = $"t{i}" }));
        IReadOnlyList<Ticket> inside;
        await using (ReposTransaction tx = await db.BeginTransactionAsync())
        {
            inside = await db.Tickets.InsertManyAsync([new Ticket { Title = "x" }, new Ticket { Title = "y" }]);
            Ticket single = await db.Tickets.InsertAsync(new Ticket { Title = "z" });
            Assert.Equal(8, single.Id);
            await tx.CommitAsync();
        }

        Assert.Equal([1, 2, 3, 4, 5], outside.Select(t => t.Id));
        Assert.Equal([6, 7], inside.Select(t => t.Id));
        Assert.Equal(["t0", "t1", "t2", "t3", "t4", "x", "y", "z"], (await db.Tickets.All().ToListAsync()).Select(t => t.Title));
    }

    [Fact]
    public async Task ARolledBackInsert_GivesItsNumberAgain_AsNoRowEverHadIt()
    {
        await using IdentityDb db = await OpenAsync();
        await using (ReposTransaction tx = await db.BeginTransactionAsync())
        {
            Assert.Equal(1, (await db.Tickets.InsertAsync(new Ticket { Title = "gone" })).Id);
        }

        Assert.Equal(1, (await db.Tickets.InsertAsync(new Ticket { Title = "kept" })).Id);
    }

    [Fact]
    public async Task Class_GetsItsKeySetInPlace_AndBackTo0_WhenTheWriteFails()
    {
        await using IdentityDb db = await OpenAsync();
        var first = new Invoice { Customer = "ann" };
        var clash = new Invoice { Customer = "ann" };
        var other = new Invoice { Customer = "bob" };

        Invoice stored = await db.Invoices.InsertAsync(first);
        await Assert.ThrowsAsync<UniqueIndexViolationException>(() => db.Invoices.InsertAsync(clash).AsTask());
        await Assert.ThrowsAsync<UniqueIndexViolationException>(() => db.Invoices.InsertManyAsync([other, clash]).AsTask());

        Assert.Same(first, stored);
        Assert.Equal(1, first.Number);
        Assert.Equal((0L, 0L), (clash.Number, other.Number));
        Assert.Equal(2, (await db.Invoices.InsertAsync(other)).Number);
    }

    [Fact]
    public async Task Upsert_OfAZeroKey_InsertsANewEntity_AndOfAnAssignedKey_ReplacesIt()
    {
        await using IdentityDb db = await OpenAsync();
        Ticket first = await db.Tickets.UpsertAsync(new Ticket { Title = "new" });
        Ticket replaced = await db.Tickets.UpsertAsync(first with { Title = "replaced" });
        Ticket another = await db.Tickets.UpsertAsync(new Ticket { Title = "another" });
        IReadOnlyList<Ticket> batch = await db.Tickets.UpsertManyAsync([another with { Title = "again" }, new Ticket { Title = "third" }]);

        Assert.Equal((1, 1, 2), (first.Id, replaced.Id, another.Id));
        Assert.Equal(2L, replaced.Version);
        Assert.Equal([(2, 2L), (3, 1L)], batch.Select(t => (t.Id, t.Version)));
        Assert.Equal(["replaced", "again", "third"], (await db.Tickets.All().ToListAsync()).Select(t => t.Title));
    }

    [Fact]
    public async Task Update_OfAZeroKey_ThrowsEntityNotFound()
    {
        await using IdentityDb db = await OpenAsync();
        await db.Tickets.InsertAsync(new Ticket { Title = "a" });

        await Assert.ThrowsAsync<EntityNotFoundException>(() => db.Tickets.UpdateAsync(new Ticket { Title = "b" }).AsTask());

        Assert.Equal(1, await db.Tickets.CountAsync());
    }

    [Fact]
    public async Task GuidKey_LeftEmpty_GetsAVersion7Guid_InTimeOrder_AndAGivenOneIsKept()
    {
        await using IdentityDb db = await OpenAsync();
        var given = Guid.NewGuid();

        IReadOnlyList<Photo> photos = await db.Photos.InsertManyAsync(Enumerable.Range(0, 20).Select(i => new Photo { Name = $"p{i}" }));
        Photo kept = await db.Photos.InsertAsync(new Photo { Id = given, Name = "given" });

        Assert.All(photos, p => Assert.Equal(7, p.Id.Version));
        Assert.Equal(20, photos.Select(p => p.Id).Distinct().Count());
        Assert.Equal(given, kept.Id);
        Assert.Equal(photos[0], await db.Photos.GetAsync(photos[0].Id));
    }

    [Fact]
    public async Task TheCatalogAndTheDefinition_RecordThatKeysAreAssigned()
    {
        await using (IdentityDb db = await OpenAsync())
        {
            await db.Tickets.InsertAsync(new Ticket { Title = "a" });
        }

        Assert.Equal(KeyGeneration.Sequence, TicketDefinition.Instance.KeyGeneration);
        Assert.Equal(KeyGeneration.GuidVersion7, PhotoDefinition.Instance.KeyGeneration);
        using var connection = SqliteConnection.Open(DbPath, readOnly: true, create: false);
        using SqliteStatement select = connection.PrepareOnce("SELECT key, value FROM _repos_meta WHERE key LIKE 'key_generation:%' ORDER BY key");
        var rows = new List<(string, string)>();
        while (select.Step())
        {
            rows.Add((select.ColumnText(0), select.ColumnText(1)));
        }

        Assert.Equal([("key_generation:Invoice", "Sequence"), ("key_generation:Photo", "GuidVersion7"), ("key_generation:Ticket", "Sequence")], rows);
        Assert.Equal(1, connection.ExecuteScalar("SELECT last FROM _repos_key_sequences WHERE entity='Ticket'"));
    }

    [Fact]
    public async Task Verify_OfAFileWithAssignedKeys_FindsNothingWrong()
    {
        await using IdentityDb db = await OpenAsync();
        await db.Tickets.InsertManyAsync([new Ticket { Title = "a" }, new Ticket { Title = "b" }]);
        await db.Photos.InsertAsync(new Photo { Name = "p" });

        Repos.Diagnostics.VerifyReport report = await db.VerifyAsync();

        Assert.True(report.IsHealthy, report.ToString());
    }

    [Fact]
    public async Task ImportJson_OfDocumentsWithoutKeys_AssignsThem()
    {
        await using IdentityDb db = await OpenAsync();
        await db.Tickets.InsertAsync(new Ticket { Title = "existing" });

        JsonImportResult result = await db.Tickets.ImportJsonAsync(JsonTextStream("""[{"title": "one"}, {"title": "two", "id": 10}, {"title": "three"}]"""));

        Assert.Equal(3, result.Inserted);
        Assert.Equal([(1, "existing"), (2, "one"), (10, "two"), (11, "three")], (await db.Tickets.All().ToListAsync()).Select(t => (t.Id, t.Title)).Order());
    }

    private static MemoryStream JsonTextStream(string json) => new(System.Text.Encoding.UTF8.GetBytes(json));
}
