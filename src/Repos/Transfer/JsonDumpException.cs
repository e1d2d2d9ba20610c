namespace Repos.Transfer;

/// <summary>A problem with the dump as a whole, found while looking for its documents; the import reports it.</summary>
internal sealed class JsonDumpException : Exception
{
    public JsonDumpException(JsonImportErrorKind kind, string path, string message)
        : base(message)
    {
        Kind = kind;
        Path = path;
    }

    public JsonImportErrorKind Kind { get; }

    /// <summary>Where in the dump the problem is.</summary>
    public string Path { get; }
}
