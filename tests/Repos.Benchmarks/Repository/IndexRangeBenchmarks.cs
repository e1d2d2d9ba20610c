using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Repos.Benchmarks.Repository;

/// <summary>
/// Reads one user's entries for consecutive days through the (UserId, Date) index, decoded, in date order:
/// 100 days (100 rows) and one calendar month (28 to 31 rows), cycling through 16 start days. The setup checks that
/// every peer but EF Core (see <see cref="PointGetBenchmarks"/>) reads the rows Repos reads for each of the 16 ranges,
/// and that LiteDB answers the range from its (UserId, Date) index.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
public class IndexRangeBenchmarks
{
    private const string HundredDays = "100 days";
    private const string Month = "Month";

    private static readonly string s_user = DiaryData.UserId(7);

    private ReadFixture _fixture = null!;
    private SqliteCommand _range = null!;
    private byte[] _buffer = new byte[1024];
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        _fixture = ReadFixture.Open();
        _range = _fixture.Raw.CreateCommand();
        _range.CommandText = RawStore.Range;
        _range.Parameters.Add("@userId", SqliteType.Text);
        _range.Parameters.Add("@from", SqliteType.Integer);
        _range.Parameters.Add("@to", SqliteType.Integer);
        _range.Prepare();
        CheckPeers();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _range.Dispose();
        _fixture.Dispose();
    }

    internal void Rewind() => _next = 0;

    private void CheckPeers()
    {
        List<DailyEntry?> repos = Read(() => Repos_100().AsTask().GetAwaiter().GetResult());
        if (repos.Count != 16 * 100)
        {
            throw new InvalidOperationException($"100 days: Repos read {repos.Count} rows in 16 ranges, not 1,600.");
        }

        string plan = _fixture.Lite.RangePlan(s_user, DiaryData.FirstDay, DiaryData.FirstDay.AddDays(99));
        if (!plan.Contains("INDEX RANGE SCAN(UserId_Date", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"100 days: LiteDB does not seek the (UserId, Date) index: {plan}");
        }

        ReadFixture.AssertSame("100 days", "raw", repos, Read(RawSqlite_100));
        ReadFixture.AssertSame("100 days", "Dapper", repos, Read(Dapper_100));
        ReadFixture.AssertSame("100 days", "tuned raw", repos, Read(TunedRaw_100));
        ReadFixture.AssertSame("100 days", "LiteDB", repos, Read(LiteDb_100));
        ReadFixture.AssertSame("100 days", "blob store", repos, Read(BlobStore_100));
        repos = Read(() => Repos_Month().AsTask().GetAwaiter().GetResult());
        ReadFixture.AssertSame("month", "raw", repos, Read(RawSqlite_Month));
        ReadFixture.AssertSame("month", "tuned raw", repos, Read(TunedRaw_Month));
        ReadFixture.AssertSame("month", "LiteDB", repos, Read(LiteDb_Month));
        ReadFixture.AssertSame("month", "blob store", repos, Read(BlobStore_Month));
        Rewind();
    }

    // The rows of the 16 ranges, one after another.
    private List<DailyEntry?> Read(Func<List<DailyEntry>> range)
    {
        Rewind();
        var rows = new List<DailyEntry?>();
        for (int i = 0; i < 16; i++)
        {
            rows.AddRange(range());
        }

        return rows;
    }

    // 16 start days, 200 days apart, all with 100 days of data after them.
    private (DateOnly From, DateOnly To) NextHundred()
    {
        DateOnly from = DiaryData.FirstDay.AddDays(100 + ((_next++ & 15) * 200));
        return (from, from.AddDays(99));
    }

    // 16 calendar months, a year and a month apart.
    private (DateOnly From, DateOnly To) NextMonth()
    {
        DateOnly from = DiaryData.FirstDay.AddMonths(1 + ((_next++ & 15) * 7));
        return (from, from.AddMonths(1).AddDays(-1));
    }

    [Benchmark, BenchmarkCategory(HundredDays)]
    public ValueTask<List<DailyEntry>> Repos_100()
    {
        (DateOnly from, DateOnly to) = NextHundred();
        return _fixture.Db.DailyEntries.ByUserIdAndDate(s_user).Between(from, to).ToListAsync();
    }

    [Benchmark(Baseline = true), BenchmarkCategory(HundredDays)]
    public List<DailyEntry> RawSqlite_100() => Raw(NextHundred());

    [Benchmark, BenchmarkCategory(HundredDays)]
    public List<DailyEntry> Dapper_100() => Dapper(NextHundred());

    [Benchmark, BenchmarkCategory(HundredDays)]
    public List<DailyEntry> EfCore_100() => Ef(NextHundred());

    [Benchmark, BenchmarkCategory(HundredDays)]
    public List<DailyEntry> TunedRaw_100() => Tuned(NextHundred());

    [Benchmark, BenchmarkCategory(HundredDays)]
    public List<DailyEntry> LiteDb_100() => Lite(NextHundred());

    [Benchmark, BenchmarkCategory(HundredDays)]
    public List<DailyEntry> BlobStore_100() => Blob(NextHundred());

    [Benchmark, BenchmarkCategory(Month)]
    public ValueTask<List<DailyEntry>> Repos_Month()
    {
        (DateOnly from, DateOnly to) = NextMonth();
        return _fixture.Db.DailyEntries.ByUserIdAndDate(s_user).Between(from, to).ToListAsync();
    }

    [Benchmark(Baseline = true), BenchmarkCategory(Month)]
    public List<DailyEntry> RawSqlite_Month() => Raw(NextMonth());

    [Benchmark, BenchmarkCategory(Month)]
    public List<DailyEntry> Dapper_Month() => Dapper(NextMonth());

    [Benchmark, BenchmarkCategory(Month)]
    public List<DailyEntry> EfCore_Month() => Ef(NextMonth());

    [Benchmark, BenchmarkCategory(Month)]
    public List<DailyEntry> TunedRaw_Month() => Tuned(NextMonth());

    [Benchmark, BenchmarkCategory(Month)]
    public List<DailyEntry> LiteDb_Month() => Lite(NextMonth());

    [Benchmark, BenchmarkCategory(Month)]
    public List<DailyEntry> BlobStore_Month() => Blob(NextMonth());

    private List<DailyEntry> Tuned((DateOnly From, DateOnly To) range) => _fixture.Tuned.Range(s_user, range.From, range.To);

    private List<DailyEntry> Lite((DateOnly From, DateOnly To) range) => _fixture.Lite.Range(s_user, range.From, range.To);

    private List<DailyEntry> Blob((DateOnly From, DateOnly To) range) => _fixture.Blob.Range(s_user, range.From, range.To);

    private List<DailyEntry> Raw((DateOnly From, DateOnly To) range)
    {
        _range.Parameters[0].Value = s_user;
        _range.Parameters[1].Value = range.From.DayNumber;
        _range.Parameters[2].Value = range.To.DayNumber;
        var results = new List<DailyEntry>();
        using SqliteDataReader reader = _range.ExecuteReader();
        while (reader.Read())
        {
            results.Add(RawStore.Read(reader, ref _buffer));
        }

        return results;
    }

    private List<DailyEntry> Dapper((DateOnly From, DateOnly To) range)
    {
        var results = new List<DailyEntry>();
        foreach (byte[] blob in _fixture.Dapper.Query<byte[]>(RawStore.Range, new { userId = s_user, from = range.From.DayNumber, to = range.To.DayNumber }, buffered: false))
        {
            results.Add(System.Text.Json.JsonSerializer.Deserialize(blob, DiaryJsonContext.Default.DailyEntry)!);
        }

        return results;
    }

    private List<DailyEntry> Ef((DateOnly From, DateOnly To) range)
    {
        (DateOnly from, DateOnly to) = range;
        return _fixture.Ef.Entries.AsNoTracking()
            .Where(e => e.UserId == s_user && e.Date >= from && e.Date <= to)
            .OrderBy(e => e.Date)
            .ToList();
    }
}
