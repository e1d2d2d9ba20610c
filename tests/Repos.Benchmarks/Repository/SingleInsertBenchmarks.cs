using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using Perfolizer.Mathematics.OutlierDetection;
using Microsoft.Data.Sqlite;

namespace Repos.Benchmarks.Repository;

/// <summary>
/// One insert in its own transaction, the way an app saves a day's entry: each iteration is one insert, so the
/// percentile columns are per-insert latencies. Repos' <c>InsertAsync</c> against raw Microsoft.Data.Sqlite with
/// a prepared command in <c>BeginTransaction</c>/<c>Commit</c>, the tuned raw peer (<c>BEGIN IMMEDIATE</c>/<c>COMMIT</c>),
/// LiteDB's <c>Insert</c> (its automatic transaction) and the blob store (as raw), each into its own file that
/// already holds 10,000 rows.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(LatencyConfig))]
public class SingleInsertBenchmarks
{
    private const int Preloaded = 10_000;

    private string _reposPath = null!;
    private string _rawPath = null!;
    private DiaryDb _db = null!;
    private SqliteConnection _raw = null!;
    private SqliteCommand _insert = null!;
    private TunedStore _tuned = null!;
    private LiteStore _lite = null!;
    private BlobStore _blob = null!;
    private int _nextRepos;
    private int _nextRaw;
    private int _nextTuned;
    private int _nextLite;
    private int _nextBlob;

    [GlobalSetup]
    public void Setup()
    {
        _reposPath = BenchFiles.PathOf("single-repos");
        _rawPath = BenchFiles.PathOf("single-raw");
        BenchFiles.Delete(_reposPath);
        BenchFiles.Delete(_rawPath);

        DailyEntry[] preload = DiaryData.Entries[..Preloaded];
        _db = DiaryDb.OpenAsync(_reposPath).AsTask().GetAwaiter().GetResult();
        _db.DailyEntries.InsertManyAsync(preload).AsTask().GetAwaiter().GetResult();

        _raw = RawStore.Open(_rawPath);
        using (SqliteCommand schema = _raw.CreateCommand())
        {
            schema.CommandText = RawStore.Schema;
            schema.ExecuteNonQuery();
        }

        using (SqliteTransaction transaction = _raw.BeginTransaction())
        using (SqliteCommand fill = RawStore.PrepareInsert(_raw, transaction))
        {
            foreach (DailyEntry entry in preload)
            {
                RawStore.Insert1(fill, entry);
            }

            transaction.Commit();
        }

        _insert = RawStore.PrepareInsert(_raw, null!);

        BenchFiles.Delete(PathOf("tuned"));
        _tuned = TunedStore.Open(PathOf("tuned"), createSchema: true);
        _tuned.InsertMany(preload);
        BenchFiles.Delete(PathOf("litedb"));
        _lite = LiteStore.Open(PathOf("litedb"));
        _lite.InsertMany(preload);
        BenchFiles.Delete(PathOf("blob"));
        _blob = Repository.BlobStore.Open(PathOf("blob"), createSchema: true);
        _blob.InsertMany(preload);

        _nextRepos = Preloaded;
        _nextRaw = Preloaded;
        _nextTuned = Preloaded;
        _nextLite = Preloaded;
        _nextBlob = Preloaded;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _insert.Dispose();
        _raw.Dispose();
        _db.Dispose();
        _tuned.Dispose();
        _lite.Dispose();
        _blob.Dispose();
        BenchFiles.Delete(_reposPath);
        BenchFiles.Delete(_rawPath);
        BenchFiles.Delete(PathOf("tuned"));
        BenchFiles.Delete(PathOf("litedb"));
        BenchFiles.Delete(PathOf("blob"));
    }

    [Benchmark]
    public ValueTask<DailyEntry> Repos() => _db.DailyEntries.InsertAsync(DiaryData.Entries[_nextRepos++]);

    [Benchmark(Baseline = true)]
    public void RawSqlite()
    {
        using SqliteTransaction transaction = _raw.BeginTransaction();
        _insert.Transaction = transaction;
        RawStore.Insert1(_insert, DiaryData.Entries[_nextRaw++]);
        transaction.Commit();
    }

    [Benchmark]
    public void TunedRaw() => _tuned.Insert(DiaryData.Entries[_nextTuned++]);

    [Benchmark]
    public void LiteDb() => _lite.Insert(DiaryData.Entries[_nextLite++]);

    [Benchmark]
    public void BlobStore() => _blob.Insert(DiaryData.Entries[_nextBlob++]);

    private static string PathOf(string peer) => BenchFiles.PathOf("single-" + peer);

    /// <summary>One insert per iteration, 2,000 iterations, no outlier removed, with the median and 95th percentile shown.</summary>
    private sealed class LatencyConfig : ManualConfig
    {
        public LatencyConfig()
        {
            AddJob(Job.Default
                .WithLaunchCount(1)
                .WithWarmupCount(100)
                .WithIterationCount(2000)
                .WithInvocationCount(1)
                .WithUnrollFactor(1)
                .WithOutlierMode(OutlierMode.DontRemove)); // a latency percentile must count the slow inserts
            AddColumn(StatisticColumn.Median, StatisticColumn.P95);
        }
    }
}
