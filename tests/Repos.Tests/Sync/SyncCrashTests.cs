using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Repos.Sync;
using Repos.Sync.Server;
using Xunit.Abstractions;

namespace Repos.Tests.Sync;

/// <summary>
/// A replica in a second process, writing and syncing with a server this process hosts (over loopback TCP, in the
/// wire format), is killed with SIGKILL again and again: in the middle of a push, after the server merged a push but
/// before its answer arrived, while it acknowledges, with a pull in flight, while it applies a pulled batch, while it
/// commits a write, and at random moments. After every restart each write it had acknowledged is still there; at each checkpoint its outbox
/// drains, and it, the server and another replica hold the same rows field for field; and the server never took
/// one change twice, nor one batch.
/// </summary>
/// <remarks>
/// REPOS_FUZZ_SEED replays a run's plan (where and when each kill lands, every write): every failure names it. Where
/// in its work the child is when the kill lands depends on timing as well, so the output counts where the kills fell.
/// </remarks>
public sealed class SyncCrashTests(ITestOutputHelper output) : IDisposable
{
    private const int Kills = 60;
    private const int CheckpointEvery = 15;
    private static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(30);
    private readonly TempDirectory _folder = new();

    private enum KillPoint
    {
        /// <summary>A push is on its way, or being merged.</summary>
        Push,

        /// <summary>The server merged the push and is about to answer: the answer is lost.</summary>
        AnswerLost,

        /// <summary>The answer arrived: the replica is taking the batch out of its outbox.</summary>
        Acknowledge,

        /// <summary>A pull request is on its way.</summary>
        Pull,

        /// <summary>A pulled batch with changes arrived: the replica is applying it.</summary>
        Apply,

        /// <summary>A group of writes is being committed.</summary>
        Write,

        /// <summary>Any moment in the first 700 ms of the process, its start and the opening of the file included.</summary>
        Anytime,
    }

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task ReplicaKilledAtRandomPointsOfPushPullAndApply_DrainsConverges_AndLosesOrRepeatsNothing()
    {
        int seed = FuzzSeed.Get(Random.Shared.Next());
        try
        {
            await RunAsync(seed);
        }
        catch (Exception e)
        {
            throw new InvalidOperationException($"REPOS_FUZZ_SEED={seed}: {e.Message}", e);
        }
    }

    private async Task RunAsync(int seed)
    {
        var watch = Stopwatch.StartNew();
        var random = new Random(seed);
        var audit = new AuditedStore(new InMemorySyncServerStore());
        var server = new SyncServer(audit);
        using var host = new TcpSyncHost(server);

        // Every run of the child starts its wall clock here, so at each restart its clock jumps back.
        string clockStart = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        string childFile = _folder.File("child.db");
        await using SymptomsDb other = await SymptomsDb.OpenAsync(_folder.File("other.db"), new ReposDatabaseOptions
        {
            BackupBeforeMigration = false,
            Sync = new SyncOptions { Transport = new InProcessSyncTransport(server), MaxBatchChanges = 7, Random = new Random(random.Next()) },
        });

        var model = new ChildModel();
        var killedWhile = new SortedDictionary<string, int>(StringComparer.Ordinal);
        for (int run = 1; run <= Kills; run++)
        {
            // Changes from another replica, for the child to pull and apply while it is killed.
            await WriteOtherAsync(other, random, run);

            var point = (KillPoint)(run % 7);
            int nth = random.Next(1, 4);
            // Mostly under a millisecond: a batch of four changes is pushed, acknowledged or applied in about that, and
            // a write commits in a fraction of it.
            int delayMicroseconds = random.Next(0, point == KillPoint.Write ? 400 : 1500);
            string last = await KillOneRunAsync(host, childFile, clockStart, random.Next(), model, point, nth, delayMicroseconds, run, random);
            string key = $"{point}, last reported {last}";
            killedWhile[key] = killedWhile.GetValueOrDefault(key) + 1;

            if (run % CheckpointEvery == 0)
            {
                await CheckpointAsync(host, audit, server, other, childFile, clockStart, random.Next(), model, run);
            }
        }

        int resent = host.Received
            .SelectMany(p => p.Changes.SelectMany(c => c.Fields.Select(f => (c.Entity, c.Key, f.Name, f.Stamp))))
            .GroupBy(f => f)
            .Count(g => g.Count() > 1);
        Assert.True(resent > 0, "no change was ever pushed twice: the kills never lost an answer the server had merged");
        output.WriteLine($"{Kills} kills in {watch.Elapsed.TotalSeconds:F1} s (REPOS_FUZZ_SEED={seed}); {host.Pushes} pushes, {host.Pulls} pulls, {audit.BatchesApplied} batches merged, {resent} field changes pushed again after a kill and merged once; {model.InDoubtCommitted} unacknowledged write groups had committed, {model.InDoubtLost} had not");
        foreach ((string where, int count) in killedWhile)
        {
            output.WriteLine($"  killed at {where}: {count}");
        }
    }

