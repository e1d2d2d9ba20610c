using System.Globalization;
using System.Text;

namespace Repos.Transfer;

/// <summary>
/// An import from JSON found problems, so it wrote nothing. <see cref="Errors"/> lists every problem found
/// (conversion and validation problems of the same document alike, up to <see cref="JsonImportOptions.MaxErrors"/>),
/// each naming its document and line, the JSON path in it, the rule broken and what is wrong.
/// </summary>
public sealed class JsonImportException : ReposException
{
    private const int ErrorsInMessage = 20;

    /// <summary>Creates the exception for an entity and the problems its import found.</summary>
    /// <param name="entityName">The entity type the documents were imported as.</param>
    /// <param name="errors">The problems, in the order they were found.</param>
    /// <param name="documentsRead">How many documents were read before the import stopped.</param>
    /// <param name="stoppedAtLimit">Whether the import stopped at <see cref="JsonImportOptions.MaxErrors"/> before reading every document.</param>
    public JsonImportException(string entityName, IReadOnlyList<JsonImportError> errors, long documentsRead, bool stoppedAtLimit)
        : base(BuildMessage(entityName, errors, documentsRead, stoppedAtLimit))
    {
        EntityName = entityName;
        Errors = errors;
        DocumentsRead = documentsRead;
        StoppedAtLimit = stoppedAtLimit;
    }

    /// <summary>The entity type the documents were imported as.</summary>
    public string EntityName { get; }

    /// <summary>Every problem found, in the order found (at most <see cref="JsonImportOptions.MaxErrors"/>).</summary>
    public IReadOnlyList<JsonImportError> Errors { get; }

    /// <summary>How many documents were read (or reached, for one the dump breaks off in) before the import stopped.</summary>
    public long DocumentsRead { get; }

    /// <summary>
    /// Whether the import stopped at <see cref="JsonImportOptions.MaxErrors"/> problems: documents after the
    /// last one read were not checked, and may have problems too.
    /// </summary>
    public bool StoppedAtLimit { get; }

    private static string BuildMessage(string entityName, IReadOnlyList<JsonImportError> errors, long documentsRead, bool stoppedAtLimit)
    {
        var documents = new HashSet<long>();
        foreach (JsonImportError error in errors)
        {
            documents.Add(error.DocumentIndex ?? -1);
        }

        var message = new StringBuilder();
        message.Append(CultureInfo.InvariantCulture, $"Importing {entityName} from JSON found {errors.Count} {(errors.Count == 1 ? "problem" : "problems")}");
        if (!documents.Contains(-1))
        {
            message.Append(CultureInfo.InvariantCulture, $" in {documents.Count} of {documentsRead} {(documentsRead == 1 ? "document" : "documents")}");
        }

        message.Append(stoppedAtLimit ? ", and stopped there" : string.Empty).Append("; nothing was written:");
        for (int i = 0; i < errors.Count && i < ErrorsInMessage; i++)
        {
            message.Append(Environment.NewLine).Append("  ").Append(errors[i]);
        }

        if (errors.Count > ErrorsInMessage)
        {
            message.Append(Environment.NewLine).Append(CultureInfo.InvariantCulture, $"  ... and {errors.Count - ErrorsInMessage} more (see Errors).");
        }

        return message.ToString();
    }
}
