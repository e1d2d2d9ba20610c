using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace Repos.Transfer;

/// <summary>
/// Holds the tokens of a dump to the import's limits (<see cref="JsonImportOptions.MaxStringBytes"/>,
/// <see cref="JsonImportOptions.MaxPropertyNameBytes"/>, <see cref="JsonImportOptions.MaxDepth"/>) and checks that
/// its strings are valid UTF-8, which <see cref="Utf8JsonReader"/> leaves to whoever decodes them. Inside a
/// document it also keeps where the reader is (property names as offsets into the document, array positions),
/// so a problem is named by its JSON path without a string made per token.
/// </summary>
internal sealed class JsonTokenCheck
{
    private readonly int _maxString;
    private readonly int _maxName;
    private readonly int _maxDepth;
    private Frame[] _frames = new Frame[8];
    private int _depth;

    public JsonTokenCheck(JsonImportOptions options)
    {
        _maxString = options.MaxStringBytes;
        _maxName = options.MaxPropertyNameBytes;
        _maxDepth = options.MaxDepth;
    }

    /// <summary>How many objects and arrays of the document are open.</summary>
    public int Depth => _depth;

    /// <summary>Whether the next string of the document is a property name.</summary>
    public bool ExpectsName => _depth > 0 && _frames[_depth - 1].IsObject && _frames[_depth - 1].NameLength < 0;

    /// <summary>Starts a document.</summary>
    public void Reset() => _depth = 0;

