using System.Buffers;
using System.Text.Json;
using SymptomTracker.Model;

namespace SymptomTracker;

/// <summary>Deterministic, realistic-looking data: users with their symptoms, medications, triggers and years of daily entries.</summary>
internal sealed class SampleData
{
    private static readonly (string Name, SymptomCategory Category)[] s_symptoms =
    [
        ("Headache", SymptomCategory.Pain), ("Fatigue", SymptomCategory.Other), ("Nausea", SymptomCategory.Digestive),
        ("Joint pain", SymptomCategory.Pain), ("Dizziness", SymptomCategory.Neurological), ("Brain fog", SymptomCategory.Neurological),
        ("Back pain", SymptomCategory.Pain), ("Insomnia", SymptomCategory.Sleep), ("Anxiety", SymptomCategory.Mood),
        ("Shortness of breath", SymptomCategory.Respiratory),
    ];

    // As the earlier web version of the app named the categories.
    private static readonly string[] s_categoryNames = ["pain", "digestive", "neurological", "respiratory", "sleep", "mood", "other"];

    private static readonly string[] s_medications = ["Ibuprofen", "Paracetamol", "Sumatriptan", "Magnesium", "Vitamin D", "Melatonin"];

    private static readonly string[] s_triggers = ["Coffee", "Red wine", "Poor sleep", "Stress", "Weather change", "Screen time", "Skipped meal"];

    private static readonly string[] s_phrases =
    [
        "Slept badly.", "Long walk in the morning.", "Migraine after lunch.", "Stressful day at work.", "Felt better in the evening.",
        "Skipped coffee.", "Rainy and cold.", "Physio session.", "Ate late.", "Good energy most of the day.", "Visited family.",
    ];

    private readonly Random _random;

    public SampleData(int seed)
    {
        _random = new Random(seed);
    }

    public List<User> Users { get; } = [];

    public List<Symptom> Symptoms { get; } = [];

    public List<Medication> Medications { get; } = [];

    public List<Trigger> Triggers { get; } = [];

    public List<DailyEntry> Entries { get; } = [];

    public static SampleData Create(int users, DateOnly firstDay, int days, int seed)
    {
        var data = new SampleData(seed);
        for (int u = 0; u < users; u++)
        {
            data.AddUser($"user-{u + 1:D2}", firstDay, days);
        }

        return data;
    }

