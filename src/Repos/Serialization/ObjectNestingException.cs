namespace Repos.Serialization;

/// <summary>
/// Thrown by <see cref="MessagePackWriter.EnterObject"/> for objects nested deeper than
/// <see cref="ReposLimits.MaxDepth"/>; a repository reports it as the entity's <see cref="EntityValidationException"/>.
/// </summary>
public sealed class ObjectNestingException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    public ObjectNestingException()
        : base($"Objects nest deeper than {ReposLimits.MaxDepth} levels (ReposLimits.MaxDepth); such a graph cannot be stored.")
    {
    }
}
