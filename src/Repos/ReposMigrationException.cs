namespace Repos;

/// <summary>
/// A migration failed on a row: every change of the open was rolled back, and the file is as it was. The
/// inner exception is what the migration threw.
/// </summary>
public sealed class ReposMigrationException : ReposException
{
    /// <summary>Creates the exception for the row that failed.</summary>
    public ReposMigrationException(string entityName, int fromVersion, int toVersion, string key, string? backupPath, Exception inner)
        : base($"Migrating {entityName} {key} from version {fromVersion} to {toVersion} failed: {inner.Message} Nothing was changed." +
               (backupPath is null ? string.Empty : $" A copy of the file from before the migration is at '{backupPath}'."), inner)
    {
        EntityName = entityName;
        FromVersion = fromVersion;
        ToVersion = toVersion;
        Key = key;
        BackupPath = backupPath;
    }

    /// <summary>The entity whose row failed.</summary>
    public string EntityName { get; }

    /// <summary>The version the row was at.</summary>
    public int FromVersion { get; }

    /// <summary>The version it was being migrated to.</summary>
    public int ToVersion { get; }

    /// <summary>The key of the row that failed, as text.</summary>
    public string Key { get; }

    /// <summary>The backup taken before migrating, if one was.</summary>
    public string? BackupPath { get; }
}
