using System.Text.RegularExpressions;
using PdfSharp.Pdf;
using PdfSharp.Pdf.IO;
using SymptomTracker.Model;
using SymptomTracker.Reports;

namespace SymptomTracker.Tests;

/// <summary>The doctor's PDF report, read back as text by Poppler's pdftotext.</summary>
public sealed partial class HealthReportTests
{
    private const string TableHeader = @"Date\s+Health\s+Energy\s+Sleep\s+Mood\s+Symptoms \(severity\)\s+Medications\s+Notes";

    private static readonly DateOnly s_march1 = new(2025, 3, 1);

    private static readonly DailyEntry[] s_fourDays =
    [
        Entries.Day(s_march1, 4, 3, 6.0, MoodLevel.Low, [new(Guid.Empty, "Headache", 8, 120)], notes: "Bad migraine."),
        Entries.Day(
            s_march1.AddDays(1), 6, 5, 7.5, MoodLevel.Good,
            [new(Guid.Empty, "Headache", 7, 90), new(Guid.Empty, "Nausea", 3, 30)],
            [new(Guid.Empty, "Ibuprofen", true, new TimeOnly(8, 0)), new(Guid.Empty, "Magnesium", false, null)],
            "Walked to work."),
        Entries.Day(s_march1.AddDays(3), 7, 6, 8.0, MoodLevel.Good, medications: [new(Guid.Empty, "Ibuprofen", true, new TimeOnly(9, 30))]),
        Entries.Day(s_march1.AddDays(4), 9, 8, 6.5, MoodLevel.VeryGood, notes: "Best day in weeks."),
    ];

    [Fact]
    public void Write_Range_NamesTheReportThePatientAndThePeriod()
    {
        string text = PdfText.Extract(Report(Entries.Patient, s_march1, s_march1.AddDays(4), s_fourDays));

        Assert.Matches(@"^\s*Health report\s*$", FirstLine(text));
        Assert.Matches(@"Patient:\s+Ada Example \(patient-7\)", text);
        Assert.Matches(@"Period:\s+2025-03-01 to 2025-03-05 \(5 days\)", text);
    }

    [Fact]
    public void Write_Range_SummarisesDaysLoggedAndAverages()
    {
        string text = PdfText.Extract(Report(Entries.Patient, s_march1, s_march1.AddDays(4), s_fourDays));

        // Health 4, 6, 7, 9; energy 3, 5, 6, 8; sleep 6, 7.5, 8, 6.5: the day without an entry counts for none of them.
        Assert.Matches(@"Days logged:\s+4 of 5", text);
        Assert.Matches(@"Average overall health:\s+6\.5 / 10 \(lowest 4, highest 9\)", text);
        Assert.Matches(@"Average energy:\s+5\.5 / 10", text);
        Assert.Matches(@"Average sleep:\s+7\.0 hours \(shortest 6\.0, longest 8\.0\)", text);
        Assert.Matches(@"Most frequent symptoms:\s+Headache on 2 days \(average severity 7\.5\), Nausea on 1 day", text);
        Assert.Matches(@"Medications:\s+Ibuprofen taken on 2 of 2 days, Magnesium taken on 0 of 1 day", text);
    }

    [Fact]
    public void Write_Range_PrintsEachEntryAsATableRow()
    {
        string text = PdfText.Extract(Report(Entries.Patient, s_march1, s_march1.AddDays(4), s_fourDays));

        Assert.Matches(TableHeader, text);
        Assert.Matches(new Regex(@"^\s*2025-03-01\s+4\s+3\s+6\.0 h\s+Low\s+Headache \(8\)\s+none\s+Bad migraine\.\s*$", RegexOptions.Multiline), text);
        Assert.Matches(new Regex(@"^\s*2025-03-02\s+6\s+5\s+7\.5 h\s+Good\s+Headache \(7\)\s+Ibuprofen 08:00\s+Walked to work\.\s*$", RegexOptions.Multiline), text);
        Assert.Matches(new Regex(@"^\s*Sun\s+Nausea \(3\)\s+Magnesium \(missed\)\s*$", RegexOptions.Multiline), text);
        Assert.Matches(new Regex(@"^\s*2025-03-04\s+7\s+6\s+8\.0 h\s+Good\s+none\s+Ibuprofen 09:30\s*$", RegexOptions.Multiline), text);
        Assert.Matches(new Regex(@"^\s*2025-03-05\s+9\s+8\s+6\.5 h\s+Very good\s+none\s+none\s+Best day in weeks\.\s*$", RegexOptions.Multiline), text);
        Assert.Equal(["2025-03-01", "2025-03-02", "2025-03-04", "2025-03-05"], RowDates(text));
    }

