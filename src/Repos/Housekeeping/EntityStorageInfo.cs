namespace Repos.Housekeeping;

/// <summary>How many rows one entity has and how much room they take (part of <see cref="StorageInfo"/>).</summary>
public sealed class EntityStorageInfo
{
    /// <summary>The entity's name.</summary>
    public required string Name { get; init; }

    /// <summary>Its table.</summary>
    public required string TableName { get; init; }

    /// <summary>The number of stored rows, exact.</summary>
    public long RowCount { get; init; }

    /// <summary>The bytes of the stored entities themselves (their compressed blobs), exact.</summary>
    public long PayloadBytes { get; init; }

    /// <summary>
    /// The bytes of the pages holding the entity's table and its indexes. Exact when
    /// <see cref="StorageInfo.EntityBytesAreEstimates"/> is false; otherwise the database's used pages shared out
    /// among the entities by the bytes of their rows and index entries (each table and index has at least one
    /// page), so the figures add up to at most <see cref="StorageInfo.UsedBytes"/>.
    /// </summary>
    public long Bytes { get; init; }
}
