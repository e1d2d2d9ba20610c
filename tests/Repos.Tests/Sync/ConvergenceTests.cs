using System.Globalization;
using Repos.Sync;
using Repos.Sync.Server;
using Repos.Tests.Backup;
using Xunit.Abstractions;

namespace Repos.Tests.Sync;

/// <summary>
/// The convergence property: 2 to 5 replicas make random writes (inserts, field updates, deletes, re-inserts,
/// writes in transactions rolled back), sync at random through a network that drops, duplicates, delays and
/// replays messages and loses answers, are closed and reopened, with skewed clocks and one clock jumping back.
/// After the network heals and every replica syncs, they all hold the same entities, field for field, and those
/// are what an oracle applying the merge rule to the whole history of acknowledged writes says.
/// </summary>
/// <remarks>
/// REPOS_FUZZ_SEED sets the run's seed; REPOS_SYNC_CASE replays one case of it. Each failure names both.
/// </remarks>
public sealed class ConvergenceTests(ITestOutputHelper output)
{
    private const int Cases = 1000;
    private static readonly DateTimeOffset Start = new(2026, 12, 3, 10, 0, 0, TimeSpan.Zero);
    private static readonly Guid[] Keys = [.. Enumerable.Range(1, 8).Select(i => new Guid(i, 0, 0, new byte[8]))];

    [Fact]
    public async Task Replicas_ConvergeToWhatTheMergeRuleSays_WhateverTheNetworkAndTheClocksDo()
    {
        int seed = FuzzSeed.Get(Random.Shared.Next());
        string? only = Environment.GetEnvironmentVariable("REPOS_SYNC_CASE");
        IEnumerable<int> cases = only is null ? Enumerable.Range(0, Cases) : [int.Parse(only, CultureInfo.InvariantCulture)];
        var watch = System.Diagnostics.Stopwatch.StartNew();
        int count = 0;
        foreach (int index in cases)
        {
            string context = $"REPOS_FUZZ_SEED={seed} REPOS_SYNC_CASE={index}";
            try
            {
                await RunCase(HashCode.Combine(seed, index), context);
            }
            catch (Exception e) when (e is not Xunit.Sdk.XunitException)
            {
                throw new InvalidOperationException($"{context}: {e}", e);
            }

            count++;
        }

        output.WriteLine($"{count} cases in {watch.Elapsed.TotalSeconds:F1} s (seed {seed})");
    }

