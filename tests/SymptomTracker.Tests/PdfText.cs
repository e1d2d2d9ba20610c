using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace SymptomTracker.Tests;

/// <summary>
/// The text of a PDF as Poppler's <c>pdftotext -layout</c> reads it: what a reader can search and copy, in
/// the page's columns, pages separated by form feeds. It is a real external reader, so a report whose text
/// only PDFsharp could read back would fail here.
/// </summary>
internal static class PdfText
{
    /// <summary>The longest pdftotext may take before it is killed.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    /// <summary>Writes <paramref name="pdf"/> to a temporary file and returns its text, one string per page.</summary>
    public static string[] Pages(byte[] pdf)
    {
        string text = Extract(pdf);

        // pdftotext ends every page with a form feed, the last one too.
        return text.TrimEnd('\f').Split('\f');
    }

    /// <summary>Writes <paramref name="pdf"/> to a temporary file and returns its whole text.</summary>
    public static string Extract(byte[] pdf)
    {
        string file = Path.Combine(Path.GetTempPath(), $"symptomtracker-tests-{Guid.NewGuid():N}.pdf");
        File.WriteAllBytes(file, pdf);
        try
        {
            return Run(file);
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static string Run(string file)
    {
        var start = new ProcessStartInfo("pdftotext")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (string argument in new[] { "-layout", "-enc", "UTF-8", file, "-" })
        {
            start.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("pdftotext did not start.");
        }
        catch (Win32Exception e)
        {
            // A failure, not a skip: on CI (CI=true) .ci/run installs it, and a report nobody read is no pass.
            string where = Environment.GetEnvironmentVariable("CI") is { Length: > 0 } ci ? $" (CI={ci})" : "";
            throw new InvalidOperationException(
                $"pdftotext is not installed{where}: the report tests read the PDF's text with it. Install Debian's poppler-utils (apt-get install poppler-utils); .ci/run does.",
                e);
        }

        using (process)
        {
            // Both pipes are drained on their own threads with blocking reads, so neither can fill up and stall the child.
            string? output = null;
            string? error = null;
            var outputReader = new Thread(() => output = process.StandardOutput.ReadToEnd()) { IsBackground = true };
            var errorReader = new Thread(() => error = process.StandardError.ReadToEnd()) { IsBackground = true };
            outputReader.Start();
            errorReader.Start();
            if (!process.WaitForExit(Timeout))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"pdftotext did not finish reading {file} within {Timeout.TotalSeconds} s; it was killed.");
            }

            if (!outputReader.Join(Timeout) || !errorReader.Join(Timeout))
            {
                throw new TimeoutException($"pdftotext exited but its output stayed open for {Timeout.TotalSeconds} s.");
            }

            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"pdftotext exited with {process.ExitCode} reading {file}: {error}");
            }

            return output!;
        }
    }
}
