using System.Diagnostics;
using System.Globalization;
using System.Text;
using Repos.Backup;
using Repos.Benchmarks.Repository;

namespace Repos.Benchmarks.Backup;

/// <summary>
/// Online backup throughput of a 1 GB database, with and without writers:
/// <c>dotnet run -c Release --project tests/Repos.Benchmarks -- --repos-backup [runs] [writers] [inserts/s]</c>
/// (defaults 3, 2 and 500; <c>--repos-backup clean</c> deletes the cached database). Each run backs up with no
/// writers, with the writers each inserting at the given rate, and with them inserting as fast as they can. A Stopwatch harness, not
/// BenchmarkDotNet: one backup of a 1 GB file is one long operation, and the fixture takes minutes to build.
/// </summary>
/// <remarks>
/// The database is built once from a fixed seed and cached at <c>/tmp/repos-bench/backup-1gb.db</c>; each
/// run works on a fresh copy of it. A backup is timed from the call to <see cref="ReposBackups.CreateAsync(CancellationToken)"/>
/// until it returns: the copy, the flush to the disk, SQLite's quick_check, the file checksum and the
/// manifest. Throughput is the database's size in MB (10^6 bytes) over that time. Writers are tasks
/// inserting one <see cref="DailyEntry"/> per transaction, as fast as they can, through the same database
/// object (as an app's would). On Linux the copying thread's scheduler statistics show how much of the
/// copy it spent on a CPU and how much waiting for one (the machines these run on are shared).
/// </remarks>
public static class BackupThroughput
{
    private const long TargetSize = 1L << 30;

    private static readonly string s_folder = Path.Combine(Path.GetTempPath(), "repos-bench");
    private static readonly string s_fixture = Path.Combine(s_folder, "backup-1gb.db");
    private static readonly string s_work = Path.Combine(s_folder, "backup-work.db");

    public static void Run(string[] args)
    {
        if (args.Length > 1 && args[1] == "clean")
        {
            Delete(s_fixture);
            Console.WriteLine($"deleted {s_fixture}");
            return;
        }

        int runs = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 3;
        int writers = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 2;
        int rate = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 500;
        RunAsync(runs, writers, rate).GetAwaiter().GetResult();
    }

    private static async Task RunAsync(int runs, int writerCount, int rate)
    {
        Directory.CreateDirectory(s_folder);
        if (!File.Exists(s_fixture))
        {
            await BuildFixtureAsync();
        }

        Console.WriteLine($"fixture {s_fixture}: {new FileInfo(s_fixture).Length / 1e6:F1} MB");
        var results = new List<string>();
        for (int run = 1; run <= runs; run++)
        {
            results.Add(await MeasureAsync(run, 0, 0));
            results.Add(await MeasureAsync(run, writerCount, rate));
            results.Add(await MeasureAsync(run, writerCount, 0));
        }

        Console.WriteLine();
        Console.WriteLine("| run | writers (inserts/s each) | database | backup time | throughput | copy | flush, check, checksum | copying thread on a CPU / waiting for one | writer inserts/s before / during | load (1 min) |");
        Console.WriteLine("|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|");
        foreach (string line in results)
        {
            Console.WriteLine(line);
        }
    }

