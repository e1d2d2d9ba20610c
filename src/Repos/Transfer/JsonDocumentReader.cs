using System.Buffers;
using System.Text.Json;

namespace Repos.Transfer;

/// <summary>
/// Reads the documents of a JSON dump from a stream one at a time, without holding the whole dump: it walks
/// to the value <see cref="JsonImportOptions.Path"/> selects, then hands out each element of that array (or
/// each entry of that object, with its key) as the UTF-8 bytes of one JSON value. A selected value that is a
/// string is read as the JSON text it holds. The rest of the dump is read too, so a malformed dump is noticed.
/// </summary>
/// <remarks>
/// The reader reads token by token and keeps a buffer that grows to hold the largest single document;
/// <see cref="Document"/> points into it and stays valid until the next <see cref="MoveNextAsync"/>. Every token
/// is held to the options' limits as it is read (<see cref="JsonTokenCheck"/>): a string, property name or
/// document longer than its limit is refused once the buffer holds more of it than the limit, never read whole,
/// so the buffer stays within about twice the largest limit whatever the dump holds, in the documents or not.
/// </remarks>
internal sealed class JsonDocumentReader : IDisposable
{
    private const int InitialBufferSize = 64 * 1024;

    // A run of white space outside the documents longer than this is dropped rather than held (DropWhiteSpace).
    private const int WhiteSpaceRun = 16 * 1024;

    private readonly Stream _stream;
    private readonly JsonPathSelector _path;
    private readonly string? _keyPrefix;
    private readonly int _bufferSize;
    private readonly JsonImportOptions _options;
    private readonly JsonTokenCheck _check;
    private byte[] _buffer;

    // Where the reader goes on from; bytes before it are read, and dropped unless they are the current document's.
    private int _start;

    // The first byte of the document being read, which is kept from there on; -1 between documents.
    private int _keep = -1;

    // The depth of the value being passed over token by token (a member the path does not take, an entry the key
    // prefix leaves out), or -1.
    private int _skipDepth = -1;

    // The key of the entry whose value is read next, in an object of documents.
    private string? _entryKey;
    private bool _haveEntryKey;
    private int _end;
    private bool _endOfStream;
    private bool _checkedByteOrderMark;
    private JsonReaderState _state;
    private Phase _phase = Phase.Start;
    private int _segment;
    private int _position;
    private JsonDocumentReader? _inner;

    // The line feeds before _start: the line a document starts on is counted from them.
    private long _lineFeeds;

    /// <param name="stream">The dump.</param>
    /// <param name="path">Where its documents are.</param>
    /// <param name="keyPrefix">The prefix of the keys of entries that are documents, or null for all.</param>
    /// <param name="bufferSize">The read buffer's first size (tests make it small to cut every unit across reads).</param>
    /// <param name="options">The limits a dump is held to, or null for the defaults.</param>
    public JsonDocumentReader(Stream stream, JsonPathSelector path, string? keyPrefix, int bufferSize = InitialBufferSize, JsonImportOptions? options = null)
    {
        _stream = stream;
        _path = path;
        _keyPrefix = keyPrefix;
        _bufferSize = bufferSize;
        _options = options ?? JsonImportOptions.Default;
        _check = new JsonTokenCheck(_options);

        // Documents start inside the selected value, at its depth + 1; the check holds them to MaxDepth before this does.
        _state = new JsonReaderState(new JsonReaderOptions { MaxDepth = _options.MaxDepth + path.Segments.Count + 2 });
        _buffer = ArrayPool<byte>.Shared.Rent(bufferSize);
    }

    private enum Phase
    {
        Start,
        Navigate,
        InArray,
        InObject,
        Rest,
        Done,
    }

    /// <summary>What an unfinished token at the end of the buffer is, for its limit.</summary>
    private enum Pending
    {
        Name,
        Value,
        Document,
    }

    private enum Step
    {
        Continue,
        Document,
        NeedData,
        End,
    }

    /// <summary>The current document's UTF-8 JSON.</summary>
    public ReadOnlyMemory<byte> Document { get; private set; }

    /// <summary>The current document's key (prefix removed) when documents come from an object; null in an array.</summary>
    public string? Key { get; private set; }

    /// <summary>
    /// The line of the dump (1 for the first) the current document starts on, set as soon as its first token is
    /// read (so a problem found while reading it can name it too); null for documents inside JSON text in a string.
    /// </summary>
    public long? DocumentLine { get; private set; }

    /// <summary>Whether the documents are read from JSON text inside a string value, whose lines are not the dump's.</summary>
    public bool InStringText => _inner is not null;

