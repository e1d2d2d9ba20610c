using Repos.Backup;
using Repos.Tests.Storage;

namespace Repos.Tests.Backup;

[Collection(nameof(MigrationTests))]   // opens NoteV3, whose test switches are shared
public sealed class BackupBeforeMigrationTests : IDisposable
{
    private readonly TempDirectory _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Migration_TakesARecordedBeforeMigrationBackup_ThatRestoresTheOldFile()
    {
        string path = _folder.File("notes.db");
        await using (NotesDb db = await NotesDb.OpenAsync(path))
        {
            await db.Notes.InsertManyAsync(Enumerable.Range(0, 30).Select(i => new Note
            {
                Id = Guid.NewGuid(),
                UserId = "u",
                Date = new DateOnly(2026, 1, 1).AddDays(i),
                Mood = 1 + (i % 9),
                Text = $"note {i}",
            }));
        }

        BackupInfo backup;
        await using (NotesDbV3 migrated = await NotesDbV3.OpenAsync(path))
        {
            backup = Assert.Single(await migrated.Backup.ListAsync());
            Assert.Equal(BackupKind.BeforeMigration, backup.Kind);
            Assert.Equal(migrated.MigrationBackupPath, backup.Path);
            Assert.True(backup.IsVerified);
            Assert.Equal(1, backup.DatabaseVersion);
        }

        await ReposBackups.ForFile(path).RestoreAsync(backup.Id);

        await using NotesDb old = await NotesDb.OpenAsync(path);
        Assert.Equal(30, await old.Notes.CountAsync());
        var texts = new List<string?>();
        await foreach (Note note in old.Notes.All())
        {
            texts.Add(note.Text);
        }

        Assert.Contains("note 7", texts);   // the version 1 field, before the migration renamed it
    }
}
