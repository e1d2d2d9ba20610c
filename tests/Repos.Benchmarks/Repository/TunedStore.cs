using System.Buffers;
using System.Text;
using System.Text.Json;
using SQLitePCL;

namespace Repos.Benchmarks.Repository;

/// <summary>
/// The tuned raw peer: SQLite's C API through SQLitePCLRaw, tuned the way a skilled developer would tune a
/// hand-written store. The table, indexes, keys and System.Text.Json blobs are <see cref="RawStore"/>'s (it reads
/// the raw peer's file), so against the raw peer only the access and the settings differ.
/// <list type="bullet">
/// <item>WAL and synchronous=NORMAL, as every peer; each write is one <c>BEGIN IMMEDIATE</c> ... <c>COMMIT</c>, as
/// Microsoft.Data.Sqlite's <c>BeginTransaction</c> and Repos do.</item>
/// <item>A 64 MiB page cache (<c>cache_size=-65536</c>) and 256 MiB of memory-mapped I/O
/// (<c>mmap_size=268435456</c>, more than the 100,000-row file).</item>
/// <item>The connection opened with <c>SQLITE_OPEN_NOMUTEX</c> (one thread uses it).</item>
/// <item>Every statement prepared once (<c>SQLITE_PREPARE_PERSISTENT</c>) and reset and rebound for each call; keys
/// and user ids bound from stack buffers.</item>
/// <item>Each blob decoded by System.Text.Json straight from SQLite's page memory (the span
/// <c>sqlite3_column_blob</c> returns, no copy); writes serialize into one reused buffer.</item>
/// </list>
/// </summary>
internal sealed class TunedStore : IDisposable
{
    private const uint Persistent = 1; // SQLITE_PREPARE_PERSISTENT

    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _insert;
    private readonly sqlite3_stmt _get;
    private readonly sqlite3_stmt _range;
    private readonly sqlite3_stmt _all;
    private readonly sqlite3_stmt _begin;
    private readonly sqlite3_stmt _commit;
    private readonly ArrayBufferWriter<byte> _json = new(1024);
    private readonly Utf8JsonWriter _writer;

    private TunedStore(sqlite3 db)
    {
        _db = db;
        _insert = Prepare(RawStore.Insert);
        _get = Prepare(RawStore.Get);
        _range = Prepare(RawStore.Range);
        _all = Prepare(RawStore.All);
        _begin = Prepare("BEGIN IMMEDIATE");
        _commit = Prepare("COMMIT");
        _writer = new Utf8JsonWriter(_json);
    }

