using System.Diagnostics;
using System.Globalization;
using Repos.Backup;
using Repos.Storage.Sqlite;

namespace Repos.Storage;

/// <summary>
/// Copies a consistent snapshot of a database file while other connections, in this process or others,
/// keep writing to it.
/// </summary>
/// <remarks>
/// <para>
/// SQLite's online backup copies pages from a source connection. Stepping it in chunks normally restarts
/// the copy whenever another connection commits in between, which under steady writes never finishes. So
/// the source connection opens a read transaction first and holds it to the end: every step then reads the
/// same snapshot, the copy is exactly the database as of that moment, and because the file is in WAL mode
/// writers carry on meanwhile (their commits go to the write-ahead log, which is checkpointed past the
/// snapshot once the copy ends). Copying in chunks rather than in one step lets a copy be cancelled and
/// report progress.
/// </para>
/// <para>
/// The source is read with ordinary reads, not a memory map: a read error on a failing disk must end the
/// backup with an error the app can report, where a memory map would end the process (SIGBUS), and would
/// again at every scheduled backup after a restart.
/// </para>
/// <para>
/// The copy is written with no journal and no syncs (it is a new file nobody else reads until it is
/// complete) and switched to a rollback journal so it opens on its own without a write-ahead log; the
/// caller flushes it to the disk once, at the end.
/// </para>
/// </remarks>
internal static class SnapshotCopy
{
    /// <summary>How much one step copies: big enough to cost nothing, small enough to cancel and report progress often.</summary>
    public const int DefaultBytesPerStep = 16 << 20;

    /// <summary>
    /// Copies the database at <paramref name="sourcePath"/> into <paramref name="destinationPath"/> (a new,
    /// empty file). The caller flushes the copy to the disk.
    /// </summary>
    /// <returns>The number of pages copied and the page size.</returns>
    public static (long Pages, int PageSize) Copy(
        string sourcePath,
        string destinationPath,
        TimeSpan busyTimeout,
        int bytesPerStep,
        IProgress<BackupProgress>? progress,
        CancellationToken cancellationToken)
    {
        using SqliteConnection source = SqliteConnection.Open(sourcePath, readOnly: true, create: false);
        long busyMilliseconds = (long)Math.Clamp(busyTimeout.TotalMilliseconds, 0, int.MaxValue);
        source.Execute(string.Create(CultureInfo.InvariantCulture, $"PRAGMA busy_timeout={busyMilliseconds}"));

        // The snapshot starts with the first read of the transaction.
        source.Execute("BEGIN");
        try
        {
            source.ExecuteScalar("SELECT count(*) FROM sqlite_schema");
            int pageSize = (int)source.ExecuteScalar("PRAGMA page_size");
            long pages;
            using (SqliteConnection destination = SqliteConnection.Open(destinationPath, readOnly: false, create: true))
            {
                destination.Execute("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF");
                pages = CopyPages(source, destination, pageSize, Math.Max(1, bytesPerStep / pageSize), busyMilliseconds, progress, cancellationToken);

                // The copy is complete: let checkpoints pass the snapshot again.
                source.Execute("COMMIT");

                // The copied header says WAL, as the source's does; a backup should open on its own.
                if (destination.ExecuteText("PRAGMA journal_mode=DELETE") is not "delete")
                {
                    throw new ReposStorageException($"The copy '{destinationPath}' could not be switched to a rollback journal.", 1, 1);
                }
            }

            return (pages, pageSize);
        }
        finally
        {
            if (source.InTransaction)
            {
                source.Execute("COMMIT");
            }
        }
    }

    private static long CopyPages(
        SqliteConnection source,
        SqliteConnection destination,
        int pageSize,
        int pagesPerStep,
        long busyMilliseconds,
        IProgress<BackupProgress>? progress,
        CancellationToken cancellationToken)
    {
        using SqliteBackup backup = SqliteBackup.Start(destination, source);
        long busySince = 0;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            bool done = backup.Step(pagesPerStep, out bool busy);
            if (busy)
            {
                // Only the destination can be busy (someone opened the new file); wait as a write would.
                busySince = busySince == 0 ? Stopwatch.GetTimestamp() : busySince;
                if (Stopwatch.GetElapsedTime(busySince).TotalMilliseconds > busyMilliseconds)
                {
                    throw new ReposStorageException($"The backup copy '{destination.Path}' stayed locked by another connection.", SqliteCodes.Busy, SqliteCodes.Busy);
                }

                Thread.Sleep(1);
                continue;
            }

            busySince = 0;
            long total = backup.PageCount;
            progress?.Report(new BackupProgress((total - backup.Remaining) * (long)pageSize, total * (long)pageSize));
            if (done)
            {
                backup.Complete();
                return total;
            }
        }
    }
}
