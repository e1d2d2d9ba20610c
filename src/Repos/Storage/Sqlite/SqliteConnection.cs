using SQLitePCL;

namespace Repos.Storage.Sqlite;

/// <summary>
/// One connection to a SQLite file, through SQLite's C API. Not thread-safe: the database hands each
/// connection to one caller at a time.
/// </summary>
internal sealed class SqliteConnection : IDisposable
{
    private static readonly object s_initLock = new();
    private static bool s_initialized;

    private readonly sqlite3 _handle;
    private readonly Dictionary<string, SqliteStatement> _statements = new(StringComparer.Ordinal);

    // Statements held for a whole enumeration (see RentStatement): out of this set while rented.
    private readonly Dictionary<string, SqliteStatement> _idleStreamStatements = new(StringComparer.Ordinal);
    private const int MaxIdleStreamStatements = 64;

    private SqliteConnection(sqlite3 handle, string path)
    {
        _handle = handle;
        Path = path;
    }

    /// <summary>The file this connection is open on.</summary>
    public string Path { get; }

    internal sqlite3 Handle => _handle;

    /// <summary>The number of rows the last INSERT, UPDATE or DELETE changed.</summary>
    public int Changes => raw.sqlite3_changes(_handle);

    /// <summary>The size quota set by <see cref="SetQuota"/>, in bytes, or 0 when there is none.</summary>
    public long QuotaBytes { get; private set; }

    /// <summary>The page limit in effect for the quota (SQLite's <c>max_page_count</c>), or 0 when there is none.</summary>
    public long QuotaPages { get; private set; }

    /// <summary>The database's page size, read when the quota was set.</summary>
    public long PageSize { get; private set; }

    /// <summary>
    /// The <c>PRAGMA data_version</c> this connection last saw when checking the catalog for another process's
    /// changes (<see cref="ReposDatabase.CheckCatalogForQuery"/>).
    /// </summary>
    public long LastDataVersion { get; set; } = -1;

    /// <summary>Whether a transaction is open on this connection.</summary>
    public bool InTransaction => raw.sqlite3_get_autocommit(_handle) == 0;

    public static SqliteConnection Open(string path, bool readOnly, bool create) => Open(path, readOnly, create, immutable: false);

    /// <summary>
    /// Opens a connection; with <paramref name="immutable"/> (read-only only) the file is read as SQLite's
    /// <c>immutable=1</c>: no locks, no <c>-shm</c> or <c>-wal</c>, on the promise that nothing changes the file.
    /// </summary>
    public static SqliteConnection Open(string path, bool readOnly, bool create, bool immutable)
    {
        EnsureInitialized();
        int flags = raw.SQLITE_OPEN_NOMUTEX | raw.SQLITE_OPEN_URI;
        flags |= readOnly ? raw.SQLITE_OPEN_READONLY : raw.SQLITE_OPEN_READWRITE;
        if (create && !readOnly)
        {
            flags |= raw.SQLITE_OPEN_CREATE;
        }

        string name = immutable && readOnly ? ImmutableUri(path) : path;
        int rc = raw.sqlite3_open_v2(name, out sqlite3 handle, flags, null);
        if (rc != raw.SQLITE_OK)
        {
            string message = handle is null ? raw.sqlite3_errstr(rc).utf8_to_string() : raw.sqlite3_errmsg(handle).utf8_to_string();
            int extended = handle is null ? rc : raw.sqlite3_extended_errcode(handle);
            handle?.Dispose();
            throw new ReposStorageException($"Cannot open the database file '{path}': {message}", rc & 0xFF, extended);
        }

        raw.sqlite3_extended_result_codes(handle, 1);
        return new SqliteConnection(handle, path) { IsImmutable = immutable && readOnly };
    }

    /// <summary>Whether the connection reads the file as immutable (see <see cref="Open(string, bool, bool, bool)"/>).</summary>
    public bool IsImmutable { get; private init; }

    /// <summary>The <c>file:</c> URI of <paramref name="path"/> with <c>immutable=1</c>, every byte outside a plain path percent-encoded.</summary>
    internal static string ImmutableUri(string path)
    {
        string full = System.IO.Path.GetFullPath(path).Replace('\\', '/');
        var uri = new System.Text.StringBuilder("file://");
        if (!full.StartsWith('/'))
        {
            uri.Append('/');
        }

        foreach (byte b in System.Text.Encoding.UTF8.GetBytes(full))
        {
            char c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '/' or '-' or '.' or '_' or '~' or ':')
            {
                uri.Append(c);
            }
            else
            {
                uri.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return uri.Append("?immutable=1").ToString();
    }

    /// <summary>
    /// Limits the database to <paramref name="maxSizeBytes"/>, in whole pages, through SQLite's
    /// <c>max_page_count</c> (a setting of this connection only). A file already larger keeps its size as the limit.
    /// </summary>
    public void SetQuota(long maxSizeBytes)
    {
        PageSize = ExecuteScalar("PRAGMA page_size");
        long pages = Math.Max(1, maxSizeBytes / PageSize);
        using SqliteStatement statement = PrepareOnce(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"PRAGMA max_page_count={pages}"));
        QuotaPages = statement.Step() ? statement.ColumnInt64(0) : pages;
        QuotaBytes = maxSizeBytes;
    }

