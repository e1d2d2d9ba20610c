using System.Security.Cryptography;
using ChatMigration;
using ChatMigration.V2;
using Repos.Migrations;
using Repos.Storage.Sqlite;
using OldApp = ChatMigration.V1;

namespace Repos.Tests.Storage;

/// <summary>Database-level migrations, through the chat walkthrough sample's two versions of an app.</summary>
public sealed class DatabaseMigrationTests : IDisposable
{
    private static readonly DateTime s_start = new(2025, 6, 1, 8, 0, 0, DateTimeKind.Utc);
    private readonly TempDirectory _folder = new();

    public void Dispose() => _folder.Dispose();

    private string DbPath => _folder.File("chat.db");

    private async Task<OldApp.OnboardingProgress[]> SeedVersion1(int users, int seed)
    {
        var random = new Random(seed);
        int questions = OnboardingScript.Questions.Count;
        OldApp.OnboardingProgress[] rows = Enumerable.Range(0, users).Select(i =>
        {
            int answered = random.Next(questions + 1);
            DateTime started = s_start.AddHours(i);
            return new OldApp.OnboardingProgress
            {
                UserId = $"user-{i:0000}",
                CurrentStep = answered,
                IsComplete = answered == questions,
                Answers = Enumerable.Range(0, answered).Select(a => $"answer {a} of user {i} ✓").ToArray(),
                StartedAt = started,
                UpdatedAt = started.AddSeconds(random.Next(1, 3600)),
            };
        }).ToArray();
        await using OldApp.OnboardingDb db = await OldApp.OnboardingDb.OpenAsync(DbPath);
        await db.OnboardingProgresses.InsertManyAsync(rows);
        return rows;
    }

    [Fact]
    public async Task Version1File_UsersWithCompleteAndIncompleteOnboarding_AllMoveToSessionsAndMessages()
    {
        const int seed = 4_2026;
        OldApp.OnboardingProgress[] users = await SeedVersion1(300, seed);
        Assert.Contains(users, u => u.IsComplete);
        Assert.Contains(users, u => !u.IsComplete && u.Answers.Count > 0);
        Assert.Contains(users, u => u.Answers.Count == 0);
        var progress = new List<MigrationProgress>();

        await using ChatDb db = await ChatDb.OpenAsync(DbPath, new ReposDatabaseOptions { MigrationProgress = new SyncProgress(progress) });

        Assert.Equal(2, db.DatabaseVersion);
        Assert.NotNull(db.MigrationBackupPath);
        Assert.Equal(users.Length, await db.OnboardingSessions.CountAsync());
        foreach (OldApp.OnboardingProgress user in users)
        {
            OnboardingSession session = Assert.Single(await db.OnboardingSessions.ByUserIdAndStartedAt(user.UserId).ToListAsync());
            Assert.Equal(user.IsComplete ? SessionStatus.Completed : SessionStatus.InProgress, session.Status);
            Assert.Equal(user.CurrentStep, session.CurrentStep);
            Assert.Equal(user.StartedAt, session.StartedAt);
            Assert.Equal(user.IsComplete ? user.UpdatedAt : null, session.CompletedAt);

            List<ConversationMessage> messages = await db.ConversationMessages.BySessionIdAndTimestamp(session.Id).ToListAsync();
            int expected = (user.Answers.Count * 2) + (user.IsComplete ? 0 : 1);
            Assert.True(expected == messages.Count, $"{user.UserId}: {messages.Count} messages, expected {expected} (seed {seed})");
            for (int i = 0; i < messages.Count; i++)
            {
                bool isAnswer = i % 2 == 1;
                Assert.Equal(isAnswer ? MessageRole.User : MessageRole.Assistant, messages[i].Role);
                Assert.Equal(isAnswer ? user.Answers[i / 2] : OnboardingScript.Questions[i / 2], messages[i].Content);
                Assert.Equal(session.Id, messages[i].SessionId);
            }

            Assert.Equal(user.StartedAt, messages[0].Timestamp);
            if (messages.Count > 1)
            {
                Assert.Equal(user.UpdatedAt, messages[^1].Timestamp);
                Assert.True(messages.Zip(messages.Skip(1)).All(p => p.First.Timestamp < p.Second.Timestamp), $"{user.UserId}: messages out of order (seed {seed})");
            }
        }

        Assert.Equal(new MigrationProgress("OnboardingProgress", 2, 1, users.Length), progress[0]);
        Assert.Equal(new MigrationProgress("OnboardingProgress", 2, users.Length, users.Length), progress[^1]);
        Assert.DoesNotContain("OnboardingProgress", Tables(db.Path));
        AppliedMigration step = Assert.Single(await db.GetMigrationHistoryAsync());
        Assert.Equal(new AppliedMigration("ChatDb", MigrationKind.Database, 1, 2, users.Length, step.AppliedAt), step);
        Assert.True(DateTimeOffset.UtcNow - step.AppliedAt < TimeSpan.FromMinutes(5));
        Assert.Contains("ConversationMessage", Tables(db.Path));
    }

    [Fact]
    public async Task MigratedFile_OpensAgainWithoutMigrating_AndANewFileStartsAtTheModelsVersion()
    {
        await SeedVersion1(5, seed: 1);
        await using (ChatDb first = await ChatDb.OpenAsync(DbPath))
        {
            Assert.NotNull(first.MigrationBackupPath);
        }

        await using (ChatDb again = await ChatDb.OpenAsync(DbPath))
        {
            Assert.Null(again.MigrationBackupPath);
            Assert.Equal(2, again.DatabaseVersion);
            Assert.Equal(5, await again.OnboardingSessions.CountAsync());
        }

        await using ChatDb fresh = await ChatDb.OpenAsync(_folder.File("new.db"));
        Assert.Null(fresh.MigrationBackupPath);
        Assert.Equal(2, fresh.DatabaseVersion);
        await using OldApp.OnboardingDb plain = await OldApp.OnboardingDb.OpenAsync(_folder.File("plain.db"));
        Assert.Equal(1, plain.DatabaseVersion);
    }

