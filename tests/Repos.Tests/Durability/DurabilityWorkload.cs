using Repos.Tests.Storage;

namespace Repos.Tests.Durability;

/// <summary>
/// What the crash and contention tests' second process writes, shared with the tests that check it: the
/// keys and rows are a function of (run, transaction, row), so the checker knows what each acknowledgement means.
/// </summary>
public static class DurabilityWorkload
{
    /// <summary>The key of the counter row the contention test increments.</summary>
    public static readonly Guid CounterId = new("c0c0c0c0-0000-4000-8000-000000000001");

    /// <summary>The key of row <paramref name="row"/> of transaction <paramref name="transaction"/> in run <paramref name="run"/>.</summary>
    public static Guid KeyOf(int run, int transaction, int row) =>
        new(run, (short)(transaction >> 16), (short)transaction, (byte)row, 0, 0, 0, 0, 0, 0, 0x5A);

    /// <summary>The key of the row that records run <paramref name="run"/>'s last transaction.</summary>
    public static Guid MarkerOf(int run) => new(run, 0, 0, 0xFF, 0xFF, 0, 0, 0, 0, 0, 0x5A);

    /// <summary>
    /// Row <paramref name="row"/> of a transaction: its first tag names the transaction, and a random number of
    /// random tags make it anything from a few bytes to several pages.
    /// </summary>
    public static Note RowOf(int run, int transaction, int row, Random random)
    {
        var tags = new List<Tag> { new("txn", transaction) };
        for (int i = random.Next(0, 60); i > 0; i--)
        {
            tags.Add(new Tag(RandomText(random, 150), i));
        }

        return new Note
        {
            Id = KeyOf(run, transaction, row),
            UserId = $"run-{run}",
            Date = new DateOnly(2000, 1, 1).AddDays((transaction * 8) + row),
            Mood = 1 + (row % 10),
            Text = RandomText(random, random.Next(0, 200)),
            Tags = tags,
        };
    }

    /// <summary>The marker row: its tag holds the run's last transaction, updated in every transaction.</summary>
    public static Note MarkerRow(int run, int transaction) => new()
    {
        Id = MarkerOf(run),
        UserId = $"marker-{run}",
        Date = new DateOnly(1990, 1, 1),
        Mood = 1,
        Text = "marker",
        Tags = [new Tag("last", transaction)],
    };

    private static string RandomText(Random random, int length)
    {
        return string.Create(length, random, static (span, r) =>
        {
            for (int i = 0; i < span.Length; i++)
            {
                span[i] = (char)('a' + r.Next(26));
            }
        });
    }
}
