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
/// The reader keeps a buffer that grows to hold the largest single document; <see cref="Document"/> points
/// into it and stays valid until the next <see cref="MoveNextAsync"/>.
/// </remarks>
internal sealed class JsonDocumentReader : IDisposable
{
    /// <summary>How deep documents may nest: deeper than JSON's usual default, as stored types may contain themselves.</summary>
    public const int MaxDepth = 256;

    private const int InitialBufferSize = 64 * 1024;

    private readonly Stream _stream;
    private readonly JsonPathSelector _path;
    private readonly string? _keyPrefix;
    private readonly int _bufferSize;
    private byte[] _buffer;
    private int _start;
    private int _end;
    private bool _endOfStream;
    private bool _checkedByteOrderMark;
    private JsonReaderState _state = new(new JsonReaderOptions { MaxDepth = MaxDepth });
    private Phase _phase = Phase.Start;
    private int _segment;
    private int _position;
    private JsonDocumentReader? _inner;

    /// <param name="stream">The dump.</param>
    /// <param name="path">Where its documents are.</param>
    /// <param name="keyPrefix">The prefix of the keys of entries that are documents, or null for all.</param>
    /// <param name="bufferSize">The read buffer's first size (tests make it small to cut every unit across reads).</param>
    public JsonDocumentReader(Stream stream, JsonPathSelector path, string? keyPrefix, int bufferSize = InitialBufferSize)
    {
        _stream = stream;
        _path = path;
        _keyPrefix = keyPrefix;
        _bufferSize = bufferSize;
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

    /// <summary>The current document's position among the documents read (0 for the first).</summary>
    public long Index { get; private set; } = -1;

    /// <summary>Whether the reader is inside the selected array or object, between documents or in one.</summary>
    public bool InDocuments => _inner?.InDocuments ?? _phase is Phase.InArray or Phase.InObject;

    /// <summary>Moves to the next document.</summary>
    /// <returns>False when there are no more.</returns>
    /// <exception cref="JsonException">The dump is not well-formed JSON.</exception>
    /// <exception cref="JsonDumpException">The path selects nothing, or a value that holds no documents.</exception>
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
        switch (_phase)
        {
            case Phase.Start:
                if (!reader.Read())
                {
                    return NeedData();
                }

                return Arrive(ref reader);
            case Phase.Navigate:
                return Navigate(ref reader);
            case Phase.InArray or Phase.InObject:
                return NextDocument(ref reader);
            case Phase.Rest:
                while (reader.Read())
                {
                }

                Commit(ref reader);
                if (!_endOfStream)
                {
                    return Step.NeedData;
                }

                _phase = Phase.Done;
                return Step.End;
            default:
                return Step.End;
        }
    }

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
            return NeedData();
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

            match = reader.ValueTextEquals(segment.Name);
            if (!reader.Read())
            {
                return NeedData();
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

        if (!reader.TrySkip())
        {
            return NeedData();
        }

        _position++;
        Commit(ref reader);
        return Step.Continue;
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
                byte[] text = new byte[reader.HasValueSequence ? reader.ValueSequence.Length : reader.ValueSpan.Length];
                int length = reader.CopyString(text);
                _inner = new JsonDocumentReader(new MemoryStream(text, 0, length, writable: false), JsonPathSelector.Root, _keyPrefix, _bufferSize);
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

    /// <summary>Reads the next element or entry of the selected array or object.</summary>
    private Step NextDocument(ref Utf8JsonReader reader)
    {
        if (!reader.Read())
        {
            return NeedData();
        }

        if (reader.TokenType is JsonTokenType.EndArray or JsonTokenType.EndObject)
        {
            _phase = Phase.Rest;
            Commit(ref reader);
            return Step.Continue;
        }

        string? key = null;
        if (_phase == Phase.InObject)
        {
            key = reader.GetString()!;
            if (!reader.Read())
            {
                return NeedData();
            }
        }

        int start = (int)reader.TokenStartIndex;
        if (!reader.TrySkip())
        {
            return NeedData();
        }

        int end = (int)reader.BytesConsumed;
        int offset = _start;
        Commit(ref reader);
        if (key is not null && _keyPrefix is not null)
        {
            if (!key.StartsWith(_keyPrefix, StringComparison.Ordinal))
            {
                return Step.Continue;
            }

            key = key[_keyPrefix.Length..];
        }

        Document = _buffer.AsMemory(offset + start, end - start);
        Key = key;
        return Step.Document;
    }

    /// <summary>What the buffer lacks to finish a step: more data, or, at the end of the stream, nothing can.</summary>
    private Step NeedData()
    {
        if (_endOfStream)
        {
            // The reader throws for a dump that ends early; this is only reached if it did not.
            throw new JsonDumpException(JsonImportErrorKind.MalformedJson, "$", "the JSON ends before the documents do");
        }

        return Step.NeedData;
    }

    private void Commit(ref Utf8JsonReader reader)
    {
        _start += (int)reader.BytesConsumed;
        _state = reader.CurrentState;
    }

    /// <summary>Moves unread bytes to the front of the buffer (growing it when it is full of them) and reads more.</summary>
    private async ValueTask FillAsync(CancellationToken cancellationToken)
    {
        int unread = _end - _start;
        if (unread == _buffer.Length)
        {
            byte[] larger = ArrayPool<byte>.Shared.Rent(checked(_buffer.Length * 2));
            _buffer.AsSpan(_start, unread).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = larger;
        }
        else if (_start > 0)
        {
            _buffer.AsSpan(_start, unread).CopyTo(_buffer);
        }

        _start = 0;
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