    private void AddUser(string userId, DateOnly firstDay, int days)
    {
        Users.Add(new User
        {
            Id = userId,
            DisplayName = $"Sample user {userId[^2..]}",
            Email = $"{userId}@example.org",
            TimeZone = "Europe/Berlin",
            CreatedAt = firstDay.ToDateTime(new TimeOnly(9, 0), DateTimeKind.Utc),
            Reminders = new ReminderSettings { Days = [DayOfWeek.Monday, DayOfWeek.Wednesday, DayOfWeek.Friday] },
        });

        Symptom[] symptoms = s_symptoms
            .OrderBy(_ => _random.Next())
            .Take(6)
            .Select(s => new Symptom { Id = NewGuid(), UserId = userId, Name = s.Name, Category = s.Category, CreatedAt = Users[^1].CreatedAt })
            .ToArray();
        Symptoms.AddRange(symptoms);

        Medication[] medications = s_medications
            .OrderBy(_ => _random.Next())
            .Take(4)
            .Select((name, i) => new Medication
            {
                Id = NewGuid(),
                UserId = userId,
                Name = name,
                Dosage = $"{(i + 1) * 100} mg",
                TimesPerDay = 1 + (i % 2),
                StartDate = firstDay.AddDays(i * 400),
                EndDate = i < 2 ? firstDay.AddDays((i * 400) + 300) : null,
                IsActive = i >= 2,
            })
            .ToArray();
        Medications.AddRange(medications);

        Trigger[] triggers = s_triggers
            .OrderBy(_ => _random.Next())
            .Take(5)
            .Select(name => new Trigger { Id = NewGuid(), UserId = userId, Name = name, Category = "Lifestyle" })
            .ToArray();
        Triggers.AddRange(triggers);

        for (int d = 0; d < days; d++)
        {
            DateOnly date = firstDay.AddDays(d);
            int health = Math.Clamp(6 + (int)Math.Round(2 * Math.Sin(d / 20.0)) + _random.Next(-2, 3), 1, 10);
            Entries.Add(new DailyEntry
            {
                Id = NewGuid(),
                UserId = userId,
                Date = date,
                OverallHealth = health,
                Energy = Math.Clamp(health + _random.Next(-2, 2), 1, 10),
                SleepHours = Math.Round(4 + (_random.NextDouble() * 5), 1),
                Mood = (MoodLevel)Math.Clamp((health + 1) / 2, 1, 5),
                Symptoms = PickSymptoms(symptoms, health),
                Medications = medications
                    .Where(m => m.StartDate <= date && (m.EndDate is null || m.EndDate >= date))
                    .Select(m => new DailyMedication(m.Id, m.Name, _random.Next(10) != 0, new TimeOnly(8 + _random.Next(12), 0)))
                    .ToArray(),
                Triggers = _random.Next(3) == 0
                    ? [new DailyTrigger(triggers[_random.Next(triggers.Length)].Id, triggers[_random.Next(triggers.Length)].Name, _random.Next(1, 6))]
                    : [],
                Notes = $"{s_phrases[_random.Next(s_phrases.Length)]} {s_phrases[_random.Next(s_phrases.Length)]} {s_phrases[_random.Next(s_phrases.Length)]}",
                CompletedAt = date.ToDateTime(new TimeOnly(20 + _random.Next(3), _random.Next(60)), DateTimeKind.Utc),
                IsComplete = _random.Next(20) != 0,
            });
        }
    }

    /// <summary>
    /// The symptoms as the app's earlier web version kept them in localStorage, dumped as JSON: one key per
    /// symptom holding its JSON text (snake_case names, the category by name, the creation time as
    /// <c>Date.now()</c> milliseconds), beside the web app's other keys.
    /// </summary>
    public byte[] SymptomsAsLocalStorage()
    {
        var dump = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(dump))
        {
            writer.WriteStartObject();
            writer.WriteString("theme", "dark");
            var value = new ArrayBufferWriter<byte>();
            foreach (Symptom symptom in Symptoms)
            {
                value.ResetWrittenCount();
                using (var json = new Utf8JsonWriter(value))
                {
                    json.WriteStartObject();
                    json.WriteString("user_id", symptom.UserId);
                    json.WriteString("name", symptom.Name);
                    json.WriteString("category", s_categoryNames[(int)symptom.Category]);
                    json.WriteBoolean("is_tracked", symptom.IsTracked);
                    json.WriteNumber("created_at", new DateTimeOffset(symptom.CreatedAt).ToUnixTimeMilliseconds());
                    json.WriteEndObject();
                }

                writer.WriteString($"symptom:{symptom.Id}", value.WrittenSpan);
            }

            writer.WriteString("lastSync", "2025-12-30T10:00:00.000Z");
            writer.WriteEndObject();
        }

        return dump.WrittenSpan.ToArray();
    }

    private DailySymptom[] PickSymptoms(Symptom[] symptoms, int health)
    {
        int count = Math.Clamp(10 - health + _random.Next(-1, 2), 0, 3);
        var picked = new DailySymptom[count];
        for (int i = 0; i < count; i++)
        {
            Symptom symptom = symptoms[_random.Next(symptoms.Length)];
            picked[i] = new DailySymptom(symptom.Id, symptom.Name, Math.Clamp(11 - health + _random.Next(-1, 2), 1, 10), _random.Next(10, 480));
        }

        return picked;
    }

    private Guid NewGuid()
    {
        Span<byte> bytes = stackalloc byte[16];
        _random.NextBytes(bytes);
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x40);
        return new Guid(bytes);
    }
}
