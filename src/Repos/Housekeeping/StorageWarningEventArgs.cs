namespace Repos.Housekeeping;

/// <summary>
/// The data for <see cref="ReposDatabase.StorageWarning"/>: the database has used
/// <see cref="ReposDatabaseOptions.StorageWarningThreshold"/> of its size quota.
/// </summary>
public sealed class StorageWarningEventArgs : EventArgs
{
    /// <summary>Creates the event data.</summary>
    /// <param name="databasePath">The database file.</param>
    /// <param name="usedBytes">The bytes in use.</param>
    /// <param name="maxSizeBytes">The quota.</param>
    /// <param name="threshold">The share of the quota at which the warning is raised.</param>
    public StorageWarningEventArgs(string databasePath, long usedBytes, long maxSizeBytes, double threshold)
    {
        DatabasePath = databasePath;
        UsedBytes = usedBytes;
        MaxSizeBytes = maxSizeBytes;
        Threshold = threshold;
    }

    /// <summary>The database file.</summary>
    public string DatabasePath { get; }

    /// <summary>The bytes in pages holding data (free pages, which writes reuse, not counted).</summary>
    public long UsedBytes { get; }

    /// <summary>The size quota, <see cref="ReposDatabaseOptions.MaxSizeBytes"/>.</summary>
    public long MaxSizeBytes { get; }

    /// <summary>The share of the quota at which the warning is raised, <see cref="ReposDatabaseOptions.StorageWarningThreshold"/>.</summary>
    public double Threshold { get; }

    /// <summary>The share of the quota in use: <see cref="UsedBytes"/> over <see cref="MaxSizeBytes"/>.</summary>
    public double UsedFraction => (double)UsedBytes / MaxSizeBytes;
}