    /// <summary>One backup with <paramref name="writerCount"/> writers inserting <paramref name="rate"/> entries a second each (0: flat out).</summary>
    private static async Task<string> MeasureAsync(int run, int writerCount, int rate)
    {
        Delete(s_work);
        string backups = ReposBackups.GetDefaultFolder(s_work);
        if (Directory.Exists(backups))
        {
            Directory.Delete(backups, recursive: true);
        }

        File.Copy(s_fixture, s_work);
        await using DiaryDb db = await DiaryDb.OpenAsync(s_work);
        long size = new FileInfo(s_work).Length;

        long inserted = 0;
        using var stop = new CancellationTokenSource();
        Task[] writers = Enumerable.Range(0, writerCount).Select(w => Task.Run(async () =>
        {
            var random = new Random(w);
            long started = Stopwatch.GetTimestamp();
            for (int n = 0; !stop.IsCancellationRequested; n++)
            {
                await db.DailyEntries.InsertAsync(Entry(random, $"writer-{run}-{rate}-{w}", n));
                Interlocked.Increment(ref inserted);
                if (rate > 0)
                {
                    // Keep to the schedule: entry n+1 is due (n+1)/rate seconds after the start.
                    TimeSpan ahead = TimeSpan.FromSeconds((n + 1) / (double)rate) - Stopwatch.GetElapsedTime(started);
                    if (ahead > TimeSpan.Zero)
                    {
                        await Task.Delay(ahead);
                    }
                }
            }
        })).ToArray();

        double rateBefore = 0;
        if (writerCount > 0)
        {
            await Task.Delay(500);
            long start = Interlocked.Read(ref inserted);
            var warm = Stopwatch.StartNew();
            await Task.Delay(2000);
            rateBefore = (Interlocked.Read(ref inserted) - start) / warm.Elapsed.TotalSeconds;
        }

        long copiedAt = 0;
        double cpuAtFirstStep = -1;
        double cpuAtLastStep = 0;
        (double Run, double Wait) schedAtFirst = default;
        (double Run, double Wait) schedAtLast = default;
        double wallAtFirstStep = 0;
        var watch = Stopwatch.StartNew();
        long insertedAtStart = Interlocked.Read(ref inserted);
        BackupInfo backup = await db.Backup.CreateAsync(BackupKind.Manual, new CopyDone(p =>
        {
            // Runs on the copying thread: how much of the copy's time that thread was on a CPU.
            double cpu = ThreadCpuSeconds();
            (double Run, double Wait) sched = ThreadSchedule();
            if (cpuAtFirstStep < 0)
            {
                cpuAtFirstStep = cpu;
                schedAtFirst = sched;
                wallAtFirstStep = watch.Elapsed.TotalSeconds;
            }

            cpuAtLastStep = cpu;
            schedAtLast = sched;
            if (p.BytesCopied == p.BytesTotal)
            {
                copiedAt = watch.ElapsedTicks;
            }
        }));
        watch.Stop();
        double rateDuring = (Interlocked.Read(ref inserted) - insertedAtStart) / watch.Elapsed.TotalSeconds;
        await stop.CancelAsync();
        await Task.WhenAll(writers);

        double seconds = watch.Elapsed.TotalSeconds;
        double copySeconds = copiedAt / (double)Stopwatch.Frequency;
        double onCpu = (cpuAtLastStep - cpuAtFirstStep) / (copySeconds - wallAtFirstStep);
        double waitingForCpu = (schedAtLast.Wait - schedAtFirst.Wait) / (copySeconds - wallAtFirstStep);
        string load = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";
        string line = string.Create(
            CultureInfo.InvariantCulture,
            $"| {run} | {(writerCount == 0 ? "0" : $"{writerCount} ({(rate == 0 ? "flat out" : rate)})")} | {size / 1e6:F0} MB | {seconds:F2} s | **{size / 1e6 / seconds:F0} MB/s** | {copySeconds:F2} s ({size / 1e6 / copySeconds:F0} MB/s) | {seconds - copySeconds:F2} s | {onCpu:P0} / {waitingForCpu:P0} | {(writerCount > 0 ? $"{rateBefore:F0} / {rateDuring:F0}" : "-")} | {load} |");
        Console.WriteLine(line + string.Create(CultureInfo.InvariantCulture, $"  backup {backup.Size / 1e6:F0} MB, verified {backup.IsVerified}"));

        db.Dispose();
        Delete(s_work);
        Directory.Delete(backups, recursive: true);
        return line;
    }

    /// <summary>About 1 GiB of diary entries with long notes, inserted in batches until the file is that big.</summary>
    private static async Task BuildFixtureAsync()
    {
        Console.WriteLine($"building {s_fixture} (once)...");
        string building = s_fixture + ".building";
        Delete(building);
        var watch = Stopwatch.StartNew();
        await using (DiaryDb db = await DiaryDb.OpenAsync(building))
        {
            var random = new Random(20261122);
            const int batch = 50_000;
            for (int start = 0; new FileInfo(building).Length + new FileInfo(building + "-wal").Length < TargetSize; start += batch)
            {
                await db.DailyEntries.InsertManyAsync(Enumerable.Range(start, batch).Select(i => Entry(random, $"user-{i % 1000:D4}", i / 1000)));
            }
        }

        File.Move(building, s_fixture);
        Console.WriteLine($"built in {watch.Elapsed.TotalSeconds:F0} s");
    }

    private static DailyEntry Entry(Random random, string user, int day)
    {
        var notes = new StringBuilder(1200);
        while (notes.Length < 1000)
        {
            notes.Append(random.Next(100_000).ToString(CultureInfo.InvariantCulture)).Append(' ');
        }

        Span<byte> id = stackalloc byte[16];
        random.NextBytes(id);
        DateOnly date = new DateOnly(2000, 1, 1).AddDays(day);
        return new DailyEntry
        {
            Id = new Guid(id),
            UserId = user,
            Date = date,
            OverallHealth = random.Next(1, 11),
            Energy = random.Next(1, 11),
            SleepHours = Math.Round(4 + (random.NextDouble() * 5), 2),
            Notes = notes.ToString(),
            CompletedAt = date.ToDateTime(new TimeOnly(20, 0), DateTimeKind.Utc),
            IsComplete = true,
            Symptoms = [new DailySymptom("Headache", random.Next(1, 11), random.Next(5, 600))],
        };
    }

    /// <summary>The calling thread's CPU time (user and system), from Linux's /proc; 0 elsewhere.</summary>
    private static double ThreadCpuSeconds()
    {
        if (!File.Exists("/proc/thread-self/stat"))
        {
            return 0;
        }

        string stat = File.ReadAllText("/proc/thread-self/stat");
        string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
    }

    /// <summary>The calling thread's time on a CPU and waiting in the run queue for one, in seconds (Linux's schedstat).</summary>
    private static (double Run, double Wait) ThreadSchedule()
    {
        if (!File.Exists("/proc/thread-self/schedstat"))
        {
            return default;
        }

        string[] fields = File.ReadAllText("/proc/thread-self/schedstat").Split(' ');
        return (long.Parse(fields[0], CultureInfo.InvariantCulture) / 1e9, long.Parse(fields[1], CultureInfo.InvariantCulture) / 1e9);
    }

    private static void Delete(string path)
    {
        foreach (string file in new[] { path, path + "-wal", path + "-shm", path + "-journal" })
        {
            File.Delete(file);
        }
    }

    private sealed class CopyDone(Action<BackupProgress> report) : IProgress<BackupProgress>
    {
        public void Report(BackupProgress value) => report(value);
    }
}
