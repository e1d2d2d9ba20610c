using System.ComponentModel.DataAnnotations;
using Repos;

namespace SymptomTracker.Model;

/// <summary>One day of a user's log: how they felt, their symptoms, what they took, what set things off.</summary>
[Entity, Synced]
[Index(nameof(UserId), nameof(Date), Unique = true)]
public partial record DailyEntry
{
    [Key]
    public Guid Id { get; init; }

    public required string UserId { get; init; }

    public DateOnly Date { get; init; }

    [Range(1, 10)]
    public int OverallHealth { get; init; }

    [Range(1, 10)]
    public int Energy { get; init; }

    [Range(0, 24)]
    public double SleepHours { get; init; }

    public MoodLevel Mood { get; init; }

    public IReadOnlyList<DailySymptom> Symptoms { get; init; } = [];

    public IReadOnlyList<DailyMedication> Medications { get; init; } = [];

    public IReadOnlyList<DailyTrigger> Triggers { get; init; } = [];

    [StringLength(4000)]
    public string? Notes { get; init; }

    [Indexed]
    public DateTime CompletedAt { get; init; }

    public bool IsComplete { get; init; }
}

/// <summary>A symptom as it was on a day.</summary>
public sealed record DailySymptom(Guid SymptomId, string Name, [property: Range(1, 10)] int Severity, [property: Range(0, 1440)] int DurationMinutes);

/// <summary>A medication dose on a day.</summary>
public sealed record DailyMedication(Guid MedicationId, string Name, bool Taken, TimeOnly? TakenAt);

/// <summary>A trigger noticed on a day.</summary>
public sealed record DailyTrigger(Guid TriggerId, string Name, [property: Range(1, 5)] int Intensity);

public enum MoodLevel : byte
{
    VeryLow = 1,
    Low,
    Neutral,
    Good,
    VeryGood,
}
