namespace Repos.Cli;

/// <summary>What the <c>repos</c> command's exit code says (docs/transfer.md, <i>The repos tool</i>).</summary>
internal static class ExitCodes
{
    /// <summary>The command did what it was asked.</summary>
    public const int Success = 0;

    /// <summary>The command line is wrong: an unknown command or option, a bad value, an entity, index or backup the file does not have.</summary>
    public const int Usage = 1;

    /// <summary>The file cannot be opened: there is none, it is not a Repos file, it is written by a newer Repos, or another process has it locked.</summary>
    public const int CannotOpen = 2;

    /// <summary>The file is damaged: <c>verify</c> found problems, <c>recover</c> lost rows, or a read met a damaged row.</summary>
    public const int Damaged = 3;

    /// <summary>The input is refused: a backup to restore fails its check, or a bundle to import is malformed, does not fit the file, or holds invalid or conflicting rows.</summary>
    public const int Refused = 4;

    /// <summary>The operation failed part way (a full disk, an I/O error, a cancel) and changed nothing.</summary>
    public const int Failed = 5;
}
