namespace Repos;

/// <summary>
/// A write would give two entities the same values in a unique index; nothing was written.
/// </summary>
public sealed class UniqueIndexViolationException : ReposException
{
    /// <summary>Creates the exception for an entity, its key and the index.</summary>
    public UniqueIndexViolationException(string entityName, string key, string indexName, IReadOnlyList<string> properties)
        : base($"{entityName} {key} has the same {string.Join(", ", properties)} as another {entityName}, which the unique index {indexName} forbids; nothing was written.")
    {
        EntityName = entityName;
        Key = key;
        IndexName = indexName;
        Properties = properties;
    }

    /// <summary>The entity type.</summary>
    public string EntityName { get; }

    /// <summary>The key of the entity that was being written, as text.</summary>
    public string Key { get; }

    /// <summary>The unique index.</summary>
    public string IndexName { get; }

    /// <summary>The properties of the index.</summary>
    public IReadOnlyList<string> Properties { get; }

    /// <summary>The columns SQLite names in a failed unique constraint's message: "UNIQUE constraint failed: Table.A, Table.B".</summary>
    internal static string[] FailedColumns(string message)
    {
        int start = message.IndexOf("failed: ", StringComparison.Ordinal);
        return start < 0
            ? []
            : message[(start + 8)..].Split(", ").Select(c => c[(c.IndexOf('.', StringComparison.Ordinal) + 1)..].TrimEnd(' ', ')').Split(' ')[0]).ToArray();
    }
}
