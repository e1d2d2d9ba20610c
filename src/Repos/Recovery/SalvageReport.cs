using System.Globalization;
using System.Text;
using Repos.Diagnostics;

namespace Repos.Recovery;

/// <summary>What <see cref="ReposRecovery.SalvageAsync"/> read, kept and lost.</summary>
/// <remarks>
/// With the app's model, <see cref="RowsRecovered"/> counts exactly the rows of the new file, and each of them is
/// a row that was stored, in its own entity, with its stored values (see <see cref="ReposRecovery.SalvageAsync"/>);
/// whatever the salvage could not vouch for is in <see cref="SalvagedEntity.Lost"/> (with the reason) or
/// <see cref="RowsUnidentified"/>.
/// </remarks>
public sealed class SalvageReport
{
    internal SalvageReport(string damagedPath, string newPath)
    {
        DamagedPath = damagedPath;
        NewPath = newPath;
    }

    /// <summary>The damaged file (left as it was).</summary>
    public string DamagedPath { get; }

    /// <summary>The new file the rows were written to.</summary>
    public string NewPath { get; }

    /// <summary>The damaged file's page size.</summary>
    public int PageSize { get; internal set; }

    /// <summary>Whether its header was damaged and the page size had to be worked out from the pages.</summary>
    public bool PageSizeGuessed { get; internal set; }

    /// <summary>The pages read.</summary>
    public long Pages { get; internal set; }

    /// <summary>Pages of committed transactions taken from the write-ahead log beside the file.</summary>
    public int PagesFromWriteAheadLog { get; internal set; }

    /// <summary>
    /// Whether the file's own catalog (entities and field ids) could be read and was copied to the new file;
    /// when false, the app's model supplied it.
    /// </summary>
    public bool CatalogRecovered { get; internal set; }

    /// <summary>
    /// The records of the damaged file's catalog that were corrected in the new file, where the app's model and
    /// the file's tables determined them (an entity's table, key or type; a field's type): empty when none was.
    /// </summary>
    public IReadOnlyList<CatalogRepair> CatalogRepairs { get; internal set; } = [];

    /// <summary>Each entity: rows kept, rows lost.</summary>
    public IReadOnlyList<SalvagedEntity> Entities { get; internal set; } = [];

    /// <summary>The rows written to the new file (with the model: the rows it holds, each checked against the model).</summary>
    public long RowsRecovered => Entities.Sum(e => e.RowsRecovered);

    /// <summary>The rows known to be lost (see <see cref="SalvagedEntity.Lost"/>).</summary>
    public long RowsLost => Entities.Sum(e => e.RowsLost);

    /// <summary>
    /// Rows with an intact blob that could not be told apart as one entity's (found on a page cut off from its
    /// tree, matching no entity or several): not written.
    /// </summary>
    public long RowsUnidentified { get; internal set; }

    /// <summary>Pages that could not be read in any b-tree, the schema and catalog included.</summary>
    public int PagesUnreadable { get; internal set; }

    /// <summary>
    /// Whatever else the salvage noticed, in prose: catalog records that disagree, a check it could not make. What
    /// it changed is in <see cref="CatalogRepairs"/>, what it lost in <see cref="SalvagedEntity.Lost"/>.
    /// </summary>
    public IReadOnlyList<string> Warnings { get; internal set; } = [];

    /// <summary>
    /// The new file's <see cref="ReposDatabase.VerifyAsync"/> with the app's model, after rows that failed it
    /// were removed (and listed as lost), or null when no model was given.
    /// </summary>
    public VerifyReport? Verification { get; internal set; }

    /// <summary>Whether nothing is known or suspected to be lost.</summary>
    public bool IsComplete => RowsLost == 0 && RowsUnidentified == 0 && PagesUnreadable == 0;

    /// <summary>A summary, then one line per entity and per warning.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{RowsRecovered} rows recovered, {RowsLost} lost, {RowsUnidentified} unidentified, {PagesUnreadable} pages unreadable");
        foreach (SalvagedEntity entity in Entities)
        {
            text.AppendLine().Append(CultureInfo.InvariantCulture,
                $"{entity.Entity}: {entity.RowsRecovered} recovered ({entity.RowsFromOrphanedPages} from cut-off pages), {entity.RowsLost} lost, {entity.PagesUnreadable} pages unreadable");
        }

        foreach (CatalogRepair repair in CatalogRepairs)
        {
            text.AppendLine().Append(CultureInfo.InvariantCulture,
                $"repaired {repair.Table} {repair.Type}{(repair.Field is null ? "" : "." + repair.Field)} {repair.Column}: {repair.Found ?? "(missing)"} -> {repair.Written ?? "(removed)"}");
        }

        foreach (string warning in Warnings)
        {
            text.AppendLine().Append(warning);
        }

        return text.ToString();
    }
}
