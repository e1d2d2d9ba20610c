using System.Buffers;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Repos.Internal;
using Repos.Recovery;
using Repos.Serialization;
using Repos.Storage;
using Repos.Storage.Sqlite;

namespace Repos.Transfer;

/// <summary>
/// Writes one entity's rows as CSV (docs/transfer.md, <i>CSV export</i>) by the file's catalog alone: RFC 4180
/// (comma, CRLF, a field quoted when it holds a comma, quote, CR or LF, quotes doubled), UTF-8 without a BOM, a header
/// of property names. Scalars are in the bundle's exact forms, unquoted; null is an empty cell and an empty string
/// <c>""</c>, so the two stay apart. Streams through a small buffer: memory stays flat for any number of rows.
/// </summary>
internal sealed class CsvEntityWriter
{
    private const int FlushAt = 1 << 16;

    private static readonly JsonWriterOptions s_jsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly CsvObjectPlan _root;
    private readonly List<string> _header = [];
    private readonly PayloadJsonWriter _json;
    private readonly CatalogTypes _types;
    private readonly ArrayBufferWriter<byte> _cells = new(4096);
    private readonly ArrayBufferWriter<byte> _scratch = new(1024);
    private readonly ArrayBufferWriter<byte> _output = new(FlushAt * 2);
    private readonly Utf8JsonWriter _cellJson;
    private (int Start, int Length)[] _slots = [];

    private CsvEntityWriter(BundleCatalog catalog, CatalogTypes types, string type, CsvNesting nesting)
    {
        _types = types;
        _json = new PayloadJsonWriter(types);
        _cellJson = new Utf8JsonWriter(_scratch, s_jsonOptions);
        _root = Plan(catalog, type, string.Empty, nesting, [type]);
        _slots = new (int, int)[_header.Count];
    }

    /// <summary>The header's column names, in order.</summary>
    public IReadOnlyList<string> Header => _header;

    /// <summary>Writes the rows of <paramref name="source"/> to <paramref name="output"/>, reading with <paramref name="connection"/> in the caller's read transaction.</summary>
    public static async Task<ExportedEntity> WriteAsync(
        Stream output,
        SqliteConnection connection,
        BundleCatalog catalog,
        CatalogTypes types,
        Func<uint, CompressionDictionary?> dictionaries,
        SerializationContext? context,
        ExportSource source,
        CsvExportOptions options,
        CancellationToken cancellationToken)
    {
        var writer = new CsvEntityWriter(catalog, types, source.Entity.Type, options.Nesting);
        return await writer.WriteRowsAsync(output, connection, dictionaries, context, source, options, cancellationToken).ConfigureAwait(false);
    }

    private async Task<ExportedEntity> WriteRowsAsync(
        Stream output,
        SqliteConnection connection,
        Func<uint, CompressionDictionary?> dictionaries,
        SerializationContext? context,
        ExportSource source,
        CsvExportOptions options,
        CancellationToken cancellationToken)
    {
        for (int i = 0; i < _header.Count; i++)
        {
            if (i > 0)
            {
                _output.Write(","u8);
            }

            AppendText(_output, System.Text.Encoding.UTF8.GetBytes(_header[i]));
        }

        _output.Write("\r\n"u8);
        var rows = new ExportRows(connection, source, dictionaries, context, options.SkipDamagedRows);
        long written = 0;
        long bytes = 0;
        while (rows.Next(WriteRow))
        {
            written++;
            if (_output.WrittenCount >= FlushAt)
            {
                cancellationToken.ThrowIfCancellationRequested();
                bytes += _output.WrittenCount;
                await output.WriteAsync(_output.WrittenMemory, cancellationToken).ConfigureAwait(false);
                _output.ResetWrittenCount();
                options.Progress?.Report(new TransferProgress(source.Entity.Name, written, null, bytes));
            }
        }

        bytes += _output.WrittenCount;
        await output.WriteAsync(_output.WrittenMemory, cancellationToken).ConfigureAwait(false);
        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
        options.Progress?.Report(new TransferProgress(source.Entity.Name, written, written, bytes));
        return new ExportedEntity(source.Entity.Name, source.Entity.Version, written, rows.Skipped);
    }