    /// <summary>Opens <paramref name="path"/> with the settings above, making the raw peer's table first with <paramref name="createSchema"/>.</summary>
    public static TunedStore Open(string path, bool createSchema = false)
    {
        Batteries_V2.Init();
        int rc = raw.sqlite3_open_v2(path, out sqlite3 db, raw.SQLITE_OPEN_READWRITE | raw.SQLITE_OPEN_CREATE | raw.SQLITE_OPEN_NOMUTEX, null);
        if (rc != raw.SQLITE_OK)
        {
            string message = raw.sqlite3_errstr(rc).utf8_to_string();
            db?.Dispose();
            throw new InvalidOperationException($"Cannot open '{path}': {message}");
        }

        try
        {
            Execute(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-65536; PRAGMA mmap_size=268435456;");
            if (createSchema)
            {
                Execute(db, RawStore.Schema);
            }

            return new TunedStore(db);
        }
        catch
        {
            db.Dispose();
            throw;
        }
    }

    public static void CreateAndFill(string path)
    {
        using TunedStore store = Open(path, createSchema: true);
        store.InsertMany(DiaryData.Entries);
    }

    /// <summary>Inserts <paramref name="entries"/> in one transaction.</summary>
    public int InsertMany(ReadOnlySpan<DailyEntry> entries)
    {
        Run(_begin);
        try
        {
            foreach (DailyEntry entry in entries)
            {
                Insert1(entry);
            }

            Run(_commit);
        }
        catch
        {
            Execute(_db, "ROLLBACK");
            throw;
        }

        return entries.Length;
    }

    /// <summary>Inserts <paramref name="entry"/> in its own transaction.</summary>
    public void Insert(DailyEntry entry) => InsertMany(new ReadOnlySpan<DailyEntry>(in entry));

    public DailyEntry? Get(Guid key)
    {
        Span<byte> bytes = stackalloc byte[16];
        key.TryWriteBytes(bytes); // the layout Microsoft.Data.Sqlite binds a Guid in
        Check(raw.sqlite3_bind_blob(_get, 1, bytes));
        try
        {
            return Step(_get) ? Decode(_get) : null;
        }
        finally
        {
            raw.sqlite3_reset(_get);
        }
    }

    /// <summary>The entries of <paramref name="userId"/> from <paramref name="from"/> to <paramref name="to"/>, in date order.</summary>
    public List<DailyEntry> Range(string userId, DateOnly from, DateOnly to)
    {
        BindText(_range, 1, userId);
        Check(raw.sqlite3_bind_int64(_range, 2, from.DayNumber));
        Check(raw.sqlite3_bind_int64(_range, 3, to.DayNumber));
        var results = new List<DailyEntry>();
        try
        {
            while (Step(_range))
            {
                results.Add(Decode(_range));
            }
        }
        finally
        {
            raw.sqlite3_reset(_range);
        }

        return results;
    }

    /// <summary>Decodes every entry, keeping none: the sum of their <see cref="DailyEntry.OverallHealth"/>.</summary>
    public long SumOverallHealth()
    {
        long sum = 0;
        try
        {
            while (Step(_all))
            {
                sum += Decode(_all).OverallHealth;
            }
        }
        finally
        {
            raw.sqlite3_reset(_all);
        }

        return sum;
    }

    public void Dispose()
    {
        _writer.Dispose();
        foreach (sqlite3_stmt statement in new[] { _insert, _get, _range, _all, _begin, _commit })
        {
            statement.Dispose();
        }

        _db.Dispose();
    }

    private static DailyEntry Decode(sqlite3_stmt statement) =>
        JsonSerializer.Deserialize(raw.sqlite3_column_blob(statement, 0), DiaryJsonContext.Default.DailyEntry)!;

    private static void Execute(sqlite3 db, string sql)
    {
        if (raw.sqlite3_exec(db, sql, null, null, out string? error) != raw.SQLITE_OK)
        {
            throw new InvalidOperationException($"'{sql}' failed: {error}");
        }
    }

    private void Insert1(DailyEntry entry)
    {
        _json.ResetWrittenCount();
        _writer.Reset();
        JsonSerializer.Serialize(_writer, entry, DiaryJsonContext.Default.DailyEntry);
        Span<byte> key = stackalloc byte[16];
        entry.Id.TryWriteBytes(key);
        Check(raw.sqlite3_bind_blob(_insert, 1, key));
        Check(raw.sqlite3_bind_int64(_insert, 2, entry.CompletedAt.Ticks));
        BindText(_insert, 3, entry.UserId);
        Check(raw.sqlite3_bind_int64(_insert, 4, entry.Date.DayNumber));
        Check(raw.sqlite3_bind_blob(_insert, 5, _json.WrittenSpan));
        Run(_insert);
    }

    // UTF-8 from a stack buffer: SQLite copies a bound value (SQLITE_TRANSIENT), so the buffer may go at once.
    private void BindText(sqlite3_stmt statement, int index, string value)
    {
        int max = Encoding.UTF8.GetMaxByteCount(value.Length);
        Span<byte> utf8 = max <= 256 ? stackalloc byte[256] : new byte[max];
        int length = Encoding.UTF8.GetBytes(value, utf8);
        Check(raw.sqlite3_bind_text(statement, index, utf8[..length]));
    }

    private sqlite3_stmt Prepare(string sql)
    {
        Check(raw.sqlite3_prepare_v3(_db, sql, Persistent, out sqlite3_stmt statement, out _));
        return statement;
    }

    private bool Step(sqlite3_stmt statement)
    {
        int rc = raw.sqlite3_step(statement);
        if (rc == raw.SQLITE_ROW)
        {
            return true;
        }

        if (rc != raw.SQLITE_DONE)
        {
            raw.sqlite3_reset(statement);
            throw new InvalidOperationException($"A statement failed: {raw.sqlite3_errmsg(_db).utf8_to_string()}");
        }

        return false;
    }

    // Runs a statement that returns no rows and resets it for the next call.
    private void Run(sqlite3_stmt statement)
    {
        Step(statement);
        raw.sqlite3_reset(statement);
    }

    private void Check(int rc)
    {
        if (rc != raw.SQLITE_OK)
        {
            throw new InvalidOperationException($"SQLite returned {rc}: {raw.sqlite3_errmsg(_db).utf8_to_string()}");
        }
    }
}
