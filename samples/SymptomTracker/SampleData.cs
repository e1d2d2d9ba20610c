namespace SymptomTracker;

/// <summary>Deterministic, realistic-looking health log entries.</summary>
internal static class SampleData
{
    private static readonly string[] s_symptoms =
        ["Headache", "Fatigue", "Nausea", "Joint pain", "Dizziness", "Brain fog", "Back pain", "Insomnia"];

    private static readonly string[] s_phrases =
        ["Slept badly.", "Long walk in the morning.", "Migraine after lunch, took ibuprofen.",
         "Stressful day at work.", "Felt better in the evening.", "Skipped coffee.", "Rainy and cold.",
         "Physio session.", "Ate late.", "Good energy most of the day."];

    public static IEnumerable<DailyEntry> Entries(int users, int days, int seed)
    {
        var random = new Random(seed);
        var start = new DateTime(2016, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        for (int u = 0; u < users; u++)
        {
            string userId = $"user-{u:D3}";
            for (int d = 0; d < days; d++)
            {
                DateTime date = start.AddDays(d);
                var symptoms = new DailySymptom[3];
                for (int s = 0; s < symptoms.Length; s++)
                {
                    symptoms[s] = new DailySymptom(
                        s_symptoms[random.Next(s_symptoms.Length)], random.Next(1, 11), random.Next(0, 480));
                }

                string notes = string.Join(' ', s_phrases[random.Next(s_phrases.Length)], s_phrases[random.Next(s_phrases.Length)], s_phrases[random.Next(s_phrases.Length)]);
                yield return new DailyEntry
                {
                    Id = new Guid(random.Next(), (short)random.Next(), (short)random.Next(), (byte)u, (byte)d, 1, 2, 3, 4, 5, 6),
                    UserId = userId,
                    Date = date,
                    OverallHealth = random.Next(1, 11),
                    Energy = random.Next(1, 11),
                    SleepHours = Math.Round(4 + (random.NextDouble() * 5), 1),
                    Symptoms = symptoms,
                    Notes = notes.Length > 120 ? notes[..120] : notes,
                    CompletedAt = date.AddHours(20).AddMinutes(random.Next(0, 180)).AddTicks(random.Next(0, 10_000_000)),
                    IsComplete = random.Next(10) != 0,
                };
            }
        }
    }
}