    [Fact]
    public async Task StepFailingOnARow_LeavesTheFileByteForByte_AndNamesTheStoredRow()
    {
        OldApp.OnboardingProgress[] users = await SeedVersion1(40, seed: 7);
        // Version 2 allows user ids of at most 200 characters: this row cannot become a session.
        string tooLong = new('x', 201);
        await using (OldApp.OnboardingDb v1 = await OldApp.OnboardingDb.OpenAsync(DbPath))
        {
            await v1.OnboardingProgresses.InsertAsync(users[0] with { UserId = tooLong });
        }

        byte[] before = Hash();

        var e = await Assert.ThrowsAsync<ReposMigrationException>(() => ChatDb.OpenAsync(DbPath).AsTask());

        Assert.Equal("OnboardingProgress", e.EntityName);
        Assert.Equal($"'{tooLong}'", e.Key);
        Assert.Equal(1, e.FromVersion);
        Assert.Equal(2, e.ToVersion);
        Assert.IsType<EntityValidationException>(e.InnerException);
        Assert.Contains("ChatDb", e.Message, StringComparison.Ordinal);
        Assert.Contains("UserId", e.Message, StringComparison.Ordinal);
        Assert.Equal(before, Hash());
        await using OldApp.OnboardingDb old = await OldApp.OnboardingDb.OpenAsync(DbPath);
        Assert.Equal(41, await old.OnboardingProgresses.CountAsync());
    }

    [Fact]
    public async Task CancelledMigration_ChangesNothing()
    {
        await SeedVersion1(50, seed: 3);
        byte[] before = Hash();
        using var cancel = new CancellationTokenSource();
        var options = new ReposDatabaseOptions
        {
            MigrationProgress = new CallbackProgress(p =>
            {
                if (p.RowsDone == 20)
                {
                    cancel.Cancel();
                }
            }),
        };

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ChatDb.OpenAsync(DbPath, options, cancel.Token).AsTask());

        Assert.Equal(before, Hash());
    }

    [Fact]
    public async Task NewerDatabaseVersion_IsRefused_ButReadableReadOnly()
    {
        await SeedVersion1(3, seed: 5);
        await using (await ChatDb.OpenAsync(DbPath))
        {
        }

        CatalogEdit.Run(DbPath, "UPDATE _repos_meta SET value = 3 WHERE key = 'database_version'");

        byte[] before = Hash();
        var e = await Assert.ThrowsAsync<ReposSchemaException>(() => ChatDb.OpenAsync(DbPath).AsTask());
        Assert.Contains("database version 3", e.Message, StringComparison.Ordinal);
        Assert.Contains("newer version of the app", e.Message, StringComparison.Ordinal);
        Assert.Equal(before, Hash());

        await using ChatDb readOnly = await ChatDb.OpenAsync(DbPath, new ReposDatabaseOptions { ReadOnly = true });
        Assert.Equal(3, readOnly.DatabaseVersion);
        Assert.Equal(3, await readOnly.OnboardingSessions.CountAsync());
    }

    [Fact]
    public async Task OlderDatabaseVersion_OpenedReadOnly_IsRefusedWithWhatToDo()
    {
        await SeedVersion1(3, seed: 6);
        byte[] before = Hash();

        var e = await Assert.ThrowsAsync<ReposSchemaException>(() => ChatDb.OpenAsync(DbPath, new ReposDatabaseOptions { ReadOnly = true }).AsTask());

        Assert.Contains("open it writable once", e.Message, StringComparison.Ordinal);
        Assert.Equal(before, Hash());
    }

    [Fact]
    public async Task MigrationBackup_RestoresTheVersion1File()
    {
        OldApp.OnboardingProgress[] users = await SeedVersion1(10, seed: 8);
        string backup;
        await using (ChatDb migrated = await ChatDb.OpenAsync(DbPath))
        {
            backup = migrated.MigrationBackupPath!;
        }

        await ReposDatabase.RestoreFileAsync(DbPath, backup);

        await using OldApp.OnboardingDb restored = await OldApp.OnboardingDb.OpenAsync(DbPath);
        Assert.Equal(1, restored.DatabaseVersion);
        Assert.Equal(users[4].Answers, (await restored.OnboardingProgresses.GetAsync(users[4].UserId))!.Answers);
    }

    private static List<string> Tables(string path)
    {
        using SqliteConnection connection = SqliteConnection.Open(path, readOnly: true, create: false);
        var tables = new List<string>();
        SqliteStatement select = connection.Prepare("SELECT name FROM sqlite_schema WHERE type = 'table'");
        while (select.Step())
        {
            tables.Add(select.ColumnText(0));
        }

        select.Reset();
        return tables;
    }

    private byte[] Hash()
    {
        Assert.False(File.Exists(DbPath + "-wal") && new FileInfo(DbPath + "-wal").Length > 0, "the file was left with a write-ahead log");
        return SHA256.HashData(File.ReadAllBytes(DbPath));
    }

    private sealed class SyncProgress(List<MigrationProgress> list) : IProgress<MigrationProgress>
    {
        public void Report(MigrationProgress value) => list.Add(value);
    }

    private sealed class CallbackProgress(Action<MigrationProgress> report) : IProgress<MigrationProgress>
    {
        public void Report(MigrationProgress value) => report(value);
    }
}
