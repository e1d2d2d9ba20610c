namespace Repos.Tests.Concurrency;

/// <summary>Optimistic concurrency: an entity with a [ConcurrencyCheck] property is written only over the version it was read at.</summary>
public sealed class RowVersionTests : IDisposable
{
    private readonly TempDirectory _folder = new();

    public void Dispose() => _folder.Dispose();

    private Task<LedgerDb> OpenAsync() => LedgerDb.OpenAsync(_folder.File("ledger.db")).AsTask();

    private static Account NewAccount(string owner, long balance = 100, long version = 0) =>
        new() { Id = Guid.NewGuid(), Owner = owner, Balance = balance, Version = version };

    [Fact]
    public async Task Insert_StoresVersion1_WhateverVersionTheEntityHas()
    {
        await using LedgerDb db = await OpenAsync();
        Account fresh = NewAccount("ann");
        Account claimed = NewAccount("bob", version: 42);

        Account stored = await db.Accounts.InsertAsync(fresh);
        Account storedClaimed = await db.Accounts.InsertAsync(claimed);

        Assert.Equal(1, stored.Version);
        Assert.Equal(1, storedClaimed.Version);
        Assert.Equal(0, fresh.Version);
        Assert.Equal(1, (await db.Accounts.GetAsync(fresh.Id))!.Version);
        Assert.Equal(1, (await db.Accounts.GetAsync(claimed.Id))!.Version);
        Assert.Equal(stored, await db.Accounts.GetAsync(fresh.Id));
    }

    [Fact]
    public async Task Update_AtTheStoredVersion_StoresAndReturnsTheNextVersion()
    {
        await using LedgerDb db = await OpenAsync();
        Account v1 = await db.Accounts.InsertAsync(NewAccount("ann"));

        Account v2 = await db.Accounts.UpdateAsync(v1 with { Balance = 150 });
        Account v3 = await db.Accounts.UpdateAsync(v2 with { Balance = 175 });

        Assert.Equal(2, v2.Version);
        Assert.Equal(3, v3.Version);
        Assert.Equal(1, v1.Version);
        Account? stored = await db.Accounts.GetAsync(v1.Id);
        Assert.Equal(v3, stored);
        Assert.Equal(175, stored!.Balance);
    }

    [Fact]
    public async Task Update_AtAStaleVersion_ThrowsAConflictNamingBothVersions_AndChangesNothing()
    {
        await using LedgerDb db = await OpenAsync();
        Account read = await db.Accounts.InsertAsync(NewAccount("ann"));
        Account theirs = await db.Accounts.UpdateAsync(read with { Balance = 90 });

        var e = await Assert.ThrowsAsync<ConcurrencyConflictException>(() => db.Accounts.UpdateAsync(read with { Balance = 500 }).AsTask());

        Assert.Equal("Account", e.EntityName);
        Assert.Equal(read.Id.ToString(), e.Key);
        Assert.Equal(1, e.ExpectedVersion);
        Assert.Equal(2, e.ActualVersion);
        Assert.Contains($"Account {read.Id}", e.Message, StringComparison.Ordinal);
        Assert.Contains("expected version 1", e.Message, StringComparison.Ordinal);
        Assert.Contains("at version 2", e.Message, StringComparison.Ordinal);
        Assert.IsAssignableFrom<ReposException>(e);
        Assert.Equal(theirs, await db.Accounts.GetAsync(read.Id));
    }

    [Fact]
    public async Task Update_OfAMissingKey_ThrowsEntityNotFound()
    {
        await using LedgerDb db = await OpenAsync();

        await Assert.ThrowsAsync<EntityNotFoundException>(() => db.Accounts.UpdateAsync(NewAccount("ann", version: 1)).AsTask());

        Assert.Equal(0, await db.Accounts.CountAsync());
    }

    [Fact]
    public async Task Upsert_InsertsAtVersion1_AndReplacesOnlyAtTheStoredVersion()
    {
        await using LedgerDb db = await OpenAsync();
        Account created = await db.Accounts.UpsertAsync(NewAccount("ann", version: 7));
        Assert.Equal(1, created.Version);

        var e = await Assert.ThrowsAsync<ConcurrencyConflictException>(() => db.Accounts.UpsertAsync(created with { Balance = 1, Version = 0 }).AsTask());
        Account replaced = await db.Accounts.UpsertAsync(created with { Balance = 2 });

        Assert.Equal((0, 1), (e.ExpectedVersion, e.ActualVersion));
        Assert.Equal(2, replaced.Version);
        Assert.Equal(replaced, await db.Accounts.GetAsync(created.Id));
    }

