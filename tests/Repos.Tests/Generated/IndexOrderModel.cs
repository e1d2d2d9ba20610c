using System.ComponentModel.DataAnnotations;

namespace Repos.Tests.Generated;

/// <summary>An enum whose values reach above <see cref="long.MaxValue"/>.</summary>
public enum Huge : ulong
{
    Small = 1,
    Middle = 1UL << 63,
    Largest = ulong.MaxValue,
}

/// <summary>An enum backed by a signed byte, negative values included.</summary>
public enum Tiny : sbyte
{
    Lowest = sbyte.MinValue,
    Zero = 0,
    Highest = sbyte.MaxValue,
}

/// <summary>One indexed property of every type an index column can hold, and its nullable form.</summary>
[Entity]
public partial record Sample
{
    [Key] public int Id { get; init; }
    [Indexed] public bool Bool { get; init; }
    [Indexed] public byte Byte { get; init; }
    [Indexed] public sbyte SByte { get; init; }
    [Indexed] public short Int16 { get; init; }
    [Indexed] public ushort UInt16 { get; init; }
    [Indexed] public int Int32 { get; init; }
    [Indexed] public uint UInt32 { get; init; }
    [Indexed] public long Int64 { get; init; }
    [Indexed] public ulong UInt64 { get; init; }
    [Indexed] public float Single { get; init; }
    [Indexed] public double Double { get; init; }
    [Indexed] public char Char { get; init; }
    [Indexed] public string Text { get; init; } = "";
    [Indexed] public Guid Guid { get; init; }
    [Indexed] public DateTime DateTime { get; init; }
    [Indexed] public DateTimeOffset DateTimeOffset { get; init; }
    [Indexed] public DateOnly DateOnly { get; init; }
    [Indexed] public TimeOnly TimeOnly { get; init; }
    [Indexed] public TimeSpan TimeSpan { get; init; }
    [Indexed] public Huge Huge { get; init; }
    [Indexed] public Tiny Tiny { get; init; }
    [Indexed] public byte[] Bytes { get; init; } = [];
    [Indexed] public bool? NullableBool { get; init; }
    [Indexed] public byte? NullableByte { get; init; }
    [Indexed] public sbyte? NullableSByte { get; init; }
    [Indexed] public short? NullableInt16 { get; init; }
    [Indexed] public ushort? NullableUInt16 { get; init; }
    [Indexed] public int? NullableInt32 { get; init; }
    [Indexed] public uint? NullableUInt32 { get; init; }
    [Indexed] public long? NullableInt64 { get; init; }
    [Indexed] public ulong? NullableUInt64 { get; init; }
    [Indexed] public float? NullableSingle { get; init; }
    [Indexed] public double? NullableDouble { get; init; }
    [Indexed] public char? NullableChar { get; init; }
    [Indexed] public string? NullableText { get; init; }
    [Indexed] public Guid? NullableGuid { get; init; }
    [Indexed] public DateTime? NullableDateTime { get; init; }
    [Indexed] public DateTimeOffset? NullableDateTimeOffset { get; init; }
    [Indexed] public DateOnly? NullableDateOnly { get; init; }
    [Indexed] public TimeOnly? NullableTimeOnly { get; init; }
    [Indexed] public TimeSpan? NullableTimeSpan { get; init; }
    [Indexed] public Huge? NullableHuge { get; init; }
    [Indexed] public Tiny? NullableTiny { get; init; }
    [Indexed] public byte[]? NullableBytes { get; init; }
    [Indexed(IgnoreCase = true)] public string? Folded { get; init; }
}

/// <summary>An account whose e-mail address is unique ignoring case.</summary>
[Entity]
[Index(nameof(Email), Unique = true, IgnoreCase = true)]
public partial record Account
{
    [Key] public int Id { get; init; }
    public string Email { get; init; } = "";
    public string Name { get; init; } = "";
}

[Database(typeof(Sample), typeof(Account))]
public partial class OrderDb;
