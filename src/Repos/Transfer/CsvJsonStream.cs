using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Repos.Internal;

namespace Repos.Transfer;

/// <summary>
/// A CSV file read as the JSON array of its rows, one object per record, for the JSON importer to convert, validate and
/// write: a header's <c>Parent.Child</c> columns become nested objects, an empty cell null, a quoted empty cell an empty
/// string, a cell of a number or a JSON value (a list, an object) that value, and any other cell a string, which the
/// importer parses by the property's type (docs/transfer.md). Records are read as the importer asks for bytes.
/// </summary>
internal sealed class CsvJsonStream : Stream
{
    private static readonly JsonWriterOptions s_options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };

    private readonly CsvRecordReader _csv;
    private readonly Node _root = new(string.Empty, null, -1);
    private readonly ArrayBufferWriter<byte> _pending = new(1 << 16);
    private readonly Utf8JsonWriter _json;
    private int _header;
    private int _offset;
    private bool _opened;
    private bool _first = true;
    private bool _done;

    private CsvJsonStream(CsvRecordReader csv)
    {
        _csv = csv;
        _json = new Utf8JsonWriter(_pending, s_options);
    }

    /// <summary>Reads the header of <paramref name="input"/> and maps its columns to <paramref name="definition"/>'s properties.</summary>
    /// <exception cref="ArgumentException">A column names no property (with <see cref="UnknownPropertyHandling.Fail"/>), or two columns the same one.</exception>
    /// <exception cref="CsvFormatException">The header cannot be read.</exception>
    public static CsvJsonStream Open(Stream input, EntityDefinition definition, CsvImportOptions options)
    {
        var csv = new CsvRecordReader(input, options.MaxRecordBytes);
        var stream = new CsvJsonStream(csv);
        if (!csv.Read())
        {
            throw new CsvFormatException(1, 0, "the file is empty: it has no header row");
        }

        var shapes = new Dictionary<string, TypeShape>(StringComparer.Ordinal) { [definition.Shape.Name] = definition.Shape };
        foreach (TypeShape nested in definition.NestedShapes)
        {
            shapes[nested.Name] = nested;
        }

        stream._header = csv.Count;
        for (int column = 0; column < csv.Count; column++)
        {
            string header = Encoding.UTF8.GetString(csv.Field(column));
            string path = options.Columns?.GetValueOrDefault(header) ?? header;
            if (!stream.Map(path.Split('.'), column, definition.Shape, shapes) && options.UnknownColumns == UnknownPropertyHandling.Fail)
            {
                throw new ArgumentException(
                    $"The CSV's column '{header}' (column {column + 1}) names no property of {definition.Name}: map it in CsvImportOptions.Columns, or set UnknownColumns to Ignore.",
                    nameof(options));
            }
        }

        return stream;
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        while (_offset == _pending.WrittenCount && !_done)
        {
            _pending.ResetWrittenCount();
            _offset = 0;
            Produce();
        }

        int length = Math.Min(buffer.Length, _pending.WrittenCount - _offset);
        _pending.WrittenSpan.Slice(_offset, length).CopyTo(buffer);
        _offset += length;
        return length;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => new(Read(buffer.Span));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => Task.FromResult(Read(buffer, offset, count));

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private void Produce()
    {
        _json.Reset(_pending);
        if (!_opened)
        {
            _opened = true;
            _pending.Write("["u8);
        }

        if (!_csv.Read())
        {
            _pending.Write("]"u8);
            _done = true;
            return;
        }

        if (_csv.Count != _header && !(_csv.Count == 1 && _csv.Field(0).IsEmpty && !_csv.Quoted(0)))
        {
            throw new CsvFormatException(_csv.Line, Math.Min(_csv.Count, _header), $"the record has {_csv.Count} fields, the header {_header}");
        }

        if (_csv.Count != _header)
        {
            // A blank line: no record.
            return;
        }

        if (!_first)
        {
            _pending.Write(","u8);
        }

        _first = false;
        WriteObject(_root);
        _json.Flush();
        _pending.Write("\n"u8);
    }

    private void WriteObject(Node node)
    {
        _json.WriteStartObject();
        foreach (Node child in node.Children)
        {
            _json.WritePropertyName(child.Name);
            if (child.Column >= 0)
            {
                WriteCell(child);
            }
            else if (child.Nullable && IsEmpty(child))
            {
                _json.WriteNullValue();
            }
            else
            {
                WriteObject(child);
            }
        }

        _json.WriteEndObject();
    }

    private bool IsEmpty(Node node)
    {
        foreach (Node child in node.Children)
        {
            if (child.Column >= 0 ? _csv.Field(child.Column).Length > 0 || _csv.Quoted(child.Column) : !IsEmpty(child))
            {
                return false;
            }
        }

        return true;
    }

    private void WriteCell(Node node)
    {
        ReadOnlySpan<byte> cell = _csv.Field(node.Column);
        if (cell.IsEmpty && !_csv.Quoted(node.Column))
        {
            _json.WriteNullValue();
            return;
        }

        CatalogTypeKind kind = node.Type!.Kind == CatalogTypeKind.Nullable ? node.Type.Element!.Kind : node.Type.Kind;
        bool json = kind switch
        {
            CatalogTypeKind.Boolean => cell.SequenceEqual("true"u8) || cell.SequenceEqual("false"u8),
            CatalogTypeKind.String or CatalogTypeKind.Guid or CatalogTypeKind.DateTime or CatalogTypeKind.DateTimeOffset or CatalogTypeKind.DateOnly
                or CatalogTypeKind.TimeOnly or CatalogTypeKind.TimeSpan or CatalogTypeKind.Decimal or CatalogTypeKind.Bytes => false,
            CatalogTypeKind.Char => cell.Length > 1 && IsJson(cell),
            _ => IsJson(cell),
        };

        if (json)
        {
            _json.WriteRawValue(cell, skipInputValidation: true);
        }
        else
        {
            _json.WriteStringValue(cell);
        }
    }

    // Whether a cell is one complete JSON value (a number, a list, an object, a JSON string).
    private static bool IsJson(ReadOnlySpan<byte> cell)
    {
        var reader = new Utf8JsonReader(cell, new JsonReaderOptions { MaxDepth = ReposLimits.MaxDepth + 1 });
        try
        {
            return reader.Read() && reader.TrySkip() && !reader.Read();
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private bool Map(string[] path, int column, TypeShape shape, Dictionary<string, TypeShape> shapes)
    {
        Node node = _root;
        TypeShape? current = shape;
        for (int i = 0; i < path.Length; i++)
        {
            FieldDefinition? field = current?.Fields.FirstOrDefault(f => f.Name == path[i]);
            if (field is null)
            {
                return false;
            }

            CatalogType type = CatalogType.Parse(field.TypeName);
            bool last = i == path.Length - 1;
            Node? child = node.Children.Find(c => c.Name == field.Name);
            if (child is null)
            {
                child = new Node(field.Name, last ? type : null, last ? column : -1) { Nullable = field.IsNullableReference || type.Kind == CatalogTypeKind.Nullable };
                node.Children.Add(child);
            }
            else if (last || child.Column >= 0)
            {
                throw new ArgumentException($"Two columns of the CSV are {string.Join('.', path[..(i + 1)])}.", nameof(path));
            }

            node = child;
            current = type.Kind == CatalogTypeKind.Named ? shapes.GetValueOrDefault(type.Name!) : null;
        }

        return true;
    }

    private sealed class Node(string name, CatalogType? type, int column)
    {
        public string Name { get; } = name;

        public CatalogType? Type { get; } = type;

        public int Column { get; } = column;

        public bool Nullable { get; init; }

        public List<Node> Children { get; } = [];
    }
}
