namespace Repos.Transfer;

/// <summary>A problem with the dump as a whole, found while looking for its documents; the import reports it.</summary>
internal sealed class JsonDumpException : Exception
{
    public JsonDumpException(JsonImportErrorKind kind, string path, string message, long? document = null)
        : base(message)
    {
        Kind = kind;
        Path = path;
        Document = document;
    }

    /// <summary>The document the problem is in, or null when it is outside the documents.</summary>
    public long? Document { get; }

    public JsonImportErrorKind Kind { get; }

    /// <summary>Where in the dump the problem is.</summary>
    public string Path { get; }
}
