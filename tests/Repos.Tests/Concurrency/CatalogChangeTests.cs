using Repos.Internal;
using Repos.Tests.Storage;

namespace Repos.Tests.Concurrency;

// Two versions of an app with one file open at once, as two database objects in this process (another process
// behaves the same: each object has its own connections and notices the other's commits through SQLite). The
// first opens the file, the second changes its catalog at its own open, and the first goes on.
public sealed class CatalogChangeTests : IDisposable
{
    private readonly TempDirectory _folder = new();

    public void Dispose() => _folder.Dispose();

    private string DbPath => _folder.File("shared.db");

    private static Note NewNote(int day, int mood = 5, string text = "seeded") => new()
    {
        Id = Guid.NewGuid(),
        UserId = "u",
        Date = new DateOnly(2020, 1, 1).AddDays(day),
        Mood = mood,
        Text = text,
        Tags = [new Tag("t", day)],
    };

    private static NoteDefinition WithIndexes(params IndexDefinition[] indexes) => new(NoteDefinition.DefaultColumns, indexes);

    [Fact]
    public async Task OlderApp_AfterANewerAppMigratedTheFile_IsRefusedEveryWrite_AndNothingIsWritten()
    {
        Note first = NewNote(1);
        await using NotesDb older = await NotesDb.OpenAsync(DbPath);
        await older.Notes.InsertAsync(first);

        await using (NotesDbV3 newer = await NotesDbV3.OpenAsync(DbPath, new ReposDatabaseOptions { BackupBeforeMigration = false }))
        {
            Assert.Equal(50, (await newer.Notes.GetAsync(first.Id))!.Mood);
        }

        ReposCatalogChangedException insert = await Assert.ThrowsAsync<ReposCatalogChangedException>(async () => await older.Notes.InsertAsync(NewNote(2)));
        Assert.Equal("Note", insert.Entity);
        Assert.Contains("schema version 3", insert.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ReposCatalogChangedException>(async () => await older.Notes.UpsertAsync(first with { Mood = 7 }));
        await Assert.ThrowsAsync<ReposCatalogChangedException>(async () => await older.Notes.DeleteAsync(first.Id));
        await Assert.ThrowsAsync<ReposCatalogChangedException>(async () => await older.BeginTransactionAsync());

        // A row the newer app migrated is not read as the older model: its values would be wrong.
        ReposCatalogChangedException read = await Assert.ThrowsAsync<ReposCatalogChangedException>(async () => await older.Notes.GetAsync(first.Id));
        Assert.Contains(first.Id.ToString(), read.Message, StringComparison.Ordinal);

        await using NotesDbV3 after = await NotesDbV3.OpenAsync(DbPath);
        Assert.Equal(1, await after.Notes.CountAsync());
        Assert.Equal(50, (await after.Notes.GetAsync(first.Id))!.Mood);
        Assert.True((await after.VerifyAsync()).IsHealthy);
    }

    [Fact]
    public async Task OlderApp_AfterANewerAppAddedFields_GoesOnWriting_AndCarriesTheNewFieldsOver()
    {
        Trip trip = new()
        {
            Id = Guid.NewGuid(),
            Name = "coast",
            Vehicle = new Vehicle { Make = "Volvo", Engine = new Engine { Power = 120 } },
            Stops = [new Stop { Place = "Brest", Minutes = 10 }],
        };
        await using TripsDb older = await TripsDb.OpenAsync(DbPath, TripsModel.Older);
        await older.Trips.InsertAsync(trip);

        // The newer app opens the file while the older one runs, adds its fields to the catalog and writes them.
        await using (TripsDb newer = await TripsDb.OpenAsync(DbPath, TripsModel.Newer))
        {
            await newer.Trips.UpsertAsync(trip with
            {
                Rating = "five stars",
                Vehicle = trip.Vehicle with { Color = "red", Engine = trip.Vehicle.Engine with { Fuel = "diesel" } },
                Stops = [trip.Stops[0] with { Note = "bakery" }],
            });
        }

        // The older app's rewrite keeps what the newer one wrote, at every depth.
        Trip read = (await older.Trips.GetAsync(trip.Id))!;
        await older.Trips.UpdateAsync(read with { Name = "coast, edited", Stops = [read.Stops[0] with { Minutes = 15 }] });

        await using TripsDb check = await TripsDb.OpenAsync(DbPath, TripsModel.Newer);
        Trip stored = (await check.Trips.GetAsync(trip.Id))!;
        Assert.Equal("coast, edited", stored.Name);
        Assert.Equal("five stars", stored.Rating);
        Assert.Equal("red", stored.Vehicle!.Color);
        Assert.Equal("diesel", stored.Vehicle.Engine!.Fuel);
        Assert.Equal(15, stored.Stops[0].Minutes);
        Assert.Equal("bakery", stored.Stops[0].Note);
    }

    [Fact]
    public async Task App_WhoseIndexAnotherAppDropped_IsRefusedWritesAndQueriesOnIt()
    {
        await using NotesDb full = await NotesDb.OpenAsync(DbPath);
        await full.Notes.InsertAsync(NewNote(1, mood: 3));

        // An app without the Mood index opens the file: its open drops the index, and its writes leave the column empty.
        await using NotesDb fewer = await NotesDb.OpenAsync(DbPath, definition: WithIndexes(NoteDefinition.DefaultIndexes[0]));
        await fewer.Notes.InsertAsync(NewNote(2, mood: 3));

        ReposCatalogChangedException query = await Assert.ThrowsAsync<ReposCatalogChangedException>(
            async () => await full.Notes.ByIndex<long>("Mood", ColumnValue.From).Between(3, 3).ToListAsync());
        Assert.Contains("indexes of Note", query.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ReposCatalogChangedException>(async () => await full.Notes.InsertAsync(NewNote(3)));
        Assert.Equal(2, await fewer.Notes.CountAsync());
    }

    [Fact]
    public async Task App_WhenAnotherAppAddedAnIndexItDoesNotMaintain_IsRefusedWrites()
    {
        await using NotesDb fewer = await NotesDb.OpenAsync(DbPath, definition: WithIndexes(NoteDefinition.DefaultIndexes[0]));
        await fewer.Notes.InsertAsync(NewNote(1, mood: 3));

        await using (NotesDb full = await NotesDb.OpenAsync(DbPath))
        {
            Assert.Single(await full.Notes.ByIndex<long>("Mood", ColumnValue.From).Between(3, 3).ToListAsync());
        }

        ReposCatalogChangedException write = await Assert.ThrowsAsync<ReposCatalogChangedException>(async () => await fewer.Notes.InsertAsync(NewNote(2, mood: 3)));
        Assert.Contains("Mood(Mood)", write.Message, StringComparison.Ordinal);

        await using NotesDb reopened = await NotesDb.OpenAsync(DbPath);
        Assert.Single(await reopened.Notes.ByIndex<long>("Mood", ColumnValue.From).Between(3, 3).ToListAsync());
    }

    [Fact]
    public async Task OlderApp_AfterANewerAppRenamedAField_GoesOnWritingTheSameField()
    {
        Note note = NewNote(1, text: "before");
        await using NotesDb older = await NotesDb.OpenAsync(DbPath);
        await older.Notes.InsertAsync(note);

        // The newer app renames Text to Body ([FormerName("Text")]) at the same schema version: the field keeps its id.
        await using (RenamedNotesDb renamed = await RenamedNotesDb.OpenAsync(DbPath, RenamedNoteDefinition.Instance))
        {
            Assert.Equal("before", (await renamed.Notes.GetAsync(note.Id))!.Body);
        }

        await older.Notes.UpdateAsync(note with { Text = "after" });

        await using RenamedNotesDb check = await RenamedNotesDb.OpenAsync(DbPath, RenamedNoteDefinition.Instance);
        Assert.Equal("after", (await check.Notes.GetAsync(note.Id))!.Body);
    }

    [Fact]
    public async Task OlderApp_OpenedAfterANewerAppRenamedAField_UsesTheSameField_AndTheCatalogKeepsTheNewName()
    {
        Note note = NewNote(1, text: "before");
        await using (NotesDb older = await NotesDb.OpenAsync(DbPath))
        {
            await older.Notes.InsertAsync(note);
        }

        await using (RenamedNotesDb renamed = await RenamedNotesDb.OpenAsync(DbPath, RenamedNoteDefinition.Instance))
        {
            Assert.Equal("before", (await renamed.Notes.GetAsync(note.Id))!.Body);
        }

        // The older app opens the file again: its Text is the field the newer app calls Body, not a new one.
        await using (NotesDb older = await NotesDb.OpenAsync(DbPath))
        {
            Assert.Equal("before", (await older.Notes.GetAsync(note.Id))!.Text);
            await older.Notes.UpdateAsync(note with { Text = "after" });
        }

        await using RenamedNotesDb check = await RenamedNotesDb.OpenAsync(DbPath, RenamedNoteDefinition.Instance);
        Assert.Null(check.CatalogRepair);
        Assert.Equal("after", (await check.Notes.GetAsync(note.Id))!.Body);
        Assert.True((await check.VerifyAsync()).IsHealthy);
    }

    [Fact]
    public async Task OlderApp_AfterANewerAppRanADatabaseMigration_IsRefusedWrites()
    {
        var user = new ChatMigration.V1.OnboardingProgress { UserId = "user-1", StartedAt = DateTime.UtcNow, UpdatedAt = DateTime.UtcNow };
        await using ChatMigration.V1.OnboardingDb older = await ChatMigration.V1.OnboardingDb.OpenAsync(DbPath);
        await older.OnboardingProgresses.InsertAsync(user);

        await using (ChatMigration.V2.ChatDb newer = await ChatMigration.V2.ChatDb.OpenAsync(DbPath, new ReposDatabaseOptions { BackupBeforeMigration = false }))
        {
            Assert.Equal(2, newer.DatabaseVersion);
        }

        ReposCatalogChangedException write = await Assert.ThrowsAsync<ReposCatalogChangedException>(
            async () => await older.OnboardingProgresses.UpsertAsync(user with { CurrentStep = 1 }));
        Assert.Contains("database was migrated from version 1 to version 2", write.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task App_WhoseFieldAnotherAppWidened_IsRefusedWrites()
    {
        await using NotesDb older = await NotesDb.OpenAsync(DbPath);
        await older.Notes.InsertAsync(NewNote(1));

        await using (RenamedNotesDb wider = await RenamedNotesDb.OpenAsync(DbPath, RenamedNoteDefinition.WithLongMood))
        {
            Assert.Equal(1, await wider.Notes.CountAsync());
        }

        ReposCatalogChangedException write = await Assert.ThrowsAsync<ReposCatalogChangedException>(async () => await older.Notes.InsertAsync(NewNote(2)));
        Assert.Contains("Mood is now stored as long", write.Message, StringComparison.Ordinal);
    }
}

// The Note model at schema version 1 as a newer app has it: Text renamed Body ([FormerName("Text")]), Tags no
// longer known, and, for WithLongMood, Mood widened to long.
internal sealed class RenamedNoteDefinition : EntityDefinition<NoteV3, Guid>
{
    public static readonly RenamedNoteDefinition Instance = new("int");

    public static readonly RenamedNoteDefinition WithLongMood = new("long");

    private RenamedNoteDefinition(string moodType)
        : base("Note", "Note", 1, "Id", ColumnKind.Blob, MakeShape(moodType), [], NoteDefinition.DefaultColumns, NoteDefinition.DefaultIndexes)
    {
    }

    private static TypeShape MakeShape(string moodType) => new(
        "Repos.Tests.Storage.Note",
        new FieldDefinition("Id", "System.Guid"),
        new FieldDefinition("UserId", "string") { IsRequired = true },
        new FieldDefinition("Date", "System.DateOnly"),
        new FieldDefinition("Mood", moodType),
        new FieldDefinition("Body", "string", "Text") { IsNullableReference = true });

    public override Guid GetKey(NoteV3 entity) => entity.Id;

    public override ColumnValue GetKeyColumn(Guid key) => ColumnValue.From(key);

    public override void GetIndexColumns(NoteV3 entity, Span<ColumnValue> values)
    {
        values[0] = ColumnValue.From(entity.UserId);
        values[1] = ColumnValue.From(entity.Date);
        values[2] = ColumnValue.From((long)entity.Mood);
    }

    public override void Write(ref Repos.Serialization.MessagePackWriter writer, NoteV3 entity, SerializationContext context) =>
        NoteV3Definition.WriteNote(ref writer, entity, context.GetFieldMap(Shape));

    public override NoteV3 Read(ref Repos.Serialization.MessagePackReader reader, SerializationContext context) =>
        NoteV3Definition.ReadNote(ref reader, context.GetFieldMap(Shape));
}

internal sealed class RenamedNotesDb : ReposDatabase
{
    private RenamedNotesDb()
    {
    }

    public Repository<NoteV3, Guid> Notes { get; private set; } = null!;

    public static async ValueTask<RenamedNotesDb> OpenAsync(string path, RenamedNoteDefinition definition)
    {
        var database = new RenamedNotesDb();
        try
        {
            await database.OpenCoreAsync(path, null, [definition], CancellationToken.None);
        }
        catch
        {
            database.Dispose();
            throw;
        }

        database.Notes = new RenamedNoteRepository(database, definition);
        return database;
    }

    private sealed class RenamedNoteRepository(ReposDatabase database, RenamedNoteDefinition definition) : Repository<NoteV3, Guid>(database, definition);
}
