namespace SymptomTracker;

/// <summary>One day of a user's health log.</summary>
public sealed record DailyEntry
{
    public Guid Id { get; init; }

    public required string UserId { get; init; }

    public DateTime Date { get; init; }

    public int OverallHealth { get; init; }

    public int Energy { get; init; }

    public double SleepHours { get; init; }

    public IReadOnlyList<DailySymptom> Symptoms { get; init; } = [];

    public string? Notes { get; init; }

    public DateTime CompletedAt { get; init; }

    public bool IsComplete { get; init; }

    public bool Equals(DailyEntry? other) =>
        other is not null
        && Id == other.Id
        && UserId == other.UserId
        && Date == other.Date
        && OverallHealth == other.OverallHealth
        && Energy == other.Energy
        && SleepHours.Equals(other.SleepHours)
        && Symptoms.SequenceEqual(other.Symptoms)
        && Notes == other.Notes
        && CompletedAt == other.CompletedAt
        && IsComplete == other.IsComplete;

    public override int GetHashCode() => HashCode.Combine(Id, UserId, Date);
}

/// <summary>A symptom recorded on a day.</summary>
public sealed record DailySymptom(string Name, int Severity, int DurationMinutes);
