using PdfSharp.Drawing;
using SymptomTracker.Model;

namespace SymptomTracker.Reports;

public static partial class HealthReport
{
    private const double ChartHeight = 210;

    private static readonly XColor s_healthColor = XColor.FromArgb(31, 84, 153);
    private static readonly XColor s_energyColor = XColor.FromArgb(214, 120, 20);

    /// <summary>
    /// Overall health and energy per day on the 1..10 scale, one column per day of the range. Consecutive
    /// logged days are joined; a day without an entry breaks the lines, so a gap never reads as a low value.
    /// </summary>
    private static void WriteChart(ReportCanvas canvas, DateOnly from, DateOnly to, DailyEntry[] days)
    {
        canvas.EnsureSpace(canvas.Heading.GetHeight() + 4 + ChartHeight);
        canvas.WriteLine("Overall health and energy", canvas.Heading, spaceAfter: 4);
        XGraphics g = canvas.Graphics;
        double top = canvas.Y;
        int dayCount = to.DayNumber - from.DayNumber + 1;

        var healthPen = new XPen(s_healthColor, 1.4) { LineJoin = XLineJoin.Round };
        var energyPen = new XPen(s_energyColor, 1.1) { LineJoin = XLineJoin.Round, DashStyle = XDashStyle.Dash };
        DrawLegend(canvas, top, healthPen, energyPen);

        var plot = new XRect(canvas.Left + 22, top + 18, canvas.Width - 26, ChartHeight - 18 - 40);
        double dayWidth = plot.Width / dayCount;
        double X(int day) => plot.Left + ((day + 0.5) * dayWidth);

        // Half a step of head room above 10 and below 1, so a point on either never sits on the frame.
        double Y(double value) => plot.Bottom - ((Math.Clamp(value, 1, 10) - 0.5) / 10 * plot.Height);

        var grid = new XPen(XColor.FromArgb(225, 225, 225), 0.4);
        var axis = new XPen(XColors.DimGray, 0.7);
        for (int value = 1; value <= 10; value++)
        {
            g.DrawLine(grid, plot.Left, Y(value), plot.Right, Y(value));
            g.DrawString(value.ToString(s_culture), canvas.Small, XBrushes.DimGray, plot.Left - 4, Y(value), XStringFormats.CenterRight);
        }

        DrawDateAxis(canvas, plot, from, dayCount, X, grid, axis);
        g.DrawLine(axis, plot.Left, plot.Top, plot.Left, plot.Bottom);
        g.DrawLine(axis, plot.Left, plot.Bottom, plot.Right, plot.Bottom);

        DrawSeries(g, from, days, d => d.Energy, energyPen, X, Y, markers: false);
        DrawSeries(g, from, days, d => d.OverallHealth, healthPen, X, Y, markers: dayWidth >= 4);

        canvas.Y = plot.Bottom + 24;
        canvas.WriteLine(
            "Scale 1 (worst) to 10 (best). A break in a line is a day without an entry.",
            canvas.Small, XBrushes.DimGray, spaceAfter: 14);
    }

    private static void DrawLegend(ReportCanvas canvas, double top, XPen healthPen, XPen energyPen)
    {
        XGraphics g = canvas.Graphics;
        const double Sample = 18;
        double y = top + (canvas.Small.GetHeight() / 2);
        double x = canvas.Right;
        foreach ((string label, XPen pen) in new[] { ("Energy", energyPen), ("Overall health", healthPen) })
        {
            x -= g.MeasureString(label, canvas.Small).Width;
            g.DrawString(label, canvas.Small, XBrushes.Black, x, y, XStringFormats.CenterLeft);
            x -= Sample + 4;
            g.DrawLine(pen, x, y, x + Sample, y);
            x -= 14;
        }
    }

    /// <summary>
    /// Date labels under the axis at a step that suits the range (days, Mondays, months, quarters or years),
    /// each skipped where it would overlap the one before. The year is shown when it changes.
    /// </summary>
    private static void DrawDateAxis(ReportCanvas canvas, XRect plot, DateOnly from, int dayCount, Func<int, double> x, XPen grid, XPen axis)
    {
        XGraphics g = canvas.Graphics;
        double lastRight = double.NegativeInfinity;
        int lastYear = 0;
        for (int day = 0; day < dayCount; day++)
        {
            DateOnly date = from.AddDays(day);
            bool tick = dayCount switch
            {
                <= 16 => true,
                <= 120 => date.DayOfWeek == DayOfWeek.Monday,
                <= 400 => date.Day == 1,
                <= 1200 => date.Day == 1 && date.Month % 3 == 1,
                _ => date.DayOfYear == 1,
            };
            if (!tick)
            {
                continue;
            }

            string label = dayCount <= 400 ? date.ToString("d MMM", s_culture) : date.ToString(dayCount <= 1200 ? "MMM" : "yyyy", s_culture);
            if (date.Year != lastYear && dayCount <= 1200)
            {
                label += date.ToString(" yyyy", s_culture);
            }

            double width = g.MeasureString(label, canvas.Small).Width;
            double left = Math.Clamp(x(day) - (width / 2), plot.Left - 10, canvas.Right - width);
            g.DrawLine(grid, x(day), plot.Top, x(day), plot.Bottom);
            g.DrawLine(axis, x(day), plot.Bottom, x(day), plot.Bottom + 3);
            if (left < lastRight + 6)
            {
                continue;
            }

            g.DrawString(label, canvas.Small, XBrushes.DimGray, left, plot.Bottom + 5, XStringFormats.TopLeft);
            lastRight = left + width;
            lastYear = date.Year;
        }
    }

    private static void DrawSeries(
        XGraphics g, DateOnly from, DailyEntry[] days, Func<DailyEntry, int> value, XPen pen, Func<int, double> x, Func<double, double> y, bool markers)
    {
        var run = new List<XPoint>();
        var brush = new XSolidBrush(pen.Color);
        int previous = int.MinValue;
        foreach (DailyEntry entry in days)
        {
            int day = entry.Date.DayNumber - from.DayNumber;
            if (day != previous + 1)
            {
                Flush();
            }

            run.Add(new XPoint(x(day), y(value(entry))));
            previous = day;
        }

        Flush();

        void Flush()
        {
            if (run.Count > 1)
            {
                g.DrawLines(pen, run.ToArray());
            }

            // A day on its own has no line to be part of: a dot shows it.
            foreach (XPoint point in run.Count == 1 || markers ? run : [])
            {
                double radius = run.Count == 1 ? 1.8 : 1.3;
                g.DrawEllipse(brush, point.X - radius, point.Y - radius, 2 * radius, 2 * radius);
            }

            run.Clear();
        }
    }
}
