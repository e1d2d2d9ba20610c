namespace Repos.Transfer;

/// <summary>What an import does with a JSON property that matches no property of the entity (or of a type inside it).</summary>
public enum UnknownPropertyHandling
{
    /// <summary>The property is ignored.</summary>
    Ignore,

    /// <summary>The property is an error naming the document and its path: the import writes nothing.</summary>
    Fail,
}
