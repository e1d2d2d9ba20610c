using System.Buffers.Binary;
using System.Globalization;
using Repos.Internal;

namespace Repos.Recovery;

/// <summary>A row's key in a form cheap to hash: a GUID in two integers, an integer, or text.</summary>
internal readonly record struct RowKey(long A, long B, string? Text)
{
    public static RowKey Of(ColumnKind kind, long rowId, RecordValue value) => kind switch
    {
        ColumnKind.Integer => new RowKey(rowId, 0, null),
        _ when value.Kind == RecordKind.Blob && value.Bytes.Length == 16 =>
            new RowKey(BinaryPrimitives.ReadInt64BigEndian(value.Bytes.Span), BinaryPrimitives.ReadInt64BigEndian(value.Bytes.Span[8..]), null),
        _ when value.Kind == RecordKind.Blob => new RowKey(0, 1, Convert.ToHexString(value.Bytes.Span)),
        _ => new RowKey(0, 2, System.Text.Encoding.UTF8.GetString(value.Bytes.Span)),
    };

    /// <summary>The key as stored in the key column.</summary>
    public static ColumnValue Column(ColumnKind kind, long rowId, RecordValue value) => kind switch
    {
        ColumnKind.Integer => ColumnValue.From(rowId),
        _ when value.Kind == RecordKind.Blob && value.Bytes.Length == 16 => ColumnValue.From(new Guid(value.Bytes.Span, bigEndian: true)),
        _ when value.Kind == RecordKind.Blob => ColumnValue.From(value.Bytes.ToArray()),
        _ => ColumnValue.From(System.Text.Encoding.UTF8.GetString(value.Bytes.Span)),
    };

    /// <summary>The key as text, as <see cref="CorruptedRowException.Key"/> and <c>VerifyAsync</c> give it.</summary>
    public static string Describe(ColumnKind kind, long rowId, RecordValue value) => kind switch
    {
        ColumnKind.Integer => rowId.ToString(CultureInfo.InvariantCulture),
        _ when value.Kind == RecordKind.Blob && value.Bytes.Length == 16 => new Guid(value.Bytes.Span, bigEndian: true).ToString(),
        _ when value.Kind == RecordKind.Blob => Convert.ToHexString(value.Bytes.Span),
        _ => $"'{System.Text.Encoding.UTF8.GetString(value.Bytes.Span)}'",
    };

    /// <summary>Whether a record's key value has the storage class the entity's key is stored as.</summary>
    public static bool Fits(ColumnKind kind, RecordValue[] record, long rowId) => record.Length > 0 && kind switch
    {
        ColumnKind.Integer => record[0].Kind == RecordKind.Null || (record[0].Kind == RecordKind.Integer && record[0].Integer == rowId),
        ColumnKind.Text => record[0].Kind == RecordKind.Text,
        _ => record[0].Kind == RecordKind.Blob,
    };
}
