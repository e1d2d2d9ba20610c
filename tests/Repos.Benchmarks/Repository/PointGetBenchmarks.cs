using BenchmarkDotNet.Attributes;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Repos.Benchmarks.Repository;

/// <summary>
/// Reads one entry by key and decodes it, cycling through 1,024 keys spread over the 100,000 rows. Dapper binds a
/// Guid as TEXT, so its key is passed as the bytes Microsoft.Data.Sqlite stores for a Guid.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
public class PointGetBenchmarks
{
    private ReadFixture _fixture = null!;
    private Guid[] _keys = null!;
    private SqliteCommand _get = null!;
    private byte[] _buffer = new byte[1024];
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        _fixture = ReadFixture.Open();
        var random = new Random(7);
        _keys = new Guid[1024];
        for (int i = 0; i < _keys.Length; i++)
        {
            _keys[i] = DiaryData.Entries[random.Next(DiaryData.Count)].Id;
        }

        _get = _fixture.Raw.CreateCommand();
        _get.CommandText = RawStore.Get;
        _get.Parameters.Add("@key", SqliteType.Blob);
        _get.Prepare();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _get.Dispose();
        _fixture.Dispose();
    }

    internal void Rewind() => _next = 0;

    private Guid NextKey() => _keys[_next++ & 1023];

    [Benchmark]
    public ValueTask<DailyEntry?> Repos() => _fixture.Db.DailyEntries.GetAsync(NextKey());

    [Benchmark(Baseline = true)]
    public DailyEntry? RawSqlite()
    {
        _get.Parameters[0].Value = NextKey();
        using SqliteDataReader reader = _get.ExecuteReader();
        return reader.Read() ? RawStore.Read(reader, ref _buffer) : null;
    }

    [Benchmark]
    public DailyEntry? Dapper()
    {
        byte[]? blob = _fixture.Dapper.QuerySingleOrDefault<byte[]>(RawStore.Get, new { key = NextKey().ToByteArray() });
        return blob is null ? null : System.Text.Json.JsonSerializer.Deserialize(blob, DiaryJsonContext.Default.DailyEntry);
    }

    [Benchmark]
    public DailyEntry? EfCore()
    {
        Guid key = NextKey();
        return _fixture.Ef.Entries.AsNoTracking().FirstOrDefault(e => e.Id == key);
    }
}
