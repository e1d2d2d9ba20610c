using BenchmarkDotNet.Attributes;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Repos.Benchmarks.Repository;

/// <summary>
/// Streams all 100,000 rows, decoding each entry and summing one field (nothing is kept). The setup checks that the
/// tuned raw, LiteDB and blob store peers sum to what Repos sums.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
[SimpleJob(launchCount: 1, warmupCount: 2, iterationCount: 10)]
public class FullScanBenchmarks
{
    private ReadFixture _fixture = null!;
    private SqliteCommand _all = null!;
    private byte[] _buffer = new byte[1024];

    [GlobalSetup]
    public void Setup()
    {
        _fixture = ReadFixture.Open();
        _all = _fixture.Raw.CreateCommand();
        _all.CommandText = RawStore.All;
        _all.Prepare();
        long repos = Repos().GetAwaiter().GetResult();
        foreach ((string peer, long sum) in new[] { ("tuned raw", TunedRaw()), ("LiteDB", LiteDb()), ("blob store", BlobStore()) })
        {
            if (sum != repos)
            {
                throw new InvalidOperationException($"full scan: {peer} summed {sum}, Repos {repos}.");
            }
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _all.Dispose();
        _fixture.Dispose();
    }

    [Benchmark]
    public async Task<long> Repos()
    {
        long sum = 0;
        await foreach (DailyEntry entry in _fixture.Db.DailyEntries.All())
        {
            sum += entry.OverallHealth;
        }

        return sum;
    }

    [Benchmark(Baseline = true)]
    public long RawSqlite()
    {
        long sum = 0;
        using SqliteDataReader reader = _all.ExecuteReader();
        while (reader.Read())
        {
            sum += RawStore.Read(reader, ref _buffer).OverallHealth;
        }

        return sum;
    }

    [Benchmark]
    public long Dapper()
    {
        long sum = 0;
        foreach (byte[] blob in _fixture.Dapper.Query<byte[]>(RawStore.All, buffered: false))
        {
            sum += System.Text.Json.JsonSerializer.Deserialize(blob, DiaryJsonContext.Default.DailyEntry)!.OverallHealth;
        }

        return sum;
    }

    [Benchmark]
    public long EfCore()
    {
        long sum = 0;
        foreach (DailyEntry entry in _fixture.Ef.Entries.AsNoTracking())
        {
            sum += entry.OverallHealth;
        }

        return sum;
    }

    [Benchmark]
    public long TunedRaw() => _fixture.Tuned.SumOverallHealth();

    [Benchmark]
    public long LiteDb() => _fixture.Lite.SumOverallHealth();

    [Benchmark]
    public long BlobStore() => _fixture.Blob.SumOverallHealth();
}
