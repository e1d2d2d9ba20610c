namespace Repos;

/// <summary>
/// The file's schema does not match the compiled model in a way Repos will not resolve on its own (a newer
/// format, a changed key or table, a change that needs a migration). Nothing was changed.
/// </summary>
public class ReposSchemaException : ReposException
{
    /// <summary>Creates the exception with a message that says what differs and what to do.</summary>
    public ReposSchemaException(string message)
        : base(message)
    {
    }
}
