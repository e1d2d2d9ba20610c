using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Repos.Benchmarks.Repository;

/// <summary>
/// Inserts the 100,000 entries in one transaction into a fresh file (WAL, synchronous=NORMAL; LiteDB its own log,
/// see <see cref="LiteStore"/>), commit included. The file is created, and its schema made, before each iteration;
/// only the inserts and the commit are timed.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 5)]
public class BulkInsertBenchmarks
{
    private DailyEntry[] _entries = null!;
    private string _path = null!;
    private DiaryDb? _db;
    private SqliteConnection? _connection;
    private TunedStore? _tuned;
    private LiteStore? _lite;
    private BlobStore? _blob;

    [GlobalSetup]
    public void GlobalSetup()
    {
        _entries = DiaryData.Entries;
        _path = BenchFiles.PathOf("bulk");
    }

    [IterationSetup(Target = nameof(Repos))]
    public void SetupRepos()
    {
        BenchFiles.Delete(_path);
        _db = DiaryDb.OpenAsync(_path).AsTask().GetAwaiter().GetResult();
    }

    [IterationSetup(Targets = [nameof(RawSqlite), nameof(Dapper)])]
    public void SetupRaw()
    {
        BenchFiles.Delete(_path);
        _connection = RawStore.Open(_path);
        _connection.Execute(RawStore.Schema);
    }

    [IterationSetup(Target = nameof(EfCore))]
    public void SetupEf()
    {
        BenchFiles.Delete(_path);
        _connection = RawStore.Open(_path);
        using var context = new DiaryContext(_connection);
        context.Database.EnsureCreated();
    }

    // Each store makes its table (or collection) and indexes before the timed inserts, as the setups above.
    [IterationSetup(Target = nameof(TunedRaw))]
    public void SetupTuned()
    {
        BenchFiles.Delete(_path);
        _tuned = TunedStore.Open(_path, createSchema: true);
    }

    [IterationSetup(Target = nameof(LiteDb))]
    public void SetupLite()
    {
        BenchFiles.Delete(_path);
        _lite = LiteStore.Open(_path);
    }

    [IterationSetup(Target = nameof(BlobStore))]
    public void SetupBlob()
    {
        BenchFiles.Delete(_path);
        _blob = Repository.BlobStore.Open(_path, createSchema: true);
    }

    [IterationCleanup]
    public void Cleanup()
    {
        _db?.Dispose();
        _db = null;
        _tuned?.Dispose();
        _tuned = null;
        _lite?.Dispose();
        _lite = null;
        _blob?.Dispose();
        _blob = null;
        _connection?.Dispose();
        _connection = null;
        BenchFiles.Delete(_path);
    }

    [Benchmark]
    public async ValueTask<int> Repos() => (await _db!.DailyEntries.InsertManyAsync(_entries)).Count;

    [Benchmark(Baseline = true)]
    public int RawSqlite()
    {
        using SqliteTransaction transaction = _connection!.BeginTransaction();
        using SqliteCommand insert = RawStore.PrepareInsert(_connection, transaction);
        foreach (DailyEntry entry in _entries)
        {
            RawStore.Insert1(insert, entry);
        }

        transaction.Commit();
        return _entries.Length;
    }

    // Dapper binds a Guid as TEXT: the key goes in as the bytes Microsoft.Data.Sqlite stores for a Guid.
    [Benchmark]
    public int Dapper()
    {
        using SqliteTransaction transaction = _connection!.BeginTransaction();
        foreach (DailyEntry entry in _entries)
        {
            byte[] blob = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(entry, DiaryJsonContext.Default.DailyEntry);
            _connection.Execute(RawStore.Insert, new { key = entry.Id.ToByteArray(), completedAt = entry.CompletedAt.Ticks, userId = entry.UserId, date = entry.Date.DayNumber, blob }, transaction);
        }

        transaction.Commit();
        return _entries.Length;
    }

    [Benchmark]
    public int EfCore()
    {
        using var context = new DiaryContext(_connection!);
        using var transaction = context.Database.BeginTransaction();
        context.Entries.AddRange(_entries);
        int written = context.SaveChanges();
        transaction.Commit();
        return written;
    }

    [Benchmark]
    public int TunedRaw() => _tuned!.InsertMany(_entries);

    [Benchmark]
    public int LiteDb() => _lite!.InsertMany(_entries);

    [Benchmark]
    public int BlobStore() => _blob!.InsertMany(_entries);
}
