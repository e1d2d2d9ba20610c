using ChatMigration;
using OldApp = ChatMigration.V1;
using ChatMigration.V2;
using Repos;
using Repos.Migrations;

// A walkthrough of a release that moves data between entities. Version 1 of the app kept the onboarding chat's
// progress in one entity; version 2 keeps sessions and their messages. The first open by version 2 migrates
// the file: see V2/ChatModel.cs and README.md beside this file.
string folder = args.Length > 0 ? args[0] : Path.Combine(Path.GetTempPath(), "repos-chat-migration");
Directory.CreateDirectory(folder);
string path = Path.Combine(folder, "chat.db");
foreach (string old in Directory.EnumerateFiles(folder, "chat.db*"))
{
    File.Delete(old);
}

Console.WriteLine($"1. Version 1 of the app writes its file: {path}");
await using (OldApp.OnboardingDb v1 = await OldApp.OnboardingDb.OpenAsync(path))
{
    DateTime start = new(2026, 3, 1, 9, 0, 0, DateTimeKind.Utc);
    await v1.OnboardingProgresses.InsertManyAsync(
    [
        new OldApp.OnboardingProgress
        {
            UserId = "ada", CurrentStep = 5, IsComplete = true, StartedAt = start, UpdatedAt = start.AddMinutes(6),
            Answers = ["Ada", "Headaches and sleep", "No", "Evenings", "Yes please"],
        },
        new OldApp.OnboardingProgress
        {
            UserId = "grace", CurrentStep = 2, StartedAt = start.AddDays(1), UpdatedAt = start.AddDays(1).AddMinutes(3),
            Answers = ["Grace", "Joint pain"],
        },
        new OldApp.OnboardingProgress { UserId = "linus", StartedAt = start.AddDays(2), UpdatedAt = start.AddDays(2) },
    ]);
    foreach (OldApp.OnboardingProgress user in await v1.OnboardingProgresses.All().ToListAsync())
    {
        Console.WriteLine($"   {user.UserId}: step {user.CurrentStep}, {user.Answers.Count} answers, complete: {user.IsComplete}");
    }
}

Console.WriteLine();
Console.WriteLine("2. Version 2 opens the same file: the migration runs once, in the open's transaction.");
var options = new ReposDatabaseOptions
{
    MigrationProgress = new SynchronousProgress(p => Console.WriteLine($"   {p.Entity} -> v{p.ToVersion}: {p.RowsDone}/{p.RowsTotal}")),
};
await using (ChatDb db = await ChatDb.OpenAsync(path, options))
{
    Console.WriteLine($"   database version {db.DatabaseVersion}; the file from before is kept at {db.MigrationBackupPath}");
    Console.WriteLine();
    Console.WriteLine("3. Each user's conversation, read through the (SessionId, Timestamp) index:");
    foreach (OnboardingSession session in await db.OnboardingSessions.All().ToListAsync())
    {
        Console.WriteLine($"   {session.UserId} ({session.Status}, next question {session.CurrentStep}):");
        foreach (ConversationMessage message in await db.ConversationMessages.BySessionIdAndTimestamp(session.Id).ToListAsync())
        {
            Console.WriteLine($"     {message.Timestamp:HH:mm:ss} {message.Role,-9} {message.Content}");
        }
    }

    Console.WriteLine();
    Console.WriteLine("4. Version 2 goes on where version 1 left off: grace answers the question she was asked.");
    OnboardingSession grace = (await db.OnboardingSessions.ByUserIdAndStartedAt("grace").ToListAsync()).Single();
    await using (ReposTransaction transaction = await db.BeginTransactionAsync())
    {
        await db.ConversationMessages.InsertAsync(new ConversationMessage
        {
            Id = Guid.CreateVersion7(),
            SessionId = grace.Id,
            Role = MessageRole.User,
            Content = "No medication",
            Timestamp = DateTime.UtcNow,
        });
        await db.OnboardingSessions.UpdateAsync(grace with { CurrentStep = grace.CurrentStep + 1 });
        await transaction.CommitAsync();
    }

    long messages = await db.ConversationMessages.BySessionIdAndTimestamp(grace.Id).CountAsync();
    Console.WriteLine($"   grace now has {messages} messages.");
}

Console.WriteLine();
Console.WriteLine("5. Opening again finds nothing to migrate.");
await using (ChatDb again = await ChatDb.OpenAsync(path))
{
    Console.WriteLine($"   database version {again.DatabaseVersion}, backup taken: {again.MigrationBackupPath is not null}");
}

/// <summary>Reports progress on the reporting thread, so the lines print in order.</summary>
internal sealed class SynchronousProgress(Action<MigrationProgress> report) : IProgress<MigrationProgress>
{
    public void Report(MigrationProgress value) => report(value);
}