    private void WriteRow(ReadOnlySpan<byte> payload, int? version)
    {
        _cells.ResetWrittenCount();
        Array.Fill(_slots, (0, -1));
        var reader = new MessagePackReader(payload);
        Fill(_root, ref reader);
        for (int i = 0; i < _slots.Length; i++)
        {
            if (i > 0)
            {
                _output.Write(","u8);
            }

            (int start, int length) = _slots[i];
            if (length >= 0)
            {
                _output.Write(_cells.WrittenSpan.Slice(start, length));
            }
        }

        _output.Write("\r\n"u8);
    }

    private void Fill(CsvObjectPlan plan, ref MessagePackReader reader)
    {
        reader.EnterObject();
        for (int count = reader.ReadMapHeader(); count > 0; count--)
        {
            long id = reader.ReadInt64();
            if (!plan.Fields.TryGetValue(id, out CsvFieldPlan? field))
            {
                reader.Skip();
                continue;
            }

            if (reader.TryReadNil())
            {
                continue;
            }

            if (field.Nested is { } nested)
            {
                Fill(nested, ref reader);
                continue;
            }

            int start = _cells.WrittenCount;
            WriteCell(field, ref reader);
            _slots[field.Column] = (start, _cells.WrittenCount - start);
        }

        reader.LeaveObject();
    }

    private void WriteCell(CsvFieldPlan field, ref MessagePackReader reader)
    {
        CatalogType? type = field.Type;
        if (type?.Kind == CatalogTypeKind.Nullable)
        {
            type = type.Element;
        }

        CultureInfo invariant = CultureInfo.InvariantCulture;
        Span<byte> text = stackalloc byte[64];
        int length;
        switch (type?.Kind)
        {
            case CatalogTypeKind.Boolean:
                _cells.Write(reader.ReadBoolean() ? "true"u8 : "false"u8);
                return;
            case CatalogTypeKind.UInt64:
                reader.ReadUInt64().TryFormat(text, out length, default, invariant);
                break;
            case CatalogTypeKind.SByte or CatalogTypeKind.Byte or CatalogTypeKind.Int16 or CatalogTypeKind.UInt16
                or CatalogTypeKind.Int32 or CatalogTypeKind.UInt32 or CatalogTypeKind.Int64:
                reader.ReadInt64().TryFormat(text, out length, default, invariant);
                break;
            case CatalogTypeKind.Single:
                length = Real(reader.ReadSingle(), text);
                break;
            case CatalogTypeKind.Double:
                length = Real(reader.ReadDouble(), text);
                break;
            case CatalogTypeKind.Decimal:
                ValueCodec.ReadDecimal(ref reader).TryFormat(text, out length, default, invariant);
                break;
            case CatalogTypeKind.String:
                AppendText(_cells, reader.ReadStringSpan());
                return;
            case CatalogTypeKind.Guid:
                ValueCodec.ReadGuid(ref reader).TryFormat(text, out length, "D");
                break;
            case CatalogTypeKind.DateTime:
                ValueCodec.ReadDateTime(ref reader).TryFormat(text, out length, "O", invariant);
                break;
            case CatalogTypeKind.DateTimeOffset:
                ValueCodec.ReadDateTimeOffset(ref reader).TryFormat(text, out length, "O", invariant);
                break;
            case CatalogTypeKind.DateOnly:
                ValueCodec.ReadDateOnly(ref reader).TryFormat(text, out length, "O", invariant);
                break;
            case CatalogTypeKind.TimeOnly:
                ValueCodec.ReadTimeOnly(ref reader).TryFormat(text, out length, "O", invariant);
                break;
            case CatalogTypeKind.TimeSpan:
                ValueCodec.ReadTimeSpan(ref reader).TryFormat(text, out length, "c", invariant);
                break;
            case CatalogTypeKind.Named when _types.FieldsOf(type.Name!) is null && reader.NextMessagePackType == MessagePackType.Integer:
                // An enum: its member's name, or its number when no member has it.
                bool unsigned = reader.NextCode == MessagePackCode.UInt64;
                long value = unsigned ? unchecked((long)reader.ReadUInt64()) : reader.ReadInt64();
                if (_types.EnumName(type.Name!, value) is { } name)
                {
                    AppendText(_cells, System.Text.Encoding.UTF8.GetBytes(name));
                    return;
                }

                length = unsigned ? (unchecked((ulong)value).TryFormat(text, out int u, default, invariant) ? u : 0)
                    : (value.TryFormat(text, out int s, default, invariant) ? s : 0);
                break;
            default:
                // A char, bytes, a list, set, dictionary or object: the cell holds its JSON (a char and bytes as JSON strings
                // would be quoted twice, so they are written as the bundle writes them, unquoted where they can be).
                _scratch.ResetWrittenCount();
                _cellJson.Reset(_scratch);
                if (type is null)
                {
                    PayloadJsonWriter.WriteAny(_cellJson, ref reader);
                }
                else
                {
                    _json.WriteValue(_cellJson, type, ref reader);
                }

                _cellJson.Flush();
                ReadOnlySpan<byte> json = _scratch.WrittenSpan;
                if (type?.Kind is CatalogTypeKind.Char or CatalogTypeKind.Bytes && json.Length >= 2 && json[0] == (byte)'"')
                {
                    // A JSON string's text: base64 and most characters need no unescaping; a char that did is written as JSON.
                    ReadOnlySpan<byte> inner = json[1..^1];
                    AppendText(_cells, inner.IndexOf((byte)'\\') < 0 ? inner : json);
                    return;
                }

                AppendText(_cells, json);
                return;
        }

        AppendText(_cells, text[..length]);
    }

