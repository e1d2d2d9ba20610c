using System.Diagnostics;
using System.Globalization;

namespace Repos.Benchmarks.Repository;

/// <summary>
/// A quick Stopwatch harness for profiling Repos between BenchmarkDotNet runs:
/// <c>dotnet run -c Release --project tests/Repos.Benchmarks -- --repos-profile [scenario] [seconds] [repos]</c>, scenarios
/// get, range, month, scan, insert. It first checks every peer reads the same entries, then loops one
/// scenario for Repos and the raw peer (long enough to attach <c>perf</c>) and prints the time per operation (with <c>repos</c>, Repos alone).
/// </summary>
public static class RepositoryProfile
{
    private static bool s_reposOnly;

    public static void Run(string[] args)
    {
        string scenario = args.Length > 1 ? args[1] : "all";
        double seconds = args.Length > 2 ? double.Parse(args[2], CultureInfo.InvariantCulture) : 3;
        s_reposOnly = args.Length > 3 && args[3] == "repos";

        if (scenario is "insert" or "all")
        {
            var bulk = new BulkInsertBenchmarks();
            bulk.GlobalSetup();
            for (int i = 0; i < 3; i++)
            {
                Time("insert Repos", 1, () => { bulk.SetupRepos(); return 0; }, () => bulk.Repos().AsTask().GetAwaiter().GetResult(), bulk.Cleanup);
                Time("insert Raw", 1, () => { bulk.SetupRaw(); return 0; }, bulk.RawSqlite, bulk.Cleanup);
            }
        }

        var get = new PointGetBenchmarks();
        get.Setup();
        Check("get", Show(Rewound(get.Rewind, () => get.Repos().AsTask().GetAwaiter().GetResult())), Show(Rewound(get.Rewind, get.RawSqlite)), Show(Rewound(get.Rewind, get.Dapper)), Show(Rewound(get.Rewind, get.EfCore)));
        var range = new IndexRangeBenchmarks();
        range.Setup();
        Check("range", Rewound(range.Rewind, () => Dates(range.Repos_100().AsTask().GetAwaiter().GetResult())), Rewound(range.Rewind, () => Dates(range.RawSqlite_100())), Rewound(range.Rewind, () => Dates(range.Dapper_100())), Rewound(range.Rewind, () => Dates(range.EfCore_100())));
        Check("month", Rewound(range.Rewind, () => Dates(range.Repos_Month().AsTask().GetAwaiter().GetResult())), Rewound(range.Rewind, () => Dates(range.RawSqlite_Month())), Rewound(range.Rewind, () => Dates(range.Dapper_Month())), Rewound(range.Rewind, () => Dates(range.EfCore_Month())));
        var scan = new FullScanBenchmarks();
        scan.Setup();
        Check("scan", scan.Repos().GetAwaiter().GetResult(), scan.RawSqlite(), scan.Dapper(), scan.EfCore());

        Loop(scenario, "get", seconds, () => get.Repos().AsTask().GetAwaiter().GetResult(), get.RawSqlite);
        Loop(scenario, "range", seconds, () => range.Repos_100().AsTask().GetAwaiter().GetResult(), range.RawSqlite_100);
        Loop(scenario, "month", seconds, () => range.Repos_Month().AsTask().GetAwaiter().GetResult(), range.RawSqlite_Month);
        Loop(scenario, "scan", seconds, () => scan.Repos().GetAwaiter().GetResult(), scan.RawSqlite);
        get.Cleanup();
        range.Cleanup();
        scan.Cleanup();
    }

    private static T Rewound<T>(Action rewind, Func<T> read)
    {
        rewind();
        return read();
    }

    // The rows' count, first and last dates, and a checksum of every field that shows in a JSON round trip.
    private static string Dates(List<DailyEntry> entries) =>
        entries.Count == 0
            ? "0"
            : $"{entries.Count}:{entries[0].Date}..{entries[^1].Date}:{entries.Sum(e => (long)e.Notes!.Length + e.Energy + e.Symptoms.Sum(s => s.Severity + s.DurationMinutes))}";

    private static void Check<T>(string name, T repos, T raw, T dapper, T ef)
    {
        bool same = EqualityComparer<T>.Default.Equals(repos, raw) && EqualityComparer<T>.Default.Equals(raw, dapper) && EqualityComparer<T>.Default.Equals(raw, ef);
        Console.WriteLine($"check {name}: repos={Show(repos)} raw={Show(raw)} dapper={Show(dapper)} ef={Show(ef)} {(same ? "same" : "DIFFERENT")}");
    }

    private static string Show<T>(T value) => value is DailyEntry e ? $"{e.UserId}/{e.Date}/{e.SleepHours}/{e.CompletedAt.Ticks}/{e.Symptoms[2]}" : $"{value}";

    private static void Loop<T1, T2>(string scenario, string name, double seconds, Func<T1> repos, Func<T2> raw)
    {
        if (scenario != name && scenario != "all")
        {
            return;
        }

        for (int round = 0; round < 2; round++)
        {
            Measure($"{name} Repos", seconds, repos);
            if (!s_reposOnly)
            {
                Measure($"{name} Raw", seconds, raw);
            }
        }
    }

    private static void Measure<T>(string name, double seconds, Func<T> action)
    {
        action();
        long allocated = GC.GetAllocatedBytesForCurrentThread();
        long count = 0;
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed.TotalSeconds < seconds)
        {
            action();
            count++;
        }

        watch.Stop();
        allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
        Console.WriteLine($"{name,-14} {watch.Elapsed.TotalMicroseconds / count,12:F2} us/op {allocated / count,12:N0} B/op ({count} ops)");
    }

    private static void Time<T>(string name, int count, Func<int> setup, Func<T> action, Action cleanup)
    {
        setup();
        var watch = Stopwatch.StartNew();
        action();
        watch.Stop();
        cleanup();
        Console.WriteLine($"{name,-14} {watch.Elapsed.TotalMilliseconds,12:F1} ms");
    }
}
