namespace Repos.Transfer;

/// <summary>What an import does with a document whose key is already stored (or came earlier in the same import).</summary>
public enum DuplicateKeyHandling
{
    /// <summary>The document is an error: the import writes nothing and reports it.</summary>
    Fail,

    /// <summary>The stored entity is kept and the document is counted as skipped.</summary>
    Skip,

    /// <summary>The document replaces the stored entity and is counted as replaced.</summary>
    Replace,
}
