namespace Repos.Transfer;

/// <summary>What an import of a bundle does with a row whose key the file holds already (docs/transfer.md, <i>Import of a bundle</i>).</summary>
public enum BundleImportStrategy
{
    /// <summary>
    /// The default: new rows go in, rows equal to the stored ones are passed over, and a row that differs from the
    /// stored one refuses the whole import before anything is written.
    /// </summary>
    FailOnConflict,

    /// <summary>The entities in the bundle are emptied first, then hold exactly the bundle's rows.</summary>
    Replace,

    /// <summary>
    /// New rows go in; of a row in both, the newer wins: by the property <see cref="BundleImportOptions.NewerBy"/>
    /// names for its entity, else by its row version (<c>[RowVersion]</c>); on a tie the stored row stays.
    /// </summary>
    Merge,

    /// <summary>New rows go in; a row whose key is stored already is passed over.</summary>
    SkipExisting,
}
