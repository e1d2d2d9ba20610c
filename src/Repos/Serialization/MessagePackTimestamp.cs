namespace Repos.Serialization;

/// <summary>
/// A point in time as the MessagePack timestamp extension (type -1) stores it: whole seconds since
/// 1970-01-01T00:00:00Z (negative before it) and the nanoseconds within that second.
/// </summary>
/// <param name="Seconds">Seconds since the Unix epoch, UTC; negative for earlier times.</param>
/// <param name="Nanoseconds">Nanoseconds added to <paramref name="Seconds"/>, 0..999,999,999.</param>
/// <remarks>
/// The range is wider than <see cref="DateTime"/>'s (years 1..9999) and finer (1 ns against 100 ns), so
/// <see cref="ToDateTime"/> can fail and truncates to ticks; <see cref="FromDateTime"/> is exact.
/// </remarks>
public readonly record struct MessagePackTimestamp(long Seconds, uint Nanoseconds)
{
    private const long TicksPerSecond = TimeSpan.TicksPerSecond;
    private const long UnixEpochTicks = 621_355_968_000_000_000; // DateTime.UnixEpoch.Ticks
    private const long MinSeconds = -UnixEpochTicks / TicksPerSecond; // 0001-01-01T00:00:00Z
    private const long MaxSeconds = (3_155_378_975_999_999_999 - UnixEpochTicks) / TicksPerSecond; // 9999-12-31T23:59:59Z

    /// <summary>The number of nanoseconds in a second, the exclusive upper bound of <see cref="Nanoseconds"/>.</summary>
    public const uint NanosecondsPerSecond = 1_000_000_000;

    /// <summary>
    /// The timestamp of <paramref name="value"/>. A <see cref="DateTimeKind.Local"/> value is converted to
    /// UTC first; an <see cref="DateTimeKind.Unspecified"/> one is taken to be UTC already.
    /// </summary>
    /// <param name="value">The time.</param>
    /// <returns>The same instant, exactly.</returns>
    public static MessagePackTimestamp FromDateTime(DateTime value)
    {
        if (value.Kind == DateTimeKind.Local)
        {
            value = value.ToUniversalTime();
        }

        var ticks = value.Ticks - UnixEpochTicks;
        var seconds = Math.DivRem(ticks, TicksPerSecond, out var remainder);
        if (remainder < 0)
        {
            seconds--;
            remainder += TicksPerSecond;
        }

        return new MessagePackTimestamp(seconds, (uint)remainder * 100);
    }

    /// <summary>
    /// This instant as a UTC <see cref="DateTime"/>, truncated to 100 ns ticks.
    /// </summary>
    /// <returns>The time, with <see cref="DateTimeKind.Utc"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException">
    /// The timestamp is outside the range of <see cref="DateTime"/> or <see cref="Nanoseconds"/> is 1e9 or more.
    /// </exception>
    public DateTime ToDateTime() =>
        TryToDateTime(out var result)
            ? result
            : throw new ArgumentOutOfRangeException(null, $"timestamp {Seconds}.{Nanoseconds:D9} is outside the range of DateTime");

    /// <summary>This instant as a UTC <see cref="DateTime"/>, when it is in range.</summary>
    /// <param name="result">The time, with <see cref="DateTimeKind.Utc"/>, truncated to 100 ns ticks.</param>
    /// <returns>False when the timestamp is outside the range of <see cref="DateTime"/> or <see cref="Nanoseconds"/> is 1e9 or more.</returns>
    public bool TryToDateTime(out DateTime result)
    {
        // MinSeconds/MaxSeconds only keep the multiplication below from overflowing; the tick range
        // check is the real bound.
        if (Nanoseconds >= NanosecondsPerSecond || Seconds < MinSeconds || Seconds > MaxSeconds)
        {
            result = default;
            return false;
        }

        var ticks = UnixEpochTicks + Seconds * TicksPerSecond + Nanoseconds / 100;
        if ((ulong)ticks > (ulong)DateTime.MaxValue.Ticks)
        {
            result = default;
            return false;
        }

        result = new DateTime(ticks, DateTimeKind.Utc);
        return true;
    }
}