    /// <summary>The current document's position among the documents read (0 for the first).</summary>
    public long Index { get; private set; } = -1;

    /// <summary>Whether the reader is inside the selected array or object, between documents or in one.</summary>
    public bool InDocuments => _inner?.InDocuments ?? _phase is Phase.InArray or Phase.InObject;

    /// <summary>Moves to the next document.</summary>
    /// <returns>False when there are no more.</returns>
    /// <exception cref="JsonException">The dump is not well-formed JSON.</exception>
    /// <exception cref="JsonDumpException">
    /// The path selects nothing, or a value that holds no documents; or the dump breaks a limit, or holds a string
    /// that is not valid UTF-8 (with the document it is in, when it is in one).
    /// </exception>
    public async ValueTask<bool> MoveNextAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            if (_inner is not null)
            {
                if (await _inner.MoveNextAsync(cancellationToken).ConfigureAwait(false))
                {
                    Document = _inner.Document;
                    Key = _inner.Key;
                    DocumentLine = null;
                    Index++;
                    return true;
                }

                _inner.Dispose();
                _inner = null;
            }

            switch (TryStep())
            {
                case Step.Document:
                    Index++;
                    return true;
                case Step.NeedData:
                    await FillAsync(cancellationToken).ConfigureAwait(false);
                    break;
                case Step.End:
                    return false;
            }
        }
    }

    public void Dispose()
    {
        _inner?.Dispose();
        _inner = null;
        byte[] buffer = _buffer;
        _buffer = [];
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Takes one step with what the buffer holds: a step reads a whole unit (a token, a skipped value, a
    /// document) or nothing, so it can be tried again from the same place once more data is in.
    /// </summary>
    private Step TryStep()
    {
        if (!_checkedByteOrderMark)
        {
            if (_end - _start < 3 && !_endOfStream)
            {
                return Step.NeedData;
            }

            if (_buffer.AsSpan(_start, _end - _start).StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
            {
                _start += 3;
            }

            _checkedByteOrderMark = true;
        }

        var reader = new Utf8JsonReader(_buffer.AsSpan(_start, _end - _start), _endOfStream, _state);
        if (_skipDepth >= 0)
        {
            return Skip(ref reader);
        }

        switch (_phase)
        {
            case Phase.Start:
                if (!reader.Read())
                {
                    return NeedData((int)reader.BytesConsumed, ValueKind(selected: true));
                }

                CheckOutside(ref reader);
                return Arrive(ref reader);
            case Phase.Navigate:
                return Navigate(ref reader);
            case Phase.InArray or Phase.InObject:
                return _keep >= 0 ? ReadDocument(ref reader) : NextDocument(ref reader);
            case Phase.Rest:
                while (reader.Read())
                {
                    CheckOutside(ref reader);
                }

                if (!_endOfStream)
                {
                    return CommitAndNeedData(ref reader, Pending.Value);
                }

                Commit(ref reader);
                _phase = Phase.Done;
                return Step.End;
            default:
                return Step.End;
        }
    }

    /// <summary>
    /// What the next value is outside the documents: a string the path selects may hold the whole dump as JSON
    /// text, and is held to the document's limit; any other to a string's.
    /// </summary>
    private Pending ValueKind(bool selected) => selected && _segment >= _path.Segments.Count - 1 ? Pending.Document : Pending.Value;

    /// <summary>The reader is on the first token of the value at the first <see cref="_segment"/> steps of the path.</summary>
    private Step Arrive(ref Utf8JsonReader reader)
    {
        if (_segment == _path.Segments.Count)
        {
            return Select(ref reader);
        }

        JsonPathSelector.Segment next = _path.Segments[_segment];
        JsonTokenType wanted = next.Name is null ? JsonTokenType.StartArray : JsonTokenType.StartObject;
        if (reader.TokenType != wanted)
        {
            throw new JsonDumpException(
                JsonImportErrorKind.PathNotFound,
                _path.Prefix(_segment),
                $"the path {_path.Text} leads through {_path.Prefix(_segment)}, which is {Describe(reader.TokenType)}, not {(next.Name is null ? "an array" : "an object")}");
        }

        _phase = Phase.Navigate;
        _position = 0;
        Commit(ref reader);
        return Step.Continue;
    }

    /// <summary>Looks for the next step of the path among the members of the object or array the reader is in.</summary>
    private Step Navigate(ref Utf8JsonReader reader)
    {
        JsonPathSelector.Segment segment = _path.Segments[_segment];
        if (!reader.Read())
        {
            return NeedData((int)reader.BytesConsumed, segment.Name is not null ? Pending.Name : ValueKind(_position == segment.Index));
        }

        bool match;
        if (segment.Name is not null)
        {
            if (reader.TokenType == JsonTokenType.EndObject)
            {
                throw new JsonDumpException(
                    JsonImportErrorKind.PathNotFound,
                    _path.Prefix(_segment),
                    $"the path {_path.Text} is not in the dump: {_path.Prefix(_segment)} has no property '{segment.Name}'");
            }

            CheckOutside(ref reader);
            match = reader.ValueTextEquals(segment.Name);
            if (!reader.Read())
            {
                return NeedData((int)reader.BytesConsumed, ValueKind(match));
            }
        }
        else
        {
            if (reader.TokenType == JsonTokenType.EndArray)
            {
                throw new JsonDumpException(
                    JsonImportErrorKind.PathNotFound,
                    _path.Prefix(_segment),
                    $"the path {_path.Text} is not in the dump: {_path.Prefix(_segment)} has {_position} {(_position == 1 ? "element" : "elements")}");
            }

            match = _position == segment.Index;
        }

        if (match)
        {
            _segment++;
            return Arrive(ref reader);
        }

        _position++;
        return StartSkip(ref reader);
    }

    /// <summary>Passes over the value whose first token the reader is on, token by token, so no part of it is held longer than one token.</summary>
    private Step StartSkip(ref Utf8JsonReader reader)
    {
        CheckOutside(ref reader);
        if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
        {
            _skipDepth = reader.CurrentDepth;
        }

        Commit(ref reader);
        return Step.Continue;
    }

    private Step Skip(ref Utf8JsonReader reader)
    {
        while (reader.Read())
        {
            CheckOutside(ref reader);
            if (reader.TokenType is JsonTokenType.EndObject or JsonTokenType.EndArray && reader.CurrentDepth == _skipDepth)
            {
                _skipDepth = -1;
                Commit(ref reader);
                return Step.Continue;
            }
        }

        return CommitAndNeedData(ref reader, Pending.Value);
    }

    /// <summary>The reader is on the first token of the selected value: the array or object of documents.</summary>
    private Step Select(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.StartArray:
                _phase = Phase.InArray;
                break;
            case JsonTokenType.StartObject:
                _phase = Phase.InObject;
                break;
            case JsonTokenType.String:
                // A string holding the documents as JSON text, as localStorage keeps them: read it as a dump of its own.
                if (reader.ValueSpan.Length > _options.MaxDocumentBytes)
                {
                    throw new JsonDumpException(
                        JsonImportErrorKind.LimitExceeded,
                        _path.Text,
                        JsonTokenCheck.TooLong("the string that holds the documents", reader.ValueSpan.Length, complete: true, _options.MaxDocumentBytes, "MaxDocumentBytes"));
                }

                if (JsonTokenCheck.CheckScalar(ref reader, int.MaxValue, int.MaxValue) is { } problem)
                {
                    throw new JsonDumpException(problem.Kind, _path.Text, problem.Message);
                }

                byte[] text = new byte[reader.ValueSpan.Length];
                int length = reader.CopyString(text);
                _inner = new JsonDocumentReader(new MemoryStream(text, 0, length, writable: false), JsonPathSelector.Root, _keyPrefix, _bufferSize, _options);
                _phase = Phase.Rest;
                break;
            default:
                throw new JsonDumpException(
                    JsonImportErrorKind.PathNotFound,
                    _path.Text,
                    $"the documents should be an array or an object of key to document at {_path.Text}, which is {Describe(reader.TokenType)}");
        }

        Commit(ref reader);
        return Step.Continue;
    }

    /// <summary>Reads the first token of the next element or entry of the selected array or object (the entry's key first).</summary>
    private Step NextDocument(ref Utf8JsonReader reader)
    {
        bool readsKey = _phase == Phase.InObject && !_haveEntryKey;
        if (!reader.Read())
        {
            return NeedData((int)reader.BytesConsumed, readsKey ? Pending.Name : Pending.Document);
        }

        if (reader.TokenType is JsonTokenType.EndArray or JsonTokenType.EndObject)
        {
            _phase = Phase.Rest;
            Commit(ref reader);
            return Step.Continue;
        }

        if (readsKey)
        {
            Key = null;
            if (JsonTokenCheck.CheckScalar(ref reader, _options.MaxStringBytes, _options.MaxPropertyNameBytes) is { } problem)
            {
                throw new JsonDumpException(problem.Kind, "$", $"the entry's key: {problem.Message}", Index + 1);
            }

            _entryKey = reader.GetString()!;
            _haveEntryKey = true;
            Commit(ref reader);
            return Step.Continue;
        }

        string? key = _entryKey;
        _entryKey = null;
        _haveEntryKey = false;
        if (key is not null && _keyPrefix is not null)
        {
            if (!key.StartsWith(_keyPrefix, StringComparison.Ordinal))
            {
                return StartSkip(ref reader);
            }

            key = key[_keyPrefix.Length..];
        }

        Key = key;
        _keep = _start + (int)reader.TokenStartIndex;
        DocumentLine = _lineFeeds + _buffer.AsSpan(_start, _keep - _start).Count((byte)'\n') + 1;
        _check.Reset();
        if (reader.TokenType == JsonTokenType.String)
        {
            // A document kept as JSON text inside a string: it is held to the document's limit, and its JSON checked when it is parsed.
            if (JsonTokenCheck.CheckScalar(ref reader, int.MaxValue, int.MaxValue) is { } problem)
            {
                throw new JsonDumpException(problem.Kind, "$", problem.Message, Index + 1);
            }
        }
        else
        {
            Take(ref reader);
        }

        Commit(ref reader);
        return _check.Depth == 0 ? EndDocument() : Step.Continue;
    }

    /// <summary>Reads on in the current document, token by token, each held to the limits.</summary>
    private Step ReadDocument(ref Utf8JsonReader reader)
    {
        while (reader.Read())
        {
            Take(ref reader);
            if (_check.Depth == 0)
            {
                Commit(ref reader);
                return EndDocument();
            }
        }

        return CommitAndNeedData(ref reader, _check.ExpectsName ? Pending.Name : Pending.Value);
    }

    private void Take(ref Utf8JsonReader reader)
    {
        int offset = _start - _keep + (int)reader.TokenStartIndex;
        if (_check.Take(ref reader, offset) is { } problem)
        {
            throw new JsonDumpException(problem.Kind, _check.PathIn(_buffer.AsSpan(_keep, _end - _keep)), problem.Message, Index + 1);
        }
    }

    /// <summary>The document ends at the last token read.</summary>
    private Step EndDocument()
    {
        int length = _start - _keep;
        if (length > _options.MaxDocumentBytes)
        {
            throw DocumentTooLong(length, complete: true);
        }

        Document = _buffer.AsMemory(_keep, length);
        _keep = -1;
        return Step.Document;
    }

    private JsonDumpException DocumentTooLong(long length, bool complete) =>
        new(JsonImportErrorKind.LimitExceeded, "$", JsonTokenCheck.TooLong("the document", length, complete, _options.MaxDocumentBytes, "MaxDocumentBytes"), Index + 1);

    /// <summary>A token outside the documents: held to the limits of strings and names, and to valid UTF-8.</summary>
    private void CheckOutside(ref Utf8JsonReader reader)
    {
        // The string that holds the documents as JSON text is held to the document's limit (in Select), not a string's.
        int maxString = reader.TokenType == JsonTokenType.String && _segment == _path.Segments.Count && _phase is Phase.Start or Phase.Navigate
            ? int.MaxValue
            : _options.MaxStringBytes;
        if (JsonTokenCheck.CheckScalar(ref reader, maxString, _options.MaxPropertyNameBytes) is { } problem)
        {
            throw new JsonDumpException(problem.Kind, _phase == Phase.Navigate ? _path.Prefix(_segment) : "$", problem.Message);
        }
    }

    /// <summary>
    /// What the buffer lacks to finish a step: more data, or, at the end of the stream, nothing can. The token
    /// the buffer holds the start of may not be longer than its limit, nor the document it is in
    /// than its limit: either is refused here, before more of it is read. A long run of white space between
    /// documents is dropped here, so no amount of it is held.
    /// </summary>
    /// <param name="consumed">The bytes after <see cref="_start"/> the step read but keeps to read again.</param>
    /// <param name="pending">What the token the buffer holds the start of is, which says how long it may be.</param>
    private Step NeedData(int consumed, Pending pending)
    {
        if (_endOfStream)
        {
            // The reader throws for a dump that ends early; this is only reached if it did not.
            throw new JsonDumpException(JsonImportErrorKind.MalformedJson, "$", "the JSON ends before the documents do");
        }

        if (_keep >= 0 && _end - _keep > _options.MaxDocumentBytes)
        {
            throw DocumentTooLong(_end - _keep, complete: false);
        }

        // The unread part: separators and white space, then the start of a token.
        if (_buffer.AsSpan(_start, consumed).IndexOfAnyExcept((ReadOnlySpan<byte>)" \t\r\n"u8) < 0)
        {
            // What the step would read again is white space only (before the dump's first token).
            consumed = 0;
        }

        Span<byte> unread = _buffer.AsSpan(_start + consumed, _end - _start - consumed);
        int token = unread.IndexOfAnyExcept((ReadOnlySpan<byte>)" \t\r\n,:"u8);
        if (token < 0 && _keep < 0 && unread.Length > WhiteSpaceRun)
        {
            DropWhiteSpace(consumed, unread);
            return Step.NeedData;
        }

        (int limit, string option) = pending switch
        {
            Pending.Name => (_options.MaxPropertyNameBytes, "MaxPropertyNameBytes"),
            Pending.Value => (_options.MaxStringBytes, "MaxStringBytes"),
            _ => (_options.MaxDocumentBytes, "MaxDocumentBytes"),
        };
        if (token >= 0 && unread.Length - token > limit + 2)
        {
            bool inDocument = _keep >= 0;
            bool isName = pending == Pending.Name;
            string what = unread[token] != (byte)'"' ? "a value" : isName ? "a property name" : "a string";
            string message = JsonTokenCheck.TooLong(what, unread.Length - token, complete: false, limit, option);
            if (isName && _phase == Phase.InObject && !inDocument)
            {
                message = "the entry's key: " + message;
            }

            if (inDocument)
            {
                string path = _check.PathIn(_buffer.AsSpan(_keep, _end - _keep));
                throw new JsonDumpException(JsonImportErrorKind.LimitExceeded, path, message, Index + 1);
            }

            long? document = _phase is Phase.InObject or Phase.InArray && _skipDepth < 0 ? Index + 1 : null;
            throw new JsonDumpException(JsonImportErrorKind.LimitExceeded, document is null && _phase == Phase.Navigate ? _path.Prefix(_segment) : "$", message, document);
        }

        return Step.NeedData;
    }

    /// <summary>Keeps what the reader has read (whole tokens), then checks what it could not finish (<see cref="NeedData"/>).</summary>
    private Step CommitAndNeedData(ref Utf8JsonReader reader, Pending pending)
    {
        Commit(ref reader);
        return NeedData(0, pending);
    }

    /// <summary>
    /// Drops the white space of <paramref name="unread"/>, keeping the separators in it and the bytes the step
    /// reads again before it. The reader's own line numbers (in a <see cref="JsonException"/>) then miss those
    /// lines, though <see cref="DocumentLine"/> counts them: only a dump with a run this long (no JSON writer's
    /// indentation) is read that way.
    /// </summary>
    private void DropWhiteSpace(int consumed, Span<byte> unread)
    {
        Span<byte> separators = stackalloc byte[4];
        int count = 0;
        foreach (byte b in unread)
        {
            if (b is (byte)',' or (byte)':' && count < separators.Length)
            {
                separators[count++] = b;
            }
        }

        _lineFeeds += unread.Count((byte)'\n');
        int kept = consumed + count;
        _buffer.AsSpan(_start, consumed).CopyTo(_buffer.AsSpan(_end - kept));
        separators[..count].CopyTo(_buffer.AsSpan(_end - count));
        _start = _end - kept;
    }

    private void Commit(ref Utf8JsonReader reader)
    {
        _lineFeeds += _buffer.AsSpan(_start, (int)reader.BytesConsumed).Count((byte)'\n');
        _start += (int)reader.BytesConsumed;
        _state = reader.CurrentState;
    }

    /// <summary>
    /// Moves unread bytes (and the current document's) to the front of the buffer, growing it when it is full of
    /// them, and reads more.
    /// </summary>
    private async ValueTask FillAsync(CancellationToken cancellationToken)
    {
        int from = _keep >= 0 ? _keep : _start;
        int unread = _end - from;
        if (unread == _buffer.Length)
        {
            byte[] larger = ArrayPool<byte>.Shared.Rent(checked(_buffer.Length * 2));
            _buffer.AsSpan(from, unread).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = larger;
        }
        else if (from > 0)
        {
            _buffer.AsSpan(from, unread).CopyTo(_buffer);
        }

        _start -= from;
        if (_keep >= 0)
        {
            _keep = 0;
        }

        _end = unread;

        // Fill the buffer: a step that needs more data starts over, so reading in large pieces keeps that rare.
        int read = await _stream.ReadAtLeastAsync(_buffer.AsMemory(_end), _buffer.Length - _end, throwOnEndOfStream: false, cancellationToken)
            .ConfigureAwait(false);
        _end += read;
        if (_end < _buffer.Length)
        {
            _endOfStream = true;
        }
    }

    private static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        _ => "null",
    };
}