    /// <summary>
    /// Checks the options' limits are usable, so a wrong one is an argument error rather than a limit no dump meets.
    /// </summary>
    public static void CheckOptions(JsonImportOptions options)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxStringBytes, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxPropertyNameBytes, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxDocumentBytes, 2, nameof(options));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.MaxDocumentBytes, Array.MaxLength / 2, nameof(options));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.MaxStringBytes, Array.MaxLength / 2, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxDepth, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.MaxDepth, 1000, nameof(options));
    }

    /// <summary>
    /// Takes one token of a document, at <paramref name="offset"/> from the document's first byte.
    /// A string that is the whole document is held to the document's limit by the reader, not to the string's.
    /// </summary>
    /// <returns>The problem, or null.</returns>
    public (JsonImportErrorKind Kind, string Message)? Take(ref Utf8JsonReader reader, int offset)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject or JsonTokenType.StartArray:
                if (_depth == _maxDepth)
                {
                    return (JsonImportErrorKind.LimitExceeded, $"objects and arrays nest deeper than {_maxDepth} levels (MaxDepth)");
                }

                if (_depth == _frames.Length)
                {
                    Array.Resize(ref _frames, _frames.Length * 2);
                }

                _frames[_depth++] = new Frame { IsObject = reader.TokenType == JsonTokenType.StartObject, NameLength = -1 };
                return null;
            case JsonTokenType.EndObject or JsonTokenType.EndArray:
                _depth--;
                ValueDone();
                return null;
            case JsonTokenType.PropertyName:
                if (CheckScalar(ref reader, _maxString, _maxName) is { } nameProblem)
                {
                    return nameProblem;
                }

                _frames[_depth - 1].NameOffset = offset;
                _frames[_depth - 1].NameLength = reader.ValueSpan.Length + 2;
                return null;
            default:
                if (_depth > 0 && CheckScalar(ref reader, _maxString, _maxName) is { } problem)
                {
                    return problem;
                }

                ValueDone();
                return null;
        }
    }

    /// <summary>
    /// The problem with a string, property name or number token, anywhere in the dump: too long for its limit, or
    /// not valid UTF-8; or null.
    /// </summary>
    public static (JsonImportErrorKind Kind, string Message)? CheckScalar(ref Utf8JsonReader reader, int maxString, int maxName)
    {
        ReadOnlySpan<byte> raw = reader.ValueSpan;
        bool name = reader.TokenType == JsonTokenType.PropertyName;
        if (reader.TokenType is not (JsonTokenType.String or JsonTokenType.PropertyName or JsonTokenType.Number))
        {
            return null;
        }

        int limit = name ? maxName : maxString;
        string what = name ? "a property name" : reader.TokenType == JsonTokenType.Number ? "a number" : "a string";
        if (raw.Length > limit)
        {
            return (JsonImportErrorKind.LimitExceeded, TooLong(what, raw.Length, complete: true, limit, name ? "MaxPropertyNameBytes" : "MaxStringBytes"));
        }

        if (reader.TokenType == JsonTokenType.Number)
        {
            return null;
        }

        if (!Utf8.IsValid(raw))
        {
            return (JsonImportErrorKind.MalformedJson, $"{what} is not valid UTF-8 (a malformed, overlong or surrogate byte sequence)");
        }

        if (reader.ValueIsEscaped && !SurrogateEscapesArePaired(raw))
        {
            return (JsonImportErrorKind.MalformedJson, $"{what} holds an escaped lone surrogate (\\uD800 to \\uDFFF without its pair), which is not valid Unicode");
        }

        return null;
    }

    /// <summary>The message for a token longer than its limit; <paramref name="complete"/> when its whole length is known, not only what was read of it.</summary>
    public static string TooLong(string what, long length, bool complete, int limit, string option) =>
        string.Create(CultureInfo.InvariantCulture, $"{what} of {(complete ? string.Empty : "more than ")}{length:N0} bytes is longer than the limit of {limit:N0} bytes ({option}), so it was not read");

    /// <summary>
    /// The JSON path of where the document is, with its own names; <paramref name="document"/> holds its bytes
    /// read so far (the names are read from there).
    /// </summary>
    public string PathIn(ReadOnlySpan<byte> document)
    {
        var path = new StringBuilder("$");
        for (int i = 0; i < _depth; i++)
        {
            Frame frame = _frames[i];
            if (!frame.IsObject)
            {
                JsonPathText.Append(path, null, frame.Index);
            }
            else if (frame.NameLength >= 0)
            {
                var name = new Utf8JsonReader(document.Slice(frame.NameOffset, frame.NameLength));
                name.Read();
                JsonPathText.Append(path, name.GetString()!, -1);
            }
        }

        return path.ToString();
    }

    /// <summary>
    /// Checks a whole document held in memory (the JSON text a string held): every token to the limits, and the
    /// nesting; the problem with its path, or null. A document that is not well-formed is left to the parser.
    /// </summary>
    public (JsonImportErrorKind Kind, string Path, string Message)? CheckDocument(ReadOnlySpan<byte> json)
    {
        Reset();
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = _maxDepth + 2 });
        try
        {
            while (reader.Read())
            {
                if (Take(ref reader, (int)reader.TokenStartIndex) is { } problem)
                {
                    return (problem.Kind, PathIn(json), problem.Message);
                }
            }
        }
        catch (JsonException)
        {
            // The parser reports it, with its line and position.
        }

        return null;
    }

    /// <summary>A value ended: the next one in an array is at the next position; an object waits for a name.</summary>
    private void ValueDone()
    {
        if (_depth == 0)
        {
            return;
        }

        ref Frame frame = ref _frames[_depth - 1];
        if (frame.IsObject)
        {
            frame.NameLength = -1;
        }
        else
        {
            frame.Index++;
        }
    }

    /// <summary>Whether every <c>\uD800</c>-<c>\uDBFF</c> escape is followed by a <c>\uDC00</c>-<c>\uDFFF</c> one, and no low one stands alone.</summary>
    private static bool SurrogateEscapesArePaired(ReadOnlySpan<byte> raw)
    {
        bool high = false;
        int i = 0;
        while (i < raw.Length)
        {
            if (raw[i] != (byte)'\\')
            {
                if (high)
                {
                    return false;
                }

                int next = raw[i..].IndexOf((byte)'\\');
                if (next < 0)
                {
                    return true;
                }

                i += next;
                continue;
            }

            // The reader has checked the escapes are well-formed: \u and four hex digits, or one character.
            if (raw[i + 1] != (byte)'u')
            {
                if (high)
                {
                    return false;
                }

                i += 2;
                continue;
            }

            int unit = int.Parse(raw.Slice(i + 2, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
            bool isHigh = unit is >= 0xD800 and <= 0xDBFF;
            bool isLow = unit is >= 0xDC00 and <= 0xDFFF;
            if (high != isLow)
            {
                return false;
            }

            high = isHigh;
            i += 6;
        }

        return !high;
    }

    private struct Frame
    {
        public bool IsObject;
        public int Index;
        public int NameOffset;
        public int NameLength;
    }
}