    /// <summary>Starts the child, kills it at the point asked, reads all it printed, and returns the last step it reported.</summary>
    private static async Task<string> KillOneRunAsync(
        TcpSyncHost host, string childFile, string clockStart, int childSeed, ChildModel model, KillPoint point, int nth, int delayMicroseconds, int run, Random random)
    {
        string port = host.Port.ToString(CultureInfo.InvariantCulture);
        using var child = new ChildRun("sync-crash", childFile, port, childSeed.ToString(CultureInfo.InvariantCulture), "run", clockStart);
        string where = $"run {run}, killing at {point} #{nth}";
        int pushes = 0;
        if (point == KillPoint.AnswerLost)
        {
            // On the server's thread, after the merge and before the answer: the child never learns it was merged.
            host.PushApplied = _ =>
            {
                if (Interlocked.Increment(ref pushes) == nth)
                {
                    child.Kill();
                }
            };
        }

        try
        {
            var step = new Step();
            int seen = 0;
            var clock = Stopwatch.StartNew();

            // At any moment, from the process's start: some kills land while it starts and opens the file.
            TimeSpan? killAt = point == KillPoint.Anytime ? TimeSpan.FromMicroseconds(random.Next(0, 700_000)) : null;
            while (!child.Killed)
            {
                TimeSpan left = (killAt ?? StepTimeout) - clock.Elapsed;
                string? line = left > TimeSpan.Zero ? child.Next(left) : null;
                if (line is null)
                {
                    if (killAt is not null && !child.Ended)
                    {
                        child.Kill();
                        break;
                    }

                    Assert.True(child.Ended, $"{where}: the child did not get there in {StepTimeout.TotalSeconds} s; it printed:\n{child.Tail}");
                    break;
                }

                model.Consume(line, step, where);
                bool reached = point switch
                {
                    KillPoint.Push => line.StartsWith("push ", StringComparison.Ordinal),
                    KillPoint.Acknowledge => line.StartsWith("pushed ", StringComparison.Ordinal),
                    KillPoint.Pull => line == "pull",
                    KillPoint.Apply => line.StartsWith("pulled ", StringComparison.Ordinal) && line != "pulled 0",
                    KillPoint.Write => line.StartsWith("w ", StringComparison.Ordinal),
                    _ => false,
                };
                if (reached && ++seen == nth)
                {
                    Wait(delayMicroseconds);
                    child.Kill();
                }
            }

            child.WaitForExit();
            while (child.Next(TimeSpan.FromSeconds(5)) is { } rest)
            {
                model.Consume(rest, step, where);
            }

            Assert.True(child.ExitCode == 137, $"{where}: the child ended by itself with {child.ExitCode} before it was killed: {child.Errors}\n{child.Tail}");
            model.Killed(where);
            return step.ToString();
        }
        finally
        {
            host.PushApplied = null;
        }
    }

