using Microsoft.Data.Sqlite;

namespace Repos.Benchmarks.Repository;

/// <summary>
/// The read benchmarks' files, filled once with the 100,000 entries and kept between benchmark processes
/// (a marker file says a file is complete): one Repos file, one raw table file (raw and Dapper read it), one
/// EF Core file. Each peer opens its file once.
/// </summary>
internal sealed class ReadFixture : IDisposable
{
    // Raise when the data or any peer's schema changes, so stale files are not reused.
    private const string Version = "v2";

    private ReadFixture(DiaryDb db, SqliteConnection raw, SqliteConnection dapper, SqliteConnection ef)
    {
        Db = db;
        Raw = raw;
        Dapper = dapper;
        EfConnection = ef;
        Ef = new DiaryContext(ef);
    }

    public DiaryDb Db { get; }

    public SqliteConnection Raw { get; }

    public SqliteConnection Dapper { get; }

    public SqliteConnection EfConnection { get; }

    public DiaryContext Ef { get; }

    public static ReadFixture Open()
    {
        string repos = Prepare("read-repos", path =>
        {
            using DiaryDb db = DiaryDb.OpenAsync(path).AsTask().GetAwaiter().GetResult();
            db.DailyEntries.InsertManyAsync(DiaryData.Entries).AsTask().GetAwaiter().GetResult();
        });
        string raw = Prepare("read-raw", RawStore.CreateAndFill);
        string ef = Prepare("read-ef", DiaryContext.CreateAndFill);
        return new ReadFixture(
            DiaryDb.OpenAsync(repos).AsTask().GetAwaiter().GetResult(),
            RawStore.Open(raw),
            RawStore.Open(raw),
            RawStore.Open(ef));
    }

    public void Dispose()
    {
        Ef.Dispose();
        EfConnection.Dispose();
        Dapper.Dispose();
        Raw.Dispose();
        Db.Dispose();
    }

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
