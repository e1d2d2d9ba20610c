using System.ComponentModel.DataAnnotations;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Repos.Sync;
using Repos.Sync.Server;

namespace Repos.Benchmarks.Repository
{
    /// <summary>
    /// What [Synced] costs a write, side by side with the same entity unsynced: a single-row update in its own
    /// transaction, and 100,000 inserts in one transaction (the entries of <see cref="DiaryData"/>, with their symptoms).
    /// </summary>
    [MemoryDiagnoser]
    [MedianColumn]
    [SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 5)]
    public class SyncWriteBenchmarks
    {
        private const int Updates = 2000;
        private DailyEntry[] _entries = null!;
        private Synced.DailyEntry[] _synced = null!;
        private string _path = null!;
        private DiaryDb? _plainDb;
        private Synced.SyncedDiaryDb? _syncedDb;

        [GlobalSetup]
        public void GlobalSetup()
        {
            _entries = DiaryData.Entries;
            _synced = [.. _entries.Select(Synced.DailyEntry.From)];
            _path = BenchFiles.PathOf("sync-write");
        }

        [IterationSetup(Targets = [nameof(BulkInsert_Unsynced), nameof(Update_Unsynced)])]
        public void SetupPlain()
        {
            Close();
            BenchFiles.Delete(_path);
            _plainDb = DiaryDb.OpenAsync(_path).AsTask().GetAwaiter().GetResult();
            _plainDb.DailyEntries.InsertManyAsync(_entries.Take(Updates)).AsTask().GetAwaiter().GetResult();
        }

        [IterationSetup(Targets = [nameof(BulkInsert_Synced), nameof(Update_Synced)])]
        public void SetupSynced()
        {
            Close();
            BenchFiles.Delete(_path);
            _syncedDb = Synced.SyncedDiaryDb.OpenAsync(_path).AsTask().GetAwaiter().GetResult();
            _syncedDb.DailyEntries.InsertManyAsync(_synced.Take(Updates)).AsTask().GetAwaiter().GetResult();
        }

        [IterationCleanup]
        public void Close()
        {
            _plainDb?.Dispose();
            _syncedDb?.Dispose();
            _plainDb = null;
            _syncedDb = null;
        }

        /// <summary>100,000 inserts in one transaction (2,000 are stored already, so these are the others).</summary>
        [Benchmark(Baseline = true)]
        [BenchmarkCategory("Bulk")]
        public async Task BulkInsert_Unsynced() => await _plainDb!.DailyEntries.InsertManyAsync(_entries.Skip(Updates));

        [Benchmark]
        [BenchmarkCategory("Bulk")]
        public async Task BulkInsert_Synced() => await _syncedDb!.DailyEntries.InsertManyAsync(_synced.Skip(Updates));

        /// <summary>2,000 single-row updates of one field, each its own transaction.</summary>
        [Benchmark(OperationsPerInvoke = Updates)]
        [BenchmarkCategory("Update")]
        public async Task Update_Unsynced()
        {
            for (int i = 0; i < Updates; i++)
            {
                await _plainDb!.DailyEntries.UpdateAsync(_entries[i] with { Energy = _entries[i].Energy + 1 });
            }
        }

        [Benchmark(OperationsPerInvoke = Updates)]
        [BenchmarkCategory("Update")]
        public async Task Update_Synced()
        {
            for (int i = 0; i < Updates; i++)
            {
                await _syncedDb!.DailyEntries.UpdateAsync(_synced[i] with { Energy = _synced[i].Energy + 1 });
            }
        }
    }

    /// <summary>
    /// 10,000 synced entries inserted on one replica, pushed through the in-process transport, pulled and applied on a
    /// second (Push_Pull_Apply); and the second's part alone, applying pulled batches (Apply). Each iteration starts
    /// from fresh files and a fresh server.
    /// </summary>
    [MemoryDiagnoser]
    [SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 5)]
    public class SyncRoundTripBenchmarks
    {
        private const int Changes = 10_000;
        private Synced.DailyEntry[] _entries = null!;
        private string _phonePath = null!;
        private string _laptopPath = null!;
        private Synced.SyncedDiaryDb? _phone;
        private Synced.SyncedDiaryDb? _laptop;

        [GlobalSetup]
        public void GlobalSetup()
        {
            _entries = [.. DiaryData.Entries.Take(Changes).Select(Synced.DailyEntry.From)];
            _phonePath = BenchFiles.PathOf("sync-phone");
            _laptopPath = BenchFiles.PathOf("sync-laptop");
        }

        [IterationSetup(Target = nameof(Push_Pull_Apply))]
        public void SetupRoundTrip() => Open(pushFirst: false);

        [IterationSetup(Target = nameof(Apply))]
        public void SetupApply() => Open(pushFirst: true);

        [IterationCleanup]
        public void Close()
        {
            _phone?.Dispose();
            _laptop?.Dispose();
        }

        [Benchmark]
        public async Task Push_Pull_Apply()
        {
            await _phone!.Sync.SyncNowAsync();
            await _laptop!.Sync.SyncNowAsync();
            if (await _laptop.DailyEntries.CountAsync() != Changes)
            {
                throw new InvalidOperationException("The laptop did not get every entry.");
            }
        }

        /// <summary>The laptop's sync alone: pulling 10,000 changes in batches of 500 and applying them.</summary>
        [Benchmark]
        public async Task Apply()
        {
            await _laptop!.Sync.SyncNowAsync();
            if (await _laptop.DailyEntries.CountAsync() != Changes)
            {
                throw new InvalidOperationException("The laptop did not get every entry.");
            }
        }

        private void Open(bool pushFirst)
        {
            BenchFiles.Delete(_phonePath);
            BenchFiles.Delete(_laptopPath);
            var server = new SyncServer(new InMemorySyncServerStore());
            var options = new ReposDatabaseOptions { Sync = new SyncOptions { Transport = new InProcessSyncTransport(server) } };
            _phone = Synced.SyncedDiaryDb.OpenAsync(_phonePath, options).AsTask().GetAwaiter().GetResult();
            _laptop = Synced.SyncedDiaryDb.OpenAsync(_laptopPath, options).AsTask().GetAwaiter().GetResult();
            _phone.DailyEntries.InsertManyAsync(_entries).AsTask().GetAwaiter().GetResult();
            if (pushFirst)
            {
                _phone.Sync.SyncNowAsync().GetAwaiter().GetResult();
            }
        }
    }
}

