namespace Repos;

/// <summary>
/// A write failed because the disk holding the database is full, or the file reached its size limit. The
/// write was rolled back: the file is intact and everything committed before is kept. Free space (or raise
/// the limit) and write again.
/// </summary>
public sealed class ReposStorageFullException : ReposStorageException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="path">The database file.</param>
    /// <param name="detail">What SQLite reported.</param>
    /// <param name="extendedResultCode">SQLite's extended result code.</param>
    public ReposStorageFullException(string path, string detail, int extendedResultCode)
        : base($"The database '{path}' cannot grow: the disk is full or the file reached its size limit. The write was rolled back and the file is intact. ({detail})", 13, extendedResultCode)
    {
        DatabasePath = path;
    }

    /// <summary>The database file that could not grow.</summary>
    public string DatabasePath { get; }
}
