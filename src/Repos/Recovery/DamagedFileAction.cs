namespace Repos.Recovery;

/// <summary>What to do when a database file cannot be opened because it is damaged (<see cref="ReposDatabaseOptions.OnDamagedFile"/>).</summary>
public enum DamagedFileAction
{
    /// <summary>Throw the error the open met, and leave the file where it is.</summary>
    Fail,

    /// <summary>
    /// Put the newest backup that opens and verifies in the file's place: the backups recorded in the backups
    /// folder (<see cref="Backup.ReposBackups"/>, newest first, such as the ones taken before migrations), then
    /// copies beside the file named <c>&lt;file&gt;*.bak</c>.
    /// </summary>
    RestoreLatestBackup,

    /// <summary>Write every row that can be salvaged from the damaged file into a new file in its place (<see cref="ReposRecovery.SalvageAsync"/>).</summary>
    Salvage,

    /// <summary>Start with a new, empty file.</summary>
    StartEmpty,
}
