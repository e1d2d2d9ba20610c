namespace Repos.Tests.Concurrency;

/// <summary>
/// Operations on one transaction from several flows at once take turns: the result never depends on timing.
/// </summary>
public sealed class TransactionConcurrencyTests : IDisposable
{
    private readonly TempDirectory _folder = new();

    public void Dispose() => _folder.Dispose();

    private Task<LedgerDb> OpenAsync() => LedgerDb.OpenAsync(_folder.File("ledger.db")).AsTask();

    private static Account NewAccount(string owner, long balance = 0) => new() { Id = Guid.NewGuid(), Owner = owner, Balance = balance };

    [Theory]
    [InlineData(41)]
    [InlineData(42)]
    public async Task ParallelOperationsOnOneTransaction_AllSucceed_AndCommitTogether(int defaultSeed)
    {
        int seed = FuzzSeed.Get(defaultSeed);
        var random = new Random(seed);
        await using LedgerDb db = await OpenAsync();
        var expected = new Dictionary<Guid, Account>();
        for (int round = 0; round < 12; round++)
        {
            bool commit = random.Next(4) != 0;
            int workers = random.Next(4, 9);
            int[] seeds = Enumerable.Range(0, workers).Select(_ => random.Next()).ToArray();
            var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var results = new Dictionary<Guid, Account>[workers];
            await using (ReposTransaction tx = await db.BeginTransactionAsync())
            {
                Task[] tasks = Enumerable.Range(0, workers).Select(w => Task.Run(async () =>
                {
                    await start.Task;
                    results[w] = await Work(db, new Random(seeds[w]), $"r{round}w{w}");
                })).ToArray();
                start.SetResult();
                try
                {
                    await Task.WhenAll(tasks);
                }
                catch (Exception e)
                {
                    Assert.Fail($"seed {seed}, round {round}: {e}");
                }

                if (commit)
                {
                    await tx.CommitAsync();
                }
            }

            if (commit)
            {
                foreach (Dictionary<Guid, Account> result in results)
                {
                    foreach ((Guid id, Account account) in result)
                    {
                        expected[id] = account;
                    }
                }
            }

            List<Account> stored = await db.Accounts.All().ToListAsync();
            Assert.True(
                stored.Count == expected.Count && stored.All(a => expected.TryGetValue(a.Id, out Account? e) && e == a),
                $"seed {seed}, round {round}: {stored.Count} stored, {expected.Count} expected");
        }
    }

    /// <summary>One flow's random reads and writes of its own accounts; returns them as it left them.</summary>
    private static async Task<Dictionary<Guid, Account>> Work(LedgerDb db, Random random, string owner)
    {
        var mine = new Dictionary<Guid, Account>();
        for (int op = 0; op < 25; op++)
        {
            switch (random.Next(7))
            {
                case 0:
                    Account one = await db.Accounts.InsertAsync(NewAccount(owner, random.Next(100)));
                    mine[one.Id] = one;
                    break;
                case 1:
                    foreach (Account a in await db.Accounts.InsertManyAsync(Enumerable.Range(0, 3).Select(_ => NewAccount(owner))))
                    {
                        mine[a.Id] = a;
                    }

                    break;
                case 2 when mine.Count > 0:
                    Account current = mine.Values.ElementAt(random.Next(mine.Count));
                    Account updated = await db.Accounts.UpdateAsync(current with { Balance = current.Balance + 1 });
                    mine[updated.Id] = updated;
                    break;
                case 3 when mine.Count > 0:
                    Account gone = mine.Values.ElementAt(random.Next(mine.Count));
                    Assert.True(await db.Accounts.DeleteAsync(gone));
                    mine.Remove(gone.Id);
                    break;
                case 4 when mine.Count > 0:
                    Account read = mine.Values.ElementAt(random.Next(mine.Count));
                    Assert.Equal(read, await db.Accounts.GetAsync(read.Id));
                    break;
                case 5:
                    Assert.True(await db.Accounts.CountAsync() >= mine.Count);
                    break;
                default:
                    int seen = 0;
                    await foreach (Account a in db.Accounts.All())
                    {
                        seen += a.Owner == owner ? 1 : 0;
                    }

                    Assert.Equal(mine.Count, seen);
                    break;
            }
        }

        return mine;
    }

    [Fact]
    public async Task CommitAsync_WaitsForTheOperationInProgressOnAnotherFlow_AndCommitsItsWrites()
    {
        await using LedgerDb db = await OpenAsync();
        using var inside = new SemaphoreSlim(0);
        using var go = new SemaphoreSlim(0);
        IEnumerable<Account> Gated()
        {
            yield return NewAccount("a");
            inside.Release();
            Assert.True(go.Wait(TimeSpan.FromSeconds(30)));
            yield return NewAccount("b");
        }

        Task<IReadOnlyList<Account>> batch;
        Task commit;
        await using (ReposTransaction tx = await db.BeginTransactionAsync())
        {
            batch = Task.Run(() => db.Accounts.InsertManyAsync(Gated()).AsTask());
            Assert.True(await inside.WaitAsync(TimeSpan.FromSeconds(30)));
            commit = tx.CommitAsync().AsTask();
            await Task.Delay(200);
            Assert.False(commit.IsCompleted);
            go.Release();
            await commit;
        }

        Assert.Equal(2, (await batch).Count);
        Assert.Equal(["a", "b"], (await db.Accounts.All().ToListAsync()).Select(a => a.Owner).Order());
    }

    [Fact]
    public async Task ACallFromInsideAnOperation_ThrowsTheSameClearError_Every_Time()
    {
        await using LedgerDb db = await OpenAsync();
        Account existing = await db.Accounts.InsertAsync(NewAccount("x"));
        IEnumerable<Account> Reentrant()
        {
            // Reading the database from the sequence a batch write is reading: the batch has the turn.
            Account? found = db.Accounts.GetAsync(existing.Id).AsTask().GetAwaiter().GetResult();
            yield return NewAccount(found!.Owner);
        }

        for (int i = 0; i < 20; i++)
        {
            await using ReposTransaction tx = await db.BeginTransactionAsync();
            var e = await Assert.ThrowsAsync<InvalidOperationException>(() => db.Accounts.InsertManyAsync(Reentrant()).AsTask());
            Assert.Contains("from inside another operation of the same transaction", e.Message, StringComparison.Ordinal);
            Assert.Equal(1, await db.Accounts.CountAsync());
        }
    }

    [Fact]
    public async Task AWriteOfAnotherFlow_WaitsForTheOpenTransaction_ThenRuns()
    {
        await using LedgerDb db = await OpenAsync();
        var begin = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        // Started before the transaction, so its flow does not join it.
        Task<Account> other = Task.Run(async () =>
        {
            await begin.Task;
            return await db.Accounts.InsertAsync(NewAccount("other"));
        });

        await using (ReposTransaction tx = await db.BeginTransactionAsync())
        {
            await db.Accounts.InsertAsync(NewAccount("mine"));
            begin.SetResult();
            await Task.Delay(200);
            Assert.False(other.IsCompleted);
            Assert.Equal(1, await db.Accounts.CountAsync());
            await tx.CommitAsync();
        }

        await other.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(["mine", "other"], (await db.Accounts.All().ToListAsync()).Select(a => a.Owner));
    }
}
