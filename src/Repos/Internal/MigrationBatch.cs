using Repos.Serialization;
using Repos.Storage.Sqlite;

namespace Repos.Internal;

/// <summary>
/// A batch of stored rows read for an eager migration, before any is written back: each row's rowid, key,
/// schema version, payload and index column values, the payloads and text in one buffer that the next batch
/// reuses, so reading a row allocates nothing for its fields.
/// </summary>
/// <remarks>
/// A batch holds at most <see cref="MaxRows"/> rows, and stops taking more once its buffer passes
/// <see cref="MaxBytes"/> (it always takes one), so memory stays bounded whatever the size of the rows.
/// </remarks>
internal sealed class MigrationBatch
{
    /// <summary>The most rows a batch holds.</summary>
    public const int MaxRows = 2000;

    /// <summary>The size of buffered payloads past which a batch takes no more rows.</summary>
    public const int MaxBytes = 8 << 20;

    private readonly int _columns;
    private readonly long[] _rowIds = new long[MaxRows];
    private readonly int[] _versions = new int[MaxRows];
    private readonly ColumnValue[] _keys = new ColumnValue[MaxRows];
    private readonly Slice[] _payloads = new Slice[MaxRows];
    private readonly StoredColumn[] _stored;
    private byte[] _buffer = new byte[256 << 10];
    private int _used;

    public MigrationBatch(int columns)
    {
        _columns = columns;
        _stored = new StoredColumn[MaxRows * columns];
    }

    /// <summary>How many rows the batch holds.</summary>
    public int Count { get; private set; }

    /// <summary>Whether the batch can take another row.</summary>
    public bool HasRoom => Count < MaxRows && (Count == 0 || _used < MaxBytes);

    /// <summary>Empties the batch; the payloads of the rows it held are overwritten by the next ones.</summary>
    public void Clear()
    {
        Count = 0;
        _used = 0;
    }

    /// <summary>
    /// Takes the current row of <paramref name="select"/>: rowid, key, schema version and blob in columns 0 to 3,
    /// then the index columns. Throws <see cref="ReposFormatException"/> for a blob that does not verify.
    /// </summary>
    public void Add(SqliteStatement select, SerializationContext context)
    {
        int row = Count;
        _rowIds[row] = select.ColumnInt64(0);
        _keys[row] = ColumnValue.Read(select, 1);
        _versions[row] = (int)select.ColumnInt64(2);
        using (BlobPayload payload = BlobEnvelope.Read(select.ColumnBlob(3), context.Dictionaries.Find))
        {
            _payloads[row] = Append(payload.Span);
        }

        for (int i = 0; i < _columns; i++)
        {
            int index = i + 4;
            int type = select.ColumnType(index);
            _stored[(row * _columns) + i] = type switch
            {
                SqliteTypes.Integer => new StoredColumn(type, select.ColumnInt64(index), 0, default),
                SqliteTypes.Float => new StoredColumn(type, 0, select.ColumnDouble(index), default),
                SqliteTypes.Text => new StoredColumn(type, 0, 0, Append(select.ColumnTextUtf8(index))),
                SqliteTypes.Blob => new StoredColumn(type, 0, 0, Append(select.ColumnBlob(index))),
                _ => new StoredColumn(type, 0, 0, default),
            };
        }

        Count++;
    }

    /// <summary>The rowid of row <paramref name="row"/>.</summary>
    public long RowId(int row) => _rowIds[row];

    /// <summary>The key of row <paramref name="row"/>, as stored.</summary>
    public ColumnValue Key(int row) => _keys[row];

    /// <summary>The schema version of row <paramref name="row"/>.</summary>
    public int Version(int row) => _versions[row];

    /// <summary>The verified payload of row <paramref name="row"/>, valid until the batch is cleared.</summary>
    public ReadOnlyMemory<byte> Payload(int row) => _buffer.AsMemory(_payloads[row].Start, _payloads[row].Length);

    /// <summary>Whether index column <paramref name="column"/> of row <paramref name="row"/> holds <paramref name="value"/>.</summary>
    public bool Holds(int row, int column, ColumnValue value)
    {
        StoredColumn stored = _stored[(row * _columns) + column];
        return value.Matches(stored.Type, stored.Integer, stored.Real, _buffer.AsSpan(stored.Bytes.Start, stored.Bytes.Length));
    }

    private Slice Append(ReadOnlySpan<byte> bytes)
    {
        if (_buffer.Length - _used < bytes.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _used + bytes.Length));
        }

        bytes.CopyTo(_buffer.AsSpan(_used));
        var slice = new Slice(_used, bytes.Length);
        _used += bytes.Length;
        return slice;
    }

    private readonly record struct Slice(int Start, int Length);

    private readonly record struct StoredColumn(int Type, long Integer, double Real, Slice Bytes);
}
