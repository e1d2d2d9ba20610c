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

    /// <summary>The options used when none are given.</summary>
    public static ReposDatabaseOptions Default { get; } = new();
}
