namespace Repos.Recovery;

/// <summary>What an open did about a damaged file (<see cref="ReposDatabase.DamageRecovery"/>).</summary>
public sealed class DamageRecovery
{
    internal DamageRecovery(DamagedFileAction action, Exception error, string damagedFileKeptAt)
    {
        Action = action;
        Error = error;
        DamagedFileKeptAt = damagedFileKeptAt;
    }

    /// <summary>What the app chose.</summary>
    public DamagedFileAction Action { get; }

    /// <summary>The error that made the first open fail.</summary>
    public Exception Error { get; }

    /// <summary>Where the damaged file was kept (<c>&lt;file&gt;.damaged-&lt;time&gt;</c>, with its <c>-wal</c> beside it if it had one).</summary>
    public string DamagedFileKeptAt { get; }

    /// <summary>The backup put in the file's place, for <see cref="DamagedFileAction.RestoreLatestBackup"/>.</summary>
    public string? RestoredFrom { get; internal init; }

    /// <summary>What the salvage recovered and lost, for <see cref="DamagedFileAction.Salvage"/>.</summary>
    public SalvageReport? Salvage { get; internal init; }
}
