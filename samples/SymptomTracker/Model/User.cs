using System.ComponentModel.DataAnnotations;
using Repos;

namespace SymptomTracker.Model;

/// <summary>A person who keeps a health log in the app.</summary>
[Entity, Synced]
public partial record User
{
    [Key]
    public required string Id { get; init; }

    [Required]
    [StringLength(100)]
    public required string DisplayName { get; init; }

    [EmailAddress]
    [Indexed(Unique = true)]
    public string? Email { get; init; }

    [StringLength(64)]
    public string TimeZone { get; init; } = "UTC";

    public DateTime CreatedAt { get; init; }

    public ReminderSettings Reminders { get; init; } = new();
}

/// <summary>When the app reminds the user to fill in the day.</summary>
public sealed record ReminderSettings
{
    public bool Enabled { get; init; } = true;

    public TimeOnly DailyAt { get; init; } = new(20, 30);

    public HashSet<DayOfWeek> Days { get; init; } = [];
}
