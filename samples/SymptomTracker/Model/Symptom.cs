using System.ComponentModel.DataAnnotations;
using Repos;

namespace SymptomTracker.Model;

/// <summary>A symptom a user tracks.</summary>
[Entity, Synced]
[Index(nameof(UserId), nameof(Name), Unique = true)]
public partial record Symptom
{
    [Key]
    public Guid Id { get; init; }

    public required string UserId { get; init; }

    [Required]
    [StringLength(80)]
    public required string Name { get; init; }

    public SymptomCategory Category { get; init; }

    public bool IsTracked { get; init; } = true;

    public DateTime CreatedAt { get; init; }
}

public enum SymptomCategory
{
    Pain,
    Digestive,
    Neurological,
    Respiratory,
    Sleep,
    Mood,
    Other,
}