    private static async Task RunCase(int caseSeed, string context)
    {
        var random = new Random(caseSeed);
        using var folder = new TempDirectory();
        var store = new InMemorySyncServerStore();
        var server = new SyncServer(store);
        var network = new FaultyNetwork(new InProcessSyncTransport(server), new Random(random.Next()));
        var oracle = new Oracle();
        int replicaCount = random.Next(2, 6);
        var replicas = new List<Replica>();
        for (int r = 0; r < replicaCount; r++)
        {
            // Clocks skewed by up to a minute either way: within the five minutes of drift allowed.
            var time = new FakeTimeProvider(Start + TimeSpan.FromMilliseconds(random.Next(-60_000, 60_000)));
            replicas.Add(await Replica.OpenAsync(folder.File($"replica-{r}.db"), time, network, random.Next()));
        }

        int jumper = random.Next(replicaCount);
        int[] budget = [.. replicas.Select(_ => random.Next(0, 101))];
        try
        {
            while (budget.Any(b => b > 0))
            {
                int r = random.Next(replicaCount);
                if (budget[r] == 0)
                {
                    continue;
                }

                budget[r]--;
                Replica replica = replicas[r];
                replica.Time.Advance(TimeSpan.FromMilliseconds(random.Next(0, 40)));
                if (r == jumper && budget[r] == 10)
                {
                    // The wall clock jumps back three minutes.
                    replica.Time.Advance(TimeSpan.FromMinutes(-3));
                }

                int roll = random.Next(100);
                if (roll < 12)
                {
                    network.Faulty = true;
                    try
                    {
                        await replica.Db.Sync.SyncNowAsync();
                    }
                    catch (Exception e) when (e is SyncTransportException or SyncFormatException)
                    {
                    }
                }
                else if (roll < 15)
                {
                    await replica.ReopenAsync();
                }
                else
                {
                    await Write(replica, random, oracle);
                }
            }

            // The network heals: every replica pushes, then every replica pulls all of it.
            network.Faulty = false;
            for (int round = 0; round < 2; round++)
            {
                foreach (Replica replica in replicas)
                {
                    await replica.Db.Sync.SyncNowAsync();
                }
            }

            Dictionary<Guid, Symptom> expected = oracle.Expected();
            foreach (Replica replica in replicas)
            {
                Assert.True(replica.Db.Sync.PendingChanges == 0, $"{context}: {replica.Name} has changes left to push");
                Assert.True(replica.Db.Sync.HeldBackChanges == 0, $"{context}: {replica.Name} holds changes back");
                Assert.True(replica.Db.Sync.ReadDeadLetters().Count == 0, $"{context}: {replica.Name} has dead letters: {string.Join("; ", replica.Db.Sync.ReadDeadLetters().Select(l => l.Reason))}");
                var stored = new Dictionary<Guid, Symptom>();
                await foreach (Symptom symptom in replica.Db.Symptoms.All())
                {
                    stored[symptom.Id] = symptom;
                }

                Assert.True(
                    stored.Keys.Order().SequenceEqual(expected.Keys.Order()),
                    $"{context}: {replica.Name} holds [{string.Join(", ", stored.Keys.Order().Select(Short))}], the rule says [{string.Join(", ", expected.Keys.Order().Select(Short))}]");
                foreach ((Guid key, Symptom want) in expected)
                {
                    Symptom got = stored[key];
                    Assert.True(
                        Same(want, got),
                        $"{context}: {replica.Name} holds {Show(got)} for {Short(key)}; the rule says {Show(want)}\n{oracle.History(key)}");
                }
            }
        }
        finally
        {
            foreach (Replica replica in replicas)
            {
                await replica.DisposeAsync();
            }
        }
    }

    private static async Task Write(Replica replica, Random random, Oracle oracle)
    {
        SymptomsDb db = replica.Db;
        Guid key = Keys[random.Next(Keys.Length)];
        Symptom? current = await db.Symptoms.GetAsync(key);
        int kind = random.Next(100);
        if (kind < 8)
        {
            // A transaction that is rolled back leaves no trace anywhere.
            await using ReposTransaction transaction = await db.BeginTransactionAsync();
            await db.Symptoms.UpsertAsync(RandomSymptom(random, key));
            await db.Symptoms.DeleteAsync(Keys[random.Next(Keys.Length)]);
            await transaction.RollbackAsync();
            return;
        }

        if (current is null || kind < 20)
        {
            if (current is not null && kind < 14)
            {
                await db.Symptoms.DeleteAsync(key);
                oracle.Delete(key, Stamp(replica, key, s => s.Deleted));
                return;
            }

            if (current is null)
            {
                Symptom inserted = RandomSymptom(random, key);
                await (random.Next(2) == 0 ? db.Symptoms.InsertAsync(inserted) : db.Symptoms.UpsertAsync(inserted));
                oracle.Insert(inserted, Stamp(replica, key, s => s.Inserted));
                return;
            }
        }

        // An update of one to three random fields.
        Symptom updated = current;
        for (int n = random.Next(1, 4); n > 0; n--)
        {
            updated = random.Next(5) switch
            {
                0 => updated with { Name = Names[random.Next(Names.Length)] },
                1 => updated with { Severity = random.Next(0, 11) },
                2 => updated with { Note = random.Next(3) == 0 ? null : $"note {random.Next(5)}" },
                3 => updated with { Tags = [.. Enumerable.Range(0, random.Next(3)).Select(i => $"t{random.Next(4)}")] },
                _ => updated with { Dose = random.Next(3) == 0 ? null : new Dose("ibuprofen", random.Next(1, 5) * 100.5m) },
            };
        }

        await (random.Next(2) == 0 ? db.Symptoms.UpdateAsync(updated) : db.Symptoms.UpsertAsync(updated));
        List<string> changed = Oracle.Fields.Where(f => !Equal(Oracle.Get(current, f), Oracle.Get(updated, f))).ToList();
        if (changed.Count > 0)
        {
            oracle.Update(updated, changed, Stamp(replica, key, s => new SyncStamp(s.Latest, replica.Db.SyncLog!.Replica)));
        }

    }

