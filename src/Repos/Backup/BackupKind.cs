namespace Repos.Backup;

/// <summary>Why a backup was taken.</summary>
public enum BackupKind
{
    /// <summary>The app asked for it (<see cref="ReposBackups.CreateAsync(CancellationToken)"/>).</summary>
    Manual = 0,

    /// <summary>A <see cref="BackupSchedule"/> took it.</summary>
    Scheduled = 1,

    /// <summary>Taken at open, before migrating the file to the app's model.</summary>
    BeforeMigration = 2,

    /// <summary>Taken before an import wrote into the database.</summary>
    BeforeImport = 3,

    /// <summary>The file a restore replaced, kept as it was.</summary>
    BeforeRestore = 4,
}
