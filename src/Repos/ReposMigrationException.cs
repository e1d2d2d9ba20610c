namespace Repos;

/// <summary>
/// A migration failed on a row, or a step of the database's migration failed: every change of the open was rolled back, and the file is as it was. The
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

    /// <summary>Creates the exception for a step of the database's own migration (<see cref="DatabaseAttribute.Version"/>).</summary>
    /// <param name="databaseName">The database class.</param>
    /// <param name="fromVersion">The database version the step started from.</param>
    /// <param name="toVersion">The version it was migrating to.</param>
    /// <param name="row">The stored row the step was working on, if it was reading one.</param>
    /// <param name="backupPath">The backup taken before migrating, if one was.</param>
    /// <param name="inner">What the step threw.</param>
    public ReposMigrationException(string databaseName, int fromVersion, int toVersion, Migrations.StoredRow? row, string? backupPath, Exception inner)
        : base($"Migrating the database {databaseName} from version {fromVersion} to {toVersion} failed" +
               (row is null ? string.Empty : $" at {row.EntityName} {row.Key}") + $": {inner.Message} Nothing was changed." +
               (backupPath is null ? string.Empty : $" A copy of the file from before the migration is at '{backupPath}'."), inner)
    {
        EntityName = row?.EntityName ?? databaseName;
        FromVersion = fromVersion;
        ToVersion = toVersion;
        Key = row?.Key ?? string.Empty;
        BackupPath = backupPath;
    }

    /// <summary>The entity whose row failed; for a step of the database, the entity of the stored row it was on, or else the database's name.</summary>
    public string EntityName { get; }

    /// <summary>The version the row was at.</summary>
    public int FromVersion { get; }

    /// <summary>The version it was being migrated to.</summary>
    public int ToVersion { get; }

    /// <summary>The key of the row that failed, as text; empty when a step of the database failed outside any stored row.</summary>
    public string Key { get; }

    /// <summary>The backup taken before migrating, if one was.</summary>
    public string? BackupPath { get; }
}
