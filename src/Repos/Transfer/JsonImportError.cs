namespace Repos.Transfer;

/// <summary>One problem an import found: which document, where in it, and what is wrong.</summary>
/// <param name="Kind">What kind of problem it is.</param>
/// <param name="DocumentIndex">
/// The document's position among the documents read (0 for the first), or null when the problem is not in one
/// document (a malformed dump, a path that is not found).
/// </param>
/// <param name="DocumentKey">
/// The document's key in the dump when documents come from a JSON object (with <see cref="JsonImportOptions.KeyPrefix"/>
/// removed), or null when they come from an array.
/// </param>
/// <param name="Path">Where in the document the problem is, as a JSON path with the dump's names (<c>$.tags[2].weight</c>); <c>$</c> is the document itself.</param>
/// <param name="Message">What is wrong, for people: it names the expected type or the broken rule.</param>
public sealed record JsonImportError(JsonImportErrorKind Kind, long? DocumentIndex, string? DocumentKey, string Path, string Message)
{
    /// <summary>
    /// The line of the dump (1 for the first) the document starts on, or where the dump is malformed; null when the
    /// problem is in no document, or the documents come from JSON text inside a string value.
    /// </summary>
    public long? Line { get; init; }

    /// <summary>
    /// For a <see cref="JsonImportErrorKind.Validation"/> problem, the rule broken, as <see cref="ValidationError.Rule"/>
    /// names it (<c>Range</c>, <c>Required</c>, <c>MaxKeyLength</c>, or a rule of the entity's <c>Validate</c> hook);
    /// otherwise null (<see cref="Kind"/> and <see cref="Message"/> say what is wrong).
    /// </summary>
    public string? Rule { get; init; }

    /// <inheritdoc />
    public override string ToString()
    {
        string document = (DocumentIndex, DocumentKey) switch
        {
            (null, _) => "the dump",
            ({ } index, null) => $"document {index}",
            ({ } index, { } key) => $"document {index} (key '{key}')",
        };
        string line = Line is { } number ? $" (line {number})" : string.Empty;
        return $"{document}, {Path}: {Message}{line}";
    }
}
