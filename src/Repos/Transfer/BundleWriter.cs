using System.Buffers;
using System.Security.Cryptography;
using System.Text.Encodings.Web;
using System.Text.Json;
using Repos.Internal;
using Repos.Serialization;
using Repos.Storage;
using Repos.Storage.Sqlite;

namespace Repos.Transfer;

/// <summary>The rows of one entity an export writes: all of them in key order, or those of a range.</summary>
/// <param name="Entity">The entity, as the file's catalog has it.</param>
/// <param name="Definition">The app's definition, to upgrade rows of a lazily migrated entity; null without the app.</param>
/// <param name="Range">The range's SELECT and parameters, or null for every row.</param>
internal sealed record ExportSource(BundleEntity Entity, EntityDefinition? Definition, Func<SqliteConnection, (string Sql, ColumnValue[] Parameters)>? Range);

/// <summary>
/// Streams a bundle (docs/transfer.md, <i>The bundle</i>) from one read snapshot: rows are read in order and written
/// as they come through a small buffer that is hashed and handed to the stream whenever it fills, so memory stays
/// flat for any number of rows. The app's export and the <c>repos</c> tool's write the same bytes.
/// </summary>
internal sealed class BundleWriter : IDisposable
{
    /// <summary>The bundle's <c>format</c>, and the NDJSON header's.</summary>
    public const string JsonFormat = "repos-bundle";

    public const string NdJsonFormat = "repos-bundle-ndjson";

    /// <summary>The bundle format version this writer writes and the reader reads.</summary>
    public const int FormatVersion = 1;

    private const int FlushAt = 1 << 16;

    private static readonly JsonWriterOptions s_writerOptions = new()
    {
        // The bundle is a file, never embedded in HTML: text stays readable (a note in Greek is Greek, not \u escapes).
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = false,
    };

    private static readonly JsonEncodedText s_entity = JsonEncodedText.Encode("e");
    private static readonly JsonEncodedText s_row = JsonEncodedText.Encode("r");

    private readonly Stream _output;
    private readonly BundleExportOptions _options;
    private readonly ArrayBufferWriter<byte> _buffer = new(FlushAt * 2);
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly Utf8JsonWriter _json;
    private readonly PayloadJsonWriter _rows;
    private readonly Func<uint, CompressionDictionary?> _dictionaries;
    private readonly SerializationContext? _context;
    private bool _hashing = true;
    private long _bytes;

    private BundleWriter(Stream output, BundleExportOptions options, CatalogTypes types, Func<uint, CompressionDictionary?> dictionaries, SerializationContext? context)
    {
        _output = output;
        _options = options;
        _json = new Utf8JsonWriter(_buffer, s_writerOptions);
        _rows = new PayloadJsonWriter(types);
        _dictionaries = dictionaries;
        _context = context;
    }

    /// <summary>
    /// Writes the bundle of <paramref name="sources"/> to <paramref name="output"/>, reading with
    /// <paramref name="connection"/>, which the caller holds in one read transaction for the whole export.
    /// </summary>
    public static async Task<BundleExportResult> WriteAsync(
        Stream output,
        SqliteConnection connection,
        BundleCatalog catalog,
        CatalogTypes types,
        Func<uint, CompressionDictionary?> dictionaries,
        SerializationContext? context,
        IReadOnlyList<ExportSource> sources,
        BundleExportOptions options,
        string app,
        CancellationToken cancellationToken)
    {
        using var writer = new BundleWriter(output, options, types, dictionaries, context);
        return await writer.WriteAsync(connection, catalog, sources, app, cancellationToken).ConfigureAwait(false);
    }

    public void Dispose()
    {
        _json.Dispose();
        _hash.Dispose();
    }

