namespace Repos;

/// <summary>
/// A write of an entity with a row version (a <c>[ConcurrencyCheck]</c> property) found the stored row at
/// another version than the entity's: someone else changed it since the entity was read. This write changed
/// nothing (a batch it belongs to wrote nothing). Read the entity again, apply the change to it, and retry.
/// </summary>
public sealed class ConcurrencyConflictException : ReposException
{
    /// <summary>Creates the exception for an entity type and key, and the two versions.</summary>
    /// <param name="entityName">The entity type.</param>
    /// <param name="key">The entity's key, as text.</param>
    /// <param name="expectedVersion">The row version the entity carried (the one it was read at).</param>
    /// <param name="actualVersion">The row version of the stored row.</param>
    public ConcurrencyConflictException(string entityName, string key, long expectedVersion, long actualVersion)
        : base($"{entityName} {key} was changed by another write: this write expected version {expectedVersion}, but the stored row is at version {actualVersion}; nothing was written. Read it again, reapply the change and retry.")
    {
        EntityName = entityName;
        Key = key;
        ExpectedVersion = expectedVersion;
        ActualVersion = actualVersion;
    }

    /// <summary>The entity type.</summary>
    public string EntityName { get; }

    /// <summary>The entity's key, as text.</summary>
    public string Key { get; }

    /// <summary>The row version the written entity carried: the version it was read at.</summary>
    public long ExpectedVersion { get; }

    /// <summary>The row version of the stored row, which another write gave it.</summary>
    public long ActualVersion { get; }
}