    [Fact]
    public void Write_DayWithoutEntry_HasNoRowAndIsNotPrinted()
    {
        string text = PdfText.Extract(Report(Entries.Patient, s_march1, s_march1.AddDays(4), s_fourDays));

        Assert.DoesNotContain("2025-03-03", text, StringComparison.Ordinal);
        Assert.DoesNotMatch(new Regex(@"^\s*Mon\s", RegexOptions.Multiline), text);
    }

    [Fact]
    public void Write_EntriesInAnyOrder_AreRowsInDateOrder()
    {
        DailyEntry[] shuffled = [s_fourDays[2], s_fourDays[0], s_fourDays[3], s_fourDays[1]];

        string text = PdfText.Extract(Report(Entries.Patient, s_march1, s_march1.AddDays(4), shuffled));

        Assert.Equal(["2025-03-01", "2025-03-02", "2025-03-04", "2025-03-05"], RowDates(text));
    }

    [Fact]
    public void Write_ManyEntries_SpansPagesWithTheHeaderOnEach()
    {
        DateOnly from = new(2024, 1, 1);
        List<DailyEntry> entries = Entries.Run(from, 150);
        entries.RemoveAt(100);
        byte[] pdf = Report(Entries.Patient, from, from.AddDays(149), entries);

        string[] pages = PdfText.Pages(pdf);

        Assert.True(pages.Length >= 4, $"{pages.Length} pages for 149 entries");
        Assert.Equal(pages.Length, PageCount(pdf));
        for (int i = 0; i < pages.Length; i++)
        {
            Assert.Matches($@"Page {i + 1} of {pages.Length}\s*$", pages[i]);

            // The first page has the summary and the chart before the table; every page holds rows.
            Assert.NotEmpty(RowDates(pages[i]));
            Assert.Single(Regex.Matches(pages[i], TableHeader));
            Assert.True(Regex.Match(pages[i], TableHeader).Index < Row().Match(pages[i]).Index, $"a row before the header on page {i + 1}");
        }

        string[] expected = entries.Select(e => e.Date.ToString("yyyy-MM-dd")).ToArray();
        Assert.Equal(expected, pages.SelectMany(RowDates));
        Assert.DoesNotContain(from.AddDays(100).ToString("yyyy-MM-dd"), string.Concat(pages), StringComparison.Ordinal);
        Assert.Contains("Ada Example (patient-7) · 2024-01-01 to 2024-05-29", pages[^1], StringComparison.Ordinal);
    }

