using System.Globalization;
using PdfSharp.Drawing;
using PdfSharp.Pdf;
using SymptomTracker.Model;

namespace SymptomTracker.Reports;

/// <summary>
/// A PDF report of one user's log over a date range, for their doctor: who and which days, a summary (days
/// logged, averages, the most frequent symptoms, how regularly each medication was taken), a chart of overall
/// health and energy over the range, and a table of the entries continued over as many pages as it takes.
/// </summary>
/// <remarks>
/// The fonts are embedded in the sample (DejaVu Sans), so the report looks the same on every machine and needs
/// no installed font; the text in the PDF is real text, which readers can search and copy.
/// </remarks>
public static partial class HealthReport
{
    private static readonly CultureInfo s_culture = CultureInfo.InvariantCulture;

    /// <summary>Writes the report of <paramref name="user"/>'s entries from <paramref name="from"/> to <paramref name="to"/> as a PDF.</summary>
    /// <param name="output">Where the PDF goes; it is left open.</param>
    /// <param name="user">Whose log it is; the report names them.</param>
    /// <param name="from">The first day of the range.</param>
    /// <param name="to">The last day of the range, included.</param>
    /// <param name="entries">
    /// The user's entries in the range, in any order, as the index query
    /// <c>db.DailyEntries.ByUserIdAndDate(user.Id).Between(from, to)</c> returns them. A day without an entry
    /// has no row in the table and is a gap in the chart.
    /// </param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="to"/> is before <paramref name="from"/>.</exception>
    /// <exception cref="ArgumentException">An entry is another user's, outside the range, or a second one for its day.</exception>
    public static void Write(Stream output, User user, DateOnly from, DateOnly to, IReadOnlyList<DailyEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(entries);
        if (to < from)
        {
            throw new ArgumentOutOfRangeException(nameof(to), to, $"The range ends before it starts ({Format(from)}).");
        }

        DailyEntry[] days = InDateOrder(user, from, to, entries);
        ReportFontResolver.EnsureInstalled();

        string who = $"{user.DisplayName} ({user.Id})";
        string range = $"{Format(from)} to {Format(to)}";
        using var document = new PdfDocument();
        document.Info.Title = $"Health report: {who}, {range}";
        document.Info.Subject = "Daily symptom diary: overall health, energy, sleep, mood, symptoms, medications and notes";
        document.Info.Creator = "SymptomTracker";
        using (var canvas = new ReportCanvas(document, $"Health report \u00b7 {who} \u00b7 {range}"))
        {
            canvas.NewPage();
            canvas.WriteLine("Health report", canvas.Title, spaceAfter: 8);
            WriteField(canvas, "Patient", who);
            WriteField(canvas, "Period", $"{range} ({Days(to.DayNumber - from.DayNumber + 1)})");
            canvas.Y += 4;
            canvas.Graphics.DrawLine(new XPen(XColors.Gray, 0.75), canvas.Left, canvas.Y, canvas.Right, canvas.Y);
            canvas.Y += 12;

            WriteSummary(canvas, from, to, days);
            if (days.Length > 0)
            {
                WriteChart(canvas, from, to, days);
                WriteTable(canvas, days);
            }

            canvas.DrawFooters($"Health report \u00b7 {who} \u00b7 {range}");
        }

        document.Save(output, closeStream: false);
    }

