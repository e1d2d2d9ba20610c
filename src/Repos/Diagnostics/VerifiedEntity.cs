namespace Repos.Diagnostics;

/// <summary>What <see cref="ReposDatabase.VerifyAsync"/> found in one entity's table.</summary>
public sealed class VerifiedEntity
{
    internal VerifiedEntity(string entity, string table, bool inModel)
    {
        Entity = entity;
        Table = table;
        InModel = inModel;
    }

    /// <summary>The entity.</summary>
    public string Entity { get; }

    /// <summary>Its table.</summary>
    public string Table { get; }

    /// <summary>
    /// Whether the app's model has the entity. Rows of an entity only the file's catalog knows (one a later
    /// version dropped, or a newer app added) are checked as far as that allows: envelope, checksum and a
    /// well-formed MessagePack map.
    /// </summary>
    public bool InModel { get; }

    /// <summary>The rows read.</summary>
    public long RowsChecked { get; internal set; }

    /// <summary>How many of them are bad (each is listed in <see cref="VerifyReport.BadRows"/>).</summary>
    public long BadRows { get; internal set; }

    /// <summary>
    /// Set when SQLite could not read the table to its end (a damaged page): the rows after the point where it
    /// stopped were not checked. <see cref="VerifyReport.IntegrityErrors"/> usually says more.
    /// </summary>
    public string? ReadError { get; internal set; }
}
