using Repos;
using Repos.Migrations;
using Repos.Tests.Storage;

// Usage: Repos.Tests.Child open-v3 <file>
// Opens the file with the version 3 Note model and says whether this process ran the migration.
if (args.Length == 2 && args[0] == "open-v3")
{
    var progress = new Counter();
    await using NotesDbV3 db = await NotesDbV3.OpenAsync(args[1], new ReposDatabaseOptions { MigrationProgress = progress });
    Console.WriteLine($"migrated={progress.Rows} count={await db.Notes.CountAsync()}");
    return 0;
}

// Usage: Repos.Tests.Child migrate-bench <file> <rows>
// Measures a migration of <rows> version 1 notes to version 3 (the figure docs/benchmarks.md records).
if (args.Length == 3 && args[0] == "migrate-bench")
{
    string file = args[1];
    int rows = int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture);
    foreach (string part in new[] { file, file + "-wal", file + "-shm" })
    {
        File.Delete(part);
    }

    await using (NotesDb db = await NotesDb.OpenAsync(file))
    {
        await db.Notes.InsertManyAsync(Enumerable.Range(0, rows).Select(i => new Note
        {
            Id = Guid.NewGuid(),
            UserId = $"user-{i % 50}",
            Date = new DateOnly(2000, 1, 1).AddDays(i / 50),
            Mood = 1 + (i % 9),
            Text = $"note {i}: slept badly, headache after lunch, took ibuprofen",
            Tags = [new Tag("sleep", i % 5)],
        }));
    }

    GC.Collect();
    using var process = System.Diagnostics.Process.GetCurrentProcess();
    process.Refresh();
    long idle = process.WorkingSet64;
    long peak = idle;
    var watch = System.Diagnostics.Stopwatch.StartNew();
    var progress = new PeakSampler(process, () => peak, value => peak = value);
    await using (NotesDbV3 migrated = await NotesDbV3.OpenAsync(file, new ReposDatabaseOptions { MigrationProgress = progress, BackupBeforeMigration = false }))
    {
        watch.Stop();
        Console.WriteLine($"migrated {rows:N0} rows in {watch.Elapsed.TotalSeconds:F2} s; working set idle {idle / 1048576.0:F1} MiB, peak {peak / 1048576.0:F1} MiB (+{(peak - idle) / 1048576.0:F1} MiB); {await migrated.Notes.CountAsync():N0} rows kept");
    }

    return 0;
}

// Usage: Repos.Tests.Child crash-writer <file> <run> <seed>
// Commits transactions in a loop until killed, printing "ack <txn> <rows>" after each commit returns.
if (args.Length == 4 && args[0] == "crash-writer")
{
    return await Durability.CrashWriterAsync(args[1], int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture), int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture));
}

// Usage: Repos.Tests.Child contend <file> <seconds> <threads> <name>
// Threads increment a shared counter and log each increment, and read, until the time is up.
if (args.Length == 5 && args[0] == "contend")
{
    return await Durability.ContendAsync(
        args[1],
        TimeSpan.FromSeconds(int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture)),
        int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture),
        args[4]);
}

// Usage: Repos.Tests.Child old-writer <file> <seed>
// The version 1 app writing while a newer version migrates the file; see OldVersionWriter.
if (args.Length == 3 && args[0] == "old-writer")
{
    return await OldVersionWriter.RunAsync(args[1], int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture));
}

// Usage: Repos.Tests.Child sync-crash <file> <port> <seed> run|drain <clock-start-unix-ms>
// A synced replica writing and syncing with the test's server on loopback until killed, or draining its outbox; see SyncCrash.
if (args.Length == 6 && args[0] == "sync-crash" && args[4] is "run" or "drain")
{
    return await SyncCrash.RunAsync(
        args[1],
        int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture),
        int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture),
        drain: args[4] == "drain",
        DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(args[5], System.Globalization.CultureInfo.InvariantCulture)));
}

// Usage: Repos.Tests.Child default-path <app>
// Opens (creating) the app's default database as this process's environment variables place it, and prints its path.
if (args.Length == 2 && args[0] == "default-path")
{
    string path = ReposPaths.GetDefaultDatabasePath(args[1]);
    await using NotesDb db = await NotesDb.OpenAsync(path);
    Console.WriteLine(db.Path);
    return 0;
}

// Usage: Repos.Tests.Child backup-hang <file>
// Starts a backup of the file and stops in the middle of the copy, printing "copying", until killed.
if (args.Length == 2 && args[0] == "backup-hang")
{
    await using NotesDb db = await NotesDb.OpenAsync(args[1]);
    await db.Backup.CreateAsync(Repos.Backup.BackupKind.Manual, new HangingProgress());
    return 1;
}

Console.Error.WriteLine("usage: Repos.Tests.Child open-v3 <file> | migrate-bench <file> <rows> | crash-writer <file> <run> <seed> | contend <file> <seconds> <threads> <name> | old-writer <file> <seed> | sync-crash <file> <port> <seed> run|drain <clock-start-unix-ms> | default-path <app> | backup-hang <file>");
return 2;

internal sealed class Counter : IProgress<MigrationProgress>
{
    public long Rows { get; private set; }

    public void Report(MigrationProgress value) => Rows = value.RowsDone;
}

internal sealed class PeakSampler(System.Diagnostics.Process process, Func<long> get, Action<long> set) : IProgress<MigrationProgress>
{
    public void Report(MigrationProgress value)
    {
        process.Refresh();
        set(Math.Max(get(), process.WorkingSet64));
    }
}

internal sealed class HangingProgress : IProgress<Repos.Backup.BackupProgress>
{
    public void Report(Repos.Backup.BackupProgress value)
    {
        using var output = new StreamWriter(Console.OpenStandardOutput()) { AutoFlush = true };
        output.WriteLine("copying");
        Thread.Sleep(Timeout.Infinite);
    }
}
