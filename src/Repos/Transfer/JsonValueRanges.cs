using System.Globalization;
using Repos.Internal;

namespace Repos.Transfer;

/// <summary>The ranges of the integer types, for the messages of an import that checks them.</summary>
internal static class JsonValueRanges
{
    /// <summary>Whether <paramref name="kind"/> is an integer type.</summary>
    public static bool IsInteger(CatalogTypeKind kind) => kind is >= CatalogTypeKind.SByte and <= CatalogTypeKind.UInt64;

    /// <summary>Checks a whole number fits the integer type <paramref name="kind"/>; returns the problem, or null.</summary>
    public static string? Check(CatalogTypeKind kind, decimal value)
    {
        (decimal min, decimal max, string name) = kind switch
        {
            CatalogTypeKind.SByte => ((decimal)sbyte.MinValue, (decimal)sbyte.MaxValue, "sbyte"),
            CatalogTypeKind.Byte => ((decimal)byte.MinValue, (decimal)byte.MaxValue, "byte"),
            CatalogTypeKind.Int16 => ((decimal)short.MinValue, (decimal)short.MaxValue, "short"),
            CatalogTypeKind.UInt16 => ((decimal)ushort.MinValue, (decimal)ushort.MaxValue, "ushort"),
            CatalogTypeKind.Int32 => ((decimal)int.MinValue, (decimal)int.MaxValue, "int"),
            CatalogTypeKind.UInt32 => ((decimal)uint.MinValue, (decimal)uint.MaxValue, "uint"),
            CatalogTypeKind.Int64 => ((decimal)long.MinValue, (decimal)long.MaxValue, "long"),
            CatalogTypeKind.UInt64 => ((decimal)ulong.MinValue, (decimal)ulong.MaxValue, "ulong"),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not an integer type."),
        };

        if (value != decimal.Truncate(value))
        {
            return $"{value.ToString(CultureInfo.InvariantCulture)} is not a whole number, as {name} needs";
        }

        return value < min || value > max
            ? string.Create(CultureInfo.InvariantCulture, $"{value} is out of range for {name} ({min} to {max})")
            : null;
    }
}
