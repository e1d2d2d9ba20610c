namespace Repos;

/// <summary>
/// Stored bytes are not valid in the format that was expected: a MessagePack value, an LZ4 block or a
/// blob envelope is truncated, malformed or out of range. The message says what was wrong and
/// <see cref="Offset"/> says where.
/// </summary>
/// <remarks>
/// Every decoder in <c>Repos.Serialization</c> reports bad input with this type (or with
/// <see cref="ReposChecksumException"/>, which derives from it) and with no other exception type.
/// </remarks>
public class ReposFormatException : ReposException
{
    /// <summary>Creates the exception for a problem at <paramref name="offset"/> of the input.</summary>
    /// <param name="message">What was wrong, without the offset (it is appended).</param>
    /// <param name="offset">The byte offset in the input where the problem was found, or -1 if unknown.</param>
    public ReposFormatException(string message, long offset)
        : this(message, offset, innerException: null)
    {
    }

    /// <summary>Creates the exception for a problem at <paramref name="offset"/>, with its cause.</summary>
    /// <param name="message">What was wrong, without the offset (it is appended).</param>
    /// <param name="offset">The byte offset in the input where the problem was found, or -1 if unknown.</param>
    /// <param name="innerException">The exception that revealed the problem.</param>
    public ReposFormatException(string message, long offset, Exception? innerException)
        : base(offset >= 0 ? $"{message} (at offset {offset})" : message, innerException)
    {
        Offset = offset;
        Reason = message;
    }

    /// <summary>The byte offset in the input where the problem was found, or -1 if it is not known.</summary>
    public long Offset { get; }

    /// <summary>What was wrong, without the offset.</summary>
    public string Reason { get; }
}
