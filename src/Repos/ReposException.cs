namespace Repos;

/// <summary>
/// The base type of every exception Repos throws for a condition a caller can act on.
/// </summary>
public abstract class ReposException : Exception
{
    /// <summary>Creates the exception with a message.</summary>
    protected ReposException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the exception that caused it.</summary>
    protected ReposException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
