using PdfSharp;
using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace SymptomTracker.Reports;

/// <summary>
/// The report's A4 pages as one flow: a cursor that moves down the current page, a new page (with a running
/// header) when something does not fit, the fonts, and text wrapped or shortened to a width.
/// </summary>
internal sealed class ReportCanvas : IDisposable
{
    public const double Margin = 42;

    private const double FooterHeight = 20;

    private readonly PdfDocument _document;
    private readonly string _runningHeader;
    private XGraphics? _graphics;

    public ReportCanvas(PdfDocument document, string runningHeader)
    {
        _document = document;
        _runningHeader = runningHeader;
        Title = new XFont(ReportFontResolver.FamilyName, 20, XFontStyleEx.Bold);
        Heading = new XFont(ReportFontResolver.FamilyName, 12, XFontStyleEx.Bold);
        Body = new XFont(ReportFontResolver.FamilyName, 9.5);
        BodyBold = new XFont(ReportFontResolver.FamilyName, 9.5, XFontStyleEx.Bold);
        Table = new XFont(ReportFontResolver.FamilyName, 7.5);
        TableBold = new XFont(ReportFontResolver.FamilyName, 7.5, XFontStyleEx.Bold);
        Small = new XFont(ReportFontResolver.FamilyName, 7);
    }

    public XFont Title { get; }

    public XFont Heading { get; }

    public XFont Body { get; }

    public XFont BodyBold { get; }

    public XFont Table { get; }

    public XFont TableBold { get; }

    public XFont Small { get; }

    /// <summary>The current page's drawing surface.</summary>
    public XGraphics Graphics => _graphics ?? throw new InvalidOperationException("No page has been started.");

    /// <summary>Where the next thing goes on the current page, in points from its top.</summary>
    public double Y { get; set; }

    public double Left => Margin;

    public double Width => PageWidth - (2 * Margin);

    public double Right => PageWidth - Margin;

    /// <summary>The lowest point content may reach; the footer is below it.</summary>
    public double Bottom => PageHeight - Margin - FooterHeight;

    public int PageCount => _document.PageCount;

    private static double PageWidth => XUnit.FromMillimeter(210).Point;

    private static double PageHeight => XUnit.FromMillimeter(297).Point;

    /// <summary>Starts a page; every page after the first opens with the running header.</summary>
    public void NewPage()
    {
        _graphics?.Dispose();
        PdfPage page = _document.AddPage();
        page.Size = PageSize.A4;
        _graphics = XGraphics.FromPdfPage(page);
        Y = Margin;
        if (_document.PageCount > 1)
        {
            _graphics.DrawString(_runningHeader, Small, XBrushes.DimGray, Left, Y, XStringFormats.TopLeft);
            Y += Small.GetHeight() + 4;
            _graphics.DrawLine(new XPen(XColors.LightGray, 0.5), Left, Y, Right, Y);
            Y += 10;
        }
    }

    /// <summary>Starts a new page unless <paramref name="height"/> more points fit on this one.</summary>
    /// <returns>Whether a page was started.</returns>
    public bool EnsureSpace(double height)
    {
        if (Y + height <= Bottom)
        {
            return false;
        }

        NewPage();
        return true;
    }

    /// <summary>Draws a line of text at the cursor and moves the cursor below it.</summary>
    public void WriteLine(string text, XFont font, XBrush? brush = null, double spaceAfter = 2)
    {
        double height = font.GetHeight();
        EnsureSpace(height);
        Graphics.DrawString(text, font, brush ?? XBrushes.Black, Left, Y, XStringFormats.TopLeft);
        Y += height + spaceAfter;
    }

    /// <summary>
    /// Breaks <paramref name="text"/> into lines no wider than <paramref name="width"/>, at spaces where it can
    /// (inside a word too long for a line otherwise). Past <paramref name="maxLines"/> the text is cut and the
    /// last line ends in an ellipsis.
    /// </summary>
    public IReadOnlyList<string> Wrap(string text, XFont font, double width, int maxLines)
    {
        var lines = new List<string>();
        string rest = text.ReplaceLineEndings(" ").Trim();
        while (rest.Length > 0)
        {
            if (lines.Count == maxLines)
            {
                lines[^1] = Shorten(lines[^1] + " " + rest, font, width);
                break;
            }

            int fit = FittingLength(rest, font, width);
            int cut = fit;
            if (fit < rest.Length)
            {
                int space = rest.LastIndexOf(' ', fit);
                cut = space > 0 ? space : fit;
            }

            lines.Add(rest[..cut].TrimEnd());
            rest = rest[cut..].TrimStart();
        }

        return lines;
    }

    /// <summary>Draws the page numbers on every page, once all pages exist.</summary>
    public void DrawFooters(string text)
    {
        _graphics?.Dispose();
        _graphics = null;
        for (int i = 0; i < _document.PageCount; i++)
        {
            using XGraphics graphics = XGraphics.FromPdfPage(_document.Pages[i], XGraphicsPdfPageOptions.Append);
            double baseline = PageHeight - Margin + 4;
            graphics.DrawLine(new XPen(XColors.LightGray, 0.5), Left, baseline - 12, Right, baseline - 12);
            graphics.DrawString(text, Small, XBrushes.DimGray, Left, baseline, XStringFormats.BaseLineLeft);
            graphics.DrawString($"Page {i + 1} of {_document.PageCount}", Small, XBrushes.DimGray, Right, baseline, XStringFormats.BaseLineRight);
        }
    }

    public void Dispose()
    {
        _graphics?.Dispose();
        _graphics = null;
    }

    private string Shorten(string text, XFont font, double width)
    {
        const string Ellipsis = "\u2026";
        if (Graphics.MeasureString(text, font).Width <= width)
        {
            return text;
        }

        int length = FittingLength(text, font, width - Graphics.MeasureString(Ellipsis, font).Width);
        int space = text.LastIndexOf(' ', Math.Max(length - 1, 0));
        if (space > length / 2)
        {
            length = space;
        }

        return text[..length].TrimEnd(' ', ',', '.', ';', ':') + Ellipsis;
    }

    /// <summary>The longest prefix of <paramref name="text"/> that fits <paramref name="width"/> (at least one character).</summary>
    private int FittingLength(string text, XFont font, double width)
    {
        if (Graphics.MeasureString(text, font).Width <= width)
        {
            return text.Length;
        }

        int low = 1;
        int high = text.Length - 1;
        while (low < high)
        {
            int middle = (low + high + 1) / 2;
            if (Graphics.MeasureString(text[..middle], font).Width <= width)
            {
                low = middle;
            }
            else
            {
                high = middle - 1;
            }
        }

        return low;
    }
}
