namespace Repos.Backup;

/// <summary>
/// Which backups to keep: the last few, one per day for some days, one per week for some weeks. The rules
/// combine: a backup any rule keeps is kept, and <see cref="ReposBackups.ApplyRetentionAsync"/> deletes the
/// rest.
/// </summary>
/// <remarks>
/// <para>
/// Days and weeks are calendar days and weeks in the clock's local time zone
/// (<see cref="TimeProvider.LocalTimeZone"/>), counted back from now, the current one included; weeks start
/// on Monday (ISO 8601). For each day (week) the newest backup taken in it is kept. A backup dated after
/// now (the clock was set back) counts as taken today.
/// </para>
/// <para>
/// Whatever the rules say, the newest verified backup is never deleted, so a policy applied after a long
/// pause (every backup older than the days and weeks it keeps) still leaves one to restore.
/// </para>
/// </remarks>
/// <example>
/// <code>
/// // The last 3, one a day for a week, one a week for two months.
/// var policy = new BackupRetention { KeepLast = 3, KeepDaily = 7, KeepWeekly = 8 };
/// IReadOnlyList&lt;BackupInfo&gt; deleted = await db.Backup.ApplyRetentionAsync(policy);
/// </code>
/// </example>
public sealed class BackupRetention
{
    private readonly int _keepLast;
    private readonly int _keepDaily;
    private readonly int _keepWeekly;

    /// <summary>Keep the newest this many backups (0: no such rule).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public int KeepLast
    {
        get => _keepLast;
        init
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            _keepLast = value;
        }
    }

    /// <summary>Keep the newest backup of each of this many days, today included (0: no such rule).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public int KeepDaily
    {
        get => _keepDaily;
        init
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            _keepDaily = value;
        }
    }

    /// <summary>Keep the newest backup of each of this many weeks, this week included (0: no such rule).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public int KeepWeekly
    {
        get => _keepWeekly;
        init
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            _keepWeekly = value;
        }
    }

    /// <summary>
    /// The identifiers of the backups this policy keeps out of <paramref name="backups"/> (newest first) at
    /// <paramref name="now"/>, with days and weeks counted in <paramref name="zone"/>.
    /// </summary>
    internal HashSet<string> SelectKept(IReadOnlyList<BackupInfo> backups, DateTimeOffset now, TimeZoneInfo zone)
    {
        if (KeepLast == 0 && KeepDaily == 0 && KeepWeekly == 0)
        {
            throw new InvalidOperationException("The retention policy keeps nothing; set KeepLast, KeepDaily or KeepWeekly.");
        }

        var kept = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < backups.Count && i < KeepLast; i++)
        {
            kept.Add(backups[i].Id);
        }

        DateOnly today = LocalDate(now, zone);
        KeepOnePer(backups, zone, today, KeepDaily, 1, static day => day, kept);
        KeepOnePer(backups, zone, today, KeepWeekly, 7, WeekStart, kept);
        foreach (BackupInfo backup in backups)
        {
            if (backup.IsVerified)
            {
                kept.Add(backup.Id);
                break;
            }
        }

        return kept;
    }

    /// <summary>
    /// Keeps the newest backup of each of the last <paramref name="periods"/> periods of
    /// <paramref name="days"/> days, a period being named by its first day (<paramref name="periodOf"/>).
    /// </summary>
    private static void KeepOnePer(
        IReadOnlyList<BackupInfo> backups,
        TimeZoneInfo zone,
        DateOnly today,
        int periods,
        int days,
        Func<DateOnly, DateOnly> periodOf,
        HashSet<string> kept)
    {
        if (periods == 0)
        {
            return;
        }

        DateOnly first = periodOf(today).AddDays(-days * (periods - 1));
        var seen = new HashSet<DateOnly>();
        foreach (BackupInfo backup in backups)
        {
            DateOnly day = LocalDate(backup.CreatedAt, zone);
            DateOnly period = periodOf(day > today ? today : day);
            if (period >= first && seen.Add(period))
            {
                kept.Add(backup.Id);
            }
        }
    }

    private static DateOnly LocalDate(DateTimeOffset time, TimeZoneInfo zone) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(time, zone).DateTime);

    /// <summary>The Monday starting the ISO week of <paramref name="day"/>.</summary>
    private static DateOnly WeekStart(DateOnly day) => day.AddDays(-(((int)day.DayOfWeek + 6) % 7));
}
