using System.Text;

namespace Repos.Diagnostics;

/// <summary>The result of <see cref="ReposDatabase.VerifyAsync"/>: SQLite's verdict on the file, and every bad row.</summary>
public sealed class VerifyReport
{
    internal VerifyReport(
        string path,
        IReadOnlyList<string> integrityErrors,
        IReadOnlyList<VerifiedEntity> entities,
        IReadOnlyList<BadRow> badRows,
        TimeSpan elapsed)
    {
        Path = path;
        IntegrityErrors = integrityErrors;
        Entities = entities;
        BadRows = badRows;
        Elapsed = elapsed;
    }

    /// <summary>The database file.</summary>
    public string Path { get; }

    /// <summary>
    /// What SQLite's <c>PRAGMA integrity_check</c> reported (damaged pages, index entries missing or out of
    /// order); empty when it said "ok".
    /// </summary>
    public IReadOnlyList<string> IntegrityErrors { get; }

    /// <summary>
    /// What is wrong with the catalog (the entities, field ids and indexes every row is read with): rows that
    /// no longer match its sealed copy and digest, or a damaged seal. Empty when the catalog is intact.
    /// </summary>
    public IReadOnlyList<string> CatalogErrors { get; internal init; } = [];

    /// <summary>Each entity's table: rows checked and bad.</summary>
    public IReadOnlyList<VerifiedEntity> Entities { get; }

    /// <summary>Every bad row, by entity and key, in table order.</summary>
    public IReadOnlyList<BadRow> BadRows { get; }

    /// <summary>The rows checked, over all entities.</summary>
    public long RowsChecked => Entities.Sum(e => e.RowsChecked);

    /// <summary>How long the check took.</summary>
    public TimeSpan Elapsed { get; }

    /// <summary>Whether SQLite found nothing wrong, every table was read to its end, and no row is bad.</summary>
    public bool IsHealthy => IntegrityErrors.Count == 0 && CatalogErrors.Count == 0 && BadRows.Count == 0 && Entities.All(e => e.ReadError is null);

    /// <summary>A summary: the verdict, then each problem on its own line.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append(IsHealthy ? "healthy" : "damaged").Append(": ").Append(RowsChecked).Append(" rows checked, ")
            .Append(BadRows.Count).Append(" bad, in ").Append(Elapsed.TotalSeconds.ToString("F1", System.Globalization.CultureInfo.InvariantCulture)).Append(" s");
        foreach (string error in IntegrityErrors)
        {
            text.AppendLine().Append("integrity: ").Append(error);
        }

        foreach (string error in CatalogErrors)
        {
            text.AppendLine().Append("catalog: ").Append(error);
        }

        foreach (VerifiedEntity entity in Entities.Where(e => e.ReadError is not null))
        {
            text.AppendLine().Append(entity.Entity).Append(": ").Append(entity.ReadError);
        }

        foreach (BadRow row in BadRows)
        {
            text.AppendLine().Append(row);
        }

        return text.ToString();
    }
}
