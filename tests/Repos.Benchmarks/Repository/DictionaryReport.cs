using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Repos.Serialization;

namespace Repos.Benchmarks.Repository;

/// <summary>
/// What a trained LZ4 dictionary gives on the benchmark entity:
/// <c>dotnet run -c Release --project tests/Repos.Benchmarks -- --repos-dictionary</c>. Stores the 100,000 entries, trains on the first payloads stored, then compresses every payload without and
/// with dictionaries of several lengths, and prints the bytes kept and the time per payload.
/// </summary>
public static class DictionaryReport
{
    public static void Run()
    {
        string path = BenchFiles.PathOf("dictionary-report");
        BenchFiles.Delete(path);
        using (DiaryDb db = DiaryDb.OpenAsync(path).AsTask().GetAwaiter().GetResult())
        {
            db.DailyEntries.InsertManyAsync(DiaryData.Entries).AsTask().GetAwaiter().GetResult();
        }

        var payloads = new List<byte[]>();
        using (SqliteConnection connection = new($"Data Source={path};Mode=ReadOnly;Pooling=False"))
        {
            connection.Open();
            using SqliteCommand command = connection.CreateCommand();
            command.CommandText = "SELECT _blob FROM DailyEntry ORDER BY rowid";
            using SqliteDataReader reader = command.ExecuteReader();
            while (reader.Read())
            {
                using BlobPayload payload = BlobEnvelope.Read((byte[])reader[0]);
                payloads.Add(payload.Span.ToArray());
            }
        }

        long raw = payloads.Sum(p => (long)p.Length);
        var destination = new byte[Lz4.MaxCompressedLength(64 * 1024)];
        Console.WriteLine($"payloads: {payloads.Count:N0}, {raw / (double)payloads.Count:F1} B each");
        Report("no dictionary", raw, payloads, p => Lz4.Compress(p, destination));
        foreach (int samples in new[] { 256, 1000 })
        {
            foreach (int length in new[] { 2048, 4096, 8192, 16384, 32768 })
            {
                var timer = Stopwatch.StartNew();
                CompressionDictionary dictionary = CompressionDictionary.Train(payloads.Take(samples).Select(p => (ReadOnlyMemory<byte>)p).ToList(), length)!;
                double trainMs = timer.Elapsed.TotalMilliseconds;
                Report($"{samples} samples, {length} B asked, {dictionary.Length} B, trained in {trainMs:F1} ms", raw, payloads, p =>
                {
                    Lz4.TryCompress(p, destination, dictionary, out int written);
                    return written;
                });
            }
        }
    }

    private static void Report(string name, long raw, List<byte[]> payloads, Func<byte[], int> compress)
    {
        long kept = 0;
        int paying = 0;
        foreach (byte[] p in payloads)
        {
            int written = compress(p);
            kept += written;
            if (written + 14 <= (p.Length + 10) * 0.7)
            {
                paying++;
            }
        }

        var timer = Stopwatch.StartNew();
        int rounds = 0;
        while (timer.ElapsedMilliseconds < 500)
        {
            foreach (byte[] p in payloads.Take(10_000))
            {
                compress(p);
            }

            rounds++;
        }

        double ns = timer.Elapsed.TotalNanoseconds / (rounds * (double)Math.Min(10_000, payloads.Count));
        Console.WriteLine($"{name}: {kept / (double)raw:P1} of the payload bytes, {paying / (double)payloads.Count:P1} save 30%, {ns:F0} ns each");
    }
}