    private static int Real(double value, Span<byte> text)
    {
        if (double.IsNaN(value) || double.IsInfinity(value))
        {
            ReadOnlySpan<byte> name = double.IsNaN(value) ? "NaN"u8 : value > 0 ? "Infinity"u8 : "-Infinity"u8;
            name.CopyTo(text);
            return name.Length;
        }

        value.TryFormat(text, out int length, "R", CultureInfo.InvariantCulture);
        return length;
    }

    private static int Real(float value, Span<byte> text)
    {
        if (float.IsNaN(value) || float.IsInfinity(value))
        {
            return Real((double)value, text);
        }

        value.TryFormat(text, out int length, "R", CultureInfo.InvariantCulture);
        return length;
    }

    /// <summary>Appends a field, quoted when it must be (or is empty: <c>""</c> is an empty string, nothing is null).</summary>
    private static void AppendText(ArrayBufferWriter<byte> output, ReadOnlySpan<byte> text)
    {
        if (text.Length > 0 && text.IndexOfAny(","u8[0], (byte)'"', (byte)'\r') < 0 && text.IndexOf((byte)'\n') < 0)
        {
            output.Write(text);
            return;
        }

        output.Write("\""u8);
        while (true)
        {
            int quote = text.IndexOf((byte)'"');
            if (quote < 0)
            {
                output.Write(text);
                break;
            }

            output.Write(text[..(quote + 1)]);
            output.Write("\""u8);
            text = text[(quote + 1)..];
        }

        output.Write("\""u8);
    }

    private CsvObjectPlan Plan(BundleCatalog catalog, string type, string prefix, CsvNesting nesting, HashSet<string> ancestors)
    {
        var plan = new CsvObjectPlan();
        foreach (CatalogField field in catalog.Types.GetValueOrDefault(type) ?? [])
        {
            if (field.Retired)
            {
                continue;
            }

            CatalogType? fieldType = field.ClrType == Catalog.WireEncodedType ? null : CatalogType.Parse(field.ClrType);
            string name = prefix + field.Name;
            if (nesting == CsvNesting.Flatten && fieldType is { Kind: CatalogTypeKind.Named } && catalog.Types.ContainsKey(fieldType.Name!)
                && !ancestors.Contains(fieldType.Name!))
            {
                var inner = new HashSet<string>(ancestors, StringComparer.Ordinal) { fieldType.Name! };
                plan.Fields[field.Id] = new CsvFieldPlan(fieldType, -1, Plan(catalog, fieldType.Name!, name + ".", nesting, inner));
                continue;
            }

            plan.Fields[field.Id] = new CsvFieldPlan(fieldType, _header.Count, null);
            _header.Add(name);
        }

        return plan;
    }

    private sealed class CsvObjectPlan
    {
        public Dictionary<long, CsvFieldPlan> Fields { get; } = [];
    }

    private sealed record CsvFieldPlan(CatalogType? Type, int Column, CsvObjectPlan? Nested);
}
