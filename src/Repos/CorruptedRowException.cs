namespace Repos;

/// <summary>
/// A stored row could not be read back: its blob is damaged (bad envelope, checksum mismatch, undecodable
/// payload). Other rows stay readable; the inner exception says what was wrong and where.
/// </summary>
public sealed class CorruptedRowException : ReposFormatException
{
    /// <summary>Creates the exception for the row of an entity type and key.</summary>
    public CorruptedRowException(string entityName, string key, ReposFormatException inner)
        : base($"The stored {entityName} with key {key} is damaged and cannot be read: {inner.Reason}", inner.Offset, inner)
    {
        EntityName = entityName;
        Key = key;
    }

    /// <summary>The entity type.</summary>
    public string EntityName { get; }

    /// <summary>The key of the damaged row, as text.</summary>
    public string Key { get; }
}
