namespace Repos.Backup;

/// <summary>
/// A backup did not pass verification: a new copy was damaged while it was written (it was not kept), or a
/// recorded backup was damaged since it was taken (it was not restored). Nothing else was changed.
/// </summary>
public sealed class BackupVerificationException : ReposException
{
    /// <summary>Creates the exception for the backup and what was wrong with it.</summary>
    /// <param name="message">What was being done, what was wrong, and that nothing was changed.</param>
    /// <param name="backupId">The backup's identifier.</param>
    /// <param name="problem">What verification found.</param>
    public BackupVerificationException(string message, string backupId, string problem)
        : base(message)
    {
        BackupId = backupId;
        Problem = problem;
    }

    /// <summary>The backup's identifier.</summary>
    public string BackupId { get; }

    /// <summary>What verification found, such as SQLite's <c>quick_check</c> report or a checksum mismatch.</summary>
    public string Problem { get; }
}
