using System.Buffers;
using System.Text.Json;
using Repos.Internal;
using Repos.Serialization;
using Repos.Storage;
using Repos.Storage.Sqlite;

namespace Repos.Transfer;

/// <summary>
/// One import of JSON documents into one entity's table. Each document is read from the stream, written as
/// the entity's MessagePack map, read back by the generated reader (the path a stored row takes), validated
/// by the generated validator and inserted through the repository's one write path, inside one write scope:
/// committed when every document went in, rolled back when any did not.
/// </summary>
internal sealed class JsonImporter<TEntity, TKey>
    where TEntity : class
    where TKey : notnull
{
    private readonly Repository<TEntity, TKey> _repository;
    private readonly EntityDefinition<TEntity, TKey> _definition;
    private readonly SerializationContext _context;
    private readonly JsonImportOptions _options;
    private readonly JsonEntityWriter _writer;
    private readonly JsonDocumentOptions _documentOptions;
    private readonly JsonTokenCheck _check;
    private readonly ArrayBufferWriter<byte> _payload = new(1024);
    private readonly ValidationErrors _validation = new();
    private readonly List<JsonImportError> _errors = [];
    private long? _line;
    private long _inserted;
    private long _replaced;
    private long _skipped;

    private JsonImporter(Repository<TEntity, TKey> repository, JsonImportOptions options)
    {
        _repository = repository;
        _definition = repository.Definition;
        _context = repository.Owner.Context;
        _options = options;
        _writer = new JsonEntityWriter(new JsonImportPlan(_definition, _context, options), options);
        _documentOptions = new JsonDocumentOptions { MaxDepth = options.MaxDepth };
        _check = new JsonTokenCheck(options);
    }

    public static async ValueTask<JsonImportResult> ImportAsync(
        Repository<TEntity, TKey> repository,
        Stream json,
        JsonImportOptions options,
        CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxErrors, 1, nameof(options));
        JsonTokenCheck.CheckOptions(options);
        JsonPathSelector path = JsonPathSelector.Parse(options.Path);
        var importer = new JsonImporter<TEntity, TKey>(repository, options);

        // A backup first, so an import that turns out wrong can be undone (of what is committed: an open
        // transaction's own writes are not in it).
        await repository.Owner.BackupBeforeImportAsync(cancellationToken).ConfigureAwait(false);
        using WriteScope scope = await repository.Owner.BeginWriteAsync(atomic: true, cancellationToken).ConfigureAwait(false);
        scope.Resume();
        using var reader = new JsonDocumentReader(json, path, options.KeyPrefix, options: options);
        bool stoppedAtLimit = false;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            bool more;
            try
            {
                scope.Suspend();
                try
                {
                    more = await reader.MoveNextAsync(cancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    scope.Resume();
                }
            }
            catch (JsonException e)
            {
                long? document = reader.InDocuments ? reader.Index + 1 : null;
                importer._line = reader.InStringText ? null : e.LineNumber + 1;
                importer.Add(JsonImportErrorKind.MalformedJson, document, null, "$", $"the JSON is not valid: {e.Message}");
                break;
            }
            catch (JsonDumpException e)
            {
                importer._line = e.Document is null ? null : reader.DocumentLine;
                importer.Add(e.Kind, e.Document, e.Document is null ? null : reader.Key, e.Path, e.Message);
                break;
            }

            if (!more)
            {
                break;
            }

            importer._line = reader.DocumentLine;
            importer.Import(scope.Connection, reader.Document, reader.Key, reader.Index);
            if (importer._errors.Count >= options.MaxErrors)
            {
                stoppedAtLimit = true;
                break;
            }
        }

        long documents = reader.Index + 1;
        if (importer._errors.Count > 0)
        {
            List<JsonImportError> errors = importer._errors;

            // A document the dump breaks off in was reached, if not read.
            documents = Math.Max(documents, (errors[^1].DocumentIndex ?? -1) + 1);
            if (errors.Count > options.MaxErrors)
            {
                errors.RemoveRange(options.MaxErrors, errors.Count - options.MaxErrors);
            }

            // Disposing the scope uncompleted rolls back every document written so far.
            throw new JsonImportException(importer._definition.Name, errors, documents, stoppedAtLimit);
        }

        scope.Complete();
        return new JsonImportResult(documents, importer._inserted, importer._replaced, importer._skipped);
    }

    /// <summary>Imports one document, or records why it cannot be.</summary>
    private void Import(SqliteConnection connection, ReadOnlyMemory<byte> utf8, string? entryKey, long index)
    {
        // The reader has checked the document is well-formed JSON, and it starts at its first token.
        if (utf8.Span[0] != (byte)'"')
        {
            using JsonDocument document = JsonDocument.Parse(utf8, _documentOptions);
            Import(connection, document.RootElement, entryKey, index);
            return;
        }

        // A document kept as JSON text inside a string, as localStorage keeps values: unescaped straight to UTF-8.
        var text = new Utf8JsonReader(utf8.Span);
        text.Read();
        byte[] unescaped = ArrayPool<byte>.Shared.Rent(Math.Max(text.ValueSpan.Length, 1));
        try
        {
            int length = text.CopyString(unescaped);
            if (_check.CheckDocument(unescaped.AsSpan(0, length)) is { } problem)
            {
                Add(problem.Kind, index, entryKey, problem.Path, $"in the JSON text the string holds: {problem.Message}");
                return;
            }

            JsonDocument inner;
            try
            {
                inner = JsonDocument.Parse(unescaped.AsMemory(0, length), _documentOptions);
            }
            catch (JsonException e)
            {
                Add(JsonImportErrorKind.MalformedJson, index, entryKey, "$", $"the string does not hold valid JSON: {e.Message}");
                return;
            }

            using (inner)
            {
                Import(connection, inner.RootElement, entryKey, index);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(unescaped);
        }
    }

    private void Import(SqliteConnection connection, JsonElement json, string? entryKey, long index)
    {
        if (Convert(json, entryKey, index) is { } entity)
        {
            Write(connection, entity, json, entryKey, index);
        }
    }

    /// <summary>
    /// A document converted to the entity and validated (the path of a stored row: written as the entity's MessagePack
    /// map, read back by the generated reader), or null, with the problems in <see cref="Errors"/>.
    /// </summary>
    internal TEntity? Convert(JsonElement json, string? entryKey, long index)
    {
        if (json.ValueKind != JsonValueKind.Object)
        {
            Add(JsonImportErrorKind.NotAnObject, index, entryKey, "$", $"expected an object ({_definition.Name}), found {json.ValueKind.ToString().ToLowerInvariant()}");
            return null;
        }

        _payload.ResetWrittenCount();
        var writer = new MessagePackWriter(_payload);
        bool fits = _writer.Write(ref writer, json, entryKey);
        writer.Flush();
        if (!fits)
        {
            foreach ((JsonImportErrorKind kind, string path, string message) in _writer.Problems)
            {
                Add(kind, index, entryKey, path, message);
            }

            ValidateWithoutFailed(json, entryKey, index);
            return null;
        }

        TEntity entity;
        try
        {
            var reader = new MessagePackReader(_payload.WrittenSpan);
            entity = _definition.Read(ref reader, _context);
        }
        catch (ReposFormatException e)
        {
            Add(JsonImportErrorKind.InvalidValue, index, entryKey, "$", $"the document does not read as {_definition.Name}: {e.Message}");
            return null;
        }

        return Validate(entity, json, entryKey, index, null) ? entity : null;
    }

    /// <summary>Checks an entity made from <paramref name="json"/> some other way (a row upgraded by migrations) against its rules, listing what it breaks in <see cref="Errors"/>.</summary>
    internal bool ValidateEntity(TEntity entity, JsonElement json, long index) => Validate(entity, json, null, index, null);

    /// <summary>The problems found so far, in order (at most one past <see cref="JsonImportOptions.MaxErrors"/>).</summary>
    internal List<JsonImportError> Errors => _errors;

    /// <summary>A converter of documents to entities, for an importer that writes them itself (a bundle's).</summary>
    internal static JsonImporter<TEntity, TKey> Converter(Repository<TEntity, TKey> repository, JsonImportOptions options) => new(repository, options);

    /// <summary>
    /// Checks the validation rules of a document whose conversion found problems, on what did convert: the document
    /// without its properties whose values did not fit, read as the entity. Rules on those properties, and on
    /// required ones it lacks, are not checked (their problem is listed already).
    /// </summary>
    private void ValidateWithoutFailed(JsonElement json, string? entryKey, long index)
    {
        _payload.ResetWrittenCount();
        var writer = new MessagePackWriter(_payload);
        _writer.WriteWithoutFailed(ref writer, json, entryKey);
        writer.Flush();
        TEntity entity;
        try
        {
            var reader = new MessagePackReader(_payload.WrittenSpan);
            entity = _definition.Read(ref reader, _context);
        }
        catch (ReposFormatException)
        {
            // What converted does not make an entity (the key itself did not fit): only the conversion problems are known.
            return;
        }

        try
        {
            Validate(entity, json, entryKey, index, _writer.FailedProperties);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The entity lacks values the document failed to give, which the entity's own Validate hook may not
            // expect (a non-nullable string left null, so it throws): the document is refused all the same, for
            // the problems listed already, and its other rules cannot be checked.
        }
    }

    /// <summary>Records every rule the entity breaks, but those on <paramref name="skipped"/> properties; returns whether it breaks none.</summary>
    private bool Validate(TEntity entity, JsonElement json, string? entryKey, long index, HashSet<string>? skipped)
    {
        _validation.Clear();
        _definition.Validate(entity, _validation);
        _repository.ValidateKey(_definition.GetKey(entity), _validation);
        bool valid = true;
        foreach (ValidationError error in _validation)
        {
            if (skipped is not null && skipped.Contains(TopProperty(error.Property)))
            {
                continue;
            }

            valid = false;
            AddError(new JsonImportError(JsonImportErrorKind.Validation, index, entryKey, _writer.PathOf(json, error.Property), error.ToString()) { Line = _line, Rule = error.Rule });
        }

        return valid && _validation.IsEmpty;
    }

    /// <summary>The entity's own property a validation path starts at: <c>Tags</c> of <c>Tags[2].Weight</c>.</summary>
    private static string TopProperty(string path)
    {
        int end = path.AsSpan().IndexOfAny('.', '[');
        return end < 0 ? path : path[..end];
    }

    private void Write(SqliteConnection connection, TEntity entity, JsonElement json, string? entryKey, long index)
    {
        TKey key = _definition.GetKey(entity);
        try
        {
            bool stored = _options.DuplicateKeys != DuplicateKeyHandling.Fail && _repository.ContainsKey(connection, key);
            if (!stored)
            {
                _repository.Apply(connection, WriteKind.Insert, key, entity);
                _inserted++;
            }
            else if (_options.DuplicateKeys == DuplicateKeyHandling.Replace)
            {
                _repository.Apply(connection, WriteKind.Upsert, key, entity);
                _replaced++;
            }
            else
            {
                _skipped++;
            }
        }
        catch (DuplicateKeyException)
        {
            Add(
                JsonImportErrorKind.DuplicateKey,
                index,
                entryKey,
                _writer.PathOf(json, _definition.KeyProperty),
                $"{_definition.Name} {KeyText.Of(key)} is stored already or came earlier in this import (DuplicateKeys = Skip or Replace would accept it)");
        }
        catch (UniqueIndexViolationException e)
        {
            Add(
                JsonImportErrorKind.UniqueIndexViolation,
                index,
                entryKey,
                _writer.PathOf(json, e.Properties[0]),
                $"{_definition.Name} {KeyText.Of(key)} has the same {string.Join(", ", e.Properties)} as another {_definition.Name}, which the unique index {e.IndexName} forbids");
        }
    }

    private void Add(JsonImportErrorKind kind, long? index, string? entryKey, string path, string message) =>
        AddError(new JsonImportError(kind, index, entryKey, path, message) { Line = _line });

    /// <summary>
    /// Keeps a problem, up to one past <see cref="JsonImportOptions.MaxErrors"/> (which stops the import; the extra
    /// one is dropped then), so a document with a great many problems holds no more in memory than that.
    /// </summary>
    private void AddError(JsonImportError error)
    {
        if (_errors.Count <= _options.MaxErrors)
        {
            _errors.Add(error);
        }
    }
}
