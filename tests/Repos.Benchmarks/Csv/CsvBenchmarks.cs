using System.Diagnostics;
using System.Globalization;
using System.Text;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using CsvHelper;
using nietras.SeparatedValues;
using Sylvan.Data.Csv;

namespace Repos.Benchmarks.Csv;

/// <summary>
/// The CSV export and import of a health log, 1,000,000 seeded rows of ten columns (docs/benchmarks.md): written by
/// Sep, Sylvan.Data.Csv, CsvHelper and a hand-written UTF-8 writer to a stream that only counts the bytes, and the
/// CSV read back by the three libraries: every field to a string or parsed to its type, each row checked and summed
/// (Parse), and every field only seen as a span (Scan: what a reader costs an importer with value parsers of its own).
/// Setup asserts that every writer's output reads back (with Sep) to exactly the values written and that every
/// parser's sum equals the rows'. Run with
/// <c>dotnet run -c Release --project tests/Repos.Benchmarks -- --filter '*Csv*'</c>;
/// <c>-- --repos-csv-check [rows]</c> runs the setup's checks and each benchmark once, without BenchmarkDotNet.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 2, iterationCount: 10)]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class CsvBenchmarks
{
    private static readonly UTF8Encoding s_utf8 = new(encoderShouldEmitUTF8Identifier: false);
    private static readonly CultureInfo s_invariant = CultureInfo.InvariantCulture;

    private readonly CountingStream _sink = new();
    private HealthLogRow[] _rows = [];
    private byte[] _csv = [];
    private long _expectedSum;

    /// <summary>How many rows are written and read.</summary>
    public int RowCount { get; set; } = 1_000_000;

    [GlobalSetup]
    public void Setup()
    {
        _rows = HealthLogCsv.Generate(RowCount);
        _expectedSum = 0;
        foreach (HealthLogRow row in _rows)
        {
            _expectedSum = HealthLogCsv.ValidateAndSum(row, _expectedSum);
        }

        var writers = new (string Name, Action<Stream> Write)[]
        {
            ("Handwritten", WriteHandwritten), ("Sep", WriteSep), ("Sylvan", WriteSylvan), ("CsvHelper", WriteCsvHelper),
        };
        foreach ((string name, Action<Stream> write) in writers)
        {
            using var output = new MemoryStream();
            write(output);
            byte[] csv = output.ToArray();
            VerifyWithSep(name, csv);
            if (name == "Handwritten")
            {
                _csv = csv;
            }

            int lineFeeds = csv.AsSpan().Count((byte)'\n');
            int crlfs = csv.AsSpan().Count("\r\n"u8);
            string same = name == "Handwritten" ? "the CSV that the parsers read"
                : csv.AsSpan().SequenceEqual(_csv) ? "byte-identical to the handwritten" : "not the same bytes as the handwritten";
            Console.WriteLine($"// {name} wrote {csv.Length:N0} bytes ({RowCount:N0} rows + header), " +
                              $"{lineFeeds:N0} LF of which {crlfs:N0} after CR, {same}; it reads back exactly");
        }

        var parsers = new (string Name, Func<long> Parse)[]
        {
            ("Sep", Parse_Sep), ("Sylvan", Parse_Sylvan), ("CsvHelper", Parse_CsvHelper),
        };
        foreach ((string name, Func<long> parse) in parsers)
        {
            long sum = parse();
            if (sum != _expectedSum)
            {
                throw new InvalidOperationException($"{name} read values other than those written (sum {sum:X}, expected {_expectedSum:X})");
            }
        }

        long chars = 0, bytes = 0;
        foreach (HealthLogRow row in _rows)
        {
            for (int column = 0; column < HealthLogCsv.Columns.Length; column++)
            {
                string text = HealthLogCsv.Text(row, column);
                chars += text.Length;
                bytes += s_utf8.GetByteCount(text);
            }
        }

        if (Scan_Sep() != chars || Scan_Sylvan() != chars || Scan_CsvHelper() != bytes)
        {
            throw new InvalidOperationException(
                $"a scan saw fields of other lengths than written ({chars:N0} chars, {bytes:N0} bytes): " +
                $"Sep {Scan_Sep():N0}, Sylvan {Scan_Sylvan():N0}, CsvHelper {Scan_CsvHelper():N0}");
        }

        Console.WriteLine($"// Every parser read the {_csv.Length:N0} bytes of the handwritten CSV to the values written");
    }

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("Write")]
    public long Write_Handwritten() => Measure(WriteHandwritten);

    [Benchmark]
    [BenchmarkCategory("Write")]
    public long Write_Sep() => Measure(WriteSep);

    [Benchmark]
    [BenchmarkCategory("Write")]
    public long Write_Sylvan() => Measure(WriteSylvan);

    [Benchmark]
    [BenchmarkCategory("Write")]
    public long Write_CsvHelper() => Measure(WriteCsvHelper);

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("Parse")]
    public long Parse_Sep()
    {
        using SepReader reader = Sep.New(',').Reader(o => o with { Unescape = true, CultureInfo = s_invariant }).From(_csv);
        SepReaderHeader header = reader.Header;
        int id = header.IndexOf("Id");
        int userId = header.IndexOf("UserId");
        int date = header.IndexOf("Date");
        int overallHealth = header.IndexOf("OverallHealth");
        int energy = header.IndexOf("Energy");
        int sleepHours = header.IndexOf("SleepHours");
        int mood = header.IndexOf("Mood");
        int notes = header.IndexOf("Notes");
        int completedAt = header.IndexOf("CompletedAt");
        int weightKg = header.IndexOf("WeightKg");
        var row = new HealthLogRow();
        long sum = 0;
        foreach (SepReader.Row record in reader)
        {
            row.Id = record[id].Parse<Guid>();
            row.UserId = record[userId].ToString();
            row.Date = record[date].Parse<DateOnly>();
            row.OverallHealth = record[overallHealth].Parse<int>();
            row.Energy = record[energy].Parse<int>();
            row.SleepHours = record[sleepHours].Parse<double>();
            row.Mood = HealthLogCsv.ParseMood(record[mood].Span);
            row.Notes = record[notes].ToString();
            // Parse<DateTime>() would make a UTC time local; DateTime.Parse is faster than ParseExact with "O", and
            // DateOnly's Parse than its ParseExact with a custom format.
            row.CompletedAt = DateTime.Parse(record[completedAt].Span, s_invariant, DateTimeStyles.RoundtripKind);
            row.WeightKg = record[weightKg].Parse<decimal>();
            sum = HealthLogCsv.ValidateAndSum(row, sum);
        }

        return sum;
    }

    [Benchmark]
    [BenchmarkCategory("Parse")]
    public long Parse_Sylvan()
    {
        using var text = new StreamReader(new MemoryStream(_csv, writable: false), s_utf8, false, 64 * 1024);
        using Sylvan.Data.Csv.CsvDataReader reader = Sylvan.Data.Csv.CsvDataReader.Create(text, new CsvDataReaderOptions { Delimiter = ',', Culture = s_invariant });
        int id = reader.GetOrdinal("Id");
        int userId = reader.GetOrdinal("UserId");
        int date = reader.GetOrdinal("Date");
        int overallHealth = reader.GetOrdinal("OverallHealth");
        int energy = reader.GetOrdinal("Energy");
        int sleepHours = reader.GetOrdinal("SleepHours");
        int mood = reader.GetOrdinal("Mood");
        int notes = reader.GetOrdinal("Notes");
        int completedAt = reader.GetOrdinal("CompletedAt");
        int weightKg = reader.GetOrdinal("WeightKg");
        var row = new HealthLogRow();
        long sum = 0;
        while (reader.Read())
        {
            row.Id = reader.GetGuid(id);
            row.UserId = reader.GetString(userId);
            row.Date = reader.GetDate(date);
            row.OverallHealth = reader.GetInt32(overallHealth);
            row.Energy = reader.GetInt32(energy);
            row.SleepHours = reader.GetDouble(sleepHours);
            row.Mood = HealthLogCsv.ParseMood(reader.GetFieldSpan(mood));
            row.Notes = reader.GetString(notes);
            row.CompletedAt = reader.GetDateTime(completedAt);
            row.WeightKg = reader.GetDecimal(weightKg);
            sum = HealthLogCsv.ValidateAndSum(row, sum);
        }

        return sum;
    }

    [Benchmark]
    [BenchmarkCategory("Parse")]
    public long Parse_CsvHelper()
    {
        using CsvReader reader = CsvReader.Create(_csv, CsvReaderOptions.Default with { Separator = ',' });
        int id = reader.GetFieldIndex("Id");
        int userId = reader.GetFieldIndex("UserId");
        int date = reader.GetFieldIndex("Date");
        int overallHealth = reader.GetFieldIndex("OverallHealth");
        int energy = reader.GetFieldIndex("Energy");
        int sleepHours = reader.GetFieldIndex("SleepHours");
        int mood = reader.GetFieldIndex("Mood");
        int notes = reader.GetFieldIndex("Notes");
        int completedAt = reader.GetFieldIndex("CompletedAt");
        int weightKg = reader.GetFieldIndex("WeightKg");
        var row = new HealthLogRow();
        long sum = 0;
        while (reader.Read())
        {
            row.Id = reader.Parse<Guid>(id);
            row.UserId = reader.GetString(userId);
            row.Date = reader.Parse<DateOnly>(date);
            row.OverallHealth = reader.Parse<int>(overallHealth);
            row.Energy = reader.Parse<int>(energy);
            row.SleepHours = reader.Parse<double>(sleepHours);
            row.Mood = HealthLogCsv.ParseMood(reader.GetSpan(mood));
            row.Notes = reader.GetString(notes);
            row.CompletedAt = reader.Parse<DateTime>(completedAt);
            row.WeightKg = reader.Parse<decimal>(weightKg);
            sum = HealthLogCsv.ValidateAndSum(row, sum);
        }

        return sum;
    }

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("Scan")]
    public long Scan_Sep()
    {
        using SepReader reader = Sep.New(',').Reader(o => o with { Unescape = true }).From(_csv);
        long length = 0;
        foreach (SepReader.Row record in reader)
        {
            for (int i = 0; i < record.ColCount; i++)
            {
                length += record[i].Span.Length;
            }
        }

        return length;
    }

    [Benchmark]
    [BenchmarkCategory("Scan")]
    public long Scan_Sylvan()
    {
        using var text = new StreamReader(new MemoryStream(_csv, writable: false), s_utf8, false, 64 * 1024);
        using Sylvan.Data.Csv.CsvDataReader reader = Sylvan.Data.Csv.CsvDataReader.Create(text, new CsvDataReaderOptions { Delimiter = ',' });
        long length = 0;
        while (reader.Read())
        {
            for (int i = 0; i < reader.FieldCount; i++)
            {
                length += reader.GetFieldSpan(i).Length;
            }
        }

        return length;
    }

    /// <summary>CsvHelper's fields are UTF-8: its sum is of bytes, the others' of chars.</summary>
    [Benchmark]
    [BenchmarkCategory("Scan")]
    public long Scan_CsvHelper()
    {
        using CsvReader reader = CsvReader.Create(_csv, CsvReaderOptions.Default with { Separator = ',' });
        long length = 0;
        while (reader.Read())
        {
            for (int i = 0; i < reader.FieldCount; i++)
            {
                length += reader.GetSpan(i).Length;
            }
        }

        return length;
    }

    /// <summary>Runs the setup's checks and each benchmark once, timed by a stopwatch.</summary>
    public static void RunCheck(string[] args)
    {
        var benchmarks = new CsvBenchmarks();
        if (args.Length > 1)
        {
            benchmarks.RowCount = int.Parse(args[1], CultureInfo.InvariantCulture);
        }

        var clock = Stopwatch.StartNew();
        benchmarks.Setup();
        Console.WriteLine($"setup and checks: {clock.Elapsed.TotalSeconds:F1} s");
        var runs = new (string Name, Func<long> Run, bool Writes)[]
        {
            ("Write_Handwritten", benchmarks.Write_Handwritten, true), ("Write_Sep", benchmarks.Write_Sep, true),
            ("Write_Sylvan", benchmarks.Write_Sylvan, true), ("Write_CsvHelper", benchmarks.Write_CsvHelper, true),
            ("Parse_Sep", benchmarks.Parse_Sep, false), ("Parse_Sylvan", benchmarks.Parse_Sylvan, false),
            ("Parse_CsvHelper", benchmarks.Parse_CsvHelper, false), ("Scan_Sep", benchmarks.Scan_Sep, false),
            ("Scan_Sylvan", benchmarks.Scan_Sylvan, false), ("Scan_CsvHelper", benchmarks.Scan_CsvHelper, false),
        };
        foreach ((string name, Func<long> run, bool writes) in runs)
        {
            long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
            clock.Restart();
            long result = run();
            double seconds = clock.Elapsed.TotalSeconds;
            long allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
            long bytes = writes ? result : benchmarks._csv.Length;
            Console.WriteLine($"{name,-18} {seconds * 1000,8:F0} ms {bytes / seconds / 1e6,8:F1} MB/s {benchmarks.RowCount / seconds,12:N0} rows/s {allocated,14:N0} B allocated");
        }
    }

    private long Measure(Action<Stream> write)
    {
        _sink.Reset();
        write(_sink);
        return _sink.Count;
    }

    private void WriteHandwritten(Stream stream)
    {
        using var writer = new Utf8CsvWriter(stream);
        foreach (string column in HealthLogCsv.Columns)
        {
            writer.WriteField(column);
        }

        writer.EndRecord();
        foreach (HealthLogRow row in _rows)
        {
            writer.WriteField(row.Id);
            writer.WriteField(row.UserId);
            writer.WriteField(row.Date, HealthLogCsv.DateFormat);
            writer.WriteField(row.OverallHealth);
            writer.WriteField(row.Energy);
            writer.WriteField(row.SleepHours);
            writer.WriteField(HealthLogCsv.MoodNames[(int)row.Mood]);
            writer.WriteField(row.Notes);
            writer.WriteField(row.CompletedAt, HealthLogCsv.DateTimeFormat);
            writer.WriteField(row.WeightKg);
            writer.EndRecord();
        }

        writer.Flush();
    }

    private void WriteSep(Stream stream)
    {
        using SepWriter writer = Sep.New(',').Writer(o => o with { Escape = true, CultureInfo = s_invariant }).To(stream, leaveOpen: true);
        writer.Header.Add(HealthLogCsv.Columns);
        foreach (HealthLogRow row in _rows)
        {
            using SepWriter.Row record = writer.NewRow();
            record[0].Format(row.Id);
            record[1].Set(row.UserId);
            record[2].Format(row.Date, HealthLogCsv.DateFormat);
            record[3].Format(row.OverallHealth);
            record[4].Format(row.Energy);
            record[5].Format(row.SleepHours);
            record[6].Set(HealthLogCsv.MoodNames[(int)row.Mood]);
            record[7].Set(row.Notes);
            record[8].Format(row.CompletedAt, HealthLogCsv.DateTimeFormat);
            record[9].Format(row.WeightKg);
        }
    }

    private void WriteSylvan(Stream stream)
    {
        using var text = new StreamWriter(stream, s_utf8, 64 * 1024, leaveOpen: true);
        var options = new CsvDataWriterOptions
        {
            NewLine = "\r\n",
            Culture = s_invariant,
            DateOnlyFormat = HealthLogCsv.DateFormat,
            DateTimeFormat = HealthLogCsv.DateTimeFormat,
        };
        using CsvDataWriter writer = CsvDataWriter.Create(text, options);
        writer.Write(new HealthLogDataReader(_rows));
    }

    private void WriteCsvHelper(Stream stream)
    {
        using CsvWriter writer = CsvWriter.Create(stream, CsvWriterOptions.Default, leaveOpen: true);
        writer.WriteHeader(HealthLogCsv.Columns);
        foreach (HealthLogRow row in _rows)
        {
            writer.WriteField(row.Id);
            writer.WriteField(row.UserId);
            writer.WriteField(row.Date, HealthLogCsv.DateFormat);
            writer.WriteField(row.OverallHealth);
            writer.WriteField(row.Energy);
            writer.WriteField(row.SleepHours);
            writer.WriteField(HealthLogCsv.MoodNames[(int)row.Mood]);
            writer.WriteField(row.Notes);
            writer.WriteField(row.CompletedAt, HealthLogCsv.DateTimeFormat);
            writer.WriteField(row.WeightKg);
            writer.EndRecord();
        }
    }

    /// <summary>Reads <paramref name="csv"/> with Sep and throws unless it holds exactly the header and the rows' texts.</summary>
    private void VerifyWithSep(string writer, byte[] csv)
    {
        using SepReader reader = Sep.New(',').Reader(o => o with { Unescape = true }).From(csv);
        if (!reader.Header.ColNames.SequenceEqual(HealthLogCsv.Columns))
        {
            throw new InvalidOperationException($"{writer} wrote the header '{reader.Header}'");
        }

        int index = 0;
        foreach (SepReader.Row record in reader)
        {
            if (index == _rows.Length || record.ColCount != HealthLogCsv.Columns.Length)
            {
                throw new InvalidOperationException($"{writer}: record {index} has {record.ColCount} fields, or is one too many");
            }

            for (int column = 0; column < HealthLogCsv.Columns.Length; column++)
            {
                string expected = HealthLogCsv.Text(_rows[index], column);
                if (!record[column].Span.SequenceEqual(expected))
                {
                    throw new InvalidOperationException(
                        $"{writer}: row {index}, column {HealthLogCsv.Columns[column]} reads back as " +
                        $"'{Visible(record[column].Span)}', written '{Visible(expected)}'");
                }
            }

            index++;
        }

        if (index != _rows.Length)
        {
            throw new InvalidOperationException($"{writer}: {index} rows read back, {_rows.Length} written");
        }
    }

    private static string Visible(ReadOnlySpan<char> text) =>
        text.ToString().Replace("\r", "\\r", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
}