    /// <summary>The pages holding data: the page count less the free pages (a read of the database header).</summary>
    public long UsedPages() => ExecuteScalar("PRAGMA page_count") - ExecuteScalar("PRAGMA freelist_count");

    /// <summary>
    /// How many pages this connection has written to the file or its log since it opened (SQLite's
    /// <c>SQLITE_DBSTATUS_CACHE_WRITE</c>; it wraps around as an unsigned 32-bit count). A counter read, no SQL.
    /// </summary>
    public int PagesWritten
    {
        get
        {
            raw.sqlite3_db_status(_handle, raw.SQLITE_DBSTATUS_CACHE_WRITE, out int current, out _, 0);
            return current;
        }
    }

    /// <summary>Runs one or more statements that return no rows.</summary>
    public void Execute(string sql)
    {
        int rc = raw.sqlite3_exec(_handle, sql, null, null, out string? error);
        if (rc != raw.SQLITE_OK)
        {
            throw Error(rc, $"Executing '{Abbreviate(sql)}' failed: {error}");
        }
    }

    /// <summary>Begins a write transaction, taking the file's write lock now (waiting up to the busy timeout).</summary>
    public void BeginImmediate()
    {
        Run("BEGIN IMMEDIATE");
        TransactionSerial++;
    }

    /// <summary>Raised by each <see cref="BeginImmediate"/>: tells whether a write transaction is the one something happened in.</summary>
    public long TransactionSerial { get; private set; }

    /// <summary>Raised at the start of each write operation on this connection (<see cref="WriteScope"/>), in a transaction of its own or not.</summary>
    public long WriteOperationSerial { get; set; }

    /// <summary>Commits the open transaction.</summary>
    public void Commit() => Run("COMMIT");

    /// <summary>Rolls the open transaction back.</summary>
    public void Rollback() => Run("ROLLBACK");

    /// <summary>
    /// Runs one statement without results through the statement cache: the transaction statements run on
    /// every write, and preparing them each time would cost more than running them.
    /// </summary>
    public void Run(string sql) => Prepare(sql).Execute();

    /// <summary>Runs a statement that returns one integer (a PRAGMA, a count).</summary>
    public long ExecuteScalar(string sql)
    {
        SqliteStatement statement = Prepare(sql);
        try
        {
            return statement.Step() ? statement.ColumnInt64(0) : 0;
        }
        finally
        {
            statement.Reset();
        }
    }

    /// <summary>Runs a statement once and returns the first column of its first row as text, or null when it returns none.</summary>
    public string? ExecuteText(string sql)
    {
        using SqliteStatement statement = PrepareOnce(sql);
        return statement.Step() && !statement.IsNull(0) ? statement.ColumnText(0) : null;
    }

    /// <summary>
    /// Returns the prepared statement for <paramref name="sql"/>, preparing it on first use and reusing it
    /// afterwards. The caller resets it when done.
    /// </summary>
    public SqliteStatement Prepare(string sql)
    {
        if (!_statements.TryGetValue(sql, out SqliteStatement? statement))
        {
            statement = PrepareOnce(sql, persistent: true);
            _statements.Add(sql, statement);
        }

        return statement;
    }

    /// <summary>
    /// Returns a prepared statement for <paramref name="sql"/> that the caller holds across steps it does not
    /// control (an enumeration the app drives) and gives back with <see cref="ReturnStatement"/>. It is never one
    /// that <see cref="Prepare"/> hands out, and a statement is rented to one caller at a time: two enumerations
    /// of one query at once get two statements, and the second is kept for next time too (up to 64 are kept).
    /// </summary>
    public SqliteStatement RentStatement(string sql) =>
        _idleStreamStatements.Remove(sql, out SqliteStatement? statement) ? statement : PrepareOnce(sql, persistent: true);

    /// <summary>How many statements of finished enumerations the connection keeps for the next ones.</summary>
    internal int KeptStreamStatements => _idleStreamStatements.Count;

