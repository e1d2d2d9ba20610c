using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using Perfolizer.Mathematics.OutlierDetection;
using Repos.Benchmarks.Repository;

namespace Repos.Benchmarks.Housekeeping;

/// <summary>
/// What the size quota costs a write: one insert in its own transaction into a file of 10,000 rows, without a
/// quota and with one (whose check after each commit reads SQLite's count of pages written, and measures the
/// pages in use only when they may have reached the warning threshold), each iteration one insert.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(LatencyConfig))]
public class QuotaCheckBenchmarks
{
    private const int Preloaded = 10_000;

    private string _plainPath = null!;
    private string _quotaPath = null!;
    private DiaryDb _plain = null!;
    private DiaryDb _quota = null!;
    private int _nextPlain;
    private int _nextQuota;

    [GlobalSetup]
    public void Setup()
    {
        _plainPath = BenchFiles.PathOf("quota-off");
        _quotaPath = BenchFiles.PathOf("quota-on");
        DailyEntry[] preload = DiaryData.Entries[..Preloaded];
        foreach (string path in new[] { _plainPath, _quotaPath })
        {
            BenchFiles.Delete(path);
            using DiaryDb fill = DiaryDb.OpenAsync(path).AsTask().GetAwaiter().GetResult();
            fill.DailyEntries.InsertManyAsync(preload).AsTask().GetAwaiter().GetResult();
        }

        _plain = DiaryDb.OpenAsync(_plainPath).AsTask().GetAwaiter().GetResult();
        _quota = DiaryDb.OpenAsync(_quotaPath, new ReposDatabaseOptions { MaxSizeBytes = 1L << 30 }).AsTask().GetAwaiter().GetResult();
        _nextPlain = Preloaded;
        _nextQuota = Preloaded;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _plain.Dispose();
        _quota.Dispose();
        BenchFiles.Delete(_plainPath);
        BenchFiles.Delete(_quotaPath);
    }

    [Benchmark(Baseline = true)]
    public ValueTask<DailyEntry> InsertWithoutQuota() => _plain.DailyEntries.InsertAsync(DiaryData.Entries[_nextPlain++]);

    [Benchmark]
    public ValueTask<DailyEntry> InsertWithQuota() => _quota.DailyEntries.InsertAsync(DiaryData.Entries[_nextQuota++]);

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
                .WithOutlierMode(OutlierMode.DontRemove));
            AddColumn(StatisticColumn.Median, StatisticColumn.P95);
        }
    }
}
