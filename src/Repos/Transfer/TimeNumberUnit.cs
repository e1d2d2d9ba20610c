namespace Repos.Transfer;

/// <summary>
/// The unit of JSON numbers that an import reads as dates and durations: a <see cref="DateTime"/> or
/// <see cref="DateTimeOffset"/> stored as a number counts time since the Unix epoch (1970-01-01T00:00:00Z)
/// in this unit, and a <see cref="TimeSpan"/> stored as a number counts this unit.
/// </summary>
public enum TimeNumberUnit
{
    /// <summary>Milliseconds, as JavaScript's <c>Date.now()</c> and <c>date.getTime()</c> give them.</summary>
    Milliseconds,

    /// <summary>Seconds, as Unix timestamps usually count.</summary>
    Seconds,
}
