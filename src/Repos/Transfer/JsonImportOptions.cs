namespace Repos.Transfer;

/// <summary>How <see cref="JsonImportExtensions.ImportJsonAsync"/> finds documents in a JSON dump and turns them into entities.</summary>
public sealed class JsonImportOptions
{
    /// <summary>
    /// Where the documents are in the dump, or null for the top-level value: property names separated by dots,
    /// with <c>[n]</c> for an array element and <c>['name']</c> for a name with dots or spaces, optionally after
    /// <c>$</c> (<c>stores.notes</c>, <c>$.data[0].rows</c>, <c>$['app.notes']</c>). The value there is an array of
    /// documents, an object of key → document, or a string holding either as JSON text.
    /// </summary>
    public string? Path { get; init; }

    /// <summary>
    /// When the documents come from an object: only the entries whose key starts with this prefix are documents
    /// (others are passed over), and the prefix is removed from their key (<c>note:</c> for localStorage keys such
    /// as <c>note:42</c>). Null takes every entry.
    /// </summary>
    public string? KeyPrefix { get; init; }

    /// <summary>
    /// JSON names to read as another property: the key is the name in the dump, the value a property name of the
    /// entity or of a type inside it (<c>["txt"] = "Text"</c>). Other names match a property exactly, then ignoring
    /// case (camelCase), then ignoring case, underscores and dashes (snake_case, kebab-case).
    /// </summary>
    public IReadOnlyDictionary<string, string>? PropertyNames { get; init; }

    /// <summary>What to do with a JSON property that matches no property. The default ignores it.</summary>
    public UnknownPropertyHandling UnknownProperties { get; init; } = UnknownPropertyHandling.Ignore;

    /// <summary>What to do with a document whose key is stored already or came earlier in the import. The default fails the import.</summary>
    public DuplicateKeyHandling DuplicateKeys { get; init; } = DuplicateKeyHandling.Fail;

    /// <summary>The unit of numbers read as dates (Unix time) and durations. The default is milliseconds, as JavaScript stores them.</summary>
    public TimeNumberUnit TimeNumbers { get; init; } = TimeNumberUnit.Milliseconds;

    /// <summary>
    /// How many problems the import collects before it stops reading (100 by default): every conversion and
    /// validation problem of every document up to this many, counted within one document too, so that the
    /// problems held in memory are bounded whatever the dump holds. Whatever the number, a problem means
    /// nothing is written.
    /// </summary>
    public int MaxErrors { get; init; } = 100;

    /// <summary>
    /// The longest string the dump may hold, in UTF-8 bytes as written in the dump (an escape sequence counts
    /// its full length): 16 MiB by default. Numbers are held to the same length. A longer one fails the import
    /// while it is being read, before it is held whole, in a property the entity has or not. A document kept
    /// as JSON text inside a string is held to <see cref="MaxDocumentBytes"/> instead, and its own strings to this.
    /// </summary>
    public int MaxStringBytes { get; init; } = 16 * 1024 * 1024;

    /// <summary>
    /// The longest property name, in UTF-8 bytes as written in the dump: 1 KiB by default. The keys of an object
    /// of key to document are property names too.
    /// </summary>
    public int MaxPropertyNameBytes { get; init; } = 1024;

    /// <summary>
    /// The largest document, in bytes of the dump from its first byte to its last: 64 MiB by default. The import
    /// holds one document at a time, so this bounds its memory (with the parsed form, a few times this). A string
    /// that holds the whole dump as JSON text (<see cref="Path"/> selects it) is held to this too.
    /// </summary>
    public int MaxDocumentBytes { get; init; } = 64 * 1024 * 1024;

    /// <summary>
    /// How deep objects and arrays may nest inside one document (the document's own object is depth 1): 64 by
    /// default, at most 1,000.
    /// </summary>
    public int MaxDepth { get; init; } = 64;

    /// <summary>
    /// Whether the dump holds values in the exact forms a Repos export writes (docs/transfer.md, <i>Values</i>), so
    /// that every value reads back as it was: then a <see cref="DateTime"/> with a numeric offset is a local time
    /// (one ending in <c>Z</c> stays UTC, one without either stays unspecified), where by default it is converted to
    /// UTC. False unless set.
    /// </summary>
    public bool ExactValues { get; init; }

    /// <summary>The options used when none are given.</summary>
    public static JsonImportOptions Default { get; } = new();
}
