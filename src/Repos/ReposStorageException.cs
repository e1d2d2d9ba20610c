namespace Repos;

/// <summary>
/// SQLite reported an error Repos cannot turn into a more specific exception: an I/O error, a full disk,
/// a file that is not a database, a busy database after the timeout.
/// </summary>
public class ReposStorageException : ReposException
{
    /// <summary>Creates the exception from SQLite's result codes and message.</summary>
    /// <param name="message">What Repos was doing and what SQLite said.</param>
    /// <param name="resultCode">SQLite's primary result code (for example 13, SQLITE_FULL).</param>
    /// <param name="extendedResultCode">SQLite's extended result code.</param>
    public ReposStorageException(string message, int resultCode, int extendedResultCode)
        : base(message)
    {
        ResultCode = resultCode;
        ExtendedResultCode = extendedResultCode;
    }

    /// <summary>SQLite's primary result code (for example 13, SQLITE_FULL).</summary>
    public int ResultCode { get; }

    /// <summary>SQLite's extended result code, which refines <see cref="ResultCode"/>.</summary>
    public int ExtendedResultCode { get; }
}
