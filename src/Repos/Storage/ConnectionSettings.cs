using System.Globalization;
using Repos.Storage.Sqlite;

namespace Repos.Storage;

/// <summary>The settings every connection Repos opens gets.</summary>
internal static class ConnectionSettings
{
    /// <summary>The statement that sets the busy timeout of <paramref name="options"/> on a connection.</summary>
    public static string BusyTimeoutPragma(ReposDatabaseOptions options)
    {
        long busyMilliseconds = (long)Math.Clamp(options.BusyTimeout.TotalMilliseconds, 0, int.MaxValue);
        return string.Create(CultureInfo.InvariantCulture, $"PRAGMA busy_timeout={busyMilliseconds}");
    }

    /// <summary>
    /// Opens a connection with every setting (<see cref="Connect"/>, then <see cref="Configure"/>).
    /// <paramref name="immutable"/> reads a read-only file as immutable (see <see cref="Connect"/>).
    /// </summary>
    public static SqliteConnection Open(string path, ReposDatabaseOptions options, bool writer, bool immutable = false)
    {
        SqliteConnection connection = Connect(path, options, writer, immutable);
        try
        {
            Configure(connection, options, writer);
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Opens a connection with its busy timeout and nothing else: it has not changed the file, so the open can
    /// check what the file is (<see cref="FileOpenCheck"/>) before <see cref="Configure"/> switches it to WAL.
    /// </summary>
    /// <remarks>
    /// A read-only connection reads the schema at once. When SQLite cannot open the file because it cannot
    /// create the shared-memory index (<c>-shm</c>) a WAL file needs (read-only media, a folder that cannot be
    /// written), and the file has no write-ahead log with commits in it, the connection is opened again on the
    /// file as immutable: every commit is then in the main file, and nothing can write it while no one can
    /// create its log. With commits in a <c>-wal</c> it fails: they cannot be read without the index.
    /// </remarks>
    public static SqliteConnection Connect(string path, ReposDatabaseOptions options, bool writer, bool immutable = false)
    {
        bool readOnly = options.ReadOnly || !writer;
        SqliteConnection connection = SqliteConnection.Open(path, readOnly, create: writer && !options.ReadOnly, immutable: immutable && readOnly);
        try
        {
            connection.Execute(BusyTimeoutPragma(options));
            if (options.ReadOnly && !connection.IsImmutable)
            {
                connection.ExecuteScalar("SELECT count(*) FROM sqlite_schema");
            }

            return connection;
        }
        catch (ReposStorageException e) when (e.ResultCode == SqliteCodes.NotADatabase)
        {
            connection.Dispose();
            throw FileOpenCheck.NotADatabase(path, e);
        }
        catch (ReposStorageException e) when (options.ReadOnly && !connection.IsImmutable && e.ResultCode is SqliteCodes.CantOpen or SqliteCodes.ReadOnly)
        {
            connection.Dispose();
            string wal = path + "-wal";
            if (File.Exists(wal) && new FileInfo(wal).Length > 0)
            {
                throw new ReposStorageException(
                    $"The database file '{path}' cannot be opened read-only: it has a write-ahead log ('{wal}') with commits not yet in the file, and SQLite cannot create the shared-memory index ('-shm') it needs to read them, as the folder cannot be written ({e.Message}). Open it once where its folder can be written, or copy it with its -wal file to writable storage.",
                    e.ResultCode,
                    e.ExtendedResultCode);
            }

            return Connect(path, options, writer, immutable: true);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The page cache of <see cref="ReposDatabaseOptions.PageCacheSize"/> and, when asked, memory mapping; WAL lets readers work while one writer commits; synchronous=NORMAL in WAL mode makes every committed
    /// transaction survive a killed process (only a power cut can lose the last ones; synchronous=FULL, for
    /// <see cref="Durability.PowerLoss"/>, flushes at every commit so it cannot); the busy timeout
    /// makes concurrent writers from other processes wait instead of failing. The size quota, if any, is set on
    /// the writing connection: it is the only one that can grow the file. A read-only open changes nothing, so
    /// its connections get no synchronous setting.
    /// </summary>
    public static void Configure(SqliteConnection connection, ReposDatabaseOptions options, bool writer)
    {
        // The page cache and memory mapping change how this connection reads, not the file: read-only opens get them too.
        connection.Execute(string.Create(CultureInfo.InvariantCulture, $"PRAGMA cache_size={-(options.PageCacheSize / 1024)}"));
        if (options.MemoryMapSize > 0)
        {
            connection.Execute(string.Create(CultureInfo.InvariantCulture, $"PRAGMA mmap_size={options.MemoryMapSize}"));
        }

        if (options.ReadOnly)
        {
            return;
        }

        if (writer)
        {
            connection.Execute("PRAGMA journal_mode=WAL");
        }

        connection.Execute(options.Durability == Durability.PowerLoss ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL");
        if (writer && options.MaxSizeBytes is { } maxSizeBytes)
        {
            connection.SetQuota(maxSizeBytes);
        }
    }

    /// <summary>
    /// Gives <paramref name="connection"/> a page cache of at least 32 MiB until the result is disposed, for work
    /// that reads or rewrites every row (a migration, an integrity check): with a small cache SQLite reads the same
    /// pages again and again, or spills dirty pages to the log over and over. A larger cache is left as it is.
    /// </summary>
    public static LargeCacheScope LargeCache(SqliteConnection connection)
    {
        const long LargeCacheKiB = 32 * 1024;
        long previous = connection.ExecuteScalar("PRAGMA cache_size");

        // A negative cache_size is in KiB; a positive one in pages (of this file's page size).
        long previousKiB = previous < 0 ? -previous : previous * connection.ExecuteScalar("PRAGMA page_size") / 1024;
        if (previousKiB >= LargeCacheKiB)
        {
            return default;
        }

        connection.Execute(string.Create(CultureInfo.InvariantCulture, $"PRAGMA cache_size={-LargeCacheKiB}"));
        return new LargeCacheScope(connection, previous);
    }

    /// <summary>Puts a connection's page cache back as it was before <see cref="LargeCache"/>.</summary>
    internal readonly struct LargeCacheScope(SqliteConnection? connection, long previous) : IDisposable
    {
        public void Dispose() =>
            connection?.Execute(string.Create(CultureInfo.InvariantCulture, $"PRAGMA cache_size={previous}"));
    }
}
