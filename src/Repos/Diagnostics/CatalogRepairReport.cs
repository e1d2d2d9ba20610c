namespace Repos.Diagnostics;

/// <summary>
/// What an open put back in a damaged catalog (<see cref="ReposDatabase.CatalogRepair"/>). The catalog keeps a
/// sealed copy of its rows with a SHA-256 of them; rows that no longer match while the copy still does were
/// put back as the copy has them, in the open's transaction, before anything was read or written.
/// </summary>
public sealed class CatalogRepairReport
{
    internal CatalogRepairReport(IReadOnlyList<string> rows)
    {
        Rows = rows;
    }

    /// <summary>Each catalog row that was missing, changed or added, as it was found.</summary>
    public IReadOnlyList<string> Rows { get; }

    /// <summary>One line per repaired row.</summary>
    public override string ToString() => "catalog repaired from its sealed copy: " + string.Join("; ", Rows);
}
