using System.Globalization;
using LiteDB;

namespace Repos.Benchmarks.Repository;

/// <summary>
/// The LiteDB 5 peer: <see cref="DailyEntry"/> as a document collection through LiteDB's own mapper, <c>Id</c> as
/// <c>_id</c>, with the indexes of the other peers.
/// <list type="bullet">
/// <item>(UserId, Date), unique: LiteDB 5 has no compound index, so this is a unique expression index on one string,
/// <c>UserId + '|' + Date</c> with the date as its day number padded to 7 digits, which sorts as (UserId, Date); the
/// range reads it with one <c>Between</c>, in index (so date) order. Indexing UserId alone and filtering Date would
/// read every entry of the user.</item>
/// <item>CompletedAt: an index on the property.</item>
/// <item>DateOnly stored as its day number (the mapper has no DateOnly of its own), DateTime as BSON's UTC date with
/// <c>UtcDate</c> on, so dates come back as the UTC values stored (whole seconds here: BSON keeps milliseconds).</item>
/// <item>Durability: LiteDB has no synchronous setting. A commit writes its pages to the <c>-log</c> file (LiteDB's
/// WAL), which a background writer flushes to disk; the log is checkpointed into the data file at LiteDB's default
/// 1,000 pages. Direct connection (the file opened exclusively by this process), LiteDB's default page cache.</item>
/// <item>Each write is one transaction: <c>BeginTrans</c> ... <c>Commit</c> for the bulk insert, the automatic one of
/// <c>Insert</c> for a single entry.</item>
/// </list>
/// </summary>
internal sealed class LiteStore : IDisposable
{
    private const string UserDateIndex = "UserId_Date";

    private static readonly BsonExpression s_userDate = BsonExpression.Create("$.UserId + '|' + LPAD(STRING($.Date), 7, '0')");

    private readonly LiteDatabase _db;
    private readonly ILiteCollection<DailyEntry> _entries;

    private LiteStore(LiteDatabase db)
    {
        _db = db;
        _entries = db.GetCollection<DailyEntry>("DailyEntry");
    }

    /// <summary>Opens (or creates) <paramref name="path"/> and ensures the collection's indexes.</summary>
    public static LiteStore Open(string path)
    {
        var mapper = new BsonMapper();
        mapper.RegisterType(date => new BsonValue(date.DayNumber), bson => DateOnly.FromDayNumber(bson.AsInt32));
        var db = new LiteDatabase(new ConnectionString { Filename = path, Connection = ConnectionType.Direct }, mapper);
        try
        {
            db.UtcDate = true;
            var store = new LiteStore(db);
            store._entries.EnsureIndex(UserDateIndex, s_userDate, unique: true);
            store._entries.EnsureIndex(e => e.CompletedAt);
            return store;
        }
        catch
        {
            db.Dispose();
            throw;
        }
    }

    /// <summary>LiteDB's log file beside <paramref name="path"/> (<c>name-log.ext</c>).</summary>
    public static string LogOf(string path) =>
        Path.Combine(Path.GetDirectoryName(path)!, Path.GetFileNameWithoutExtension(path) + "-log" + Path.GetExtension(path));

    public static void CreateAndFill(string path)
    {
        using LiteStore store = Open(path);
        store.InsertMany(DiaryData.Entries);
        store.Checkpoint();
    }

    /// <summary>Inserts <paramref name="entries"/> in one transaction.</summary>
    public int InsertMany(DailyEntry[] entries)
    {
        _db.BeginTrans();
        int written = _entries.Insert(entries);
        _db.Commit();
        return written;
    }

    /// <summary>Inserts <paramref name="entry"/> in its own transaction.</summary>
    public void Insert(DailyEntry entry) => _entries.Insert(entry);

    public DailyEntry? Get(Guid key) => _entries.FindById(key);

    /// <summary>The entries of <paramref name="userId"/> from <paramref name="from"/> to <paramref name="to"/>, in date order.</summary>
    public List<DailyEntry> Range(string userId, DateOnly from, DateOnly to) =>
        _entries.Find(RangeQuery(userId, from, to)).ToList();

    /// <summary>LiteDB's plan for <see cref="Range"/>: the benchmark checks that it seeks the (UserId, Date) index.</summary>
    public string RangePlan(string userId, DateOnly from, DateOnly to) =>
        _entries.Query().Where(RangeQuery(userId, from, to)).GetPlan().ToString();

    /// <summary>Decodes every entry, keeping none: the sum of their <see cref="DailyEntry.OverallHealth"/>.</summary>
    public long SumOverallHealth()
    {
        long sum = 0;
        foreach (DailyEntry entry in _entries.FindAll())
        {
            sum += entry.OverallHealth;
        }

        return sum;
    }

    /// <summary>Moves the log into the data file, so the data file's size is the whole database.</summary>
    public void Checkpoint() => _db.Checkpoint();

    public void Dispose() => _db.Dispose();

    // The index is found by its expression, so the query names the expression, not the index.
    private static BsonExpression RangeQuery(string userId, DateOnly from, DateOnly to) =>
        Query.Between(s_userDate.Source, UserDate(userId, from), UserDate(userId, to));

    private static string UserDate(string userId, DateOnly date) =>
        userId + "|" + date.DayNumber.ToString("D7", CultureInfo.InvariantCulture);
}
