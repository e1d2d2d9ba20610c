namespace Repos.Recovery;

/// <summary>What to do when a database file cannot be opened because it is damaged (<see cref="ReposDatabaseOptions.OnDamagedFile"/>).</summary>
public enum DamagedFileAction
{
    /// <summary>Throw the error the open met, and leave the file where it is.</summary>
    Fail,

    /// <summary>
    /// Put the newest backup that opens and verifies in the file's place (backups are looked for beside the
    /// file: <c>&lt;file&gt;*.bak</c>, newest first, such as the copies taken before migrations).
    /// </summary>
    RestoreLatestBackup,

    /// <summary>Write every row that can be salvaged from the damaged file into a new file in its place (<see cref="ReposRecovery.SalvageAsync"/>).</summary>
    Salvage,

    /// <summary>Start with a new, empty file.</summary>
    StartEmpty,
}
