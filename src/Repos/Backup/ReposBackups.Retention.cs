namespace Repos.Backup;

public sealed partial class ReposBackups
{
    private static readonly TimeSpan s_abandonedAfter = TimeSpan.FromDays(1);

    /// <summary>
    /// Deletes every backup <paramref name="policy"/> does not keep, judged at the current time of the
    /// clock (<see cref="ReposDatabaseOptions.TimeProvider"/>). Also removes what interrupted backups left
    /// behind more than a day ago (unrecorded copies), never a recorded backup the policy keeps.
    /// </summary>
    /// <param name="policy">Which backups to keep.</param>
    /// <param name="cancellationToken">Cancels the clean-up between two deletions.</param>
    /// <returns>The backups deleted, oldest first.</returns>
    /// <exception cref="InvalidOperationException">The policy keeps nothing (every rule is 0).</exception>
    public ValueTask<IReadOnlyList<BackupInfo>> ApplyRetentionAsync(BackupRetention policy, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(policy);
        cancellationToken.ThrowIfCancellationRequested();
        return new ValueTask<IReadOnlyList<BackupInfo>>(ApplyRetention(policy, cancellationToken));
    }

    internal List<BackupInfo> ApplyRetention(BackupRetention policy, CancellationToken cancellationToken)
    {
        List<BackupInfo> backups = List(cancellationToken);
        DateTimeOffset now = _timeProvider.GetUtcNow();
        HashSet<string> kept = policy.SelectKept(backups, now, _timeProvider.LocalTimeZone);
        var deleted = new List<BackupInfo>();
        for (int i = backups.Count - 1; i >= 0; i--)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!kept.Contains(backups[i].Id))
            {
                Delete(backups[i]);
                deleted.Add(backups[i]);
            }
        }

        DeleteAbandoned();
        return deleted;
    }

    /// <summary>
    /// Deletes the files of backups that were never recorded (the process stopped while copying): a data
    /// file with no manifest at all, or a partial file, untouched for a day.
    /// </summary>
    private void DeleteAbandoned()
    {
        // File times are the file system's: compared with the real clock, not the policy's.
        DateTime now = DateTime.UtcNow;
        if (!Directory.Exists(Folder))
        {
            return;
        }

        foreach (string file in Directory.EnumerateFiles(Folder))
        {
            string name = Path.GetFileName(file);
            bool partial = name.EndsWith(BackupManifest.PartialExtension, StringComparison.Ordinal);
            bool unrecorded = name.EndsWith(BackupManifest.DataExtension, StringComparison.Ordinal)
                && !File.Exists(Path.Combine(Folder, Path.GetFileNameWithoutExtension(name) + BackupManifest.ManifestExtension));
            if ((partial || unrecorded) && now - File.GetLastWriteTimeUtc(file) > s_abandonedAfter)
            {
                File.Delete(file);
            }
        }
    }
}
