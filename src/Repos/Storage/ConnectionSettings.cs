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
    /// WAL lets readers work while one writer commits; synchronous=NORMAL in WAL mode makes every committed
    /// transaction survive a killed process (only a power cut can lose the last ones; synchronous=FULL, for
    /// <see cref="Durability.PowerLoss"/>, flushes at every commit so it cannot); the busy timeout
    /// makes concurrent writers from other processes wait instead of failing. The size quota, if any, is set on
    /// the writing connection: it is the only one that can grow the file.
    /// </summary>
    public static SqliteConnection Open(string path, ReposDatabaseOptions options, bool writer)
    {
        SqliteConnection connection = SqliteConnection.Open(path, readOnly: options.ReadOnly || !writer, create: writer && !options.ReadOnly);
        try
        {
            connection.Execute(BusyTimeoutPragma(options));
            if (writer && !options.ReadOnly)
            {
                connection.Execute("PRAGMA journal_mode=WAL");
            }

            connection.Execute(options.Durability == Durability.PowerLoss ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL");
            if (writer && !options.ReadOnly && options.MaxSizeBytes is { } maxSizeBytes)
            {
                connection.SetQuota(maxSizeBytes);
            }

            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }
}