    /// <summary>
    /// A child that only syncs until its outbox is empty; then the other replica syncs and a new replica pulls
    /// everything: the three hold the same rows, the child's own rows are its last committed writes, and the server
    /// took no change or batch twice.
    /// </summary>
    private async Task CheckpointAsync(
        TcpSyncHost host, AuditedStore audit, SyncServer server, SymptomsDb other, string childFile, string clockStart, int childSeed, ChildModel model, int run)
    {
        string where = $"checkpoint after run {run}";
        using (var child = new ChildRun("sync-crash", childFile, host.Port.ToString(CultureInfo.InvariantCulture), childSeed.ToString(CultureInfo.InvariantCulture), "drain", clockStart))
        {
            var step = new Step();
            var deadline = Stopwatch.StartNew();
            while (child.Next(StepTimeout) is { } line)
            {
                model.Consume(line, step, where);
                Assert.True(deadline.Elapsed < StepTimeout, $"{where}: the child has not drained in {StepTimeout.TotalSeconds} s:\n{child.Tail}");
            }

            child.WaitForExit();
            Assert.True(child.ExitCode == 0, $"{where}: the draining child failed with {child.ExitCode}: {child.Errors}\n{child.Tail}");
            Assert.True(step.Sync == "drained held=0 dead=0", $"{where}: the child ended with '{step.Sync}', not drained with nothing held back or dead:\n{child.Tail}");
        }

        await other.Sync.SyncNowAsync();
        Assert.Equal(0, other.Sync.PendingChanges);
        await using SymptomsDb fresh = await SymptomsDb.OpenAsync(_folder.File($"fresh-{run}.db"), new ReposDatabaseOptions
        {
            BackupBeforeMigration = false,
            Sync = new SyncOptions { Transport = new InProcessSyncTransport(server) },
        });
        await fresh.Sync.SyncNowAsync();
        await using SymptomsDb replica = await SymptomsDb.OpenAsync(childFile, new ReposDatabaseOptions { BackupBeforeMigration = false });
        Assert.True(replica.Sync.PendingChanges == 0, $"{where}: the child has {replica.Sync.PendingChanges} changes left to push after draining");

        Dictionary<Guid, string> expected = await RowsAsync(fresh);
        AssertSameRows(expected, await RowsAsync(replica), $"{where}: the child");
        AssertSameRows(expected, await RowsAsync(other), $"{where}: the other replica");
        model.AssertOwnRows(await RowsAsync(replica), where);
        Assert.True(audit.Violations.IsEmpty, $"{where}: {string.Join("; ", audit.Violations)}");
        Assert.True(host.Errors.Count == 0, $"{where}: the server failed: {string.Join("; ", host.Errors)}");
    }

    private static async Task WriteOtherAsync(SymptomsDb other, Random random, int run)
    {
        for (int i = random.Next(10, 30); i > 0; i--)
        {
            Guid[] keys = random.Next(5) == 0 ? SyncCrashWorkload.SharedKeys : SyncCrashWorkload.OtherKeys;
            Guid key = keys[random.Next(keys.Length)];
            string marker = $"o{run}.{i}";
            Symptom? current = await other.Symptoms.GetAsync(key);
            if (current is null)
            {
                await other.Symptoms.UpsertAsync(SyncCrashWorkload.NewRow(key, random, marker));
            }
            else if (random.Next(5) == 0)
            {
                await other.Symptoms.DeleteAsync(key);
            }
            else
            {
                await other.Symptoms.UpdateAsync(SyncCrashWorkload.Update(current, random, marker));
            }
        }

        await other.Sync.SyncNowAsync();
    }

    private static async Task<Dictionary<Guid, string>> RowsAsync(SymptomsDb db)
    {
        var rows = new Dictionary<Guid, string>();
        await foreach (Symptom symptom in db.Symptoms.All())
        {
            rows[symptom.Id] = SyncCrashWorkload.Describe(symptom);
        }

        return rows;
    }

    private static void AssertSameRows(Dictionary<Guid, string> expected, Dictionary<Guid, string> actual, string who)
    {
        List<string> differences = [.. expected.Keys.Union(actual.Keys)
            .Where(k => expected.GetValueOrDefault(k) != actual.GetValueOrDefault(k))
            .Select(k => $"{SyncCrashWorkload.NameOf(k)}: holds '{actual.GetValueOrDefault(k) ?? "nothing"}', the server '{expected.GetValueOrDefault(k) ?? "nothing"}'")
            .Order(StringComparer.Ordinal)];
        Assert.True(differences.Count == 0, $"{who} has not converged with the server:\n  {string.Join("\n  ", differences)}");
    }

    private static string Category(string step) => step.Split(' ')[0] switch
    {
        "push" => "a push sent",
        "pushed" => "a push answered",
        "pull" => "a pull sent",
        "pulled" => step == "pulled 0" ? "an empty pull answered" : "a pull answered",
        "synced" => "a sync done",
        "rows-end" => "its rows after opening",
        _ => step,
    };

