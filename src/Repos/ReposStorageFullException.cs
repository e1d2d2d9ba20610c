using System.Globalization;

namespace Repos;

/// <summary>
/// A write failed because the disk holding the database is full, or the file reached its size quota
/// (<see cref="ReposDatabaseOptions.MaxSizeBytes"/>). The write was rolled back: the file is intact and everything
/// committed before is kept. Free space (delete rows, or raise the quota) and write again.
/// </summary>
/// <remarks>
/// An open throws it too when the disk has no room for what it must write: the <c>-wal</c> log and <c>-shm</c>
/// index, a migration, a new index, the backup taken before migrating; the file is then as it was. SQLite reports
/// some of these as an I/O error; one is taken for a full disk when the disk has less than a megabyte free.
/// </remarks>
public sealed class ReposStorageFullException : ReposStorageException
{
    /// <summary>Creates the exception for a full disk (or a cause Repos could not tell).</summary>
    /// <param name="path">The database file.</param>
    /// <param name="detail">What SQLite reported.</param>
    /// <param name="extendedResultCode">SQLite's extended result code.</param>
    public ReposStorageFullException(string path, string detail, int extendedResultCode)
        : base($"The database '{path}' cannot grow: the disk is full or the file reached its size limit. The write was rolled back and the file is intact. ({detail})", 13, extendedResultCode)
    {
        DatabasePath = path;
    }

    /// <summary>Creates the exception for a file that reached its size quota.</summary>
    /// <param name="path">The database file.</param>
    /// <param name="maxSizeBytes">The quota, in bytes.</param>
    /// <param name="detail">What SQLite reported.</param>
    /// <param name="extendedResultCode">SQLite's extended result code.</param>
    public ReposStorageFullException(string path, long maxSizeBytes, string detail, int extendedResultCode)
        : base(
            string.Create(
                CultureInfo.InvariantCulture,
                $"The database '{path}' reached its size quota of {maxSizeBytes:N0} bytes (ReposDatabaseOptions.MaxSizeBytes); the disk still has room. The write was rolled back and the file is intact. Delete rows to make room, or open the database with a larger quota. ({detail})"),
            13,
            extendedResultCode)
    {
        DatabasePath = path;
        MaxSizeBytes = maxSizeBytes;
    }

    /// <summary>The database file that could not grow.</summary>
    public string DatabasePath { get; }

    /// <summary>
    /// The size quota the file reached, in bytes, when the quota (not the disk) stopped the write; otherwise null.
    /// </summary>
    public long? MaxSizeBytes { get; }

    /// <summary>Whether the file's size quota, rather than the disk, stopped the write.</summary>
    public bool IsQuotaReached => MaxSizeBytes is not null;
}
