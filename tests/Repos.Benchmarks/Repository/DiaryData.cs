using System.Text;

namespace Repos.Benchmarks.Repository;

/// <summary>
/// The benchmark data set: 100,000 entries, 28 users writing one entry a day for about ten years, generated
/// from a fixed seed so every run and every peer stores the same values.
/// </summary>
internal static class DiaryData
{
    public const int Count = 100_000;

    public const int Users = 28;

    public static readonly DateOnly FirstDay = new(2015, 1, 1);

    private static readonly string[] s_words =
    [
        "slept", "badly", "well", "woke", "early", "late", "headache", "after", "lunch", "walked", "the", "dog",
        "felt", "tired", "better", "than", "yesterday", "took", "medication", "with", "breakfast", "stiff", "knees",
        "in", "morning", "long", "day", "at", "work", "rested", "afternoon", "light", "dinner", "evening", "stretch",
    ];

    private static readonly string[] s_symptoms =
    [
        "Headache", "Fatigue", "Nausea", "Joint pain", "Dizziness", "Back pain", "Insomnia", "Brain fog",
    ];

    private static DailyEntry[]? s_entries;

    /// <summary>The entries, day by day, every user's entry of a day together (so keys arrive in random order).</summary>
    public static DailyEntry[] Entries => s_entries ??= Generate(Count, Users);

    public static string UserId(int user) => $"user-{user:D2}";

    /// <summary>
    /// <paramref name="count"/> entries of <paramref name="users"/> users, day by day, from the fixed seed (the
    /// first 100,000 of 28 users are <see cref="Entries"/>).
    /// </summary>
    public static DailyEntry[] Generate(int count, int users) => Stream(count, users).ToArray();

    /// <summary>The entries of <see cref="Generate"/>, made one at a time (for data sets too large to hold).</summary>
    public static IEnumerable<DailyEntry> Stream(int count, int users)
    {
        var random = new Random(20240611);
        var id = new byte[16];
        var notes = new StringBuilder(160);
        for (int i = 0; i < count; i++)
        {
            int day = i / users;
            int user = i % users;
            DateOnly date = FirstDay.AddDays(day);
            random.NextBytes(id);
            id[7] = (byte)((id[7] & 0x0F) | 0x40);
            id[8] = (byte)((id[8] & 0x3F) | 0x80);

            notes.Clear();
            while (notes.Length < 115)
            {
                notes.Append(s_words[random.Next(s_words.Length)]).Append(' ');
            }

            var symptoms = new DailySymptom[3];
            for (int s = 0; s < symptoms.Length; s++)
            {
                symptoms[s] = new DailySymptom(s_symptoms[random.Next(s_symptoms.Length)], random.Next(1, 11), random.Next(5, 600));
            }

            yield return new DailyEntry
            {
                Id = new Guid(id),
                UserId = UserId(user),
                Date = date,
                OverallHealth = random.Next(1, 11),
                Energy = random.Next(1, 11),
                SleepHours = Math.Round(4 + (random.NextDouble() * 5), 2),
                Notes = notes.ToString(0, notes.Length - 1),
                CompletedAt = date.ToDateTime(new TimeOnly(20, 0), DateTimeKind.Utc).AddSeconds(random.Next(0, 4 * 3600)),
                IsComplete = random.Next(10) != 0,
                Symptoms = symptoms,
            };
        }
    }
}
