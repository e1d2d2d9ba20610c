using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;

namespace Repos.Benchmarks.Repository;

/// <summary>One user's health diary entry for one day: the entity every repository benchmark stores.</summary>
[Entity]
[Index(nameof(UserId), nameof(Date), Unique = true)]
public partial record DailyEntry
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
}

/// <summary>A symptom noted in a <see cref="DailyEntry"/>.</summary>
public sealed record DailySymptom(string Name, int Severity, int DurationMinutes);

/// <summary>The Repos database of the benchmarks.</summary>
[Database(typeof(DailyEntry))]
public partial class DiaryDb;

/// <summary>System.Text.Json's source-generated serializers, used by the raw ADO.NET, Dapper and EF Core peers.</summary>
[JsonSerializable(typeof(DailyEntry))]
[JsonSerializable(typeof(IReadOnlyList<DailySymptom>))]
internal sealed partial class DiaryJsonContext : JsonSerializerContext;
