using System.ComponentModel.DataAnnotations;
using System.Diagnostics;

namespace Repos.Benchmarks.Repository;

/// <summary><see cref="DailyEntry"/> with a row version: every update is checked against the stored row's version.</summary>
[Entity]
[Index(nameof(UserId), nameof(Date), Unique = true)]
public partial record VersionedEntry
{
    [Key]
    public Guid Id { get; init; }

    public required string UserId { get; init; }

    public DateOnly Date { get; init; }

    [Range(1, 10)]
    public int OverallHealth { get; init; }

    public int Energy { get; init; }

    public double SleepHours { get; init; }

    [MaxLength(4000)]
    public string? Notes { get; init; }

    [Indexed]
    public DateTime CompletedAt { get; init; }

    public bool IsComplete { get; init; }

    public IReadOnlyList<DailySymptom> Symptoms { get; init; } = [];

    [ConcurrencyCheck]
    public long Version { get; init; }
}

/// <summary>The database of <see cref="VersionedEntry"/>.</summary>
[Database(typeof(VersionedEntry))]
public partial class VersionedDiaryDb;

/// <summary>
/// What a row version costs an update: <c>dotnet run -c Release --project tests/Repos.Benchmarks -- --repos-rowversion [updates]</c>.
/// Stores the first 10,000 diary entries with and without a row version, then times single updates (each its
/// own transaction) of every entry in turn, in alternating chunks, and prints the time per update; then
/// the same with 250 updates per transaction, which leaves out the commit and shows the check's own cost.
/// </summary>
public static class RowVersionCost
{
    private const int Rows = 10_000;
    private const int Chunk = 250;

    public static void Run(string[] args)
    {
        int updates = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 10_000;
        string plainPath = BenchFiles.PathOf("rowversion-plain");
        string versionedPath = BenchFiles.PathOf("rowversion-versioned");
        BenchFiles.Delete(plainPath);
        BenchFiles.Delete(versionedPath);
        try
        {
            using DiaryDb plain = DiaryDb.OpenAsync(plainPath).AsTask().GetAwaiter().GetResult();
            using VersionedDiaryDb versioned = VersionedDiaryDb.OpenAsync(versionedPath).AsTask().GetAwaiter().GetResult();
            DailyEntry[] entries = DiaryData.Entries[..Rows];
            VersionedEntry[] current = [.. entries.Select(ToVersioned)];
            plain.DailyEntries.InsertManyAsync(entries).AsTask().GetAwaiter().GetResult();
            versioned.VersionedEntries.InsertManyAsync(current).AsTask().GetAwaiter().GetResult();
            current = [.. current.Select(e => e with { Version = 1 })];   // as InsertManyAsync stores them

            int energy = 0;
            TimeSpan Plain(int count)
            {
                var watch = Stopwatch.StartNew();
                for (int i = 0; i < count; i++)
                {
                    DailyEntry entry = entries[energy % Rows];
                    plain.DailyEntries.UpdateAsync(entry with { Energy = ++energy }).AsTask().GetAwaiter().GetResult();
                }

                return watch.Elapsed;
            }

            TimeSpan Versioned(int count)
            {
                var watch = Stopwatch.StartNew();
                for (int i = 0; i < count; i++)
                {
                    int at = energy % Rows;
                    current[at] = versioned.VersionedEntries.UpdateAsync(current[at] with { Energy = ++energy }).AsTask().GetAwaiter().GetResult();
                }

                return watch.Elapsed;
            }

            // Alternating chunks, so a busy moment of the machine weighs on both alike.
            Plain(Chunk);
            Versioned(Chunk);
            foreach (bool inTransaction in (ReadOnlySpan<bool>)[false, true])
            {
                var plainTimes = new List<double>();
                var versionedTimes = new List<double>();
                for (int done = 0; done < updates; done += Chunk)
                {
                    using (ReposTransaction? tx = inTransaction ? plain.BeginTransactionAsync().AsTask().GetAwaiter().GetResult() : null)
                    {
                        plainTimes.Add(Plain(Chunk).TotalMicroseconds / Chunk);
                        tx?.CommitAsync().AsTask().GetAwaiter().GetResult();
                    }

                    using (ReposTransaction? tx = inTransaction ? versioned.BeginTransactionAsync().AsTask().GetAwaiter().GetResult() : null)
                    {
                        versionedTimes.Add(Versioned(Chunk).TotalMicroseconds / Chunk);
                        tx?.CommitAsync().AsTask().GetAwaiter().GetResult();
                    }
                }

                // The median chunk: a busy moment of the (shared) machine spoils a chunk, not the result.
                double without = plainTimes.Order().ElementAt(plainTimes.Count / 2);
                double with = versionedTimes.Order().ElementAt(versionedTimes.Count / 2);
                Console.WriteLine(
                    $"{updates} updates, {(inTransaction ? $"{Chunk} per transaction" : "one transaction each")}, median of {plainTimes.Count} chunks: " +
                    $"without row version {without:F2} us/update, with {with:F2} us/update, +{with - without:F2} us ({((with / without) - 1) * 100:F1}%)");
            }
        }
        finally
        {
            BenchFiles.Delete(plainPath);
            BenchFiles.Delete(versionedPath);
        }
    }

    private static VersionedEntry ToVersioned(DailyEntry e) => new()
    {
        Id = e.Id,
        UserId = e.UserId,
        Date = e.Date,
        OverallHealth = e.OverallHealth,
        Energy = e.Energy,
        SleepHours = e.SleepHours,
        Notes = e.Notes,
        CompletedAt = e.CompletedAt,
        IsComplete = e.IsComplete,
        Symptoms = e.Symptoms,
    };
}