    private static DailyEntry[] InDateOrder(User user, DateOnly from, DateOnly to, IReadOnlyList<DailyEntry> entries)
    {
        var days = new DailyEntry[entries.Count];
        for (int i = 0; i < days.Length; i++)
        {
            DailyEntry entry = entries[i] ?? throw new ArgumentException($"Entry {i} is null.", nameof(entries));
            if (!string.Equals(entry.UserId, user.Id, StringComparison.Ordinal))
            {
                throw new ArgumentException($"Entry {entry.Id} ({Format(entry.Date)}) is {entry.UserId}'s, not {user.Id}'s.", nameof(entries));
            }

            if (entry.Date < from || entry.Date > to)
            {
                throw new ArgumentException($"Entry {entry.Id} is for {Format(entry.Date)}, outside {Format(from)} to {Format(to)}.", nameof(entries));
            }

            days[i] = entry;
        }

        Array.Sort(days, (a, b) => a.Date.CompareTo(b.Date));
        for (int i = 1; i < days.Length; i++)
        {
            if (days[i].Date == days[i - 1].Date)
            {
                throw new ArgumentException($"Entries {days[i - 1].Id} and {days[i].Id} are both for {Format(days[i].Date)}.", nameof(entries));
            }
        }

        return days;
    }

    private static void WriteSummary(ReportCanvas canvas, DateOnly from, DateOnly to, DailyEntry[] days)
    {
        canvas.WriteLine("Summary", canvas.Heading, spaceAfter: 4);
        WriteField(canvas, "Days logged", $"{days.Length} of {to.DayNumber - from.DayNumber + 1}");
        if (days.Length == 0)
        {
            canvas.Y += 6;
            canvas.WriteLine("No entries were logged in this period.", canvas.BodyBold);
            return;
        }

        WriteField(canvas, "Average overall health", $"{Format(days.Average(d => d.OverallHealth))} / 10 (lowest {days.Min(d => d.OverallHealth)}, highest {days.Max(d => d.OverallHealth)})");
        WriteField(canvas, "Average energy", $"{Format(days.Average(d => d.Energy))} / 10");
        WriteField(canvas, "Average sleep", $"{Format(days.Average(d => d.SleepHours))} hours (shortest {Format(days.Min(d => d.SleepHours))}, longest {Format(days.Max(d => d.SleepHours))})");

        // A symptom counts once a day, with that day's highest severity.
        string[] symptoms = days
            .SelectMany(d => d.Symptoms.GroupBy(s => s.Name, StringComparer.Ordinal).Select(g => (Name: g.Key, Severity: g.Max(s => s.Severity))))
            .GroupBy(s => s.Name, StringComparer.Ordinal)
            .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal)
            .Take(5)
            .Select(g => $"{g.Key} on {Days(g.Count())} (average severity {Format(g.Average(s => s.Severity))})")
            .ToArray();
        WriteField(canvas, "Most frequent symptoms", symptoms.Length == 0 ? "none" : string.Join(", ", symptoms));

        string[] medications = days
            .SelectMany(d => d.Medications)
            .GroupBy(m => m.Name, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => $"{g.Key} taken on {g.Count(m => m.Taken)} of {Days(g.Count())}")
            .ToArray();
        WriteField(canvas, "Medications", medications.Length == 0 ? "none logged" : string.Join(", ", medications));
        canvas.Y += 8;
    }

    /// <summary>A bold label and its value beside it, wrapped under itself.</summary>
    private static void WriteField(ReportCanvas canvas, string label, string value)
    {
        const double LabelWidth = 140;
        double lineHeight = canvas.Body.GetHeight();
        IReadOnlyList<string> lines = canvas.Wrap(value, canvas.Body, canvas.Width - LabelWidth, int.MaxValue);
        canvas.EnsureSpace(lineHeight);
        canvas.Graphics.DrawString($"{label}:", canvas.BodyBold, XBrushes.Black, canvas.Left, canvas.Y, XStringFormats.TopLeft);
        foreach (string line in lines)
        {
            canvas.EnsureSpace(lineHeight);
            canvas.Graphics.DrawString(line, canvas.Body, XBrushes.Black, canvas.Left + LabelWidth, canvas.Y, XStringFormats.TopLeft);
            canvas.Y += lineHeight;
        }

        canvas.Y += 2;
    }

    private static string Days(int count) => count == 1 ? "1 day" : $"{count} days";

    private static string Format(DateOnly date) => date.ToString("yyyy-MM-dd", s_culture);

    private static string Format(double value) => value.ToString("0.0", s_culture);
}