    /// <summary>Resets a statement from <see cref="RentStatement"/> and keeps it for the next enumeration of its SQL.</summary>
    public void ReturnStatement(SqliteStatement statement)
    {
        statement.Reset();
        if (_idleStreamStatements.Count >= MaxIdleStreamStatements || !_idleStreamStatements.TryAdd(statement.Sql, statement))
        {
            statement.Dispose();
        }
    }

    /// <summary>Prepares a statement the caller owns and disposes (one-off SQL).</summary>
    public SqliteStatement PrepareOnce(string sql, bool persistent = false)
    {
        int rc = raw.sqlite3_prepare_v3(_handle, sql, persistent ? 1u : 0u, out sqlite3_stmt stmt, out string? tail);
        if (rc != raw.SQLITE_OK)
        {
            stmt?.Dispose();
            throw Error(rc, $"Preparing '{Abbreviate(sql)}' failed");
        }

        if (!string.IsNullOrWhiteSpace(tail))
        {
            stmt.Dispose();
            throw new InvalidOperationException($"Only one statement can be prepared at a time: '{Abbreviate(sql)}'.");
        }

        return new SqliteStatement(this, stmt, sql);
    }

    /// <summary>SQLite's message for the last failed call on this connection.</summary>
    public string LastErrorMessage => raw.sqlite3_errmsg(_handle).utf8_to_string();

    /// <summary>Builds the exception for a failed call, with SQLite's message and codes.</summary>
    internal ReposStorageException Error(int rc, string context)
    {
        int extended = raw.sqlite3_extended_errcode(_handle);
        string message = LastErrorMessage;
        if ((rc & 0xFF) == SqliteCodes.Full)
        {
            string detail = $"{context}: {message} (SQLite error {extended})";
            return IsQuotaReached()
                ? new ReposStorageFullException(Path, QuotaBytes, detail, extended)
                : new ReposStorageFullException(Path, detail, extended);
        }

        if ((rc & 0xFF) == SqliteCodes.IoError && IsDiskNearlyFull())
        {
            // SQLite reports a full disk as an I/O error where it grows its shared-memory index or truncates.
            return new ReposStorageFullException(Path, $"{context}: {message} (SQLite error {extended}; the disk has almost no free space)", extended);
        }

        return new ReposStorageException($"{context}: {message} (SQLite error {extended})", rc & 0xFF, extended);
    }

    /// <summary>
    /// Whether the disk holding the file has less than <see cref="NearlyFullBytes"/> free: an I/O error then is
    /// taken to be the full disk (SQLite's C API does not pass on the system's error number through SQLitePCLRaw).
    /// </summary>
    internal bool IsDiskNearlyFull() => IsDiskNearlyFull(Path);

    /// <inheritdoc cref="IsDiskNearlyFull()"/>
    internal static bool IsDiskNearlyFull(string path)
    {
        try
        {
            string folder = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path)) ?? path;
            return new DriveInfo(folder).AvailableFreeSpace < NearlyFullBytes;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return false;
        }
    }

    /// <summary>Free space below which an I/O error is reported as a full disk: a megabyte, a few WAL frames' worth.</summary>
    internal const long NearlyFullBytes = 1 << 20;

    /// <summary>
    /// Whether a full-database error came from the quota rather than the disk. SQLite reports both the same way;
    /// the quota is taken to be the cause when the disk still has room for the file to grow to it. Nothing here
    /// calls SQLite, so its message for the failed call stays available.
    /// </summary>
    private bool IsQuotaReached()
    {
        if (QuotaPages == 0)
        {
            return false;
        }

        try
        {
            var file = new FileInfo(Path);
            long headroom = Math.Max(0, (QuotaPages * PageSize) - (file.Exists ? file.Length : 0));
            return new DriveInfo(file.DirectoryName ?? Path).AvailableFreeSpace > headroom;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            // The cause cannot be told: the message then names both.
            return false;
        }
    }

    public void Dispose()
    {
        foreach (SqliteStatement statement in _statements.Values.Concat(_idleStreamStatements.Values))
        {
            statement.Dispose();
        }

        _statements.Clear();
        _idleStreamStatements.Clear();
        _handle.Dispose();
    }

    private static string Abbreviate(string sql) => sql.Length <= 200 ? sql : string.Concat(sql.AsSpan(0, 200), "...");

    private static void EnsureInitialized()
    {
        if (Volatile.Read(ref s_initialized))
        {
            return;
        }

        lock (s_initLock)
        {
            if (!s_initialized)
            {
                Batteries_V2.Init();
                Volatile.Write(ref s_initialized, true);
            }
        }
    }
}
