using Repos.Internal;
using Repos.Serialization;
using Repos.Storage;

namespace Repos.Recovery;

/// <summary>
/// One cell of a table leaf read as a Repos row: its record, the column holding an envelope, and, when the
/// envelope passes its checksum and holds a map of field ids, the payload and its top-level fields.
/// </summary>
internal sealed class SalvageRow
{
    private SalvageRow(TableCell cell, RecordValue[]? record)
    {
        Cell = cell;
        Record = record;
    }

    public TableCell Cell { get; }

    /// <summary>The record's values, or null when the cell does not parse.</summary>
    public RecordValue[]? Record { get; }

    /// <summary>The envelope's column, or -1 when no column looks like one.</summary>
    public int BlobColumn { get; private set; } = -1;

    /// <summary>The verified payload, or null when the envelope is damaged (<see cref="Problem"/> says how).</summary>
    public byte[]? Payload { get; private set; }

    public int SchemaVersion { get; private set; }

    /// <summary>The payload's top-level fields: id, and where its value's bytes are.</summary>
    public List<(long Id, int Start, int Length)> Fields { get; } = [];

    public string? Problem { get; private set; }

    public ReadOnlySpan<byte> Envelope => BlobColumn < 0 ? default : Record![BlobColumn].Bytes.Span;

    /// <summary>
    /// Reads a cell. The envelope is the column the table's definition names (<paramref name="blobColumn"/>),
    /// or else the first blob after an integer (<c>_schema</c>, then <c>_blob</c>) that verifies.
    /// </summary>
    public static SalvageRow Inspect(TableCell cell, int blobColumn, Func<uint, CompressionDictionary?> dictionaries)
    {
        var row = new SalvageRow(cell, RecordValue.Parse(cell.Payload));
        RecordValue[]? record = row.Record;
        if (record is null)
        {
            row.Problem = "its record cannot be read";
            return row;
        }

        if (blobColumn > 0 && blobColumn < record.Length && record[blobColumn].Kind == RecordKind.Blob && row.TryEnvelope(blobColumn, dictionaries))
        {
            return row;
        }

        for (int column = 2; column < record.Length; column++)
        {
            if (record[column].Kind == RecordKind.Blob && record[column - 1].Kind == RecordKind.Integer && row.TryEnvelope(column, dictionaries))
            {
                return row;
            }
        }

        row.Problem ??= "it holds no blob";
        return row;
    }

    private bool TryEnvelope(int column, Func<uint, CompressionDictionary?> dictionaries)
    {
        ReadOnlySpan<byte> envelope = Record![column].Bytes.Span;
        try
        {
            using BlobPayload payload = BlobEnvelope.Read(envelope, dictionaries);
            if (StoredBlob.CheckMap(payload.Span) is { } problem)
            {
                Problem ??= problem;
                BlobColumn = BlobColumn < 0 ? column : BlobColumn;
                return false;
            }

            byte[] copy = payload.Span.ToArray();
            var reader = new MessagePackReader(copy);
            for (int count = reader.ReadMapHeader(); count > 0; count--)
            {
                long id = reader.ReadInt64();
                int start = (int)reader.Consumed;
                reader.Skip();
                Fields.Add((id, start, (int)reader.Consumed - start));
            }

            Payload = copy;
            SchemaVersion = payload.SchemaVersion;
            BlobColumn = column;
            Problem = null;
            return true;
        }
        catch (ReposFormatException e)
        {
            // The first blob column that fails is the one reported, unless a later one verifies.
            Problem ??= $"its blob is damaged: {e.Message}";
            BlobColumn = BlobColumn < 0 ? column : BlobColumn;
            return false;
        }
    }

    /// <summary>Whether the row's key fits an entity whose key is stored as <paramref name="kind"/>.</summary>
    public bool KeyFits(ColumnKind kind) => Record is not null && RowKey.Fits(kind, Record, Cell.RowId);

    public RowKey Key(ColumnKind kind) => RowKey.Of(kind, Cell.RowId, Record![0]);

    public ColumnValue KeyColumn(ColumnKind kind) => RowKey.Column(kind, Cell.RowId, Record![0]);

    public string KeyText(ColumnKind kind) => RowKey.Describe(kind, Cell.RowId, Record![0]);

    /// <summary>The raw MessagePack value of field <paramref name="id"/>, or an empty span when the payload has none.</summary>
    public ReadOnlySpan<byte> Field(long id)
    {
        foreach ((long fieldId, int start, int length) in Fields)
        {
            if (fieldId == id)
            {
                return Payload.AsSpan(start, length);
            }
        }

        return default;
    }
}
