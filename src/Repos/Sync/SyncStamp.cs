using System.Buffers.Binary;
using System.Globalization;

namespace Repos.Sync;

/// <summary>
/// A hybrid-logical-clock stamp: when a change was made, as Unix milliseconds plus a logical counter, and by
/// which replica. Stamps order the changes to a field: the higher one wins (docs/sync.md, <i>The merge rule</i>).
/// </summary>
/// <remarks>
/// <see cref="Value"/> packs the milliseconds in its upper 47 bits (it is never negative) and the counter in its lower 16. Two stamps
/// compare by <see cref="Value"/>, then by <see cref="Replica"/> as 16 big-endian unsigned bytes, so two writes of
/// different replicas never tie, and every replica orders any two stamps the same way.
/// </remarks>
public readonly struct SyncStamp : IEquatable<SyncStamp>, IComparable<SyncStamp>
{
    /// <summary>The bits of <see cref="Value"/> that hold the logical counter.</summary>
    public const int CounterBits = 16;

    /// <summary>The largest counter: one more carries into the milliseconds.</summary>
    public const int MaxCounter = (1 << CounterBits) - 1;

    /// <summary>The largest number of milliseconds a stamp holds (47 bits: past the year 6000).</summary>
    public const long MaxMilliseconds = (1L << (63 - CounterBits)) - 1;

    /// <summary>Makes a stamp from its packed value and its replica.</summary>
    /// <param name="value">Milliseconds in the upper 47 bits, the counter in the lower 16; not negative.</param>
    /// <param name="replica">The replica that made the change.</param>
    public SyncStamp(long value, Guid replica)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(value);
        Value = value;
        Replica = replica;
    }

    /// <summary>The packed stamp: milliseconds since the Unix epoch shifted left by 16, plus the counter.</summary>
    public long Value { get; }

    /// <summary>The replica that made the change.</summary>
    public Guid Replica { get; }

    /// <summary>The stamp's milliseconds since the Unix epoch.</summary>
    public long Milliseconds => Value >> CounterBits;

    /// <summary>The logical counter: how many changes this clock stamped earlier within the same millisecond.</summary>
    public int Counter => (int)(Value & MaxCounter);

    /// <summary>The stamp's time.</summary>
    public DateTimeOffset Time => DateTimeOffset.FromUnixTimeMilliseconds(Milliseconds);

    /// <summary>Packs milliseconds and a counter into a <see cref="Value"/>.</summary>
    public static long Pack(long milliseconds, int counter) => (milliseconds << CounterBits) | (uint)counter;

    /// <summary>Compares replica ids as 16 big-endian unsigned bytes (the order of their bytes on the wire).</summary>
    public static int CompareReplicas(Guid left, Guid right)
    {
        Span<byte> a = stackalloc byte[16];
        Span<byte> b = stackalloc byte[16];
        left.TryWriteBytes(a, bigEndian: true, out _);
        right.TryWriteBytes(b, bigEndian: true, out _);
        int high = BinaryPrimitives.ReadUInt64BigEndian(a).CompareTo(BinaryPrimitives.ReadUInt64BigEndian(b));
        return high != 0 ? high : BinaryPrimitives.ReadUInt64BigEndian(a[8..]).CompareTo(BinaryPrimitives.ReadUInt64BigEndian(b[8..]));
    }

    /// <inheritdoc />
    public int CompareTo(SyncStamp other)
    {
        int byValue = Value.CompareTo(other.Value);
        return byValue != 0 ? byValue : CompareReplicas(Replica, other.Replica);
    }

    /// <inheritdoc />
    public bool Equals(SyncStamp other) => Value == other.Value && Replica == other.Replica;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is SyncStamp other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Value, Replica);

    /// <summary>The stamp as its time, counter and replica: <c>2026-12-03T10:20:30.123Z+2@9f0c…</c>.</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Time:yyyy-MM-dd'T'HH:mm:ss.fff'Z'}+{Counter}@{Replica:N}");

    /// <summary>Whether <paramref name="left"/> is the later stamp.</summary>
    public static bool operator >(SyncStamp left, SyncStamp right) => left.CompareTo(right) > 0;

    /// <summary>Whether <paramref name="left"/> is the earlier stamp.</summary>
    public static bool operator <(SyncStamp left, SyncStamp right) => left.CompareTo(right) < 0;

    /// <summary>Whether <paramref name="left"/> is the later stamp or the same.</summary>
    public static bool operator >=(SyncStamp left, SyncStamp right) => left.CompareTo(right) >= 0;

    /// <summary>Whether <paramref name="left"/> is the earlier stamp or the same.</summary>
    public static bool operator <=(SyncStamp left, SyncStamp right) => left.CompareTo(right) <= 0;

    /// <summary>Whether two stamps are the same.</summary>
    public static bool operator ==(SyncStamp left, SyncStamp right) => left.Equals(right);

    /// <summary>Whether two stamps differ.</summary>
    public static bool operator !=(SyncStamp left, SyncStamp right) => !left.Equals(right);
}