    private static SyncStamp Stamp(Replica replica, Guid key, Func<SyncRowState, SyncStamp> pick) =>
        pick(replica.Db.SyncLog!.ReadRow(replica.Db.Writer, "Symptom", Internal.ColumnValue.From(key))!);

    private static readonly string[] Names = ["headache", "nausea", "fatigue", "dizziness"];

    private static Symptom RandomSymptom(Random random, Guid key) => new()
    {
        Id = key,
        Name = Names[random.Next(Names.Length)],
        Severity = random.Next(0, 11),
        Day = new DateOnly(2026, 11, 1).AddDays(random.Next(30)),
        Note = random.Next(2) == 0 ? null : $"note {random.Next(5)}",
        Tags = [.. Enumerable.Range(0, random.Next(3)).Select(i => $"t{random.Next(4)}")],
        Dose = random.Next(2) == 0 ? null : new Dose("paracetamol", random.Next(1, 5) * 250m),
    };

    private static bool Equal(object? a, object? b) =>
        a is List<string> la && b is List<string> lb ? la.SequenceEqual(lb) : Equals(a, b);

    private static bool Same(Symptom a, Symptom b) => Oracle.Fields.All(f => Equal(Oracle.Get(a, f), Oracle.Get(b, f)));

    private static string Show(Symptom s) =>
        $"{{{string.Join(", ", Oracle.Fields.Select(f => $"{f}={(Oracle.Get(s, f) is List<string> l ? "[" + string.Join(",", l) + "]" : Oracle.Get(s, f))}"))}}}";

    private static string Short(Guid key) => key.ToString()[..8];

    /// <summary>The merge rule applied to the whole history of acknowledged writes, written apart from the library.</summary>
    private sealed class Oracle
    {
        public static readonly string[] Fields = ["Name", "Severity", "Day", "Note", "Tags", "Dose"];

        private readonly Dictionary<Guid, List<(string Kind, SyncStamp Stamp, Dictionary<string, object?> Values)>> _writes = [];

        public static object? Get(Symptom s, string field) => field switch
        {
            "Name" => s.Name,
            "Severity" => s.Severity,
            "Day" => s.Day,
            "Note" => s.Note,
            "Tags" => s.Tags,
            _ => s.Dose,
        };

        public void Insert(Symptom s, SyncStamp stamp) => Add(s.Id, "insert", stamp, Fields.ToDictionary(f => f, f => Get(s, f)));

        public void Update(Symptom s, List<string> changed, SyncStamp stamp) => Add(s.Id, "update", stamp, changed.ToDictionary(f => f, f => Get(s, f)));

        public void Delete(Guid key, SyncStamp stamp) => Add(key, "delete", stamp, []);

        public Dictionary<Guid, Symptom> Expected()
        {
            var expected = new Dictionary<Guid, Symptom>();
            foreach ((Guid key, var writes) in _writes)
            {
                SyncStamp inserted = writes.Where(w => w.Kind == "insert").Select(w => w.Stamp).DefaultIfEmpty().Max();
                SyncStamp deleted = writes.Where(w => w.Kind == "delete").Select(w => w.Stamp).DefaultIfEmpty().Max();
                if (inserted <= deleted)
                {
                    continue;
                }

                var values = new Dictionary<string, object?>();
                foreach (string field in Fields)
                {
                    var winner = writes.Where(w => w.Stamp > deleted && w.Values.ContainsKey(field)).MaxBy(w => w.Stamp);
                    values[field] = winner.Values?[field];
                }

                expected[key] = new Symptom
                {
                    Id = key,
                    Name = (string?)values["Name"] ?? "",
                    Severity = (int?)values["Severity"] ?? 0,
                    Day = (DateOnly?)values["Day"] ?? default,
                    Note = (string?)values["Note"],
                    Tags = (List<string>?)values["Tags"] ?? [],
                    Dose = (Dose?)values["Dose"],
                };
            }

            return expected;
        }