    // Sub-millisecond waits spin: a sleep would round them up to a whole scheduler tick.
    private static void Wait(int microseconds)
    {
        if (microseconds >= 1000)
        {
            Thread.Sleep(microseconds / 1000);
            return;
        }

        long until = Stopwatch.GetTimestamp() + (microseconds * Stopwatch.Frequency / 1_000_000);
        while (Stopwatch.GetTimestamp() < until)
        {
            Thread.SpinWait(20);
        }
    }

    /// <summary>The last line a child printed: where it was when it was killed.</summary>
    private sealed class Step
    {
        public string Sync { get; set; } = "starting";

        public bool Writing { get; set; }

        public override string ToString() => $"{Category(Sync)}{(Writing ? ", a write group in flight" : "")}";
    }

    /// <summary>
    /// What the child's own rows must hold: the last committed write of each. A group of writes it printed but did not
    /// acknowledge before it was killed may or may not have committed: the rows it reports at its next start decide.
    /// </summary>
    private sealed class ChildModel
    {
        private readonly Dictionary<Guid, string> _committed = [];
        private readonly Dictionary<Guid, string> _reported = [];
        private readonly List<(Guid Key, string? Row)> _open = [];
        private List<(Guid Key, string? Row)>? _inDoubt;

        /// <summary>How many groups printed but not acknowledged before a kill turned out to have committed.</summary>
        public int InDoubtCommitted { get; private set; }

        /// <summary>How many groups printed but not acknowledged before a kill turned out not to have committed.</summary>
        public int InDoubtLost { get; private set; }

        public void Consume(string line, Step step, string where)
        {
            string[] parts = line.Split(' ', 3);
            switch (parts[0])
            {
                case "row" when parts.Length == 3:
                    _reported[SyncCrashWorkload.KeyOf(parts[1])] = parts[2];
                    break;
                case "rows-end":
                    Restarted(where);
                    step.Sync = line;
                    break;
                case "w" when parts.Length == 3:
                    string[] write = parts[2].Split(' ', 2);
                    Guid key = SyncCrashWorkload.KeyOf(write[0]);
                    if (SyncCrashWorkload.ChildKeys.Contains(key))
                    {
                        _open.Add((key, write[1] == "del" ? null : write[1]));
                    }

                    step.Writing = true;

                    break;
                case "ok" when parts.Length == 2:
                    Apply(_committed, _open);
                    _open.Clear();
                    step.Writing = false;
                    break;
                case "push" or "pushed" or "pull" or "pulled" or "synced" or "drained":
                    step.Sync = line;
                    break;
                default:
                    Assert.Fail($"{where}: the child printed '{line}'");
                    break;
            }
        }

        /// <summary>The child was killed: the group it had not acknowledged is in doubt until it starts again.</summary>
        public void Killed(string where)
        {
            if (_open.Count == 0)
            {
                return;
            }

            Assert.True(_inDoubt is null, $"{where}: the child wrote before it reported its rows");
            _inDoubt = [.. _open];
            _open.Clear();
        }

        public void AssertOwnRows(Dictionary<Guid, string> rows, string where)
        {
            Dictionary<Guid, string> own = rows.Where(r => SyncCrashWorkload.ChildKeys.Contains(r.Key)).ToDictionary();
            Assert.True(_inDoubt is null && _open.Count == 0, $"{where}: writes still in doubt");
            Assert.True(Same(own, _committed), $"{where}: the child's own rows are not its last committed writes:\n  {Differences(own, _committed)}");
        }

        private void Restarted(string where)
        {
            var withDoubt = new Dictionary<Guid, string>(_committed);
            Apply(withDoubt, _inDoubt ?? []);
            if (!Same(_reported, _committed))
            {
                Assert.True(
                    _inDoubt is not null && Same(_reported, withDoubt),
                    $"{where}: after the restart the child's rows are not its committed writes (an acknowledged write was lost, or one came back):\n  {Differences(_reported, _committed)}");
                Apply(_committed, _inDoubt);
                InDoubtCommitted++;
            }
            else if (_inDoubt is not null)
            {
                InDoubtLost++;
            }

            _inDoubt = null;
            _reported.Clear();
        }

