namespace Repos.Transfer;

/// <summary>How a CSV export writes values nested in an entity (docs/transfer.md, <i>CSV export</i>).</summary>
public enum CsvNesting
{
    /// <summary>
    /// The default: a nested object is flattened into <c>Parent.Child</c> columns, as deep as it goes, while no list,
    /// set or dictionary is on the way; a list, set or dictionary (and a type that contains itself) is one cell of JSON.
    /// </summary>
    Flatten,

    /// <summary>Every nested object, list, set and dictionary is one cell holding its JSON.</summary>
    JsonCells,
}
