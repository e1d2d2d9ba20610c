using System.Collections.Concurrent;
using PdfSharp.Fonts;

namespace SymptomTracker.Reports;

/// <summary>
/// Serves DejaVu Sans from the sample's own embedded resources. PDFsharp's cross-platform build reads no
/// installed fonts on Linux, and a fresh machine may have none, so the report brings its own: the same
/// glyphs (and the same layout) everywhere, and no file system or network access for fonts.
/// </summary>
internal sealed class ReportFontResolver : IFontResolver
{
    /// <summary>The family the report asks for; every other family resolves to it too.</summary>
    public const string FamilyName = "DejaVu Sans";

    private const string RegularFace = "DejaVuSans";
    private const string BoldFace = "DejaVuSans-Bold";

    private static readonly Lock s_installLock = new();
    private static bool s_installed;

    private readonly ConcurrentDictionary<string, byte[]?> _faces = new(StringComparer.Ordinal);

    private ReportFontResolver()
    {
    }

    /// <summary>
    /// Makes PDFsharp find the embedded fonts: as the process's font resolver when the application has set
    /// none, else as its fallback resolver when that is free. An application that has set both keeps them,
    /// and they must then resolve <see cref="FamilyName"/> themselves.
    /// </summary>
    public static void EnsureInstalled()
    {
        lock (s_installLock)
        {
            if (s_installed)
            {
                return;
            }

            // PDFsharp allows each resolver to be set once, before the first font is used.
            if (GlobalFontSettings.FontResolver is null)
            {
                GlobalFontSettings.FontResolver = new ReportFontResolver();
            }
            else if (GlobalFontSettings.FallbackFontResolver is null)
            {
                GlobalFontSettings.FallbackFontResolver = new ReportFontResolver();
            }

            s_installed = true;
        }
    }

    /// <inheritdoc/>
    public FontResolverInfo ResolveTypeface(string familyName, bool bold, bool italic) =>
        // DejaVu Sans' oblique faces are not embedded (the report uses none); PDFsharp slants the upright face if asked.
        new(bold ? BoldFace : RegularFace, mustSimulateBold: false, mustSimulateItalic: italic);

    /// <inheritdoc/>
    public byte[]? GetFont(string faceName) => _faces.GetOrAdd(faceName, Load);

    private static byte[]? Load(string faceName)
    {
        if (faceName is not (RegularFace or BoldFace))
        {
            return null;
        }

        // The resources' logical names are set in SymptomTracker.csproj.
        string resource = $"SymptomTracker.Reports.Fonts.{faceName}.ttf";
        using Stream stream = typeof(ReportFontResolver).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"The font resource '{resource}' is missing from {typeof(ReportFontResolver).Assembly.GetName().Name}.");
        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        return bytes;
    }
}
