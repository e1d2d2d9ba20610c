namespace Repos.Tests.Concurrency;

/// <summary>The many-entity writes return the entities as stored, as the one-entity writes do.</summary>
public sealed class BatchResultTests : IDisposable
{
    private readonly TempDirectory _folder = new();

    public void Dispose() => _folder.Dispose();

    private Task<LedgerDb> OpenAsync() => LedgerDb.OpenAsync(_folder.File("ledger.db")).AsTask();

    private static Account NewAccount(string owner, long version = 0) =>
        new() { Id = Guid.NewGuid(), Owner = owner, Balance = 100, Version = version };

    [Fact]
    public async Task InsertMany_ReturnsTheRecordsAtVersion1_InTheOrderGiven_SoTheNextUpdateSucceeds()
    {
        await using LedgerDb db = await OpenAsync();
        Account[] accounts = [NewAccount("ann"), NewAccount("bob", version: 9), NewAccount("cid")];

        IReadOnlyList<Account> stored = await db.Accounts.InsertManyAsync(accounts);

        Assert.Equal(["ann", "bob", "cid"], stored.Select(a => a.Owner));
        Assert.All(stored, a => Assert.Equal(1, a.Version));
        Assert.Equal(9, accounts[1].Version);
        IReadOnlyList<Account> updated = await db.Accounts.UpdateManyAsync(stored.Select(a => a with { Balance = 1 }));
        Assert.All(updated, a => Assert.Equal(2, a.Version));
        Assert.Equal(updated, await db.Accounts.All().ToListAsync());
    }

    [Fact]
    public async Task UpsertMany_ReturnsEachAtItsNextVersion()
    {
        await using LedgerDb db = await OpenAsync();
        Account ann = await db.Accounts.InsertAsync(NewAccount("ann"));

        IReadOnlyList<Account> stored = await db.Accounts.UpsertManyAsync([ann with { Balance = 5 }, NewAccount("bob", version: 3)]);

        Assert.Equal([("ann", 2L), ("bob", 1L)], stored.Select(a => (a.Owner, a.Version)));
        Assert.Equal(stored, await db.Accounts.All().ToListAsync());
    }

    [Fact]
    public async Task InsertMany_OfClasses_ReturnsTheSameObjects_WithTheirRevisionSet()
    {
        await using LedgerDb db = await OpenAsync();
        Counter a = new() { Name = "a", Label = "A", Revision = 7 };
        Counter b = new() { Name = "b", Label = "B" };

        IReadOnlyList<Counter> stored = await db.Counters.InsertManyAsync([a, b]);

        Assert.Same(a, stored[0]);
        Assert.Same(b, stored[1]);
        Assert.Equal((1, 1), (a.Revision, b.Revision));
    }

    [Fact]
    public async Task UpdateMany_WithOneMissingKey_WritesNothing()
    {
        await using LedgerDb db = await OpenAsync();
        IReadOnlyList<Account> stored = await db.Accounts.InsertManyAsync([NewAccount("ann"), NewAccount("bob")]);

        var e = await Assert.ThrowsAsync<EntityNotFoundException>(
            () => db.Accounts.UpdateManyAsync([stored[0] with { Balance = 1 }, NewAccount("ghost", version: 1)]).AsTask());

        Assert.Equal("Account", e.EntityName);
        Assert.Equal(stored, await db.Accounts.All().ToListAsync());
    }

    [Fact]
    public async Task UpdateMany_AtAStaleVersion_ThrowsAConflict_AndWritesNothing()
    {
        await using LedgerDb db = await OpenAsync();
        IReadOnlyList<Account> stored = await db.Accounts.InsertManyAsync([NewAccount("ann"), NewAccount("bob")]);
        await db.Accounts.UpdateAsync(stored[1] with { Balance = 7 });

        await Assert.ThrowsAsync<ConcurrencyConflictException>(
            () => db.Accounts.UpdateManyAsync(stored.Select(a => a with { Balance = 1 })).AsTask());

        Assert.Equal([(100L, 1L), (7L, 2L)], (await db.Accounts.All().ToListAsync()).Select(a => (a.Balance, a.Version)));
    }

    [Fact]
    public async Task InsertMany_InATransaction_ReturnsTheStoredEntities_AndRollsBackWithIt()
    {
        await using LedgerDb db = await OpenAsync();
        IReadOnlyList<Account> stored;
        await using (ReposTransaction tx = await db.BeginTransactionAsync())
        {
            stored = await db.Accounts.InsertManyAsync([NewAccount("ann"), NewAccount("bob")]);
            IReadOnlyList<Account> updated = await db.Accounts.UpdateManyAsync(stored.Select(a => a with { Balance = 3 }));
            Assert.All(updated, a => Assert.Equal(2, a.Version));
        }

        Assert.Equal(0, await db.Accounts.CountAsync());
        await using (ReposTransaction tx = await db.BeginTransactionAsync())
        {
            stored = await db.Accounts.InsertManyAsync([NewAccount("ann")]);
            await tx.CommitAsync();
        }

        Assert.Equal(stored, await db.Accounts.All().ToListAsync());
    }

    [Fact]
    public async Task DeleteManyOfEntities_AtTheirVersions_DeletesThem_AndOneStaleVersion_DeletesNothing()
    {
        await using LedgerDb db = await OpenAsync();
        IReadOnlyList<Account> stored = await db.Accounts.InsertManyAsync([NewAccount("ann"), NewAccount("bob"), NewAccount("cid")]);
        Account bob = await db.Accounts.UpdateAsync(stored[1] with { Balance = 1 });

        var e = await Assert.ThrowsAsync<ConcurrencyConflictException>(() => db.Accounts.DeleteManyAsync(stored).AsTask());
        int deleted = await db.Accounts.DeleteManyAsync([stored[0], bob, NewAccount("ghost")]);

        Assert.Equal((1L, 2L), (e.ExpectedVersion, e.ActualVersion));
        Assert.Equal(2, deleted);
        Assert.Equal([stored[2]], await db.Accounts.All().ToListAsync());
    }
}