namespace Repos.Benchmarks.Repository.Synced
{
    /// <summary>The benchmarks' <see cref="Repository.DailyEntry"/>, synced.</summary>
    [Entity, Synced]
    [Index(nameof(UserId), nameof(Date), Unique = true)]
    public partial record DailyEntry
    {
        [Key] public Guid Id { get; init; }

        public required string UserId { get; init; }

        public DateOnly Date { get; init; }

        [Range(1, 10)] public int OverallHealth { get; init; }

        public int Energy { get; init; }

        public double SleepHours { get; init; }

        [MaxLength(4000)] public string? Notes { get; init; }

        [Indexed] public DateTime CompletedAt { get; init; }

        public bool IsComplete { get; init; }

        public IReadOnlyList<Repository.DailySymptom> Symptoms { get; init; } = [];

        public static DailyEntry From(Repository.DailyEntry e) => new()
        {
            Id = e.Id,
            UserId = e.UserId,
            Date = e.Date,
            OverallHealth = e.OverallHealth,
            Energy = e.Energy,
            SleepHours = e.SleepHours,
            Notes = e.Notes,
            CompletedAt = e.CompletedAt,
            IsComplete = e.IsComplete,
            Symptoms = e.Symptoms,
        };
    }

    [Database(typeof(DailyEntry))]
    public partial class SyncedDiaryDb;
}
