namespace Repos.Backup;

/// <summary>No backup with the given identifier is recorded in the backups folder. Nothing was changed.</summary>
public sealed class BackupNotFoundException : ReposException
{
    /// <summary>Creates the exception for the identifier that was not found.</summary>
    /// <param name="backupId">The identifier asked for.</param>
    /// <param name="folder">The backups folder that was searched.</param>
    public BackupNotFoundException(string backupId, string folder)
        : base($"There is no backup '{backupId}' in '{folder}'. Nothing was changed.")
    {
        BackupId = backupId;
        Folder = folder;
    }

    /// <summary>The identifier asked for.</summary>
    public string BackupId { get; }

    /// <summary>The backups folder that was searched.</summary>
    public string Folder { get; }
}