        private static void Apply(Dictionary<Guid, string> rows, List<(Guid Key, string? Row)> writes)
        {
            foreach ((Guid key, string? row) in writes)
            {
                if (row is null)
                {
                    rows.Remove(key);
                }
                else
                {
                    rows[key] = row;
                }
            }
        }

        private static bool Same(Dictionary<Guid, string> a, Dictionary<Guid, string> b) =>
            a.Count == b.Count && a.All(r => b.TryGetValue(r.Key, out string? other) && other == r.Value);

        private static string Differences(Dictionary<Guid, string> actual, Dictionary<Guid, string> expected) => string.Join("\n  ", actual.Keys.Union(expected.Keys)
            .Where(k => actual.GetValueOrDefault(k) != expected.GetValueOrDefault(k))
            .Select(k => $"{SyncCrashWorkload.NameOf(k)}: holds '{actual.GetValueOrDefault(k) ?? "nothing"}', last committed '{expected.GetValueOrDefault(k) ?? "nothing"}'")
            .Order(StringComparer.Ordinal));
    }

    /// <summary>
    /// The child process, its output read line by line on a plain thread with blocking reads (the kill must land
    /// where the child is, whatever the test framework does with awaited continuations).
    /// </summary>
    private sealed class ChildRun : IDisposable
    {
        private readonly Process _process;
        private readonly BlockingCollection<string> _lines = [];
        private readonly Queue<string> _tail = new();
        private readonly Thread _stdout;
        private readonly Thread _stderr;
        private readonly Lock _killing = new();
        private string _errors = "";
        private volatile bool _killed;
        private bool _disposed;

        public ChildRun(params string[] arguments)
        {
            _process = ChildProgram.Start(arguments);
            _stdout = new Thread(() =>
            {
                try
                {
                    while (_process.StandardOutput.ReadLine() is { } line)
                    {
                        _lines.Add(line);
                    }
                }
                finally
                {
                    _lines.CompleteAdding();
                }
            }) { IsBackground = true, Name = "sync crash child stdout" };
            _stderr = new Thread(() => _errors = _process.StandardError.ReadToEnd()) { IsBackground = true, Name = "sync crash child stderr" };
            _stdout.Start();
            _stderr.Start();
        }

        public bool Killed => _killed;

        /// <summary>Whether the child's output ended and every line of it was taken.</summary>
        public bool Ended => _lines.IsCompleted;

        public int ExitCode => _process.ExitCode;

        public string Errors
        {
            get
            {
                _stderr.Join(TimeSpan.FromSeconds(5));
                return _errors;
            }
        }

        /// <summary>The last lines the child printed, for failure messages.</summary>
        public string Tail => string.Join("\n", _tail);

        /// <summary>The next line, or null when the output ended or nothing came within <paramref name="timeout"/>.</summary>
        public string? Next(TimeSpan timeout)
        {
            if (!_lines.TryTake(out string? line, timeout))
            {
                return null;
            }

            _tail.Enqueue(line);
            if (_tail.Count > 40)
            {
                _tail.Dequeue();
            }

            return line;
        }

        /// <summary>Sends SIGKILL and waits until the process is gone, so nothing of it runs after this returns.</summary>
        /// <remarks>The server's thread may kill it while the test's thread reads it: one kills, the other waits.</remarks>
        public void Kill()
        {
            lock (_killing)
            {
                if (_killed || _disposed)
                {
                    return;
                }

                try
                {
                    _process.Kill(entireProcessTree: true);
                }
                catch (InvalidOperationException)
                {
                    // It had already exited: the exit code tells the test.
                }

                _process.WaitForExit();
                _killed = true;
            }
        }

        public void WaitForExit()
        {
            if (!_process.WaitForExit(StepTimeout))
            {
                Kill();
                Assert.Fail($"the child did not exit:\n{Tail}");
            }

            _stdout.Join();
        }

        public void Dispose()
        {
            if (!_process.HasExited)
            {
                Kill();
            }

            _stdout.Join();
            _stderr.Join();
            lock (_killing)
            {
                _disposed = true;
                _process.Dispose();
            }

            _lines.Dispose();
        }
    }

