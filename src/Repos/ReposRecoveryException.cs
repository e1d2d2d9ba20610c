namespace Repos;

/// <summary>
/// A damaged file could not be recovered the way that was asked: its catalog is lost and no model was given,
/// no backup opens and verifies, or the salvaged file does not open. The damaged file is left where it was;
/// the message says what was tried.
/// </summary>
public sealed class ReposRecoveryException : ReposException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What was tried and why it failed.</param>
    /// <param name="innerException">The failure behind it, if any.</param>
    public ReposRecoveryException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
