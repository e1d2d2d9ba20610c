namespace Repos.Transfer;

/// <summary>
/// A bundle (docs/transfer.md) is not one this version of Repos can import: malformed or truncated JSON, an unknown
/// format or version, a wrong checksum, a catalog that is not one, or a value out of the bundle's limits.
/// <see cref="Path"/> names the place. Nothing was written.
/// </summary>
public sealed class BundleFormatException : ReposException
{
    /// <summary>Creates the exception for the place <paramref name="path"/> and what is wrong there.</summary>
    /// <param name="path">The JSON path of the problem (<c>$.entities.DailyEntry.rows[3]</c>), or <c>$</c> for the whole bundle.</param>
    /// <param name="reason">What is wrong, as a clause (<c>the checksum does not match</c>).</param>
    public BundleFormatException(string path, string reason)
        : base($"The bundle cannot be imported: at {path}, {reason}. Nothing was written.")
    {
        Path = path;
        Reason = reason;
    }

    /// <summary>The JSON path of the problem, or <c>$</c> for the whole bundle.</summary>
    public string Path { get; }

    /// <summary>What is wrong, as a clause.</summary>
    public string Reason { get; }
}
