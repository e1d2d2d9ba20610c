namespace ChatMigration;

/// <summary>The questions the app's onboarding chat asks, in order. Both versions of the app ship them.</summary>
public static class OnboardingScript
{
    /// <summary>The questions; a user's answer number <c>i</c> replies to question <c>i</c>.</summary>
    public static IReadOnlyList<string> Questions { get; } =
    [
        "Hi! What should I call you?",
        "Which symptoms would you like to keep an eye on?",
        "Do you take any regular medication?",
        "When in the day suits you for a check-in?",
        "Would you like a weekly summary?",
    ];
}
