using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;

namespace Repos.Benchmarks.Repository;

/// <summary>
/// Migrating 1,000,000 rows at open through a step that changes one field (an indexed one, so the index is
/// rewritten too): the first open of a version 1 file by the version 2 app. Each iteration opens a fresh
/// copy of the same version 1 file; the copy is made outside the measurement.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 3)]
public class MigrationBenchmarks
{
    private string _version1 = null!;
    private string _work = null!;

    [Params(1_000_000)]
    public int Rows { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _version1 = BenchFiles.PathOf($"migration-v1-{Rows}");
        _work = BenchFiles.PathOf("migration-work");
        BenchFiles.Delete(_version1);
        MigrationFiles.CreateVersion1(_version1, Rows);
    }

    [IterationSetup]
    public void Copy()
    {
        BenchFiles.Delete(_work);
        File.Copy(_version1, _work);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        BenchFiles.Delete(_version1);
        BenchFiles.Delete(_work);
    }

    /// <summary>The migration alone.</summary>
    [Benchmark(Baseline = true)]
    public async Task Migrate()
    {
        await using var db = await MigrationV2.ReadingsDb.OpenAsync(_work, new ReposDatabaseOptions { BackupBeforeMigration = false });
    }

    /// <summary>The migration with the copy of the file Repos takes first by default.</summary>
    [Benchmark]
    public async Task MigrateWithBackup()
    {
        await using var db = await MigrationV2.ReadingsDb.OpenAsync(_work);
        Directory.Delete(db.Backup.Folder, recursive: true);
    }
}

/// <summary>The version 1 file the migration benchmark starts from.</summary>
internal static class MigrationFiles
{
    public static void CreateVersion1(string path, int rows)
    {
        using MigrationV1.ReadingsDb db = MigrationV1.ReadingsDb.OpenAsync(path).AsTask().GetAwaiter().GetResult();
        const int batch = 100_000;
        for (int start = 0; start < rows; start += batch)
        {
            db.Readings.InsertManyAsync(Enumerable.Range(start, Math.Min(batch, rows - start)).Select(i => new MigrationV1.Reading
            {
                Id = Guid.CreateVersion7(),
                UserId = $"user-{i % 50}",
                Date = new DateOnly(2000, 1, 1).AddDays(i / 50),
                Mood = 1 + (i % 9),
                Text = $"reading {i}: slept badly, headache after lunch, took ibuprofen",
            })).AsTask().GetAwaiter().GetResult();
        }
    }
}