    private async Task<BundleExportResult> WriteAsync(
        SqliteConnection connection, BundleCatalog catalog, IReadOnlyList<ExportSource> sources, string app, CancellationToken cancellationToken)
    {
        bool ndjson = _options.Format == BundleFormat.NdJson;
        DateTimeOffset now = (_options.TimeProvider ?? TimeProvider.System).GetUtcNow();
        _json.WriteStartObject();
        _json.WriteString("format", ndjson ? NdJsonFormat : JsonFormat);
        _json.WriteNumber("formatVersion", FormatVersion);
        _json.WriteString("app", app);
        _json.WriteString("exportedAt", now.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        _json.WriteBoolean("exactNumbers", true);
        _json.WritePropertyName("catalog");
        catalog.Write(_json);
        _json.WriteStartObject("entities");
        if (ndjson)
        {
            foreach (ExportSource source in sources)
            {
                _json.WriteStartObject(source.Entity.Name);
                _json.WriteNumber("version", source.Entity.Version);
                _json.WriteEndObject();
            }

            _json.WriteEndObject();
            _json.WriteEndObject();
            EndLine();
        }

        var exported = new List<ExportedEntity>(sources.Count);
        foreach (ExportSource source in sources)
        {
            if (!ndjson)
            {
                _json.WriteStartObject(source.Entity.Name);
                _json.WriteNumber("version", source.Entity.Version);
                _json.WriteStartArray("rows");
            }

            ExportedEntity entity = await WriteRowsAsync(connection, source, ndjson, cancellationToken).ConfigureAwait(false);
            exported.Add(entity);
            if (!ndjson)
            {
                _json.WriteEndArray();
                _json.WriteNumber("count", entity.Rows);
                _json.WriteEndObject();
            }
        }

        // The checksum covers every byte up to here: through the closing brace of "entities", or every line before the last.
        if (!ndjson)
        {
            _json.WriteEndObject();
        }

        _json.Flush();
        await DrainAsync(cancellationToken).ConfigureAwait(false);
        _hashing = false;
        string sha256 = Convert.ToHexStringLower(_hash.GetHashAndReset());
        if (ndjson)
        {
            _json.WriteStartObject();
            _json.WriteStartObject("counts");
            foreach (ExportedEntity entity in exported)
            {
                _json.WriteNumber(entity.Name, entity.Rows);
            }

            _json.WriteEndObject();
            _json.WriteString("sha256", sha256);
            _json.WriteEndObject();
            EndLine();
        }
        else
        {
            _json.WriteString("sha256", sha256);
            _json.WriteEndObject();
            _json.Flush();
            _buffer.Write("\n"u8);
        }

        await DrainAsync(cancellationToken).ConfigureAwait(false);
        await _output.FlushAsync(cancellationToken).ConfigureAwait(false);
        return new BundleExportResult(exported, _bytes, sha256);
    }

    private async Task<ExportedEntity> WriteRowsAsync(SqliteConnection connection, ExportSource source, bool ndjson, CancellationToken cancellationToken)
    {
        BundleEntity entity = source.Entity;
        long? total = null;
        if (_options.Progress is not null)
        {
            (string sql, ColumnValue[] parameters) = ExportRows.Select(connection, source);
            using SqliteStatement count = connection.PrepareOnce($"SELECT count(*) FROM ({sql})");
            Bind(count, parameters);
            total = count.Step() ? count.ColumnInt64(0) : 0;
            _options.Progress.Report(new TransferProgress(entity.Name, 0, total, _bytes + _buffer.WrittenCount));
        }

        long rows = 0;
        using var reader = new ExportRows(connection, source, _dictionaries, _context, _options.SkipDamagedRows);
        PayloadHandler write = ndjson ? (payload, version) => WriteLine(entity, payload, version) : (payload, version) => _rows.WriteObject(_json, entity.Type, payload, version);
        while (reader.Next(write))
        {
            rows++;

            // What the JSON writer holds unflushed counts too: the JSON layout writes rows without flushing.
            if (_buffer.WrittenCount + _json.BytesPending >= FlushAt)
            {
                cancellationToken.ThrowIfCancellationRequested();
                _json.Flush();
                await DrainAsync(cancellationToken).ConfigureAwait(false);
                _options.Progress?.Report(new TransferProgress(entity.Name, rows, total, _bytes));
            }
        }

        _options.Progress?.Report(new TransferProgress(entity.Name, rows, total, _bytes + _buffer.WrittenCount));
        return new ExportedEntity(entity.Name, entity.Version, rows, reader.Skipped);
    }

    private void WriteLine(BundleEntity entity, ReadOnlySpan<byte> payload, int? version)
    {
        _json.WriteStartObject();
        _json.WriteString(s_entity, entity.Name);
        _json.WritePropertyName(s_row);
        _rows.WriteObject(_json, entity.Type, payload, version);
        _json.WriteEndObject();
        EndLine();
    }

    private static void Bind(SqliteStatement statement, ColumnValue[] parameters)
    {
        for (int i = 0; i < parameters.Length; i++)
        {
            parameters[i].Bind(statement, i + 1);
        }
    }

    /// <summary>Ends an NDJSON line: the writer is reset so the next line is a document of its own.</summary>
    private void EndLine()
    {
        _json.Flush();
        _buffer.Write("\n"u8);
        _json.Reset(_buffer);
    }

    private async ValueTask DrainAsync(CancellationToken cancellationToken)
    {
        if (_buffer.WrittenCount == 0)
        {
            return;
        }

        if (_hashing)
        {
            _hash.AppendData(_buffer.WrittenSpan);
        }

        await _output.WriteAsync(_buffer.WrittenMemory, cancellationToken).ConfigureAwait(false);
        _bytes += _buffer.WrittenCount;
        _buffer.ResetWrittenCount();
    }
}
