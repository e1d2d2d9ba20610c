namespace Repos.Housekeeping;

/// <summary>What <see cref="ReposDatabase.VacuumAsync"/> did to the size of the database on disk.</summary>
/// <param name="SizeBeforeBytes">The file and its write-ahead log before, in bytes.</param>
/// <param name="SizeAfterBytes">The file and its write-ahead log after, in bytes.</param>
public sealed record VacuumResult(long SizeBeforeBytes, long SizeAfterBytes)
{
    /// <summary>The bytes given back to the disk (0 when the file did not shrink).</summary>
    public long ReclaimedBytes => Math.Max(0, SizeBeforeBytes - SizeAfterBytes);
}
