using BenchmarkDotNet.Attributes;
using Microsoft.Data.Sqlite;

namespace Repos.Benchmarks.Repository;

/// <summary>
/// Opening (and closing) a file of ten years of daily entries for ten users, as an app does at start: Repos'
/// <c>OpenAsync</c> (connection, settings, catalog check in one transaction) against opening the raw peer's
/// file with the same settings.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 20)]
public class OpenBenchmarks
{
    private string _reposPath = null!;
    private string _rawPath = null!;

    [GlobalSetup]
    public void Setup()
    {
        (_reposPath, _rawPath) = TenYearFiles.Create();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        BenchFiles.Delete(_reposPath);
        BenchFiles.Delete(_rawPath);
    }

    [Benchmark]
    public async Task Repos()
    {
        await using DiaryDb db = await DiaryDb.OpenAsync(_reposPath);
    }

    [Benchmark(Baseline = true)]
    public void RawSqlite()
    {
        using SqliteConnection connection = RawStore.Open(_rawPath);
    }
}

/// <summary>Ten years of daily entries for ten users (35,720 entries), in a Repos file and a raw peer file.</summary>
internal static class TenYearFiles
{
    public const int Users = 10;

    public static DailyEntry[] Entries() => DiaryData.Entries.Where((_, i) => i % DiaryData.Users < Users).ToArray();

    public static (string Repos, string Raw) Create()
    {
        string repos = BenchFiles.PathOf("ten-years-repos");
        string raw = BenchFiles.PathOf("ten-years-raw");
        BenchFiles.Delete(repos);
        BenchFiles.Delete(raw);
        DailyEntry[] entries = Entries();
        using (DiaryDb db = DiaryDb.OpenAsync(repos).AsTask().GetAwaiter().GetResult())
        {
            db.DailyEntries.InsertManyAsync(entries).AsTask().GetAwaiter().GetResult();
        }

        using SqliteConnection connection = RawStore.Open(raw);
        using (SqliteCommand schema = connection.CreateCommand())
        {
            schema.CommandText = RawStore.Schema;
            schema.ExecuteNonQuery();
        }

        using SqliteTransaction transaction = connection.BeginTransaction();
        using SqliteCommand insert = RawStore.PrepareInsert(connection, transaction);
        foreach (DailyEntry entry in entries)
        {
            RawStore.Insert1(insert, entry);
        }

        transaction.Commit();
        return (repos, raw);
    }
}
