using System.ComponentModel.DataAnnotations;

namespace Repos.Cli.Tests;

public enum Feeling
{
    Poor = 1,
    Fair = 2,
    Good = 3,
}

/// <summary>A day of a user's health log: the app's type, which the tool never sees.</summary>
[Entity]
[Index(nameof(UserId), nameof(Date), Unique = true)]
public partial record HealthEntry
{
    [Key]
    public Guid Id { get; init; }

    [Required]
    public required string UserId { get; init; }

    public DateOnly Date { get; init; }

    public Feeling Feeling { get; init; }

    public decimal WeightKg { get; init; }

    public string? Note { get; init; }

    public IReadOnlyList<Dose> Doses { get; init; } = [];
}

public sealed record Dose(string Medicine, decimal Milligrams);

[Entity]
public partial class Clinic
{
    [Key]
    public long Id { get; set; }

    public string Name { get; set; } = "";
}

[Database(typeof(HealthEntry), typeof(Clinic))]
public partial class HealthDb;