    [Fact]
    public async Task UpsertMany_WithOneStaleEntity_WritesNothing()
    {
        await using LedgerDb db = await OpenAsync();
        Account[] accounts = [NewAccount("ann"), NewAccount("bob"), NewAccount("cid")];
        Assert.Equal(3, (await db.Accounts.InsertManyAsync(accounts)).Count);
        Account bob = (await db.Accounts.GetAsync(accounts[1].Id))!;
        Account[] before = [.. await db.Accounts.All().ToListAsync()];
        Assert.All(before, a => Assert.Equal(1, a.Version));
        await db.Accounts.UpdateAsync(bob with { Balance = 1 });

        Account[] batch = [.. before.Select(a => a with { Balance = a.Balance + 10 }), NewAccount("dan")];
        var e = await Assert.ThrowsAsync<ConcurrencyConflictException>(() => db.Accounts.UpsertManyAsync(batch).AsTask());

        Assert.Equal(bob.Id.ToString(), e.Key);
        Assert.Equal(3, await db.Accounts.CountAsync());
        List<Account> after = await db.Accounts.All().ToListAsync();
        Assert.Equal(before.Select(a => a.Id == bob.Id ? (1L, 2L) : (a.Balance, a.Version)), after.Select(a => (a.Balance, a.Version)));
    }

    [Fact]
    public async Task UpsertMany_AtTheStoredVersions_StoresEachAtItsNextVersion()
    {
        await using LedgerDb db = await OpenAsync();
        Account ann = await db.Accounts.InsertAsync(NewAccount("ann"));
        Account bob = await db.Accounts.UpdateAsync(await db.Accounts.InsertAsync(NewAccount("bob")));

        await db.Accounts.UpsertManyAsync([ann with { Balance = 1 }, bob with { Balance = 2 }, NewAccount("cid", version: 5)]);

        List<Account> stored = await db.Accounts.All().ToListAsync();
        Assert.Equal([("ann", 2L), ("bob", 3L), ("cid", 1L)], stored.Select(a => (a.Owner, a.Version)));
    }

    [Fact]
    public async Task Delete_ByEntity_DeletesOnlyAtTheStoredVersion()
    {
        await using LedgerDb db = await OpenAsync();
        Account read = await db.Accounts.InsertAsync(NewAccount("ann"));
        Account changed = await db.Accounts.UpdateAsync(read with { Balance = 1 });

        var e = await Assert.ThrowsAsync<ConcurrencyConflictException>(() => db.Accounts.DeleteAsync(read).AsTask());
        Assert.Equal((1, 2), (e.ExpectedVersion, e.ActualVersion));
        Assert.NotNull(await db.Accounts.GetAsync(read.Id));

        Assert.True(await db.Accounts.DeleteAsync(changed));
        Assert.Null(await db.Accounts.GetAsync(read.Id));
        Assert.False(await db.Accounts.DeleteAsync(changed));
    }

    [Fact]
    public async Task Conflict_InsideATransaction_LeavesItsOtherWrites()
    {
        await using LedgerDb db = await OpenAsync();
        Account ann = await db.Accounts.InsertAsync(NewAccount("ann"));
        Account bob = await db.Accounts.InsertAsync(NewAccount("bob"));
        await db.Accounts.UpdateAsync(bob with { Balance = 0 });

        await using (ReposTransaction tx = await db.BeginTransactionAsync())
        {
            Assert.Equal(2, (await db.Accounts.UpdateAsync(ann with { Balance = 50 })).Version);
            await Assert.ThrowsAsync<ConcurrencyConflictException>(() => db.Accounts.UpdateAsync(bob with { Balance = 150 }).AsTask());
            await tx.CommitAsync();
        }

        Assert.Equal((50, 2), ((await db.Accounts.GetAsync(ann.Id))!.Balance, (await db.Accounts.GetAsync(ann.Id))!.Version));
        Assert.Equal((0, 2), ((await db.Accounts.GetAsync(bob.Id))!.Balance, (await db.Accounts.GetAsync(bob.Id))!.Version));
    }

