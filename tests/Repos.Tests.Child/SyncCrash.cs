using System.Diagnostics;
using Repos;
using Repos.Sync;
using Repos.Tests.Sync;

/// <summary>
/// The second process of the sync crash test (tests/Repos.Tests/Sync/SyncCrashTests.cs): a replica that writes and
/// syncs with the test's server over TCP until it is killed, or (drain) syncs until nothing is left to push.
/// </summary>
/// <remarks>
/// Every line it prints is written straight to the pipe, so the test knows, when it kills the process, each write
/// that committed ("ok") and each that may have ("w" without "ok"), and which step of a sync was under way:
/// <list type="bullet">
/// <item><c>row KEY ROW</c> for each of its own rows at start, then <c>rows-end</c></item>
/// <item><c>w GROUP KEY ROW|del</c> before a group of writes commits, <c>ok GROUP</c> after</item>
/// <item><c>push BATCH</c> / <c>pushed BATCH</c> around a push, <c>pull</c> / <c>pulled COUNT</c> around a pull (the
/// batch is applied after <c>pulled</c>), <c>synced PENDING</c> after each sync, <c>drained</c> at the end of a drain</item>
/// </list>
/// </remarks>
internal static class SyncCrash
{
    private const int BatchChanges = 4;

    /// <summary>Runs the replica; <paramref name="drain"/> syncs without writing, until the outbox is empty.</summary>
    /// <param name="file">The replica's file.</param>
    /// <param name="port">The test's sync server on loopback.</param>
    /// <param name="seed">The seed of this run's writes.</param>
    /// <param name="drain">Whether to drain instead of writing until killed.</param>
    /// <param name="clockStart">
    /// Where this process's wall clock starts: the same for every run, so the clock jumps back at each restart and
    /// only the clock the file keeps makes new stamps come after the old ones.
    /// </param>
    public static async Task<int> RunAsync(string file, int port, int seed, bool drain, DateTimeOffset clockStart)
    {
        using var output = new Output();
        using var transport = new TcpSyncTransport(port);
        var random = new Random(seed);
        await using SymptomsDb db = await SymptomsDb.OpenAsync(file, new ReposDatabaseOptions
        {
            TimeProvider = new RestartingClock(clockStart),
            BackupBeforeMigration = false,
            Sync = new SyncOptions
            {
                Transport = new ReportingTransport(transport, output),
                MaxBatchChanges = BatchChanges,
                Random = new Random(random.Next()),
            },
        });

        foreach (Guid key in SyncCrashWorkload.ChildKeys)
        {
            if (await db.Symptoms.GetAsync(key) is { } row)
            {
                output.Line($"row {SyncCrashWorkload.NameOf(key)} {SyncCrashWorkload.Describe(row)}");
            }
        }

        output.Line("rows-end");
        if (drain)
        {
            while (!await SyncOnceAsync(db, output) || db.Sync.PendingChanges > 0)
            {
            }

            output.Line($"drained held={db.Sync.HeldBackChanges} dead={db.Sync.ReadDeadLetters().Count}");
            return 0;
        }

        // Writes and syncs at once, as an app does: a row written while its batch is in flight must stay pending.
        Task writing = Task.Run(() => WriteAsync(db, output, new Random(random.Next()), $"{seed:x}"));
        Task syncing = Task.Run(async () =>
        {
            while (true)
            {
                await SyncOnceAsync(db, output);
            }
        });
        await await Task.WhenAny(writing, syncing);
        return 1;
    }

    private static async Task<bool> SyncOnceAsync(SymptomsDb db, Output output)
    {
        try
        {
            await db.Sync.SyncNowAsync();
        }
        catch (SyncTransportException)
        {
            // The server's answer was lost or it could not be reached: the next sync tries again, as the app would.
            await Task.Delay(5);
            return false;
        }

        output.Line($"synced {db.Sync.PendingChanges}");
        return true;
    }

