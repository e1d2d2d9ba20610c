using Repos.Internal;
using Repos.Serialization;

namespace Repos.Transfer;

/// <summary>Orders two payloads by one field's value, as a merge tells the newer row (a missing or nil value is the oldest).</summary>
internal static class FieldOrder
{
    /// <summary>Whether values of <paramref name="type"/> have an order a merge can go by.</summary>
    public static bool IsOrdered(CatalogType type) => (type.Kind == CatalogTypeKind.Nullable ? type.Element!.Kind : type.Kind) is
        CatalogTypeKind.SByte or CatalogTypeKind.Byte or CatalogTypeKind.Int16 or CatalogTypeKind.UInt16 or CatalogTypeKind.Int32
        or CatalogTypeKind.UInt32 or CatalogTypeKind.Int64 or CatalogTypeKind.UInt64 or CatalogTypeKind.Single or CatalogTypeKind.Double
        or CatalogTypeKind.DateTime or CatalogTypeKind.DateTimeOffset or CatalogTypeKind.DateOnly or CatalogTypeKind.TimeOnly
        or CatalogTypeKind.TimeSpan or CatalogTypeKind.String;

    /// <summary>Compares field <paramref name="id"/> of <paramref name="left"/> with that of <paramref name="right"/>.</summary>
    public static int Compare(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right, long id, CatalogType type)
    {
        IComparable? a = Value(left, id, type);
        IComparable? b = Value(right, id, type);
        return a is null ? (b is null ? 0 : -1) : b is null ? 1 : a.CompareTo(b);
    }

    private static IComparable? Value(ReadOnlySpan<byte> payload, long id, CatalogType type)
    {
        var reader = new MessagePackReader(payload);
        for (int count = reader.ReadMapHeader(); count > 0; count--)
        {
            if (reader.ReadInt64() != id)
            {
                reader.Skip();
                continue;
            }

            if (reader.TryReadNil())
            {
                return null;
            }

            return (type.Kind == CatalogTypeKind.Nullable ? type.Element!.Kind : type.Kind) switch
            {
                CatalogTypeKind.UInt64 => reader.ReadUInt64(),
                CatalogTypeKind.Single => (double)reader.ReadSingle(),
                CatalogTypeKind.Double => reader.ReadDouble(),
                CatalogTypeKind.DateTime => ValueCodec.ReadDateTime(ref reader).ToUniversalTime().Ticks,
                CatalogTypeKind.DateTimeOffset => ValueCodec.ReadDateTimeOffset(ref reader).UtcTicks,
                CatalogTypeKind.DateOnly => (long)ValueCodec.ReadDateOnly(ref reader).DayNumber,
                CatalogTypeKind.TimeOnly => ValueCodec.ReadTimeOnly(ref reader).Ticks,
                CatalogTypeKind.TimeSpan => ValueCodec.ReadTimeSpan(ref reader).Ticks,
                CatalogTypeKind.String => new OrdinalString(reader.ReadString() ?? string.Empty),
                _ => reader.ReadInt64(),
            };
        }

        return null;
    }

    private sealed record OrdinalString(string Value) : IComparable
    {
        public int CompareTo(object? obj) => string.CompareOrdinal(Value, ((OrdinalString)obj!).Value);
    }
}
