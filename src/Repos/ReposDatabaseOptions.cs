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

    /// <summary>
    /// What a committed write survives: a killed process (the default) or also a power cut. See
    /// <see cref="Repos.Durability"/>.
    /// </summary>
    public Durability Durability { get; init; } = Durability.ProcessCrash;

    /// <summary>Receives the progress of migrations that run at open, or null.</summary>
    public IProgress<Migrations.MigrationProgress>? MigrationProgress { get; init; }

    /// <summary>
    /// Whether to copy the file before migrating it (on by default). The copy sits beside the file, named
    /// after it with the old version and the time, and is kept.
    /// </summary>
    public bool BackupBeforeMigration { get; init; } = true;

    /// <summary>The options used when none are given.</summary>
    public static ReposDatabaseOptions Default { get; } = new();
}
