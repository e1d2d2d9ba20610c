using System.Diagnostics;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace Repos.Benchmarks.Repository;

/// <summary>
/// Sizes and memory, which BenchmarkDotNet does not measure:
/// <c>dotnet run -c Release --project tests/Repos.Benchmarks -- --repos-report</c>. Prints the stored blob of each
/// entry against its System.Text.Json UTF-8 size, the Repos file against the raw peer's file with JSON blobs and
/// the tuned raw, LiteDB and blob store peers' files (100,000 entries each, checkpointed), the first open of a ten-year, ten-user file in this process, and the
/// working set while streaming every row of that file.
/// </summary>
public static class StorageReport
{
    public static void Run()
    {
        DailyEntry[] entries = DiaryData.Entries;
        string reposPath = BenchFiles.PathOf("report-repos");
        string rawPath = BenchFiles.PathOf("report-raw");
        BenchFiles.Delete(reposPath);
        BenchFiles.Delete(rawPath);
        using (DiaryDb db = DiaryDb.OpenAsync(reposPath).AsTask().GetAwaiter().GetResult())
        {
            db.DailyEntries.InsertManyAsync(entries).AsTask().GetAwaiter().GetResult();
        }

        RawStore.CreateAndFill(rawPath);
        Checkpoint(reposPath);
        Checkpoint(rawPath);

        // Blob sizes, entry by entry.
        var blobSizes = new Dictionary<Guid, long>(entries.Length);
        using (SqliteConnection connection = new($"Data Source={reposPath};Mode=ReadOnly;Pooling=False"))
        {
            connection.Open();
            using SqliteCommand command = connection.CreateCommand();
            command.CommandText = "SELECT key, length(_blob) FROM DailyEntry";
            using SqliteDataReader reader = command.ExecuteReader();
            while (reader.Read())
            {
                byte[] key = (byte[])reader[0];
                blobSizes[new Guid(key, bigEndian: true)] = reader.GetInt64(1);
            }
        }

        long blobTotal = 0;
        long jsonTotal = 0;
        double worst = 0;
        foreach (DailyEntry entry in entries)
        {
            long json = JsonSerializer.SerializeToUtf8Bytes(entry, DiaryJsonContext.Default.DailyEntry).Length;
            long blob = blobSizes[entry.Id];
            jsonTotal += json;
            blobTotal += blob;
            worst = Math.Max(worst, (double)blob / json);
        }

        Console.WriteLine($"entries: {entries.Length:N0}");
        Console.WriteLine($"blob per entry: Repos {blobTotal / (double)entries.Length:F1} B, System.Text.Json {jsonTotal / (double)entries.Length:F1} B: {blobTotal / (double)jsonTotal:P1} (largest ratio of one entry {worst:P1})");
        long reposFile = new FileInfo(reposPath).Length;
        long rawFile = new FileInfo(rawPath).Length;
        Console.WriteLine($"file: Repos {reposFile / 1048576.0:F2} MiB, raw with JSON blobs {rawFile / 1048576.0:F2} MiB: {reposFile / (double)rawFile:F3}x");
        PeerFile("tuned raw (JSON blobs)", "report-tuned", TunedStore.CreateAndFill, reposFile);
        PeerFile("LiteDB", "report-litedb", LiteStore.CreateAndFill, reposFile);
        PeerFile("blob store (MessagePack + LZ4)", "report-blob", Repository.BlobStore.CreateAndFill, reposFile);

        // The first open in this process of a ten-year, ten-user file, then a warm one.
        (string tenYears, string tenYearsRaw) = TenYearFiles.Create();
        var open = Stopwatch.StartNew();
        DiaryDb first = DiaryDb.OpenAsync(tenYears).AsTask().GetAwaiter().GetResult();
        open.Stop();
        first.Dispose();
        var warm = Stopwatch.StartNew();
        DiaryDb again = DiaryDb.OpenAsync(tenYears).AsTask().GetAwaiter().GetResult();
        warm.Stop();
        Console.WriteLine($"open ten years x ten users ({TenYearFiles.Entries().Length:N0} entries): first in process {open.Elapsed.TotalMilliseconds:F1} ms, again {warm.Elapsed.TotalMilliseconds:F1} ms");

        // Streaming every row: the working set above what the open database idles at.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        using Process process = Process.GetCurrentProcess();
        process.Refresh();
        long idle = process.WorkingSet64;
        long peak = idle;
        int rows = 0;
        var stream = Stopwatch.StartNew();
        foreach (DailyEntry entry in Enumerate(again))
        {
            if (++rows % 1000 == 0)
            {
                process.Refresh();
                peak = Math.Max(peak, process.WorkingSet64);
            }
        }

        process.Refresh();
        peak = Math.Max(peak, process.WorkingSet64);
        Console.WriteLine($"stream all {rows:N0} rows: {stream.Elapsed.TotalMilliseconds:F0} ms, working set idle {idle / 1048576.0:F1} MiB, peak {peak / 1048576.0:F1} MiB: +{(peak - idle) / 1048576.0:F1} MiB");
        again.Dispose();
        BenchFiles.Delete(tenYears);
        BenchFiles.Delete(tenYearsRaw);
        BenchFiles.Delete(reposPath);
        BenchFiles.Delete(rawPath);
    }

    private static IEnumerable<DailyEntry> Enumerate(DiaryDb db)
    {
        IAsyncEnumerator<DailyEntry> rows = db.DailyEntries.All().GetAsyncEnumerator();
        try
        {
            while (rows.MoveNextAsync().AsTask().GetAwaiter().GetResult())
            {
                yield return rows.Current;
            }
        }
        finally
        {
            rows.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    // A peer's file of the 100,000 entries, checkpointed (LiteDB checkpoints in CreateAndFill), against Repos'.
    private static void PeerFile(string peer, string name, Action<string> fill, long reposFile)
    {
        string path = BenchFiles.PathOf(name);
        BenchFiles.Delete(path);
        fill(path);
        if (peer != "LiteDB")
        {
            Checkpoint(path);
        }

        long size = new FileInfo(path).Length;
        Console.WriteLine($"file: {peer} {size / 1048576.0:F2} MiB: Repos is {reposFile / (double)size:F3}x");
        BenchFiles.Delete(path);
    }

    private static void Checkpoint(string path)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "PRAGMA wal_checkpoint(TRUNCATE)";
        command.ExecuteNonQuery();
    }
}
