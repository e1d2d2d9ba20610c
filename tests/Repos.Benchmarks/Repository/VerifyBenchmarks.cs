using System.Diagnostics;
using System.Globalization;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Repos.Diagnostics;

namespace Repos.Benchmarks.Repository;

/// <summary>
/// <c>VerifyAsync</c> over 1,000,000 <see cref="DailyEntry"/> rows (100 users, 10,000 days each): SQLite's
/// integrity check, then every row's envelope, checksum, decoding, key and index columns. The file is filled
/// once and kept in <c>/tmp/repos-bench/verify-v1</c> between runs (filling it takes about a minute).
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 5)]
public class VerifyBenchmarks
{
    private DiaryDb _db = null!;

    [Params(1_000_000)]
    public int Rows { get; set; }

    [GlobalSetup]
    public void Setup() => _db = DiaryDb.OpenAsync(VerifyFixture.Prepare(Rows)).AsTask().GetAwaiter().GetResult();

    [GlobalCleanup]
    public void Cleanup() => _db.Dispose();

    [Benchmark]
    public async Task<long> Verify()
    {
        VerifyReport report = await _db.VerifyAsync();
        return report.IsHealthy && report.RowsChecked == Rows ? report.RowsChecked : throw new InvalidOperationException(report.ToString());
    }
}

/// <summary>The verify benchmark's file, and a Stopwatch harness over it to profile with (<c>--repos-verify [rows] [runs]</c>).</summary>
internal static class VerifyFixture
{
    private const int Users = 100;

    public static string Prepare(int rows)
    {
        string folder = Path.Combine(Path.GetTempPath(), "repos-bench", "verify-v1");
        Directory.CreateDirectory(folder);
        string path = Path.Combine(folder, string.Create(CultureInfo.InvariantCulture, $"diary-{rows}.db"));
        string marker = path + ".complete";
        if (!File.Exists(marker))
        {
            BenchFiles.Delete(path);
            using DiaryDb db = DiaryDb.OpenAsync(path).AsTask().GetAwaiter().GetResult();
            foreach (DailyEntry[] batch in DiaryData.Stream(rows, Users).Chunk(100_000))
            {
                db.DailyEntries.InsertManyAsync(batch).AsTask().GetAwaiter().GetResult();
            }

            File.WriteAllText(marker, DateTime.UtcNow.ToString("O"));
        }

        return path;
    }

    public static void Run(string[] args)
    {
        int rows = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1_000_000;
        int runs = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 3;
        var watch = Stopwatch.StartNew();
        string path = Prepare(rows);
        Console.WriteLine($"fixture {path}: {new FileInfo(path).Length / (1024.0 * 1024):F1} MiB, ready in {watch.Elapsed.TotalSeconds:F1} s");
        using DiaryDb db = DiaryDb.OpenAsync(path).AsTask().GetAwaiter().GetResult();
        for (int run = 0; run < runs; run++)
        {
            watch.Restart();
            var progress = new StageTimes(watch);
            VerifyReport report = db.VerifyAsync(progress).GetAwaiter().GetResult();
            Console.WriteLine(
                $"verify {report.RowsChecked:N0} rows: {watch.Elapsed.TotalSeconds:F2} s (integrity check {progress.IntegrityCheck.TotalSeconds:F2} s, rows {(watch.Elapsed - progress.IntegrityCheck).TotalSeconds:F2} s), " +
                $"{(report.IsHealthy ? "healthy" : "DAMAGED")}, {GC.CollectionCount(0)} gen0 GCs so far");
        }
    }

    /// <summary>Salvages the healthy fixture into a new file, with the model, and times it (<c>--repos-salvage [rows]</c>).</summary>
    public static void RunSalvage(string[] args)
    {
        int rows = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1_000_000;
        string path = Prepare(rows);
        string target = Path.Combine(Path.GetDirectoryName(path)!, "salvaged.db");
        BenchFiles.Delete(target);
        var watch = Stopwatch.StartNew();
        Recovery.SalvageReport report = Recovery.ReposRecovery.SalvageAsync(path, target, DiaryDb.Model).GetAwaiter().GetResult();
        Console.WriteLine($"salvage {report.RowsRecovered:N0} rows: {watch.Elapsed.TotalSeconds:F2} s (verification {report.Verification?.Elapsed.TotalSeconds:F2} s), complete: {report.IsComplete}, peak working set {Environment.WorkingSet / (1024 * 1024)} MiB");
        BenchFiles.Delete(target);
    }

    /// <summary>Notes when the row stage starts, which is when SQLite's integrity check ended.</summary>
    private sealed class StageTimes(Stopwatch watch) : IProgress<VerifyProgress>
    {
        public TimeSpan IntegrityCheck { get; private set; }

        public void Report(VerifyProgress value)
        {
            if (value.Stage == VerifyStage.Rows && IntegrityCheck == TimeSpan.Zero)
            {
                IntegrityCheck = watch.Elapsed;
            }
        }
    }
}
