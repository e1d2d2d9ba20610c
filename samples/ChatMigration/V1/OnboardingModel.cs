using System.ComponentModel.DataAnnotations;
using Repos;

namespace ChatMigration.V1;

/// <summary>
/// Version 1 of the app kept one row per user: how far the onboarding chat got and the answers so far.
/// The conversation itself was not stored; the app rebuilt it from the script and the answers.
/// </summary>
[Entity]
public partial record OnboardingProgress
{
    /// <summary>The user.</summary>
    [Key] public required string UserId { get; init; }

    /// <summary>The number of the next question to ask.</summary>
    [Range(0, 100)] public int CurrentStep { get; init; }

    /// <summary>The user's answers, one per question asked so far.</summary>
    public IReadOnlyList<string> Answers { get; init; } = [];

    /// <summary>Whether the user finished the onboarding.</summary>
    public bool IsComplete { get; init; }

    /// <summary>When the onboarding started.</summary>
    public DateTime StartedAt { get; init; }

    /// <summary>When the user last answered.</summary>
    public DateTime UpdatedAt { get; init; }
}

/// <summary>The version 1 database.</summary>
[Database(typeof(OnboardingProgress))]
public partial class OnboardingDb;
