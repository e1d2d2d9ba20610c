namespace Repos.Tests.Storage;

public sealed class RollbackFriendlyTests : IDisposable
{
    private readonly TempDirectory _folder = new();

    public void Dispose() => _folder.Dispose();

    private string DbPath => _folder.File("notes.db");

    [Fact]
    public async Task OlderModel_UpdatingRowsOfANewerModel_KeepsTheFieldsItDoesNotKnow()
    {
        var id = Guid.NewGuid();
        await using (NotesDbV2 newer = await NotesDbV2.OpenAsync(DbPath))
        {
            await newer.Notes.InsertAsync(new NoteV2 { Id = id, UserId = "u1", Date = new DateOnly(2026, 5, 1), Mood = 3, Text = "first", Color = "red" });
            await newer.Notes.InsertAsync(new NoteV2 { Id = Guid.NewGuid(), UserId = "u1", Date = new DateOnly(2026, 5, 2), Mood = 4, Color = "blue" });
        }

        await using (NotesDb older = await NotesDb.OpenAsync(DbPath))
        {
            Note read = (await older.Notes.GetAsync(id))!;
            Assert.Equal("first", read.Text);
            await older.Notes.UpdateAsync(read with { Mood = 8, Text = "edited by the older app" });
            await older.Notes.UpsertAsync(read with { Mood = 9 });
            await older.Notes.InsertAsync(new Note { Id = Guid.NewGuid(), UserId = "u1", Date = new DateOnly(2026, 5, 3), Mood = 5 });
        }

        await using NotesDbV2 reopened = await NotesDbV2.OpenAsync(DbPath);
        NoteV2 after = (await reopened.Notes.GetAsync(id))!;
        Assert.Equal("red", after.Color);
        Assert.Equal(9, after.Mood);
        Assert.Equal(3, await reopened.Notes.CountAsync());
        var colors = new List<string?>();
        await foreach (NoteV2 note in reopened.Notes.All())
        {
            colors.Add(note.Color);
        }

        Assert.Equal(["red", "blue", null], colors);
    }
}
