using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;

namespace Repos.Transfer;

/// <summary>What a bundle's header says (docs/transfer.md, <i>The bundle</i>).</summary>
internal sealed record BundleHeader(BundleFormat Format, string App, string? ExportedAt, BundleCatalog Catalog);

/// <summary>Takes what a <see cref="BundleReader"/> reads, in order.</summary>
internal interface IBundleSink
{
    void Header(BundleHeader header);

    /// <summary>The bundle's <c>entities</c> list <paramref name="entity"/>: its rows follow (there may be none).</summary>
    void Entity(string entity);

    /// <summary>A row of <paramref name="entity"/>, at <paramref name="version"/>; <paramref name="index"/> counts from 0 per entity.</summary>
    void Row(string entity, int version, JsonElement row, long index, string path);
}

/// <summary>
/// Reads a bundle from a stream, JSON or NDJSON, with bounded memory: one row (or the catalog) at a time in a buffer
/// that grows to at most <see cref="MaxValueBytes"/>. It checks the layout, the format and its version, that the
/// catalog comes before the rows, the counts, and the SHA-256, which it computes as it reads; a problem is a
/// <see cref="BundleFormatException"/> naming its place. It never writes: the importer reads a bundle once to check
/// it, and again to write it.
/// </summary>
internal sealed class BundleReader : IDisposable
{
    private const int StartBytes = 1 << 16;

    // The bundle's own levels: root, "entities", the entity, "rows"; a row's nesting is limited as any entity's is.
    private const int BundleDepth = 4;

    private readonly Stream _input;
    private readonly IBundleSink _sink;
    private readonly int _maxValueBytes;
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly JsonDocumentOptions _documentOptions = new() { MaxDepth = ReposLimits.MaxDepth + 1 };
    private byte[] _buffer = new byte[StartBytes];
    private int _position;
    private int _length;
    private long _base;
    private long _hashedTo;
    private long _hashEnd = long.MaxValue;
    private bool _endOfInput;
    private JsonReaderState _state = new(new JsonReaderOptions { MaxDepth = ReposLimits.MaxDepth + BundleDepth + 1 });

    // The token Next read.
    private JsonTokenType _token;
    private int _tokenStart;
    private int _tokenEnd;
    private string? _text;
    private long? _integer;

    private BundleReader(Stream input, IBundleSink sink, int maxValueBytes)
    {
        _input = input;
        _sink = sink;
        _maxValueBytes = maxValueBytes;
    }

    /// <summary>The largest row, catalog or NDJSON line read whole.</summary>
    public int MaxValueBytes => _maxValueBytes;

    /// <summary>Reads the bundle in <paramref name="input"/>, from where it stands, handing <paramref name="sink"/> its header and rows.</summary>
    /// <returns>The bundle's layout.</returns>
    /// <exception cref="BundleFormatException">The bundle is malformed, cut short, of another format or version, or fails its checksum.</exception>
    public static BundleFormat Read(Stream input, IBundleSink sink, int maxValueBytes)
    {
        using var reader = new BundleReader(input, sink, maxValueBytes);
        return reader.Read();
    }

    public void Dispose() => _hash.Dispose();

