using System.ComponentModel.DataAnnotations;

namespace Repos.Tests.Transfer;

public enum Priority
{
    SomedayMaybe = -1,
    Low,
    Normal,
    High,
    Urgent,
}

[Flags]
public enum Weekdays : byte
{
    None = 0,
    Monday = 1,
    Tuesday = 2,
    Wednesday = 4,
    Thursday = 8,
    Friday = 16,
    Saturday = 32,
    Sunday = 64,
}

/// <summary>A to-do list app's item, as a web app kept it in localStorage and now a Repos entity.</summary>
[Entity]
[Index(nameof(OwnerId), nameof(Title), Unique = true)]
public partial record Todo
{
    [Key]
    public string Id { get; init; } = "";

    public required string OwnerId { get; init; }

    [Required]
    [StringLength(80)]
    public string Title { get; init; } = "";

    public string? Notes { get; init; }

    public Priority Priority { get; init; }

    public Weekdays Repeat { get; init; }

    [Indexed]
    public DateTime CreatedAt { get; init; }

    public DateTimeOffset? DoneAt { get; init; }

    public DateOnly? Due { get; init; }

    [Range(0, 100)]
    public int Progress { get; init; }

    public List<Step> Steps { get; init; } = [];

    public HashSet<string> Labels { get; init; } = [];

    public Dictionary<string, string> Extra { get; init; } = [];

    public Place? Location { get; init; }

    partial void Validate(ValidationErrors errors)
    {
        if (Title.Contains("forbidden", StringComparison.Ordinal))
        {
            errors.Add(nameof(Title), "NoForbiddenWords", "must not contain 'forbidden'", Title);
        }
    }
}

public sealed record Step(string Text, bool Done, [property: Range(1, 600)] int? Minutes);

public sealed record Place(double Latitude, double Longitude, string? Name);

/// <summary>An entity with a long key, as apps keep records under numeric ids.</summary>
[Entity]
public partial record Contact
{
    [Key]
    public long Id { get; init; }

    public required string Name { get; init; }

    [EmailAddress]
    public string? Email { get; init; }

    public Channels.Kind Preferred { get; init; }
}

/// <summary>Holds an enum declared inside a class, whose catalog name has the class in it.</summary>
public static class Channels
{
    public enum Kind
    {
        Phone,
        Email,
        Letter,
    }
}

[Database(typeof(Todo), typeof(Contact))]
public partial class TodoDb;
