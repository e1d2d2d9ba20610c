using System.Globalization;

namespace Repos.Cli.Output;

/// <summary>Numbers and sizes as a person reads them in a table.</summary>
internal static class Format
{
    private static readonly string[] s_units = ["B", "KiB", "MiB", "GiB", "TiB"];

    /// <summary>A size in bytes with a binary unit: <c>812 B</c>, <c>4.0 KiB</c>, <c>1.3 GiB</c>.</summary>
    public static string Bytes(long bytes)
    {
        double value = bytes;
        int unit = 0;
        while (Math.Abs(value) >= 1024 && unit < s_units.Length - 1)
        {
            value /= 1024;
            unit++;
        }

        return unit == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{bytes} B")
            : string.Create(CultureInfo.InvariantCulture, $"{value:0.0} {s_units[unit]}");
    }

    /// <summary>A count with thousands separators: <c>1,204,332</c>.</summary>
    public static string Count(long count) => count.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>A time as ISO 8601 in UTC, to the second: <c>2026-12-04 10:00:00Z</c>.</summary>
    public static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>A time as the JSON documents carry it: ISO 8601 round-trip form.</summary>
    public static string JsonTime(DateTimeOffset time) => time.ToString("O", CultureInfo.InvariantCulture);
}
