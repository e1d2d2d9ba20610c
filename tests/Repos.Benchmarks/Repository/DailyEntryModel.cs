using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;

namespace Repos.Benchmarks.Repository;

/// <summary>
/// One user's health diary entry for one day: the entity every repository benchmark stores. The MessagePack
/// attributes are the blob store peer's (<see cref="BlobStore"/>): its developer would annotate the entity itself,
/// as here, rather than copy it into a second type. Repos and the other peers ignore them.
/// </summary>
[Entity]
[Index(nameof(UserId), nameof(Date), Unique = true)]
[MessagePack.MessagePackObject]
public partial record DailyEntry
{
    [Key]
    [MessagePack.Key(0)]
    public Guid Id { get; init; }

    [MessagePack.Key(1)]
    public required string UserId { get; init; }

    [MessagePack.Key(2)]
    public DateOnly Date { get; init; }

    [Range(1, 10)]
    [MessagePack.Key(3)]
    public int OverallHealth { get; init; }

    [MessagePack.Key(4)]
    public int Energy { get; init; }

    [MessagePack.Key(5)]
    public double SleepHours { get; init; }

    [MaxLength(4000)]
    [MessagePack.Key(6)]
    public string? Notes { get; init; }

    [Indexed]
    [MessagePack.Key(7)]
    public DateTime CompletedAt { get; init; }

    [MessagePack.Key(8)]
    public bool IsComplete { get; init; }

    [MessagePack.Key(9)]
    public IReadOnlyList<DailySymptom> Symptoms { get; init; } = [];
}

/// <summary>A symptom noted in a <see cref="DailyEntry"/>.</summary>
[MessagePack.MessagePackObject]
public sealed record DailySymptom(
    [property: MessagePack.Key(0)] string Name,
    [property: MessagePack.Key(1)] int Severity,
    [property: MessagePack.Key(2)] int DurationMinutes);

/// <summary>The Repos database of the benchmarks.</summary>
[Database(typeof(DailyEntry))]
public partial class DiaryDb;

/// <summary>System.Text.Json's source-generated serializers, used by the raw ADO.NET, Dapper and EF Core peers.</summary>
[JsonSerializable(typeof(DailyEntry))]
[JsonSerializable(typeof(IReadOnlyList<DailySymptom>))]
internal sealed partial class DiaryJsonContext : JsonSerializerContext;
