namespace Repos;

/// <summary>How a Repos database file is opened.</summary>
public sealed class ReposDatabaseOptions
{
    /// <summary>
    /// Open without writing anything: no catalog changes, no table creation; every write throws. The file
    /// must exist.
    /// </summary>
    public bool ReadOnly { get; init; }

    /// <summary>
    /// How long a write waits for another process holding the file's write lock before failing
    /// (SQLite's busy timeout). The default is 10 seconds.
    /// </summary>
    public TimeSpan BusyTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Receives the progress of migrations that run at open, or null.</summary>
    public IProgress<Migrations.MigrationProgress>? MigrationProgress { get; init; }

    /// <summary>
    /// Whether to back the file up before migrating it (on by default). The copy is a recorded backup of
    /// kind <see cref="Backup.BackupKind.BeforeMigration"/> in the backups folder
    /// (<see cref="ReposDatabase.MigrationBackupPath"/> is its file).
    /// </summary>
    public bool BackupBeforeMigration { get; init; } = true;

    /// <summary>
    /// The folder backups are kept in (<see cref="ReposDatabase.Backup"/>), or null for a folder beside the
    /// database file named after it: <c>symptoms.db</c> → <c>symptoms.db.backups</c>.
    /// </summary>
    public string? BackupFolder { get; init; }

    /// <summary>
    /// The clock backups are stamped with, and that retention policies and backup schedules go by; the
    /// system clock unless set (tests set a fake one).
    /// </summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>The options used when none are given.</summary>
    public static ReposDatabaseOptions Default { get; } = new();
}
