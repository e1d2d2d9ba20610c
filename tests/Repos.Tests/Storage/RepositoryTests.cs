namespace Repos.Tests.Storage;

public sealed class RepositoryTests : IDisposable
{
    private readonly TempDirectory _folder = new();

    private string DbPath => _folder.File("notes.db");

    public void Dispose() => _folder.Dispose();

    private static Note NewNote(string user = "u1", int day = 1, int mood = 5, string? text = "fine") => new()
    {
        Id = Guid.NewGuid(),
        UserId = user,
        Date = new DateOnly(2026, 1, 1).AddDays(day),
        Mood = mood,
        Text = text,
        Tags = [new Tag("sleep", 2), new Tag("walk", 1)],
    };

    [Fact]
    public async Task Insert_ThenGet_ReturnsEqualEntity()
    {
        await using NotesDb db = await NotesDb.OpenAsync(DbPath);
        Note note = NewNote();

        await db.Notes.InsertAsync(note);
        Note? read = await db.Notes.GetAsync(note.Id);

        Assert.NotNull(read);
        Assert.Equal(note with { Tags = [] }, read with { Tags = [] });
        Assert.Equal(note.Tags, read.Tags);
        Assert.Null(await db.Notes.GetAsync(Guid.NewGuid()));
    }

    [Fact]
    public async Task Insert_WithDuplicateKey_ThrowsDuplicateKeyExceptionAndKeepsTheFirst()
    {
        await using NotesDb db = await NotesDb.OpenAsync(DbPath);
        Note note = NewNote();
        await db.Notes.InsertAsync(note);

        var e = await Assert.ThrowsAsync<DuplicateKeyException>(() => db.Notes.InsertAsync(note with { UserId = "u2", Text = "second" }).AsTask());

        Assert.Equal("Note", e.EntityName);
        Assert.Contains(note.Id.ToString(), e.Message, StringComparison.Ordinal);
        Assert.Equal("fine", (await db.Notes.GetAsync(note.Id))!.Text);
    }

    [Fact]
    public async Task Insert_WithSameUniqueIndexValues_ThrowsUniqueIndexViolationNamingTheIndex()
    {
        await using NotesDb db = await NotesDb.OpenAsync(DbPath);
        await db.Notes.InsertAsync(NewNote(day: 3));
        Note clash = NewNote(day: 3);

        var e = await Assert.ThrowsAsync<UniqueIndexViolationException>(() => db.Notes.InsertAsync(clash).AsTask());

        Assert.Equal("UserId_Date", e.IndexName);
        Assert.Equal(["UserId", "Date"], e.Properties);
        Assert.Equal(1, await db.Notes.CountAsync());
    }

    [Fact]
    public async Task Update_OfMissingRow_ThrowsEntityNotFound()
    {
        await using NotesDb db = await NotesDb.OpenAsync(DbPath);
        Note note = NewNote();

        var e = await Assert.ThrowsAsync<EntityNotFoundException>(() => db.Notes.UpdateAsync(note).AsTask());

        Assert.Equal("Note", e.EntityName);
        Assert.Equal(0, await db.Notes.CountAsync());
    }

    [Fact]
    public async Task Upsert_InsertsThenReplaces()
    {
        await using NotesDb db = await NotesDb.OpenAsync(DbPath);
        Note note = NewNote();

        await db.Notes.UpsertAsync(note);
        await db.Notes.UpsertAsync(note with { Mood = 9, Text = "better" });

        Note? read = await db.Notes.GetAsync(note.Id);
        Assert.Equal(9, read!.Mood);
        Assert.Equal("better", read.Text);
        Assert.Equal(1, await db.Notes.CountAsync());
    }

    [Fact]
    public async Task Delete_RemovesTheRowAndReportsWhetherItExisted()
    {
        await using NotesDb db = await NotesDb.OpenAsync(DbPath);
        Note note = NewNote();
        await db.Notes.InsertAsync(note);

        Assert.True(await db.Notes.DeleteAsync(note.Id));
        Assert.False(await db.Notes.DeleteAsync(note.Id));
        Assert.Null(await db.Notes.GetAsync(note.Id));
    }

    [Fact]
    public async Task InsertMany_WithOneInvalidEntity_WritesNothing()
    {
        await using NotesDb db = await NotesDb.OpenAsync(DbPath);
        Note[] notes = [NewNote(day: 1), NewNote(day: 2), NewNote(day: 3, mood: 42), NewNote(day: 4)];

        var e = await Assert.ThrowsAsync<EntityValidationException>(() => db.Notes.InsertManyAsync(notes).AsTask());

        Assert.Equal("Mood", Assert.Single(e.Errors).Property);
        Assert.Equal(0, await db.Notes.CountAsync());
    }