    [Fact]
    public void Write_LongNotes_AreShortenedWithAnEllipsis()
    {
        string notes = string.Join(' ', Enumerable.Range(1, 400).Select(i => $"word{i}"));
        DailyEntry entry = Entries.Day(s_march1, 5, 5, 7, MoodLevel.Neutral, notes: notes);

        string text = PdfText.Extract(Report(Entries.Patient, s_march1, s_march1, [entry]));

        Assert.Matches(new Regex(@"^\s*2025-03-01\s+5\s+5\s+7\.0 h\s+Neutral\s+none\s+none\s+word1 word2\b", RegexOptions.Multiline), text);
        Assert.Contains("\u2026", text, StringComparison.Ordinal);
        Assert.DoesNotContain("word400", text, StringComparison.Ordinal);
        Assert.DoesNotContain("word40 ", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_EmptyRange_WritesAValidPdfThatSaysThereAreNoEntries()
    {
        byte[] pdf = Report(Entries.Patient, new DateOnly(2025, 1, 1), new DateOnly(2025, 1, 31), []);

        Assert.Equal("%PDF-"u8.ToArray(), pdf[..5]);
        Assert.Equal(1, PageCount(pdf));
        string text = PdfText.Extract(pdf);
        Assert.Matches(@"Period:\s+2025-01-01 to 2025-01-31 \(31 days\)", text);
        Assert.Matches(@"Days logged:\s+0 of 31", text);
        Assert.Contains("No entries were logged in this period.", text, StringComparison.Ordinal);
        Assert.DoesNotMatch(TableHeader, text);
        Assert.Empty(RowDates(text));
    }

    [Fact]
    public async Task Write_EntriesFromTheIndexQuery_HasOnlyThatUsersDaysInTheRange()
    {
        string folder = Directory.CreateTempSubdirectory("symptomtracker-tests-").FullName;
        try
        {
            DateOnly first = new(2025, 6, 1);
            List<DailyEntry> entries;
            await using (SymptomDb db = await SymptomDb.OpenAsync(Path.Combine(folder, "report.db")))
            {
                await db.Users.InsertManyAsync([Entries.Patient, new User { Id = "patient-8", DisplayName = "Bo Other" }]);
                await db.DailyEntries.InsertManyAsync([.. Entries.Run(first, 40), .. Entries.Run(first, 40, userId: "patient-8")]);
                entries = await db.DailyEntries.ByUserIdAndDate(Entries.Patient.Id).Between(first.AddDays(10), first.AddDays(19)).ToListAsync();
            }

            string text = PdfText.Extract(Report(Entries.Patient, first.AddDays(10), first.AddDays(19), entries));

            Assert.Equal(Enumerable.Range(10, 10).Select(d => first.AddDays(d).ToString("yyyy-MM-dd")), RowDates(text));
            Assert.DoesNotContain("Bo Other", text, StringComparison.Ordinal);
            Assert.Matches(@"Days logged:\s+10 of 10", text);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Write_AnotherUsersEntry_ThrowsArgumentException()
    {
        DailyEntry other = Entries.Day(s_march1, 5, 5, 7, MoodLevel.Neutral, userId: "patient-8");

        var error = Assert.Throws<ArgumentException>(() => Report(Entries.Patient, s_march1, s_march1, [other]));
        Assert.Equal("entries", error.ParamName);
        Assert.Contains("patient-8", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_EntryOutsideTheRange_ThrowsArgumentException()
    {
        var error = Assert.Throws<ArgumentException>(() => Report(Entries.Patient, s_march1.AddDays(1), s_march1.AddDays(4), s_fourDays));
        Assert.Contains("2025-03-01", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_TwoEntriesForOneDay_ThrowsArgumentException()
    {
        var error = Assert.Throws<ArgumentException>(() => Report(Entries.Patient, s_march1, s_march1, [s_fourDays[0], s_fourDays[0]]));
        Assert.Contains("both for 2025-03-01", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_RangeEndingBeforeItStarts_ThrowsArgumentOutOfRangeException()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Report(Entries.Patient, s_march1, s_march1.AddDays(-1), []));
        Assert.Equal("to", error.ParamName);
    }

    private static byte[] Report(User user, DateOnly from, DateOnly to, IReadOnlyList<DailyEntry> entries)
    {
        using var output = new MemoryStream();
        HealthReport.Write(output, user, from, to, entries);
        return output.ToArray();
    }

    private static int PageCount(byte[] pdf)
    {
        using var input = new MemoryStream(pdf);
        using PdfDocument document = PdfReader.Open(input, PdfDocumentOpenMode.Import);
        return document.PageCount;
    }

    /// <summary>The dates that start table rows, in order: a row's first line begins with its date and two numbers.</summary>
    private static string[] RowDates(string text) => Row().Matches(text).Select(m => m.Groups[1].Value).ToArray();

    private static string FirstLine(string text) => text.TrimStart('\n', '\r', ' ').Split('\n')[0];

    [GeneratedRegex(@"^\s*(\d{4}-\d{2}-\d{2})\s+\d+\s+\d+\s+\d+\.\d h\b", RegexOptions.Multiline)]
    private static partial Regex Row();
}
