using System.Globalization;

namespace Repos.Transfer;

/// <summary>
/// Reads the text forms an import accepts for dates, times, durations and binary values: ISO 8601 and the
/// formats JavaScript writes.
/// </summary>
internal static class JsonValueText
{
    private static readonly string[] s_localFormats =
    [
        "yyyy-MM-dd",
        "yyyy-MM-dd'T'HH:mm",
        "yyyy-MM-dd'T'HH:mm:ss",
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF",
        "yyyy-MM-dd HH:mm",
        "yyyy-MM-dd HH:mm:ss",
        "yyyy-MM-dd HH:mm:ss.FFFFFFF",
    ];

    private static readonly string[] s_offsetFormats =
    [
        "yyyy-MM-dd'T'HH:mmK",
        "yyyy-MM-dd'T'HH:mm:ssK",
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK",
        "yyyy-MM-dd HH:mmK",
        "yyyy-MM-dd HH:mm:ssK",
        "yyyy-MM-dd HH:mm:ss.FFFFFFFK",
    ];

    private static readonly string[] s_timeFormats = ["HH:mm", "HH:mm:ss", "HH:mm:ss.FFFFFFF"];

    /// <summary>
    /// An ISO 8601 date or date and time. With a UTC designator or an offset it is the UTC instant
    /// (<see cref="DateTimeKind.Utc"/>); without, the time as written (<see cref="DateTimeKind.Unspecified"/>).
    /// </summary>
    public static bool TryParseDateTime(string text, out DateTime value)
    {
        if (HasOffset(text))
        {
            bool parsed = DateTimeOffset.TryParseExact(text, s_offsetFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out DateTimeOffset instant);
            value = parsed ? instant.UtcDateTime : default;
            return parsed;
        }

        return DateTime.TryParseExact(text, s_localFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out value);
    }

    /// <summary>
    /// A date and time as an export writes it (<c>"O"</c>): ending in <c>Z</c>, a UTC time; with a numeric offset, a
    /// local time (the same instant, in this machine's zone); with neither, an unspecified one.
    /// </summary>
    public static bool TryParseExactDateTime(string text, out DateTime value)
    {
        // The form an export writes, on .NET's fast path for it, which gives the same kinds.
        if (DateTime.TryParseExact(text, "O", CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out value))
        {
            return true;
        }

        if (!HasOffset(text))
        {
            return DateTime.TryParseExact(text, s_localFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out value);
        }

        bool parsed = DateTimeOffset.TryParseExact(text, s_offsetFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out DateTimeOffset instant);
        value = !parsed ? default : text.EndsWith('Z') || text.EndsWith('z') ? instant.UtcDateTime : instant.LocalDateTime;
        return parsed;
    }

    /// <summary>An ISO 8601 date or date and time with its offset; without one, the time is taken as UTC.</summary>
    public static bool TryParseDateTimeOffset(string text, out DateTimeOffset value)
    {
        if (HasOffset(text) && DateTimeOffset.TryParseExact(text, "O", CultureInfo.InvariantCulture, DateTimeStyles.None, out value))
        {
            return true;
        }

        if (HasOffset(text))
        {
            return DateTimeOffset.TryParseExact(text, s_offsetFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out value);
        }

        bool parsed = DateTime.TryParseExact(text, s_localFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out DateTime local);
        value = parsed ? new DateTimeOffset(local, TimeSpan.Zero) : default;
        return parsed;
    }

    /// <summary>An ISO 8601 calendar date: <c>yyyy-MM-dd</c>.</summary>
    public static bool TryParseDateOnly(string text, out DateOnly value) =>
        DateOnly.TryParseExact(text, "O", CultureInfo.InvariantCulture, DateTimeStyles.None, out value);

    /// <summary>An ISO 8601 time of day: <c>HH:mm</c>, <c>HH:mm:ss</c> or <c>HH:mm:ss.fffffff</c>.</summary>
    public static bool TryParseTimeOnly(string text, out TimeOnly value) =>
        TimeOnly.TryParseExact(text, s_timeFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out value);

