using SymptomTracker.Model;

namespace SymptomTracker.Tests;

/// <summary>Deterministic users and daily entries for the report tests.</summary>
internal static class Entries
{
    public static readonly User Patient = new() { Id = "patient-7", DisplayName = "Ada Example" };

    private static readonly string[] s_symptoms = ["Headache", "Nausea", "Joint pain", "Fatigue"];

    /// <summary>One entry with the given values; no symptoms, medications or notes unless given.</summary>
    public static DailyEntry Day(
        DateOnly date, int health, int energy, double sleep, MoodLevel mood,
        DailySymptom[]? symptoms = null, DailyMedication[]? medications = null, string? notes = null, string? userId = null) =>
        new()
        {
            Id = IdOf(userId ?? Patient.Id, date),
            UserId = userId ?? Patient.Id,
            Date = date,
            OverallHealth = health,
            Energy = energy,
            SleepHours = sleep,
            Mood = mood,
            Symptoms = symptoms ?? [],
            Medications = medications ?? [],
            Notes = notes,
            CompletedAt = date.ToDateTime(new TimeOnly(21, 0), DateTimeKind.Utc),
            IsComplete = true,
        };

    /// <summary>An entry for each of <paramref name="count"/> days from <paramref name="first"/>, values a function of the day.</summary>
    public static List<DailyEntry> Run(DateOnly first, int count, string? userId = null)
    {
        var entries = new List<DailyEntry>(count);
        for (int i = 0; i < count; i++)
        {
            int health = 1 + (i * 7 % 10);
            entries.Add(Day(
                first.AddDays(i),
                health,
                energy: 1 + (i * 3 % 10),
                sleep: 5 + (i % 7 * 0.5),
                mood: (MoodLevel)(1 + (i % 5)),
                symptoms: [new DailySymptom(Guid.Empty, s_symptoms[i % s_symptoms.Length], 11 - health, 60)],
                medications: [new DailyMedication(Guid.Empty, "Ibuprofen", i % 4 != 0, new TimeOnly(8, 0))],
                notes: $"Day {i} of the run.",
                userId: userId));
        }

        return entries;
    }

    // Unique per user and day for the users these tests make (they differ in their last character).
    private static Guid IdOf(string userId, DateOnly date) =>
        new(date.DayNumber, (short)userId.Length, (short)userId[^1], 0, 0, 0, 0, 0, 0, 0, 1);
}