    private static async Task WriteAsync(SymptomsDb db, Output output, Random random, string run)
    {
        for (int group = 0; ; group++)
        {
            await Task.Delay(random.Next(0, 4));
            int writes = random.Next(5) == 0 ? random.Next(2, 4) : 1;
            await using ReposTransaction transaction = await db.BeginTransactionAsync();
            for (int i = 0; i < writes; i++)
            {
                string marker = $"{run}.{group}.{i}";
                if (random.Next(6) == 0)
                {
                    Guid shared = SyncCrashWorkload.SharedKeys[random.Next(SyncCrashWorkload.SharedKeys.Length)];
                    await WriteSharedAsync(db, shared, random, marker, output, group);
                    continue;
                }

                Guid key = SyncCrashWorkload.ChildKeys[random.Next(SyncCrashWorkload.ChildKeys.Length)];
                string name = SyncCrashWorkload.NameOf(key);
                Symptom? current = await db.Symptoms.GetAsync(key);
                if (current is not null && random.Next(5) == 0)
                {
                    output.Line($"w {group} {name} del");
                    await db.Symptoms.DeleteAsync(key);
                    continue;
                }

                Symptom next = current is null ? SyncCrashWorkload.NewRow(key, random, marker) : SyncCrashWorkload.Update(current, random, marker);
                output.Line($"w {group} {name} {SyncCrashWorkload.Describe(next)}");
                await (current is null
                    ? (random.Next(2) == 0 ? db.Symptoms.InsertAsync(next) : db.Symptoms.UpsertAsync(next))
                    : (random.Next(2) == 0 ? db.Symptoms.UpdateAsync(next) : db.Symptoms.UpsertAsync(next)));
            }

            await transaction.CommitAsync();
            output.Line($"ok {group}");
        }
    }

    // The in-process replica writes these keys too, so only whole-row upserts and deletes: an update could meet a row
    // a pulled delete just removed.
    private static async Task WriteSharedAsync(SymptomsDb db, Guid key, Random random, string marker, Output output, int group)
    {
        string name = SyncCrashWorkload.NameOf(key);
        if (random.Next(4) == 0)
        {
            output.Line($"w {group} {name} del");
            await db.Symptoms.DeleteAsync(key);
            return;
        }

        Symptom row = SyncCrashWorkload.NewRow(key, random, marker);
        output.Line($"w {group} {name} {SyncCrashWorkload.Describe(row)}");
        await db.Symptoms.UpsertAsync(row);
    }

    /// <summary>Standard output written straight to the pipe, one whole line at a time from any thread.</summary>
    private sealed class Output : IDisposable
    {
        private readonly StreamWriter _writer = new(Console.OpenStandardOutput()) { AutoFlush = true };
        private readonly Lock _lock = new();

        public void Line(string line)
        {
            lock (_lock)
            {
                _writer.WriteLine(line);
            }
        }

        public void Dispose() => _writer.Dispose();
    }

    /// <summary>Says which step of a sync is under way, so the test can kill the process in the middle of it.</summary>
    private sealed class ReportingTransport(ISyncTransport inner, Output output) : ISyncTransport
    {
        public async ValueTask<ReadOnlyMemory<byte>> PushAsync(ReadOnlyMemory<byte> push, CancellationToken cancellationToken)
        {
            long batch = SyncWire.ReadPush(push).Batch;
            output.Line($"push {batch}");
            ReadOnlyMemory<byte> answer = await inner.PushAsync(push, cancellationToken);
            output.Line($"pushed {batch}");
            return answer;
        }

        public async ValueTask<ReadOnlyMemory<byte>> PullAsync(ReadOnlyMemory<byte> request, CancellationToken cancellationToken)
        {
            output.Line("pull");
            ReadOnlyMemory<byte> answer = await inner.PullAsync(request, cancellationToken);
            output.Line($"pulled {SyncWire.ReadPullResult(answer).Changes.Count}");
            return answer;
        }
    }

    /// <summary>The wall clock from a fixed start, moving at the real pace from when the process started.</summary>
    private sealed class RestartingClock(DateTimeOffset start) : TimeProvider
    {
        private readonly long _started = Stopwatch.GetTimestamp();

        public override DateTimeOffset GetUtcNow() => start + Stopwatch.GetElapsedTime(_started);
    }
}
