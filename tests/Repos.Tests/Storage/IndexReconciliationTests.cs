using Repos.Internal;
using Repos.Storage.Sqlite;

namespace Repos.Tests.Storage;

public sealed class IndexReconciliationTests : IDisposable
{
    private static readonly NoteDefinition WithTextIndex = new(
        [.. NoteDefinition.DefaultColumns, new IndexColumn("Text", ColumnKind.Text)],
        [.. NoteDefinition.DefaultIndexes, new IndexDefinition("Text", ["Text"], Unique: false)]);

    private static readonly NoteDefinition WithoutMoodIndex = new(
        [new IndexColumn("UserId", ColumnKind.Text), new IndexColumn("Date", ColumnKind.Integer)],
        [new IndexDefinition("UserId_Date", ["UserId", "Date"], Unique: true)]);

    private static readonly NoteDefinition MoodIndexUniqueNow = new(
        NoteDefinition.DefaultColumns,
        [new IndexDefinition("UserId_Date", ["UserId", "Date"], Unique: true), new IndexDefinition("Mood", ["Mood"], Unique: true)]);

    private readonly TempDirectory _folder = new();

    public void Dispose() => _folder.Dispose();

    private string DbPath => _folder.File("notes.db");

    private static Note NewNote(int day, string? text = null, int mood = 5) => new()
    {
        Id = Guid.NewGuid(),
        UserId = "u1",
        Date = new DateOnly(2026, 1, 1).AddDays(day),
        Mood = mood,
        Text = text ?? $"note {day % 7}",
    };

    private async Task Seed(NoteDefinition definition, IEnumerable<Note> notes)
    {
        await using NotesDb db = await NotesDb.OpenAsync(DbPath, definition: definition);
        await db.Notes.InsertManyAsync(notes);
    }

    private string[] Schema()
    {
        using SqliteConnection connection = SqliteConnection.Open(DbPath, readOnly: true, create: false);
        using SqliteStatement select = connection.PrepareOnce(
            "SELECT type || ' ' || name FROM sqlite_schema WHERE tbl_name = 'Note' UNION ALL SELECT 'catalog ' || name || '(' || columns || ')' || is_unique FROM _repos_indexes ORDER BY 1");
        var rows = new List<string>();
        while (select.Step())
        {
            rows.Add(select.ColumnText(0));
        }

        return [.. rows];
    }

    [Fact]
    public async Task NewIndex_OnExistingRows_IsBackfilledAndAnswersQueries()
    {
        await Seed(NoteDefinition.Instance, Enumerable.Range(0, 2500).Select(d => NewNote(d)));

        await using NotesDb db = await NotesDb.OpenAsync(DbPath, definition: WithTextIndex);
        List<Note> found = await db.Notes.ByIndex<string?>("Text", ColumnValue.From).Between("note 3", "note 3").ToListAsync();

        Assert.Equal(Enumerable.Range(0, 2500).Count(d => d % 7 == 3), found.Count);
        Assert.All(found, n => Assert.Equal("note 3", n.Text));
        Assert.Contains("index Note_Text", Schema());
        Assert.Contains("catalog Text(Text)0", Schema());
    }

    [Fact]
    public async Task DroppedIndex_IsRemoved_AndWritesStillWork()
    {
        await Seed(NoteDefinition.Instance, [NewNote(1)]);

        await using NotesDb db = await NotesDb.OpenAsync(DbPath, definition: WithoutMoodIndex);
        await db.Notes.InsertAsync(NewNote(2));

        Assert.DoesNotContain("index Note_Mood", Schema());
        Assert.DoesNotContain(Schema(), row => row.StartsWith("catalog Mood", StringComparison.Ordinal));
        Assert.Equal(2, await db.Notes.CountAsync());
    }

    [Fact]
    public async Task ChangedIndex_IsRebuilt()
    {
        await Seed(NoteDefinition.Instance, Enumerable.Range(0, 5).Select(d => NewNote(d, mood: d + 1)));

        await using NotesDb db = await NotesDb.OpenAsync(DbPath, definition: MoodIndexUniqueNow);

        Assert.Contains("catalog Mood(Mood)1", Schema());
        await Assert.ThrowsAsync<UniqueIndexViolationException>(() => db.Notes.InsertAsync(NewNote(9, mood: 3)).AsTask());
    }

    [Fact]
    public async Task UniqueIndexOverDuplicates_IsRefusedAndChangesNothing()
    {
        await Seed(NoteDefinition.Instance, Enumerable.Range(0, 5).Select(d => NewNote(d, mood: 4)));
        string[] before = Schema();

        var e = await Assert.ThrowsAsync<ReposSchemaException>(() => NotesDb.OpenAsync(DbPath, definition: MoodIndexUniqueNow).AsTask());

        Assert.Contains("unique index Mood of Note cannot be created", e.Message, StringComparison.Ordinal);
        Assert.Equal(before, Schema());
        await using NotesDb db = await NotesDb.OpenAsync(DbPath);
        Assert.Equal(5, await db.Notes.CountAsync());
    }

    [Fact]
    public async Task RowsWrittenByAModelWithoutTheIndex_AreIndexedWhenTheIndexComesBack()
    {
        await Seed(WithTextIndex, [NewNote(1, "alpha")]);
        await Seed(NoteDefinition.Instance, [NewNote(2, "alpha")]);   // an older app: drops the index it does not know

        await using NotesDb db = await NotesDb.OpenAsync(DbPath, definition: WithTextIndex);
        List<Note> found = await db.Notes.ByIndex<string?>("Text", ColumnValue.From).Between("alpha", "alpha").ToListAsync();

        Assert.Equal(2, found.Count);
    }
}
