using BenchmarkDotNet.Attributes;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Repos.Benchmarks.Repository;

/// <summary>
/// Reads one entry by key and decodes it, cycling through 1,024 keys spread over the 100,000 rows. Dapper binds a
/// Guid as TEXT, so its key is passed as the bytes Microsoft.Data.Sqlite stores for a Guid. The setup checks that
/// every peer but EF Core reads the entries Repos reads for the first 64 keys (EF Core reads <c>CompletedAt</c> back
/// from its TEXT column as <c>DateTimeKind.Unspecified</c>, so it differs from Repos in the kind alone).
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
        CheckPeers();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _get.Dispose();
        _fixture.Dispose();
    }

    internal void Rewind() => _next = 0;

    private void CheckPeers()
    {
        List<DailyEntry?> repos = Read(() => Repos().AsTask().GetAwaiter().GetResult());
        ReadFixture.AssertSame("point get", "raw", repos, Read(RawSqlite));
        ReadFixture.AssertSame("point get", "Dapper", repos, Read(Dapper));
        ReadFixture.AssertSame("point get", "tuned raw", repos, Read(TunedRaw));
        ReadFixture.AssertSame("point get", "LiteDB", repos, Read(LiteDb));
        ReadFixture.AssertSame("point get", "blob store", repos, Read(BlobStore));
        Rewind();
    }

    private List<DailyEntry?> Read(Func<DailyEntry?> get)
    {
        Rewind();
        var entries = new List<DailyEntry?>();
        for (int i = 0; i < 64; i++)
        {
            entries.Add(get() ?? throw new InvalidOperationException($"point get: key {i} of the data set was not found."));
        }

        return entries;
    }

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

    [Benchmark]
    public DailyEntry? TunedRaw() => _fixture.Tuned.Get(NextKey());

    [Benchmark]
    public DailyEntry? LiteDb() => _fixture.Lite.Get(NextKey());

    [Benchmark]
    public DailyEntry? BlobStore() => _fixture.Blob.Get(NextKey());
}
