using System.Globalization;
using Repos.Internal;

namespace Repos.Transfer;

/// <summary>How an import reads one enum: its members by name (exactly, then loosely) and the values it allows.</summary>
internal sealed class JsonEnumPlan
{
    private readonly JsonNames<long> _names = new();
    private readonly HashSet<long> _defined = [];
    private readonly long _allBits;
    private readonly bool _anyValue;

    /// <param name="shape">The enum.</param>
    /// <param name="anyValue">
    /// Whether every value of the underlying type is taken, members or not: an export writes a stored value no member
    /// has as its number (<see cref="JsonImportOptions.ExactValues"/>), and it must read back as it was.
    /// </param>
    public JsonEnumPlan(EnumShape shape, bool anyValue = false)
    {
        Shape = shape;
        _anyValue = anyValue;
        Underlying = CatalogType.Parse(shape.UnderlyingType).Kind;
        for (int i = 0; i < shape.Names.Count; i++)
        {
            _names.Add(shape.Names[i], shape.Values[i]);
            _defined.Add(shape.Values[i]);
            _allBits |= shape.Values[i];
        }
    }

    public EnumShape Shape { get; }

    /// <summary>The underlying integer type, which decides how the value is stored.</summary>
    public CatalogTypeKind Underlying { get; }

    /// <summary>Whether the value is unsigned, so <see cref="long"/> values are its bits.</summary>
    public bool IsUnsigned => Underlying is CatalogTypeKind.Byte or CatalogTypeKind.UInt16 or CatalogTypeKind.UInt32 or CatalogTypeKind.UInt64;

    /// <summary>
    /// Reads a member name, a number, or for a <c>[Flags]</c> enum several of them separated by <c>,</c> or
    /// <c>|</c>; returns the problem, or null.
    /// </summary>
    public string? TryParse(string text, out long value)
    {
        value = 0;
        if (!Shape.IsFlags)
        {
            return TryParseOne(text.Trim(), out value);
        }

        foreach (string part in text.Split([',', '|'], StringSplitOptions.TrimEntries))
        {
            if (TryParseOne(part, out long one) is { } problem)
            {
                return problem;
            }

            value |= one;
        }

        return null;
    }

    /// <summary>Checks a number is a value of the enum (a member, or for <c>[Flags]</c> a combination of members); returns the problem, or null.</summary>
    public string? Check(long value)
    {
        bool defined = Shape.IsFlags ? (value & ~_allBits) == 0 : _defined.Contains(value);
        return defined ? null : $"{Format(value)} is not a value of {ShortName}{(Shape.IsFlags ? " (nor a combination of its flags)" : string.Empty)}";
    }

    private string ShortName => Shape.Name[(Shape.Name.LastIndexOf('.') + 1)..];

    private string? TryParseOne(string text, out long value)
    {
        if (_names.TryFind(text, out value))
        {
            return null;
        }

        if (decimal.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out decimal number))
        {
            return FromNumber(number, out value);
        }

        return $"'{text}' is not a member of {ShortName} ({string.Join(", ", Shape.Names)})";
    }

    /// <summary>Reads a whole number as a value of the enum; returns the problem, or null.</summary>
    public string? FromNumber(decimal number, out long value)
    {
        value = 0;
        if (JsonValueRanges.Check(Underlying, number) is { } problem)
        {
            return problem;
        }

        value = IsUnsigned ? unchecked((long)(ulong)number) : (long)number;
        return _anyValue ? null : Check(value);
    }

    private string Format(long value) => IsUnsigned
        ? unchecked((ulong)value).ToString(CultureInfo.InvariantCulture)
        : value.ToString(CultureInfo.InvariantCulture);
}
