namespace Repos;

/// <summary>What a committed write survives (<see cref="ReposDatabaseOptions.Durability"/>).</summary>
public enum Durability
{
    /// <summary>
    /// A commit survives the app being killed or crashing at any moment; a power cut or an operating system
    /// crash may lose the last few commits, never the file (SQLite WAL with <c>synchronous=NORMAL</c>). The
    /// default: commits cost no disk flush, and a phone or laptop rarely loses power without warning.
    /// </summary>
    ProcessCrash,

    /// <summary>
    /// A commit also survives a power cut or an operating system crash: every commit waits for the disk to
    /// flush (SQLite WAL with <c>synchronous=FULL</c>), which makes small writes several times slower.
    /// </summary>
    PowerLoss,
}
