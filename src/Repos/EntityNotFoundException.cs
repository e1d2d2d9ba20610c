namespace Repos;

/// <summary>An update named a key that no entity has; nothing was written.</summary>
public sealed class EntityNotFoundException : ReposException
{
    /// <summary>Creates the exception for an entity type and key.</summary>
    public EntityNotFoundException(string entityName, string key)
        : base($"No {entityName} with key {key} exists to update; nothing was written. Use UpsertAsync to insert it when missing.")
    {
        EntityName = entityName;
        Key = key;
    }

    /// <summary>The entity type.</summary>
    public string EntityName { get; }

    /// <summary>The key that was not found, as text.</summary>
    public string Key { get; }
}
