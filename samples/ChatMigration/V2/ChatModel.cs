using System.ComponentModel.DataAnnotations;
using Repos;
using Repos.Migrations;

namespace ChatMigration.V2;

/// <summary>Where an onboarding session stands.</summary>
public enum SessionStatus
{
    /// <summary>The user has questions left.</summary>
    InProgress,

    /// <summary>The user answered every question.</summary>
    Completed,
}

/// <summary>Who wrote a message.</summary>
public enum MessageRole
{
    /// <summary>The app's assistant.</summary>
    Assistant,

    /// <summary>The user.</summary>
    User,
}

/// <summary>Version 2 keeps one session per onboarding conversation a user has had.</summary>
[Entity]
[Index(nameof(UserId), nameof(StartedAt))]
public partial record OnboardingSession
{
    /// <summary>The session.</summary>
    [Key] public Guid Id { get; init; }

    /// <summary>The user.</summary>
    [StringLength(200)] public required string UserId { get; init; }

    /// <summary>Whether it is finished.</summary>
    public SessionStatus Status { get; init; }

    /// <summary>The number of the next question to ask.</summary>
    [Range(0, 100)] public int CurrentStep { get; init; }

    /// <summary>When it started.</summary>
    public DateTime StartedAt { get; init; }

    /// <summary>When the user answered the last question, for a completed session.</summary>
    public DateTime? CompletedAt { get; init; }
}

/// <summary>A message of an onboarding conversation: the app keeps them all, to show the conversation again.</summary>
[Entity]
[Index(nameof(SessionId), nameof(Timestamp))]
public partial record ConversationMessage
{
    /// <summary>The message.</summary>
    [Key] public Guid Id { get; init; }

    /// <summary>The session it belongs to.</summary>
    public Guid SessionId { get; init; }

    /// <summary>Who wrote it.</summary>
    public MessageRole Role { get; init; }

    /// <summary>What it says.</summary>
    public required string Content { get; init; }

    /// <summary>When it was written.</summary>
    public DateTime Timestamp { get; init; }
}

/// <summary>
/// The version 2 database. <c>Version = 2</c> declares that a file from version 1 needs
/// <see cref="MigrateFromVersion1Async"/>: it turns every stored <c>OnboardingProgress</c> into a session and
/// its conversation, then drops the old entity. It runs once, inside the transaction of the first open.
/// </summary>
[Database(typeof(OnboardingSession), typeof(ConversationMessage), Version = 2)]
public partial class ChatDb
{
    private async partial ValueTask MigrateFromVersion1Async(DatabaseMigration migration, CancellationToken cancellationToken)
    {
        if (!migration.HasEntity("OnboardingProgress"))
        {
            return;
        }

        long total = await migration.CountStoredRowsAsync("OnboardingProgress", cancellationToken);
        long done = 0;
        var messages = new List<ConversationMessage>();
        await foreach (StoredRow progress in migration.ReadStoredRowsAsync("OnboardingProgress", cancellationToken))
        {
            OnboardingSession session = SessionFrom(progress);
            await OnboardingSessions.InsertAsync(session, cancellationToken);

            messages.Clear();
            AddConversation(session, progress.GetList<string>("Answers"), progress.Get<DateTime>("UpdatedAt"), messages);
            await ConversationMessages.InsertManyAsync(messages, cancellationToken);
            migration.ReportProgress("OnboardingProgress", ++done, total);
        }

        // Everything the old entity held now lives in the new ones (the copy taken before the migration keeps it too).
        await migration.DropEntityAsync("OnboardingProgress", cancellationToken);
    }

    private static OnboardingSession SessionFrom(StoredRow progress)
    {
        bool complete = progress.Get<bool>("IsComplete");
        return new OnboardingSession
        {
            Id = Guid.CreateVersion7(),
            UserId = progress.Get<string>("UserId"),
            Status = complete ? SessionStatus.Completed : SessionStatus.InProgress,
            CurrentStep = progress.Get<int>("CurrentStep"),
            StartedAt = progress.Get<DateTime>("StartedAt"),
            CompletedAt = complete ? progress.Get<DateTime>("UpdatedAt") : null,
        };
    }

    /// <summary>
    /// Rebuilds the conversation version 1 showed: each question and its answer, then the question waiting for
    /// an answer if the session is not finished. Version 1 kept no message times, so they are spread evenly
    /// from the start to the last answer, which keeps them in order.
    /// </summary>
    internal static void AddConversation(OnboardingSession session, IReadOnlyList<string> answers, DateTime updatedAt, List<ConversationMessage> messages)
    {
        IReadOnlyList<string> questions = OnboardingScript.Questions;
        int answered = Math.Min(answers.Count, questions.Count);
        bool waiting = session.Status == SessionStatus.InProgress && session.CurrentStep < questions.Count;
        int count = (answered * 2) + (waiting ? 1 : 0);
        long span = (updatedAt - session.StartedAt).Ticks;
        for (int i = 0; i < count; i++)
        {
            bool isAnswer = i % 2 == 1;
            messages.Add(new ConversationMessage
            {
                Id = Guid.CreateVersion7(),
                SessionId = session.Id,
                Role = isAnswer ? MessageRole.User : MessageRole.Assistant,
                Content = isAnswer ? answers[i / 2] : questions[i / 2],
                Timestamp = count > 1 ? session.StartedAt.AddTicks(span * i / (count - 1)) : session.StartedAt,
            });
        }
    }
}
