using Microsoft.Data.Sqlite;

namespace Repos.Benchmarks.Repository;

/// <summary>
/// The read benchmarks' files, filled once with the 100,000 entries and kept between benchmark processes
/// (a marker file says a file is complete): one Repos file, one raw table file (raw, tuned raw and Dapper read
/// it), one EF Core file, one LiteDB file and one blob store file. Each peer opens its file once.
/// </summary>
internal sealed class ReadFixture : IDisposable
{
    // Raise when the data or any peer's schema changes, so stale files are not reused.
    private const string Version = "v2";

    private ReadFixture(DiaryDb db, SqliteConnection raw, SqliteConnection dapper, SqliteConnection ef, TunedStore tuned, LiteStore lite, BlobStore blob)
    {
        Db = db;
        Raw = raw;
        Dapper = dapper;
        EfConnection = ef;
        Ef = new DiaryContext(ef);
        Tuned = tuned;
        Lite = lite;
        Blob = blob;
    }

    public DiaryDb Db { get; }

    public SqliteConnection Raw { get; }

    public SqliteConnection Dapper { get; }

    public SqliteConnection EfConnection { get; }

    public DiaryContext Ef { get; }

    public TunedStore Tuned { get; }

    public LiteStore Lite { get; }

    public BlobStore Blob { get; }

    public static ReadFixture Open()
    {
        string repos = Prepare("read-repos", path =>
        {
            using DiaryDb db = DiaryDb.OpenAsync(path).AsTask().GetAwaiter().GetResult();
            db.DailyEntries.InsertManyAsync(DiaryData.Entries).AsTask().GetAwaiter().GetResult();
        });
        string raw = Prepare("read-raw", RawStore.CreateAndFill);
        string ef = Prepare("read-ef", DiaryContext.CreateAndFill);
        string lite = Prepare("read-litedb", LiteStore.CreateAndFill);
        string blob = Prepare("read-blob", BlobStore.CreateAndFill);
        return new ReadFixture(
            DiaryDb.OpenAsync(repos).AsTask().GetAwaiter().GetResult(),
            RawStore.Open(raw),
            RawStore.Open(raw),
            RawStore.Open(ef),
            TunedStore.Open(raw),
            LiteStore.Open(lite),
            BlobStore.Open(blob));
    }

    public void Dispose()
    {
        Blob.Dispose();
        Lite.Dispose();
        Tuned.Dispose();
        Ef.Dispose();
        EfConnection.Dispose();
        Dapper.Dispose();
        Raw.Dispose();
        Db.Dispose();
    }

    /// <summary>
    /// Throws unless <paramref name="peer"/> read the entries Repos read, field by field (compared as their
    /// System.Text.Json text, which shows every field; a null entry as <c>null</c>).
    /// </summary>
    public static void AssertSame(string workload, string peer, IReadOnlyList<DailyEntry?> repos, IReadOnlyList<DailyEntry?> read)
    {
        for (int i = 0; i < Math.Max(repos.Count, read.Count); i++)
        {
            string expected = i < repos.Count ? Json(repos[i]) : "(none)";
            string actual = i < read.Count ? Json(read[i]) : "(none)";
            if (expected != actual)
            {
                throw new InvalidOperationException($"{workload}: {peer} read a different entry {i} of {repos.Count} than Repos.\nRepos: {expected}\n{peer}: {actual}");
            }
        }
    }

    private static string Json(DailyEntry? entry) =>
        entry is null ? "null" : System.Text.Json.JsonSerializer.Serialize(entry, DiaryJsonContext.Default.DailyEntry);

    private static string Prepare(string name, Action<string> fill)
    {
        string folder = Path.Combine(Path.GetTempPath(), "repos-bench", "read-" + Version);
        Directory.CreateDirectory(folder);
        string path = Path.Combine(folder, name + ".db");
        string marker = path + ".complete";
        if (!File.Exists(marker))
        {
            BenchFiles.Delete(path);
            fill(path);
            File.WriteAllText(marker, DateTime.UtcNow.ToString("O"));
        }

        return path;
    }
}