    /// <summary>
    /// The in-memory server store, watched: each batch a replica pushes must be merged once, and each stamped value (a
    /// field, an insert, a tombstone) taken once: stamps on the server only go up, so taking one again means a change
    /// was applied twice.
    /// </summary>
    private sealed class AuditedStore(ISyncServerStore inner) : ISyncServerStore
    {
        private readonly Lock _lock = new();
        private readonly HashSet<(Guid Replica, long Batch)> _batches = [];
        private readonly HashSet<(string Entity, SyncKey Key, string Part, SyncStamp Stamp)> _taken = [];

        public ConcurrentQueue<string> Violations { get; } = new();

        public int BatchesApplied
        {
            get
            {
                lock (_lock)
                {
                    return _batches.Count;
                }
            }
        }

        public async ValueTask<T> RunAsync<T>(Func<ISyncServerSession, ValueTask<T>> work, CancellationToken cancellationToken)
        {
            AuditedSession? audited = null;
            T result = await inner.RunAsync(session => work(audited = new AuditedSession(session)), cancellationToken);

            // Only now is the transaction kept: what it did counts.
            lock (_lock)
            {
                foreach ((Guid Replica, long Batch) batch in audited!.Batches)
                {
                    if (!_batches.Add(batch))
                    {
                        Violations.Enqueue($"batch {batch.Batch} of replica {batch.Replica} was merged twice");
                    }
                }

                foreach ((string Entity, SyncKey Key, string Part, SyncStamp Stamp) taken in audited.Taken)
                {
                    if (!_taken.Add(taken))
                    {
                        Violations.Enqueue($"{taken.Entity} {taken.Key} {taken.Part} stamped {taken.Stamp} was applied twice");
                    }
                }
            }

            return result;
        }

        private sealed class AuditedSession(ISyncServerSession inner) : ISyncServerSession
        {
            private readonly Dictionary<(string, SyncKey), (SyncStamp Inserted, SyncStamp Deleted, Dictionary<string, SyncStamp> Fields)> _before = [];

            public List<(Guid, long)> Batches { get; } = [];

            public List<(string, SyncKey, string, SyncStamp)> Taken { get; } = [];

            public async ValueTask<ServerRow?> GetRowAsync(string entity, SyncKey key, CancellationToken cancellationToken)
            {
                ServerRow? row = await inner.GetRowAsync(entity, key, cancellationToken);

                // The server changes the row it got in place before it puts it: what it held is kept aside now.
                _before[(entity, key)] = row is null
                    ? (default, default, [])
                    : (row.Inserted, row.Deleted, row.Fields.ToDictionary(f => f.Key, f => f.Value.Stamp));
                return row;
            }

            public ValueTask PutRowAsync(ServerRow row, CancellationToken cancellationToken)
            {
                (SyncStamp inserted, SyncStamp deleted, Dictionary<string, SyncStamp> fields) = _before.GetValueOrDefault((row.Entity, row.Key), (default, default, []));
                if (row.Inserted != inserted)
                {
                    Taken.Add((row.Entity, row.Key, "insert", row.Inserted));
                }

                if (row.Deleted != deleted)
                {
                    Taken.Add((row.Entity, row.Key, "tombstone", row.Deleted));
                }

                foreach ((string name, ServerField field) in row.Fields)
                {
                    if (!fields.TryGetValue(name, out SyncStamp held) || held != field.Stamp)
                    {
                        Taken.Add((row.Entity, row.Key, name, field.Stamp));
                    }
                }

                _before[(row.Entity, row.Key)] = (row.Inserted, row.Deleted, row.Fields.ToDictionary(f => f.Key, f => f.Value.Stamp));
                return inner.PutRowAsync(row, cancellationToken);
            }

            public ValueTask<long> NextSequenceAsync(CancellationToken cancellationToken) => inner.NextSequenceAsync(cancellationToken);

            public ValueTask<IReadOnlyList<ServerRow>> RowsAfterAsync(long after, int max, CancellationToken cancellationToken) =>
                inner.RowsAfterAsync(after, max, cancellationToken);

            public ValueTask<(long Batch, SyncPushResult Result)?> LastBatchAsync(Guid replica, CancellationToken cancellationToken) =>
                inner.LastBatchAsync(replica, cancellationToken);

            public ValueTask SetLastBatchAsync(Guid replica, long batch, SyncPushResult result, CancellationToken cancellationToken)
            {
                Batches.Add((replica, batch));
                return inner.SetLastBatchAsync(replica, batch, result, cancellationToken);
            }
        }
    }
}
