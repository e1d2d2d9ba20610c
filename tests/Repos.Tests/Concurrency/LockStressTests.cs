using System.Collections.Concurrent;
using System.Diagnostics;
using Repos.Storage.Sqlite;

namespace Repos.Tests.Concurrency;

/// <summary>
/// One process, several database objects on one file (each with its own writer connection, as separate processes
/// have), writing, reading, opening and checkpointing at once: every wait stays inside SQLite's busy timeout and
/// Repos' write lock, so no lock error reaches a caller. (ContentionTests runs two real processes.)
/// </summary>
public sealed class LockStressTests : IDisposable
{
    private readonly TempDirectory _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task WritesReadsOpensAndCheckpoints_AtOnce_SurfaceNoLockError_AndLoseNoUpdate()
    {
        string path = _folder.File("ledger.db");
        await using LedgerDb first = await LedgerDb.OpenAsync(path);
        await using LedgerDb second = await LedgerDb.OpenAsync(path);
        Account account = await first.Accounts.InsertAsync(new Account { Id = Guid.NewGuid(), Owner = "shared" });
        var errors = new ConcurrentBag<string>();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        long increments = 0;

        async Task Repeat(string name, Func<Task> body)
        {
            while (!stop.IsCancellationRequested)
            {
                var watch = Stopwatch.StartNew();
                try
                {
                    await body();
                }
                catch (ConcurrencyConflictException)
                {
                    // Another writer came first: read again and retry, as an app does.
                }
                catch (Exception e)
                {
                    errors.Add($"{name}, after {watch.ElapsedMilliseconds} ms: {e.GetType().Name}: {e.Message}");
                }
            }
        }

        Task Writer(LedgerDb db) => Repeat("writer", async () =>
        {
            Account current = (await db.Accounts.GetAsync(account.Id))!;
            await db.Accounts.UpdateAsync(current with { Balance = current.Balance + 1 });
            Interlocked.Increment(ref increments);
            await db.Accounts.InsertAsync(new Account { Id = Guid.NewGuid(), Owner = "row" });
        });

        Task Reader(LedgerDb db) => Repeat("reader", async () =>
        {
            await foreach (Account a in db.Accounts.All())
            {
                Assert.NotNull(a.Owner);
            }
        });

        // Checkpoints as SQLite's automatic ones run them (passive: they never make anyone wait).
        Task Checkpointer() => Repeat("checkpointer", async () =>
        {
            using SqliteConnection connection = SqliteConnection.Open(path, readOnly: false, create: false);
            connection.Execute("PRAGMA busy_timeout=10000");
            connection.Execute("PRAGMA wal_checkpoint(PASSIVE)");
            await Task.Delay(5);
        });

        // Opening brings the catalog in line inside a write transaction.
        Task Opener() => Repeat("opener", async () =>
        {
            await using LedgerDb third = await LedgerDb.OpenAsync(path);
            Assert.NotNull(await third.Accounts.GetAsync(account.Id));
        });

        await Task.WhenAll(
            Task.Run(() => Writer(first)),
            Task.Run(() => Writer(second)),
            Task.Run(() => Reader(first)),
            Task.Run(() => Reader(second)),
            Task.Run(Checkpointer),
            Task.Run(Opener));

        Assert.True(errors.IsEmpty, string.Join("\n", errors.GroupBy(e => e).Select(g => $"{g.Count()} x {g.Key}")));
        Assert.True(increments > 0);
        Assert.Equal(increments, (await first.Accounts.GetAsync(account.Id))!.Balance);
    }
}
