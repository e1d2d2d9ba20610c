using Repos;
using Repos.Tests.Durability;
using Repos.Tests.Storage;

/// <summary>The second process of the crash and contention tests.</summary>
internal static class Durability
{
    /// <summary>Commits transactions until killed; each "ack" line is printed only after its commit returned.</summary>
    public static async Task<int> CrashWriterAsync(string file, int run, int seed)
    {
        var random = new Random(seed);
        using var acknowledge = new StreamWriter(Console.OpenStandardOutput()) { AutoFlush = true };
        await using NotesDb db = await NotesDb.OpenAsync(file);
        for (int transaction = 0; ; transaction++)
        {
            int rows = 1 + random.Next(4);
            await using (ReposTransaction tx = await db.BeginTransactionAsync())
            {
                for (int row = 0; row < rows; row++)
                {
                    await db.Notes.InsertAsync(DurabilityWorkload.RowOf(run, transaction, row, random));
                }

                await db.Notes.UpsertAsync(DurabilityWorkload.MarkerRow(run, transaction));
                await tx.CommitAsync();
            }

            // Written straight to the pipe: the parent must see each acknowledgement before the next commit starts.
            acknowledge.WriteLine($"ack {transaction} {rows}");
        }
    }

    /// <summary>
    /// Threads that each, until the time is up, increment the counter row and log the increment in one
    /// transaction, then read. Prints "increments N reads M"; any exception fails the process.
    /// </summary>
    public static async Task<int> ContendAsync(string file, TimeSpan duration, int threads, string name)
    {
        await using NotesDb db = await NotesDb.OpenAsync(file);
        DateTime end = DateTime.UtcNow + duration;
        long increments = 0;
        long reads = 0;
        Task[] workers = Enumerable.Range(0, threads).Select(thread => Task.Run(async () =>
        {
            var random = new Random(thread);
            var mine = new List<Guid>();
            while (DateTime.UtcNow < end)
            {
                var logged = Guid.NewGuid();
                await using (ReposTransaction tx = await db.BeginTransactionAsync())
                {
                    Note counter = (await db.Notes.GetAsync(DurabilityWorkload.CounterId))!;
                    int count = counter.Tags[0].Weight + 1;
                    await db.Notes.UpdateAsync(counter with { Tags = [new Tag("count", count)] });
                    await db.Notes.InsertAsync(new Note
                    {
                        Id = logged,
                        UserId = $"{name}-{thread}",
                        Date = DateOnly.FromDayNumber(count),
                        Mood = 1 + (count % 10),
                        Text = $"increment {count} by {name}-{thread}",
                    });
                    await tx.CommitAsync();
                }

                mine.Add(logged);
                Interlocked.Increment(ref increments);
                for (int i = 0; i < 3; i++)
                {
                    Guid key = mine[random.Next(mine.Count)];
                    if (await db.Notes.GetAsync(key) is null)
                    {
                        throw new InvalidOperationException($"a committed row {key} cannot be read back");
                    }

                    Interlocked.Increment(ref reads);
                }

                _ = await db.Notes.CountAsync();
            }
        })).ToArray();
        await Task.WhenAll(workers);
        Console.WriteLine($"increments {increments} reads {reads}");
        return 0;
    }
}
