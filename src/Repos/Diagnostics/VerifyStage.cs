namespace Repos.Diagnostics;

/// <summary>The part of <see cref="ReposDatabase.VerifyAsync"/> a <see cref="VerifyProgress"/> reports on.</summary>
public enum VerifyStage
{
    /// <summary>SQLite's own check of the file's pages and indexes (<c>PRAGMA integrity_check</c>).</summary>
    IntegrityCheck,

    /// <summary>The rows of the entities, one entity after another.</summary>
    Rows,

    /// <summary>Everything has been checked.</summary>
    Done,
}
