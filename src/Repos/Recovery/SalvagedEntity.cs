namespace Repos.Recovery;

/// <summary>What a salvage kept and lost of one entity.</summary>
public sealed class SalvagedEntity
{
    internal SalvagedEntity(string entity, string table)
    {
        Entity = entity;
        Table = table;
    }

    /// <summary>The entity.</summary>
    public string Entity { get; }

    /// <summary>Its table.</summary>
    public string Table { get; }

    /// <summary>
    /// The rows written to the new file: each one's blob passed its checksum and decoded; with the app's model,
    /// each was read and written back by the model as stored, and the count is what the entity's table holds.
    /// </summary>
    public long RowsRecovered { get; internal set; }

    /// <summary>
    /// How many of them were found by scanning the file's pages rather than through the table's b-tree: their
    /// leaf page was cut off when a page above it was destroyed.
    /// </summary>
    public long RowsFromOrphanedPages { get; internal set; }

    /// <summary>
    /// The rows known to be lost, with their keys: a damaged blob, or a destroyed page whose keys an index still
    /// lists. Rows on a destroyed page that no index lists cannot be named; <see cref="PagesUnreadable"/> tells
    /// whether there may be some.
    /// </summary>
    public IReadOnlyList<LostRow> Lost { get; internal set; } = [];

    /// <summary>The number of rows known to be lost.</summary>
    public long RowsLost => Lost.Count;

    /// <summary>Pages of the table's b-tree that could not be read (destroyed, cut off by the end of the file).</summary>
    public int PagesUnreadable { get; internal set; }

    /// <summary>Copies of a row found more than once (an older copy on a page cut off from the tree): the first kept is the one from the tree.</summary>
    public long DuplicatesSkipped { get; internal set; }
}
