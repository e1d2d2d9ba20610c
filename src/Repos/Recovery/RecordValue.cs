using System.Buffers.Binary;
using System.Text;

namespace Repos.Recovery;

/// <summary>The storage class of a value in a SQLite record.</summary>
internal enum RecordKind : byte
{
    Null,
    Integer,
    Real,
    Text,
    Blob,
}

/// <summary>One value of a SQLite record, its bytes a slice of the record's payload.</summary>
internal readonly struct RecordValue
{
    public RecordValue(RecordKind kind, long integer, double real, ReadOnlyMemory<byte> bytes)
    {
        Kind = kind;
        Integer = integer;
        Real = real;
        Bytes = bytes;
    }

    public RecordKind Kind { get; }

    public long Integer { get; }

    public double Real { get; }

    /// <summary>The bytes of a text (in the file's encoding) or blob value.</summary>
    public ReadOnlyMemory<byte> Bytes { get; }

    public string Text(Encoding encoding) => encoding.GetString(Bytes.Span);

    /// <summary>
    /// Parses a record (a header of serial types, then the values) from <paramref name="payload"/>. Returns null
    /// when the record is malformed or runs past the payload: a damaged cell.
    /// </summary>
    public static RecordValue[]? Parse(ReadOnlyMemory<byte> payload)
    {
        ReadOnlySpan<byte> span = payload.Span;
        int used = SqliteVarint.Read(span, out long headerSize);
        if (used == 0 || headerSize < used || headerSize > span.Length)
        {
            return null;
        }

        var types = new List<long>();
        int position = used;
        while (position < headerSize)
        {
            used = SqliteVarint.Read(span[position..(int)headerSize], out long type);
            if (used == 0 || type is 10 or 11 || type < 0)
            {
                return null;
            }

            types.Add(type);
            position += used;
        }

        var values = new RecordValue[types.Count];
        int offset = (int)headerSize;
        for (int i = 0; i < values.Length; i++)
        {
            long type = types[i];
            long size = type switch
            {
                0 or 8 or 9 => 0,
                1 => 1,
                2 => 2,
                3 => 3,
                4 => 4,
                5 => 6,
                6 or 7 => 8,
                _ => (type - 12) / 2,
            };

            if (size > span.Length - offset)
            {
                return null;
            }

            ReadOnlySpan<byte> bytes = span.Slice(offset, (int)size);
            values[i] = type switch
            {
                0 => default,
                8 => new RecordValue(RecordKind.Integer, 0, 0, default),
                9 => new RecordValue(RecordKind.Integer, 1, 0, default),
                7 => new RecordValue(RecordKind.Real, 0, BinaryPrimitives.ReadDoubleBigEndian(bytes), default),
                <= 6 => new RecordValue(RecordKind.Integer, ReadInteger(bytes), 0, default),
                _ => new RecordValue((type & 1) == 0 ? RecordKind.Blob : RecordKind.Text, 0, 0, payload.Slice(offset, (int)size)),
            };
            offset += (int)size;
        }

        return values;
    }

    // A big-endian two's-complement integer of 1, 2, 3, 4, 6 or 8 bytes.
    private static long ReadInteger(ReadOnlySpan<byte> bytes)
    {
        long value = (sbyte)bytes[0];
        for (int i = 1; i < bytes.Length; i++)
        {
            value = (value << 8) | bytes[i];
        }

        return value;
    }
}
