using System.ComponentModel.DataAnnotations;
using Repos;

namespace SymptomTracker.Model;

/// <summary>A medication a user takes or took.</summary>
[Entity, Synced]
[Index(nameof(UserId), nameof(IsActive))]
public partial record Medication
{
    [Key]
    public Guid Id { get; init; }

    public required string UserId { get; init; }

    [Required]
    [StringLength(120)]
    public required string Name { get; init; }

    [StringLength(60)]
    public string? Dosage { get; init; }

    [Range(1, 12)]
    public int TimesPerDay { get; init; } = 1;

    public DateOnly StartDate { get; init; }

    public DateOnly? EndDate { get; init; }

    public bool IsActive { get; init; }

    partial void Validate(ValidationErrors errors)
    {
        if (EndDate is { } end && end < StartDate)
        {
            errors.Add(nameof(EndDate), "AfterStart", "must not be before the start date", end);
        }
    }
}