    [Fact]
    public async Task RacingReadModifyWrites_RetryingOnConflict_LoseNoIncrement()
    {
        // Two database objects on one file, as two processes would have them, with two tasks each.
        const int Workers = 4;
        const int Increments = 100;
        string path = _folder.File("ledger.db");
        await using LedgerDb first = await LedgerDb.OpenAsync(path);
        await using LedgerDb second = await LedgerDb.OpenAsync(path);
        Account account = await first.Accounts.InsertAsync(NewAccount("shared", balance: 0));
        int conflicts = 0;

        async Task Work(LedgerDb db)
        {
            for (int i = 0; i < Increments; i++)
            {
                while (true)
                {
                    Account current = (await db.Accounts.GetAsync(account.Id))!;
                    await Task.Yield();
                    try
                    {
                        await db.Accounts.UpdateAsync(current with { Balance = current.Balance + 1 });
                        break;
                    }
                    catch (ConcurrencyConflictException)
                    {
                        Interlocked.Increment(ref conflicts);
                    }
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, Workers).Select(w => Task.Run(() => Work(w % 2 == 0 ? first : second))));

        Account final = (await second.Accounts.GetAsync(account.Id))!;
        Assert.Equal(Workers * Increments, final.Balance);
        Assert.Equal(1 + (Workers * Increments), final.Version);
        Assert.True(conflicts > 0, "the workers never raced; the test proves nothing");
    }

    [Fact]
    public async Task Class_GetsItsVersionSetOnTheObject()
    {
        await using LedgerDb db = await OpenAsync();
        var counter = new Counter { Name = "steps", Label = "Steps", Value = 1, Revision = 9 };

        Counter inserted = await db.Counters.InsertAsync(counter);
        counter.Value = 2;
        Counter updated = await db.Counters.UpdateAsync(counter);

        Assert.Same(counter, inserted);
        Assert.Same(counter, updated);
        Assert.Equal(2, counter.Revision);
        Counter stale = (await db.Counters.GetAsync("steps"))!;
        stale.Revision = 1;
        var e = await Assert.ThrowsAsync<ConcurrencyConflictException>(() => db.Counters.UpdateAsync(stale).AsTask());
        Assert.Equal("'steps'", e.Key);
        Assert.Equal(1, stale.Revision);
        Assert.Equal((2, 2), ((await db.Counters.GetAsync("steps"))!.Value, (await db.Counters.GetAsync("steps"))!.Revision));
    }

    [Fact]
    public async Task Class_WhoseWriteFails_GetsItsVersionBack()
    {
        await using LedgerDb db = await OpenAsync();
        await db.Counters.InsertAsync(new Counter { Name = "a", Label = "A" });
        Counter b = await db.Counters.InsertAsync(new Counter { Name = "b", Label = "B" });
        Counter c = new() { Name = "c", Label = "C", Revision = 4 };

        b.Label = "A";
        await Assert.ThrowsAsync<UniqueIndexViolationException>(() => db.Counters.UpdateAsync(b).AsTask());
        Assert.Equal(1, b.Revision);

        // In a batch, b is written at revision 2 before c fails; the batch rolls back and both get theirs back.
        b.Label = "B";
        c.Label = "A";
        await Assert.ThrowsAsync<UniqueIndexViolationException>(() => db.Counters.UpsertManyAsync([b, c]).AsTask());

        Assert.Equal(1, b.Revision);
        Assert.Equal(4, c.Revision);
        Assert.Equal(1, (await db.Counters.GetAsync("b"))!.Revision);
    }

    [Fact]
    public async Task Update_OfADamagedRow_ReplacesIt_AtTheNextVersionOfTheEntity()
    {
        string path = _folder.File("ledger.db");
        await using LedgerDb db = await LedgerDb.OpenAsync(path);
        Account read = await db.Accounts.InsertAsync(NewAccount("ann", balance: 123456789));
        using (var connection = Repos.Storage.Sqlite.SqliteConnection.Open(path, readOnly: false, create: false))
        {
            // A damaged row cannot tell its version; as for an entity without one, a write replaces it.
            using var update = connection.PrepareOnce("UPDATE Account SET _blob = substr(_blob, 1, 20) || x'FF' || substr(_blob, 22) WHERE key = ?1");
            Repos.Internal.ColumnValue.From(read.Id).Bind(update, 1);
            update.Execute();
        }

        await Assert.ThrowsAsync<CorruptedRowException>(() => db.Accounts.GetAsync(read.Id).AsTask());
        Account replaced = await db.Accounts.UpdateAsync(read with { Balance = 5 });

        Assert.Equal(2, replaced.Version);
        Assert.Equal(replaced, await db.Accounts.GetAsync(read.Id));
    }

    [Fact]
    public async Task RowVersionAddedToAnEntityWithRows_OldRowsAreAtVersion0()
    {
        string path = _folder.File("ledger.db");
        var old = new AccountV0 { Id = Guid.NewGuid(), Owner = "ann", Balance = 10 };
        await using (LedgerDbV0 v0 = await LedgerDbV0.OpenAsync(path))
        {
            await v0.Accounts.InsertAsync(old);
        }

        await using LedgerDb db = await LedgerDb.OpenAsync(path);
        Account read = (await db.Accounts.GetAsync(old.Id))!;
        Assert.Equal(0, read.Version);

        Account updated = await db.Accounts.UpdateAsync(read with { Balance = 20 });
        var e = await Assert.ThrowsAsync<ConcurrencyConflictException>(() => db.Accounts.UpdateAsync(read with { Balance = 30 }).AsTask());

        Assert.Equal(1, updated.Version);
        Assert.Equal((0, 1), (e.ExpectedVersion, e.ActualVersion));
        Assert.Equal(updated, await db.Accounts.GetAsync(old.Id));
    }
}
