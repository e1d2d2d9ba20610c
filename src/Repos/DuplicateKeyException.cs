namespace Repos;

/// <summary>An insert used a key that another entity already has; nothing was written.</summary>
public sealed class DuplicateKeyException : ReposException
{
    /// <summary>Creates the exception for an entity type and key.</summary>
    public DuplicateKeyException(string entityName, string key)
        : base($"{entityName} with key {key} already exists; nothing was written. Use UpsertAsync to replace it, or UpdateAsync to change it.")
    {
        EntityName = entityName;
        Key = key;
    }

    /// <summary>The entity type.</summary>
    public string EntityName { get; }

    /// <summary>The duplicate key, as text.</summary>
    public string Key { get; }
}