    private BundleFormat Read()
    {
        Fill();
        int first = _position;
        while (first < _length && _buffer[first] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
        {
            first++;
        }

        if (first == _length)
        {
            throw new BundleFormatException("$", "the input is empty");
        }

        // An NDJSON bundle's header is one line; a JSON bundle is one document, usually written on one line too: they
        // differ in their format name, read from whichever the first line holds.
        if (LooksLikeNdJson())
        {
            ReadNdJson();
            return BundleFormat.NdJson;
        }

        ReadJson();
        return BundleFormat.Json;
    }

    private bool LooksLikeNdJson()
    {
        ReadOnlySpan<byte> start = _buffer.AsSpan(_position, Math.Min(_length - _position, 256));
        return start.IndexOf("\"repos-bundle-ndjson\""u8) >= 0;
    }

    private void ReadJson()
    {
        Next(whole: false, "$");
        if (_token != JsonTokenType.StartObject)
        {
            throw new BundleFormatException("$", "the input is not a JSON object, so it is not a Repos bundle");
        }

        BundleCatalog? catalog = null;
        string? app = null;
        string? exportedAt = null;
        string? sha256 = null;
        bool entitiesRead = false;
        bool first = true;
        while (true)
        {
            Next(whole: false, "$");
            if (_token == JsonTokenType.EndObject)
            {
                break;
            }

            string name = _text!;
            if (first && name != "format")
            {
                throw new BundleFormatException("$", "it does not start with \"format\", so it is not a Repos bundle");
            }

            first = false;
            string at = "$." + name;
            switch (name)
            {
                case "format":
                    CheckFormat(TextValue(at), at, BundleWriter.JsonFormat);
                    break;
                case "formatVersion":
                    CheckVersion(IntegerValue(at), at);
                    break;
                case "app":
                    app = TextValue(at);
                    break;
                case "exportedAt":
                    exportedAt = TextValue(at);
                    break;
                case "catalog":
                    catalog = CatalogValue(at);
                    _sink.Header(new BundleHeader(BundleFormat.Json, app ?? string.Empty, exportedAt, catalog));
                    break;
                case "entities":
                    if (catalog is null)
                    {
                        throw new BundleFormatException(at, "the rows come before the catalog that describes them");
                    }

                    ReadEntities(catalog, at);
                    entitiesRead = true;
                    break;
                case "sha256":
                    sha256 = TextValue(at);
                    break;
                default:
                    Next(whole: true, at);
                    break;
            }
        }

        if (!entitiesRead)
        {
            throw new BundleFormatException("$", "the bundle has no \"entities\"");
        }

        EndOfInput("$");
        CheckSha256(sha256, "$.sha256");
    }

    private void ReadEntities(BundleCatalog catalog, string at)
    {
        Next(whole: false, at);
        Expect(JsonTokenType.StartObject, at, "an object of entities");
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (true)
        {
            Next(whole: false, at);
            if (_token == JsonTokenType.EndObject)
            {
                break;
            }

            string entity = _text!;
            string entityAt = $"{at}.{entity}";
            if (!seen.Add(entity))
            {
                throw new BundleFormatException(entityAt, $"the entity {entity} comes twice");
            }

            if (catalog.Entity(entity) is null)
            {
                throw new BundleFormatException(entityAt, $"the catalog does not list the entity {entity}");
            }

            _sink.Entity(entity);
            ReadEntity(entity, entityAt);
        }

        // The checksum covers every byte through this closing brace.
        _hashEnd = _base + _tokenEnd;
        HashTo(_hashEnd);
    }

    private void ReadEntity(string entity, string at)
    {
        Next(whole: false, at);
        Expect(JsonTokenType.StartObject, at, "an object with version, rows and count");
        int? version = null;
        long rows = -1;
        long? count = null;
        while (true)
        {
            Next(whole: false, at);
            if (_token == JsonTokenType.EndObject)
            {
                break;
            }

            string name = _text!;
            string propertyAt = $"{at}.{name}";
            switch (name)
            {
                case "version":
                    long value = IntegerValue(propertyAt);
                    version = value is >= 1 and <= int.MaxValue ? (int)value : throw new BundleFormatException(propertyAt, "the version is not from 1 to 2147483647");
                    break;
                case "rows":
                    if (version is null)
                    {
                        throw new BundleFormatException(propertyAt, "the rows come before the entity's version");
                    }

                    rows = ReadRows(entity, version.Value, propertyAt);
                    break;
                case "count":
                    count = IntegerValue(propertyAt);
                    break;
                default:
                    Next(whole: true, propertyAt);
                    break;
            }
        }

        if (rows < 0)
        {
            throw new BundleFormatException(at, "the entity has no rows array");
        }

        if (count != rows)
        {
            throw new BundleFormatException($"{at}.count", count is null
                ? "the entity's count is missing, so the bundle may be cut short"
                : $"the count says {count} rows but the bundle holds {rows}");
        }
    }

    private long ReadRows(string entity, int version, string at)
    {
        Next(whole: false, at);
        Expect(JsonTokenType.StartArray, at, "an array of rows");
        long index = 0;
        while (true)
        {
            string rowAt = $"{at}[{index}]";
            Next(whole: true, rowAt);
            if (_token == JsonTokenType.EndArray)
            {
                return index;
            }

            Row(entity, version, index, rowAt);
            index++;
        }
    }

    private void Row(string entity, int version, long index, string at)
    {
        if (_token != JsonTokenType.StartObject)
        {
            throw new BundleFormatException(at, $"a row is a JSON object, not {Describe(_token)}");
        }

        using JsonDocument row = Parse(at);
        _sink.Row(entity, version, row.RootElement, index, at);
    }

    private void ReadNdJson()
    {
        // Line 1: the header; then rows; the last line has the counts and the checksum of every line before it.
        long line = 1;
        BundleCatalog catalog;
        var versions = new Dictionary<string, int>(StringComparer.Ordinal);
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        using (JsonDocument header = Line("line 1") ?? throw new BundleFormatException("line 1", "the header line is missing"))
        {
            JsonElement root = header.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new BundleFormatException("line 1", "the header is not a JSON object");
            }

            CheckFormat(root.TryGetProperty("format", out JsonElement format) && format.ValueKind == JsonValueKind.String ? format.GetString()! : string.Empty, "line 1.format", BundleWriter.NdJsonFormat);
            CheckVersion(root.TryGetProperty("formatVersion", out JsonElement version) && version.TryGetInt64(out long number) ? number : 0, "line 1.formatVersion");
            catalog = root.TryGetProperty("catalog", out JsonElement catalogElement)
                ? ReadCatalog(catalogElement, "line 1.catalog")
                : throw new BundleFormatException("line 1.catalog", "the header has no catalog");
            if (!root.TryGetProperty("entities", out JsonElement entities) || entities.ValueKind != JsonValueKind.Object)
            {
                throw new BundleFormatException("line 1.entities", "the header does not list the entities");
            }

            foreach (JsonProperty entity in entities.EnumerateObject())
            {
                string at = $"line 1.entities.{entity.Name}";
                if (catalog.Entity(entity.Name) is null)
                {
                    throw new BundleFormatException(at, $"the catalog does not list the entity {entity.Name}");
                }

                if (!(entity.Value.ValueKind == JsonValueKind.Object && entity.Value.TryGetProperty("version", out JsonElement v) && v.TryGetInt32(out int value) && value >= 1))
                {
                    throw new BundleFormatException(at + ".version", "the version is missing or not a positive integer");
                }

                if (!versions.TryAdd(entity.Name, value))
                {
                    throw new BundleFormatException(at, $"the entity {entity.Name} is listed twice");
                }

                counts[entity.Name] = 0;
            }

            _sink.Header(new BundleHeader(
                BundleFormat.NdJson,
                root.TryGetProperty("app", out JsonElement app) && app.ValueKind == JsonValueKind.String ? app.GetString()! : string.Empty,
                root.TryGetProperty("exportedAt", out JsonElement at2) && at2.ValueKind == JsonValueKind.String ? at2.GetString() : null,
                catalog));
            foreach (string entity in versions.Keys)
            {
                _sink.Entity(entity);
            }
        }

        HashTo(_base + _position);
        while (true)
        {
            line++;
            string at = "line " + line.ToString(CultureInfo.InvariantCulture);
            using JsonDocument? document = Line(at) ?? throw new BundleFormatException(at, "the bundle ends without its last line of counts and checksum, so it is cut short");
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new BundleFormatException(at, "a line is a JSON object");
            }

            if (root.TryGetProperty("sha256", out JsonElement sha256))
            {
                // Every line before this one, and nothing after.
                _hashEnd = _hashedTo;
                CheckCounts(root, counts, at);
                EndOfInput(at);
                CheckSha256(sha256.ValueKind == JsonValueKind.String ? sha256.GetString() : null, at + ".sha256");
                return;
            }

            if (!root.TryGetProperty("e", out JsonElement entity) || entity.ValueKind != JsonValueKind.String || !root.TryGetProperty("r", out JsonElement row))
            {
                throw new BundleFormatException(at, "a row line is {\"e\": entity, \"r\": row}");
            }

            string name = entity.GetString()!;
            if (!versions.TryGetValue(name, out int entityVersion))
            {
                throw new BundleFormatException(at + ".e", $"the header does not list the entity {name}");
            }

            if (row.ValueKind != JsonValueKind.Object)
            {
                throw new BundleFormatException(at + ".r", $"a row is a JSON object, not {row.ValueKind.ToString().ToLowerInvariant()}");
            }

            long index = counts[name]++;
            _sink.Row(name, entityVersion, row, index, at + ".r");
            HashTo(_base + _position);
        }
    }

    private static void CheckCounts(JsonElement root, Dictionary<string, long> counts, string at)
    {
        if (!root.TryGetProperty("counts", out JsonElement claimed) || claimed.ValueKind != JsonValueKind.Object)
        {
            throw new BundleFormatException(at + ".counts", "the last line has no counts");
        }

        foreach ((string entity, long rows) in counts)
        {
            long? count = claimed.TryGetProperty(entity, out JsonElement value) && value.TryGetInt64(out long n) ? n : null;
            if (count != rows)
            {
                throw new BundleFormatException($"{at}.counts.{entity}", count is null
                    ? $"the count of {entity} is missing"
                    : $"the count says {count} rows of {entity} but the bundle holds {rows}");
            }
        }
    }

    /// <summary>The next line as a document, or null at the end of the input; the bytes after it are not consumed.</summary>
    private JsonDocument? Line(string at)
    {
        while (true)
        {
            int newline = _buffer.AsSpan(_position, _length - _position).IndexOf((byte)'\n');
            if (newline >= 0 || _endOfInput)
            {
                int end = newline >= 0 ? _position + newline : _length;
                if (end == _position && newline < 0)
                {
                    return null;
                }

                _tokenStart = _position;
                _tokenEnd = end;
                JsonDocument document = Parse(at);
                _position = newline >= 0 ? end + 1 : end;
                return document;
            }

            More(at);
        }
    }

    private JsonDocument Parse(string at)
    {
        try
        {
            return JsonDocument.Parse(_buffer.AsMemory(_tokenStart, _tokenEnd - _tokenStart), _documentOptions);
        }
        catch (JsonException e)
        {
            throw new BundleFormatException(at, $"the JSON is not valid ({Reason(e)})");
        }
    }

    private BundleCatalog CatalogValue(string at)
    {
        Next(whole: true, at);
        Expect(JsonTokenType.StartObject, at, "an object");
        using JsonDocument document = Parse(at);
        return ReadCatalog(document.RootElement, at);
    }

    private static BundleCatalog ReadCatalog(JsonElement element, string at)
    {
        try
        {
            return BundleCatalog.Read(element);
        }
        catch (BundleFormatException e) when (at != "$.catalog")
        {
            throw new BundleFormatException(at + e.Path["$.catalog".Length..], e.Reason);
        }
    }

    private static void CheckFormat(string format, string at, string expected)
    {
        if (format == expected)
        {
            return;
        }

        throw new BundleFormatException(at, format is BundleWriter.JsonFormat or BundleWriter.NdJsonFormat
            ? $"the format {format} is not laid out as one"
            : $"the format is \"{format}\", not a Repos bundle");
    }

    private static void CheckVersion(long version, string at)
    {
        if (version == BundleWriter.FormatVersion)
        {
            return;
        }

        throw new BundleFormatException(at, version > BundleWriter.FormatVersion
            ? $"the bundle is of format version {version}, written by a newer version of Repos; this one reads version {BundleWriter.FormatVersion}"
            : $"the format version {version} is not one Repos ever wrote");
    }

    private void CheckSha256(string? claimed, string at)
    {
        if (claimed is null)
        {
            throw new BundleFormatException(at, "the checksum is missing, so the bundle may be cut short");
        }

        string actual = Convert.ToHexStringLower(_hash.GetHashAndReset());
        if (!string.Equals(claimed, actual, StringComparison.OrdinalIgnoreCase))
        {
            throw new BundleFormatException(at, "the checksum does not match the content: the bundle was changed or damaged after it was written");
        }
    }

    private void Expect(JsonTokenType token, string at, string what)
    {
        if (_token != token)
        {
            throw new BundleFormatException(at, $"expected {what}, found {Describe(_token)}");
        }
    }

    private string TextValue(string at)
    {
        Next(whole: false, at);
        return _token == JsonTokenType.String ? _text! : throw new BundleFormatException(at, $"expected a string, found {Describe(_token)}");
    }

    private long IntegerValue(string at)
    {
        Next(whole: false, at);
        return _integer ?? throw new BundleFormatException(at, $"expected an integer, found {Describe(_token)}");
    }

    private void EndOfInput(string at)
    {
        while (true)
        {
            for (; _position < _length; _position++)
            {
                if (_buffer[_position] is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n'))
                {
                    throw new BundleFormatException(at, "more follows the end of the bundle");
                }
            }

            if (_endOfInput)
            {
                return;
            }

            More(at);
        }
    }

    /// <summary>Reads the next token; with <paramref name="whole"/>, an object or array through its end.</summary>
    private void Next(bool whole, string at)
    {
        while (true)
        {
            var reader = new Utf8JsonReader(_buffer.AsSpan(_position, _length - _position), _endOfInput, _state);
            bool read;
            try
            {
                read = reader.Read();
                if (read)
                {
                    JsonTokenType token = reader.TokenType;
                    int start = (int)reader.TokenStartIndex;
                    if (whole && token is JsonTokenType.StartObject or JsonTokenType.StartArray && !reader.TrySkip())
                    {
                        read = false;
                    }
                    else
                    {
                        _token = token;
                        _tokenStart = _position + start;
                        _tokenEnd = _position + (int)reader.BytesConsumed;
                        _text = token is JsonTokenType.String or JsonTokenType.PropertyName ? reader.GetString() : null;
                        _integer = token == JsonTokenType.Number && reader.TryGetInt64(out long number) ? number : null;
                        _state = reader.CurrentState;
                        _position = _tokenEnd;
                        return;
                    }
                }
            }
            catch (JsonException e)
            {
                throw new BundleFormatException(at, _endOfInput && IsIncomplete(whole)
                    ? "the bundle is cut short"
                    : $"the JSON is not valid ({Reason(e)})");
            }

            if (_endOfInput)
            {
                throw new BundleFormatException(at, "the bundle is cut short");
            }

            More(at);
        }
    }

    /// <summary>Whether what is left is valid JSON that only stops early: read as if more were to come, it fails nowhere.</summary>
    private bool IsIncomplete(bool whole)
    {
        var reader = new Utf8JsonReader(_buffer.AsSpan(_position, _length - _position), isFinalBlock: false, _state);
        try
        {
            while (reader.Read())
            {
                if (whole && reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray && !reader.TrySkip())
                {
                    return true;
                }
            }

            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static string Reason(JsonException e)
    {
        string message = e.Message;
        int cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return (cut > 0 ? message[..cut] : message).TrimEnd('.', ' ');
    }

    /// <summary>Reads more of the input after what the buffer holds, growing it when a value fills it (up to the limit).</summary>
    private void More(string at)
    {
        int pending = _length - _position;
        if (pending >= _maxValueBytes)
        {
            throw new BundleFormatException(at, $"a single value is larger than {_maxValueBytes} bytes, the limit");
        }

        HashTo(Math.Min(_base + _position, _hashEnd));
        if (pending > _buffer.Length / 2)
        {
            var larger = new byte[(int)Math.Min((long)_buffer.Length * 2, _maxValueBytes + (long)StartBytes)];
            _buffer.AsSpan(_position, pending).CopyTo(larger);
            _buffer = larger;
        }
        else
        {
            _buffer.AsSpan(_position, pending).CopyTo(_buffer);
        }

        _base += _position;
        _length = pending;
        _position = 0;
        Fill();
    }

    private void Fill()
    {
        while (_length < _buffer.Length && !_endOfInput)
        {
            int read = _input.Read(_buffer, _length, _buffer.Length - _length);
            if (read == 0)
            {
                _endOfInput = true;
            }

            _length += read;
        }
    }

    private void HashTo(long absolute)
    {
        long end = Math.Min(absolute, _hashEnd);
        if (end <= _hashedTo)
        {
            return;
        }

        _hash.AppendData(_buffer, (int)(_hashedTo - _base), (int)(end - _hashedTo));
        _hashedTo = end;
    }

    private static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        JsonTokenType.EndObject or JsonTokenType.EndArray => "the end",
        _ => token.ToString(),
    };
}