    /// <summary>A duration: .NET's constant format (<c>[-][d.]hh:mm:ss[.fffffff]</c>) or an ISO 8601 duration (<c>P1DT2H30M</c>, <c>PT0.5S</c>, <c>P2W</c>).</summary>
    public static bool TryParseTimeSpan(string text, out TimeSpan value) =>
        TimeSpan.TryParseExact(text, "c", CultureInfo.InvariantCulture, out value) || TryParseIsoDuration(text, out value);

    /// <summary>Base64, standard or URL-safe, with or without padding.</summary>
    public static bool TryParseBase64(string text, out byte[] value)
    {
        string normalized = text;
        if (text.AsSpan().IndexOfAny('-', '_') >= 0)
        {
            normalized = text.Replace('-', '+').Replace('_', '/');
        }

        int padding = (4 - (normalized.Length % 4)) % 4;
        if (padding is 1 or 2)
        {
            normalized += new string('=', padding);
        }

        var buffer = new byte[(normalized.Length / 4 * 3) + 3];
        if (Convert.TryFromBase64String(normalized, buffer, out int written))
        {
            value = buffer.AsSpan(0, written).ToArray();
            return true;
        }

        value = [];
        return false;
    }

    /// <summary>
    /// Whether an ISO 8601 date and time names its offset: ends with <c>Z</c>, or has a sign in its time part.
    /// </summary>
    private static bool HasOffset(string text)
    {
        if (text.EndsWith('Z') || text.EndsWith('z'))
        {
            return true;
        }

        // yyyy-MM-dd is ten characters; a sign after the date starts an offset.
        return text.Length > 10 && text.AsSpan(10).IndexOfAny('+', '-') >= 0;
    }

    /// <summary>PnW, or PnDTnHnMnS with any part left out (fractions on the last one); years and months have no fixed length.</summary>
    private static bool TryParseIsoDuration(string text, out TimeSpan value)
    {
        value = default;
        ReadOnlySpan<char> s = text.AsSpan().Trim();
        bool negative = false;
        if (s.Length > 0 && s[0] is '-' or '+')
        {
            negative = s[0] == '-';
            s = s[1..];
        }

        if (s.Length < 2 || s[0] is not ('P' or 'p'))
        {
            return false;
        }

        s = s[1..];
        decimal ticks = 0;
        bool inTime = false;
        bool any = false;
        bool lastWasT = false;
        while (s.Length > 0)
        {
            if (s[0] is 'T' or 't')
            {
                if (inTime)
                {
                    return false;
                }

                inTime = true;
                lastWasT = true;
                s = s[1..];
                continue;
            }

            int length = 0;
            while (length < s.Length && (char.IsAsciiDigit(s[length]) || s[length] is '.' or ','))
            {
                length++;
            }

            if (length == 0 || length == s.Length)
            {
                return false;
            }

            string number = s[..length].ToString().Replace(',', '.');
            if (!decimal.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out decimal amount))
            {
                return false;
            }

            long unit = (char.ToUpperInvariant(s[length]), inTime) switch
            {
                ('W', false) => TimeSpan.TicksPerDay * 7,
                ('D', false) => TimeSpan.TicksPerDay,
                ('H', true) => TimeSpan.TicksPerHour,
                ('M', true) => TimeSpan.TicksPerMinute,
                ('S', true) => TimeSpan.TicksPerSecond,
                _ => 0,
            };
            if (unit == 0)
            {
                return false;
            }

            if (amount > (decimal)TimeSpan.MaxValue.Ticks / unit)
            {
                return false;
            }

            ticks += amount * unit;
            if (ticks > TimeSpan.MaxValue.Ticks)
            {
                return false;
            }

            any = true;
            lastWasT = false;
            s = s[(length + 1)..];
        }

        if (!any || lastWasT)
        {
            return false;
        }

        long whole = (long)decimal.Round(ticks);
        value = new TimeSpan(negative ? -whole : whole);
        return true;
    }
}
