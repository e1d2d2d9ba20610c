using PdfSharp.Drawing;
using SymptomTracker.Model;

namespace SymptomTracker.Reports;

public static partial class HealthReport
{
    private const double CellPadding = 3;

    // Notes take what the other columns leave of the page's width.
    private static readonly (string Header, double Width, bool Centered)[] s_columns =
    [
        ("Date", 52, false), ("Health", 34, true), ("Energy", 34, true), ("Sleep", 34, true), ("Mood", 46, false),
        ("Symptoms (severity)", 112, false), ("Medications", 100, false), ("Notes", 0, false),
    ];

    private static readonly XColor s_headerFill = XColor.FromArgb(222, 230, 240);
    private static readonly XColor s_stripeFill = XColor.FromArgb(246, 248, 250);

    /// <summary>One row per logged day, oldest first; a page break repeats the column headers.</summary>
    private static void WriteTable(ReportCanvas canvas, DailyEntry[] days)
    {
        double[] widths = ColumnWidths(canvas);
        double lineHeight = canvas.Table.GetHeight();
        double headerHeight = canvas.TableBold.GetHeight() + (2 * CellPadding);

        // The heading, the column headers and a first row stay together.
        canvas.EnsureSpace(canvas.Heading.GetHeight() + 4 + headerHeight + (3 * lineHeight) + (2 * CellPadding));
        canvas.WriteLine("Daily entries", canvas.Heading, spaceAfter: 4);
        DrawHeader(canvas, widths, headerHeight);
        for (int i = 0; i < days.Length; i++)
        {
            IReadOnlyList<string>[] cells = Cells(canvas, days[i], widths);
            int lines = cells.Max(c => c.Count);
            double height = (lines * lineHeight) + (2 * CellPadding);
            if (canvas.EnsureSpace(height))
            {
                DrawHeader(canvas, widths, headerHeight);
            }

            XGraphics g = canvas.Graphics;
            if (i % 2 == 1)
            {
                g.DrawRectangle(new XSolidBrush(s_stripeFill), canvas.Left, canvas.Y, canvas.Width, height);
            }

            DrawCells(canvas, widths, cells, canvas.Table, XBrushes.Black);
            canvas.Y += height;
            g.DrawLine(new XPen(XColor.FromArgb(210, 210, 210), 0.3), canvas.Left, canvas.Y, canvas.Right, canvas.Y);
        }
    }

    private static double[] ColumnWidths(ReportCanvas canvas)
    {
        var widths = new double[s_columns.Length];
        double used = 0;
        for (int i = 0; i < widths.Length - 1; i++)
        {
            widths[i] = s_columns[i].Width;
            used += widths[i];
        }

        widths[^1] = canvas.Width - used;
        return widths;
    }

    private static void DrawHeader(ReportCanvas canvas, double[] widths, double height)
    {
        canvas.Graphics.DrawRectangle(new XSolidBrush(s_headerFill), canvas.Left, canvas.Y, canvas.Width, height);
        var headers = new IReadOnlyList<string>[s_columns.Length];
        for (int i = 0; i < headers.Length; i++)
        {
            headers[i] = [s_columns[i].Header];
        }

        DrawCells(canvas, widths, headers, canvas.TableBold, XBrushes.Black);
        canvas.Y += height;
        canvas.Graphics.DrawLine(new XPen(XColors.DimGray, 0.6), canvas.Left, canvas.Y, canvas.Right, canvas.Y);
    }

    private static void DrawCells(ReportCanvas canvas, double[] widths, IReadOnlyList<string>[] cells, XFont font, XBrush brush)
    {
        double lineHeight = font.GetHeight();
        double x = canvas.Left;
        for (int column = 0; column < cells.Length; column++)
        {
            double y = canvas.Y + CellPadding;
            foreach (string line in cells[column])
            {
                if (s_columns[column].Centered)
                {
                    canvas.Graphics.DrawString(line, font, brush, x + (widths[column] / 2), y, XStringFormats.TopCenter);
                }
                else
                {
                    canvas.Graphics.DrawString(line, font, brush, x + CellPadding, y, XStringFormats.TopLeft);
                }

                y += lineHeight;
            }

            x += widths[column];
        }
    }

    /// <summary>A day's cells, each already broken into the lines it is drawn in.</summary>
    private static IReadOnlyList<string>[] Cells(ReportCanvas canvas, DailyEntry entry, double[] widths)
    {
        XFont font = canvas.Table;
        IReadOnlyList<string> Items(IEnumerable<string> items, double width, string none)
        {
            var lines = new List<string>();
            foreach (string item in items)
            {
                lines.AddRange(canvas.Wrap(item, font, width - (2 * CellPadding), maxLines: 2));
            }

            return lines.Count == 0 ? [none] : lines;
        }

        return
        [
            [Format(entry.Date), entry.Date.ToString("ddd", s_culture)],
            [entry.OverallHealth.ToString(s_culture)],
            [entry.Energy.ToString(s_culture)],
            [$"{Format(entry.SleepHours)} h"],
            [MoodName(entry.Mood)],
            Items(entry.Symptoms.Select(s => $"{s.Name} ({s.Severity})"), widths[5], "none"),
            Items(entry.Medications.Select(MedicationText), widths[6], "none"),
            // Notes can run to thousands of characters: the table shows their start, three lines at most.
            string.IsNullOrWhiteSpace(entry.Notes) ? [] : canvas.Wrap(entry.Notes, font, widths[7] - (2 * CellPadding), maxLines: 3),
        ];
    }

    private static string MedicationText(DailyMedication medication) => medication switch
    {
        { Taken: false } => $"{medication.Name} (missed)",
        { TakenAt: { } at } => $"{medication.Name} {at.ToString("HH:mm", s_culture)}",
        _ => medication.Name,
    };

    private static string MoodName(MoodLevel mood) => mood switch
    {
        MoodLevel.VeryLow => "Very low",
        MoodLevel.Low => "Low",
        MoodLevel.Neutral => "Neutral",
        MoodLevel.Good => "Good",
        MoodLevel.VeryGood => "Very good",
        _ => "",
    };
}