    [Fact]
    public async Task Validation_ListsEveryBrokenRule()
    {
        await using NotesDb db = await NotesDb.OpenAsync(DbPath);
        Note note = NewNote(mood: 0, text: new string('x', 300));

        var e = await Assert.ThrowsAsync<EntityValidationException>(() => db.Notes.InsertAsync(note).AsTask());

        Assert.Equal(["Mood", "Text"], e.Errors.Select(x => x.Property));
        Assert.Equal(["Range", "MaxLength"], e.Errors.Select(x => x.Rule));
        Assert.Equal("0", e.Errors[0].Value);
        Assert.Contains("Mood: must be between 1 and 10", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InsertMany_ThenAll_StreamsEveryEntityInInsertionOrder()
    {
        await using NotesDb db = await NotesDb.OpenAsync(DbPath);
        Note[] notes = Enumerable.Range(0, 500).Select(i => NewNote(day: i, mood: 1 + (i % 10))).ToArray();

        Assert.Equal(500, (await db.Notes.InsertManyAsync(notes)).Count);

        var read = new List<Note>();
        await foreach (Note note in db.Notes.All())
        {
            read.Add(note);
        }

        Assert.Equal(notes.Select(n => n.Id), read.Select(n => n.Id));
        Assert.Equal(500, await db.Notes.CountAsync());
    }

    [Fact]
    public async Task Transaction_Committed_KeepsEveryWrite()
    {
        await using NotesDb db = await NotesDb.OpenAsync(DbPath);
        Note kept = NewNote(day: 1);

        await using (ReposTransaction tx = await db.BeginTransactionAsync())
        {
            await db.Notes.InsertAsync(kept);
            await db.Notes.InsertManyAsync([NewNote(day: 2), NewNote(day: 3)]);
            Assert.Equal(3, await db.Notes.CountAsync());
            await tx.CommitAsync();
        }

        Assert.Equal(3, await db.Notes.CountAsync());
    }

    [Fact]
    public async Task Transaction_DisposedWithoutCommit_RollsBackEveryWrite()
    {
        await using NotesDb db = await NotesDb.OpenAsync(DbPath);
        Note before = NewNote(day: 1);
        await db.Notes.InsertAsync(before);

        await using (ReposTransaction tx = await db.BeginTransactionAsync())
        {
            await db.Notes.InsertAsync(NewNote(day: 2));
            await db.Notes.UpdateAsync(before with { Mood = 10 });
            await db.Notes.DeleteAsync(before.Id);
        }

        Assert.Equal(1, await db.Notes.CountAsync());
        Assert.Equal(5, (await db.Notes.GetAsync(before.Id))!.Mood);
    }

    [Fact]
    public async Task Transaction_FailedBatchInside_LeavesEarlierWritesOfTheTransaction()
    {
        await using NotesDb db = await NotesDb.OpenAsync(DbPath);
        await using ReposTransaction tx = await db.BeginTransactionAsync();
        await db.Notes.InsertAsync(NewNote(day: 1));

        await Assert.ThrowsAsync<UniqueIndexViolationException>(
            () => db.Notes.InsertManyAsync([NewNote(day: 2), NewNote(day: 1)]).AsTask());

        await tx.CommitAsync();
        Assert.Equal(1, await db.Notes.CountAsync());
    }

    [Fact]
    public async Task Transaction_WhileOpen_OtherFlowsWaitForIt()
    {
        await using NotesDb db = await NotesDb.OpenAsync(DbPath);
        Task other;
        await using (ReposTransaction tx = await db.BeginTransactionAsync())
        {
            // A flow that does not descend from the transaction's (SuppressFlow) is another writer.
            using (ExecutionContext.SuppressFlow())
            {
                other = Task.Run(() => db.Notes.InsertAsync(NewNote(day: 9)).AsTask());
            }

            await Task.Delay(100);
            Assert.False(other.IsCompleted);
            await db.Notes.InsertAsync(NewNote(day: 1));
            await tx.CommitAsync();
        }

        await other;
        Assert.Equal(2, await db.Notes.CountAsync());
    }

    [Fact]
    public async Task Transaction_ChildFlowJoinsIt_AndItsWritesRollBackWithIt()
    {
        await using NotesDb db = await NotesDb.OpenAsync(DbPath);
        await using (ReposTransaction tx = await db.BeginTransactionAsync())
        {
            await Task.Run(() => db.Notes.InsertAsync(NewNote(day: 9)).AsTask());
            Assert.Equal(1, await db.Notes.CountAsync());
        }

        Assert.Equal(0, await db.Notes.CountAsync());
    }

    [Fact]
    public async Task Transaction_WritesWhileStreamingInsideIt_Work()
    {
        await using NotesDb db = await NotesDb.OpenAsync(DbPath);
        await db.Notes.InsertManyAsync(Enumerable.Range(0, 10).Select(i => NewNote(day: i)));
        await using ReposTransaction tx = await db.BeginTransactionAsync();

        await foreach (Note note in db.Notes.All())
        {
            await db.Notes.UpdateAsync(note with { Mood = 7 });
        }

        await tx.CommitAsync();
        await foreach (Note note in db.Notes.All())
        {
            Assert.Equal(7, note.Mood);
        }
    }

    [Fact]
    public async Task Reopen_ReturnsExactlyWhatWasWritten()
    {
        Note[] notes = Enumerable.Range(0, 50).Select(i => NewNote(user: $"u{i % 3}", day: i)).ToArray();
        await using (NotesDb db = await NotesDb.OpenAsync(DbPath))
        {
            await db.Notes.InsertManyAsync(notes);
        }

        await using NotesDb reopened = await NotesDb.OpenAsync(DbPath);
        foreach (Note note in notes)
        {
            Note? read = await reopened.Notes.GetAsync(note.Id);
            Assert.NotNull(read);
            Assert.Equal(note.Tags, read.Tags);
            Assert.Equal(note with { Tags = read.Tags }, read);
        }
    }

    [Fact]
    public async Task Dispose_WithATransactionOpen_RollsItBackAndTheTransactionSaysSo()
    {
        NotesDb db = await NotesDb.OpenAsync(DbPath);
        await db.Notes.InsertAsync(NewNote(day: 1));
        ReposTransaction tx = await db.BeginTransactionAsync();
        await db.Notes.InsertAsync(NewNote(day: 2));

        await db.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => tx.CommitAsync().AsTask());
        await tx.DisposeAsync();
        await Assert.ThrowsAsync<ObjectDisposedException>(() => db.Notes.InsertAsync(NewNote(day: 3)).AsTask());
        await using NotesDb reopened = await NotesDb.OpenAsync(DbPath);
        Assert.Equal(1, await reopened.Notes.CountAsync());
    }

    [Fact]
    public async Task Get_OfADamagedRow_NamesEntityAndKey_AndOtherRowsStayReadable()
    {
        Note damaged = NewNote(day: 1, text: new string('x', 150));
        Note intact = NewNote(day: 2);
        await using NotesDb db = await NotesDb.OpenAsync(DbPath);
        await db.Notes.InsertManyAsync([damaged, intact]);
        using (var connection = Repos.Storage.Sqlite.SqliteConnection.Open(DbPath, readOnly: false, create: false))
        {
            // Flip one byte in the middle of the stored blob, as a bad sector or a torn write would.
            using var update = connection.PrepareOnce("UPDATE Note SET _blob = substr(_blob, 1, 20) || x'FF' || substr(_blob, 22) WHERE key = ?1");
            Repos.Internal.ColumnValue.From(damaged.Id).Bind(update, 1);
            update.Execute();
        }

        var e = await Assert.ThrowsAsync<CorruptedRowException>(() => db.Notes.GetAsync(damaged.Id).AsTask());

        Assert.Equal("Note", e.EntityName);
        Assert.Equal(damaged.Id.ToString(), e.Key);
        Assert.Contains(damaged.Id.ToString(), e.Message, StringComparison.Ordinal);
        Assert.IsAssignableFrom<ReposFormatException>(e.InnerException);
        Assert.Equal(intact.Text, (await db.Notes.GetAsync(intact.Id))!.Text);
    }

    [Fact]
    public async Task ReadOnly_ReadsButRefusesWrites()
    {
        Note note = NewNote();
        await using (NotesDb db = await NotesDb.OpenAsync(DbPath))
        {
            await db.Notes.InsertAsync(note);
        }

        await using NotesDb readOnly = await NotesDb.OpenAsync(DbPath, new ReposDatabaseOptions { ReadOnly = true });

        Assert.NotNull(await readOnly.Notes.GetAsync(note.Id));
        await Assert.ThrowsAsync<InvalidOperationException>(() => readOnly.Notes.InsertAsync(NewNote(day: 5)).AsTask());
    }
}
