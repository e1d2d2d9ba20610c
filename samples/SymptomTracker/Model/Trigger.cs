using System.ComponentModel.DataAnnotations;
using Repos;

namespace SymptomTracker.Model;

/// <summary>Something that may set symptoms off: food, weather, stress.</summary>
[Entity, Synced]
[Index(nameof(UserId), nameof(Name), Unique = true)]
public partial record Trigger
{
    [Key]
    public Guid Id { get; init; }

    public required string UserId { get; init; }

    [Required]
    [StringLength(80)]
    public required string Name { get; init; }

    [StringLength(40)]
    public string? Category { get; init; }
}