        public string History(Guid key) => string.Join("\n", _writes[key].OrderBy(w => w.Stamp).Select(w =>
            $"  {w.Kind} {w.Stamp}: {string.Join(", ", w.Values.Select(v => $"{v.Key}={(v.Value is List<string> l ? "[" + string.Join(",", l) + "]" : v.Value)}"))}"));

        private void Add(Guid key, string kind, SyncStamp stamp, Dictionary<string, object?> values)
        {
            if (!_writes.TryGetValue(key, out var writes))
            {
                _writes[key] = writes = [];
            }

            writes.Add((kind, stamp, values));
        }
    }

    /// <summary>A replica that can be closed and opened again on the same file and clock.</summary>
    private sealed class Replica : IAsyncDisposable
    {
        private readonly string _path;
        private readonly ISyncTransport _transport;
        private readonly int _seed;

        private Replica(string path, FakeTimeProvider time, ISyncTransport transport, int seed)
        {
            _path = path;
            Time = time;
            _transport = transport;
            _seed = seed;
        }

        public SymptomsDb Db { get; private set; } = null!;

        public FakeTimeProvider Time { get; }

        public string Name => Path.GetFileNameWithoutExtension(_path);

        public static async Task<Replica> OpenAsync(string path, FakeTimeProvider time, ISyncTransport transport, int seed)
        {
            var replica = new Replica(path, time, transport, seed);
            await replica.OpenCoreAsync();
            return replica;
        }

        public async Task ReopenAsync()
        {
            await Db.DisposeAsync();
            await OpenCoreAsync();
        }

        public ValueTask DisposeAsync() => Db.DisposeAsync();

        private async Task OpenCoreAsync() =>
            Db = await SymptomsDb.OpenAsync(_path, new ReposDatabaseOptions
            {
                TimeProvider = Time,
                BackupBeforeMigration = false,
                Sync = new SyncOptions { Transport = _transport, Random = new Random(_seed), MaxBatchChanges = 3 },
            });
    }

    /// <summary>
    /// A network that, while faulty, drops pushes and pulls, loses the answers to pushes, delivers pushes twice, and
    /// answers pulls with an earlier answer again (a delayed duplicate).
    /// </summary>
    private sealed class FaultyNetwork(ISyncTransport inner, Random random) : ISyncTransport
    {
        private readonly List<byte[]> _oldPushes = [];
        private readonly Dictionary<Guid, List<byte[]>> _oldAnswers = [];

        public bool Faulty { get; set; }

        public async ValueTask<ReadOnlyMemory<byte>> PushAsync(ReadOnlyMemory<byte> push, CancellationToken cancellationToken)
        {
            int roll = Faulty ? random.Next(100) : 100;
            if (roll < 15)
            {
                throw new SyncTransportException("dropped", offline: roll < 5);
            }

            if (roll < 25 && _oldPushes.Count > 0)
            {
                // A push from earlier arrives late, before this one.
                await inner.PushAsync(_oldPushes[random.Next(_oldPushes.Count)], cancellationToken);
            }

            _oldPushes.Add(push.ToArray());
            ReadOnlyMemory<byte> answer = await inner.PushAsync(push, cancellationToken);
            if (roll < 35)
            {
                answer = await inner.PushAsync(push, cancellationToken);
            }

            if (roll < 45)
            {
                throw new SyncTransportException("the answer was lost");
            }

            return answer;
        }

        public async ValueTask<ReadOnlyMemory<byte>> PullAsync(ReadOnlyMemory<byte> request, CancellationToken cancellationToken)
        {
            int roll = Faulty ? random.Next(100) : 100;
            if (roll < 10)
            {
                throw new SyncTransportException("dropped");
            }

            // Only a replica's own earlier answers come back late: a network does not hand it another's.
            Guid replica = SyncWire.ReadPullRequest(request).Replica;
            if (!_oldAnswers.TryGetValue(replica, out List<byte[]>? old))
            {
                _oldAnswers[replica] = old = [];
            }

            if (roll < 20 && old.Count > 0)
            {
                return old[random.Next(old.Count)];
            }

            ReadOnlyMemory<byte> answer = await inner.PullAsync(request, cancellationToken);
            old.Add(answer.ToArray());
            return answer;
        }
    }
}
