using System.ComponentModel.DataAnnotations;

namespace Repos.Tests.Generated;

public enum Color : byte
{
    Red = 1,
    Green = 2,
    Blue = 255,
}

[Flags]
public enum Access : long
{
    None = 0,
    Read = 1,
    Write = 2,
    Admin = 1L << 62,
}

/// <summary>Every property type Repos stores, with its nullable form.</summary>
[Entity]
public partial class AllTypes
{
    [Key]
    public int Id { get; set; }

    public bool Bool { get; set; }

    public byte Byte { get; set; }

    public sbyte SByte { get; set; }

    public short Int16 { get; set; }

    public ushort UInt16 { get; set; }

    public int Int32 { get; set; }

    public uint UInt32 { get; set; }

    public long Int64 { get; set; }

    public ulong UInt64 { get; set; }

    public float Single { get; set; }

    public double Double { get; set; }

    public decimal Decimal { get; set; }

    public char Char { get; set; }

    public string String { get; set; } = "";

    public Guid Guid { get; set; }

    public DateTime DateTime { get; set; }

    public DateTimeOffset DateTimeOffset { get; set; }

    public DateOnly DateOnly { get; set; }

    public TimeOnly TimeOnly { get; set; }

    public TimeSpan TimeSpan { get; set; }

    public Color Color { get; set; }

    public Access Access { get; set; }

    public byte[] Bytes { get; set; } = [];

    public bool? NullableBool { get; set; }

    public int? NullableInt32 { get; set; }

    public long? NullableInt64 { get; set; }

    public double? NullableDouble { get; set; }

    public decimal? NullableDecimal { get; set; }

    public char? NullableChar { get; set; }

    public string? NullableString { get; set; }

    public Guid? NullableGuid { get; set; }

    public DateTime? NullableDateTime { get; set; }

    public DateTimeOffset? NullableDateTimeOffset { get; set; }

    public DateOnly? NullableDateOnly { get; set; }

    public TimeOnly? NullableTimeOnly { get; set; }

    public TimeSpan? NullableTimeSpan { get; set; }

    public Color? NullableColor { get; set; }

    public byte[]? NullableBytes { get; set; }

    public int[] IntArray { get; set; } = [];

    public string?[]? NullableStringArray { get; set; }

    public List<double> DoubleList { get; set; } = [];

    public IList<string> StringIList { get; set; } = [];

    public ICollection<Guid> GuidCollection { get; set; } = [];

    public IReadOnlyList<int?> NullableIntReadOnlyList { get; set; } = [];

    public IReadOnlyCollection<DateOnly> DateCollection { get; set; } = [];

    public HashSet<Color> ColorSet { get; set; } = [];

    public Dictionary<string, int> Counts { get; set; } = [];

    public IReadOnlyDictionary<Guid, Point?> PointsById { get; set; } = new Dictionary<Guid, Point?>();

    public Dictionary<int, List<string>>? Groups { get; set; }

    public List<int[]> Jagged { get; set; } = [];

    public Point Origin { get; set; } = new(0, 0);

    public Point? Target { get; set; }

    public Tree? Tree { get; set; }
}

public sealed record Point(double X, double Y);

/// <summary>A type that contains itself.</summary>
public sealed class Tree
{
    public string Label { get; set; } = "";

    public List<Tree> Children { get; set; } = [];
}

/// <summary>A positional record as an entity.</summary>
[Entity]
public partial record Tag([property: Key] string Name, int Weight, DateOnly? Since);

/// <summary>An entity with an init-only, required, long key.</summary>
[Entity]
public partial record Counter
{
    [Key]
    public required long Id { get; init; }

    public required string Label { get; init; }

    public int Value { get; init; }
}

[Database(typeof(AllTypes), typeof(Tag), typeof(Counter))]
public partial class TypesDb;
