using System.ComponentModel.DataAnnotations;

namespace Repos.Tests.Generated;

public enum Mood
{
    Bad = 1,
    Okay = 2,
    Good = 3,
}

[Entity]
[Index(nameof(UserId), nameof(Date), Unique = true)]
public partial record JournalEntry
{
    [Key]
    public Guid Id { get; init; }

    [Required]
    public required string UserId { get; init; }

    public DateOnly Date { get; init; }

    [Range(1, 10)]
    public int Score { get; init; }

    [Indexed]
    public Mood Mood { get; init; }

    [MaxLength(200)]
    public string? Text { get; init; }

    public IReadOnlyList<Activity> Activities { get; init; } = [];

    public Dictionary<string, int> Counters { get; init; } = [];

    [Indexed]
    public DateTime WrittenAt { get; init; }

    partial void Validate(ValidationErrors errors)
    {
        if (Text is not null && Text.Contains("forbidden", StringComparison.Ordinal))
        {
            errors.Add(nameof(Text), "NoForbiddenWords", "must not contain 'forbidden'", Text);
        }
    }
}

public sealed record Activity(string Name, [property: Range(0, 1440)] int Minutes);

[Entity("people", Version = 2)]
public partial class Person
{
    [Key]
    public long Id { get; set; }

    [Indexed(Unique = true)]
    [EmailAddress]
    public string Email { get; set; } = "";

    public List<string> Tags { get; set; } = [];

    public decimal? Balance { get; set; }

    // Version 2 added Balance; rows from version 1 simply have none.
    internal static partial void MigrateFromVersion1(Repos.Migrations.StoredRow row)
    {
    }
}

[Database(typeof(JournalEntry), typeof(Person))]
public partial class JournalDb;
