using Repos.Internal;
using Repos.Tests.Storage;

namespace Repos.Tests.Integrity;

public sealed class CorruptedRowTests : IDisposable
{
    private readonly TempDirectory _folder = new();
    // The two notes damaged below are the only ones with mood 10.
    private readonly List<Note> _notes = Enumerable.Range(0, 30).Select(i => VerifyTests.NewNote(i) with { Mood = i is 10 or 20 ? 10 : 1 + (i % 9) }).ToList();

    private string DbPath => _folder.File("notes.db");

    public void Dispose() => _folder.Dispose();

    /// <summary>Writes the notes and damages the blobs of the 10th and 20th (in insertion order).</summary>
    private async Task<(Note First, Note Second)> WriteWithTwoDamagedRowsAsync()
    {
        await using (NotesDb db = await NotesDb.OpenAsync(DbPath))
        {
            await db.Notes.InsertManyAsync(_notes);
        }

        StoredFile.DamageBlob(DbPath, "Note", _notes[10].Id);
        StoredFile.DamageBlob(DbPath, "Note", _notes[20].Id);
        return (_notes[10], _notes[20]);
    }

    [Fact]
    public async Task Reads_OfADamagedRowThrowNamingIt_AndEveryOtherRowStaysReadable()
    {
        (Note first, Note second) = await WriteWithTwoDamagedRowsAsync();
        await using NotesDb db = await NotesDb.OpenAsync(DbPath);
        // By key: the damaged rows name themselves, the others read back.
        foreach (Note note in _notes)
        {
            if (note == first || note == second)
            {
                CorruptedRowException e = await Assert.ThrowsAsync<CorruptedRowException>(() => db.Notes.GetAsync(note.Id).AsTask());
                Assert.Equal(("Note", note.Id.ToString()), (e.EntityName, e.Key));
            }
            else
            {
                Assert.Equal(note.Text, (await db.Notes.GetAsync(note.Id))!.Text);
            }
        }

        // An index query that reaches a damaged row throws at it; one that does not reach it reads normally.
        var moods = db.Notes.ByIndex<long>("Mood", ColumnValue.From);
        CorruptedRowException inQuery = await Assert.ThrowsAsync<CorruptedRowException>(() => moods.Between(1, 10).ToListAsync().AsTask());
        Assert.Contains(inQuery.Key, new[] { first.Id.ToString(), second.Id.ToString() });
        List<Note> otherMoods = await moods.Between(1, 9).ToListAsync();
        Assert.Equal(28, otherMoods.Count);

        // Streaming: the damaged row throws when it is reached; the enumerator goes on after it.
        var streamed = new List<Guid>();
        var damaged = new List<string>();
        await using (IAsyncEnumerator<Note> all = db.Notes.All().GetAsyncEnumerator())
        {
            while (true)
            {
                try
                {
                    if (!await all.MoveNextAsync())
                    {
                        break;
                    }

                    streamed.Add(all.Current.Id);
                }
                catch (CorruptedRowException e)
                {
                    damaged.Add(e.Key);
                }
            }
        }

        Assert.Equal(_notes.Select(n => n.Id).Where(id => id != first.Id && id != second.Id).Order(), streamed.Order());
        Assert.Equal(new[] { first.Id.ToString(), second.Id.ToString() }.Order(), damaged.Order());

        // await foreach stops at the first damaged row, after the rows before it.
        var before = new List<Note>();
        await Assert.ThrowsAsync<CorruptedRowException>(async () =>
        {
            await foreach (Note note in db.Notes.All())
            {
                before.Add(note);
            }
        });
        Assert.Equal(10, before.Count);
    }

    [Fact]
    public async Task Reads_WithAnOnCorruptedRowHandler_SkipDamagedRowsAndReportThem_ButSingleReadsStillThrow()
    {
        (Note first, Note second) = await WriteWithTwoDamagedRowsAsync();
        var reported = new List<string>();
        await using NotesDb db = await NotesDb.OpenAsync(DbPath, new ReposDatabaseOptions { OnCorruptedRow = e => reported.Add(e.Key) });

        List<Note> all = [];
        await foreach (Note note in db.Notes.All())
        {
            all.Add(note);
        }

        List<Note> listed = await db.Notes.ByIndex<long>("Mood", ColumnValue.From).Between(1, 10).ToListAsync();

        Assert.Equal(28, all.Count);
        Assert.Equal(28, listed.Count);
        Assert.DoesNotContain(all, n => n.Id == first.Id || n.Id == second.Id);
        Assert.Equal(new[] { first.Id.ToString(), second.Id.ToString(), first.Id.ToString(), second.Id.ToString() }.Order(), reported.Order());
        await Assert.ThrowsAsync<CorruptedRowException>(() => db.Notes.GetAsync(first.Id).AsTask());
        await Assert.ThrowsAsync<CorruptedRowException>(
            () => db.Notes.ByIndex<long>("Mood", ColumnValue.From).Between(10, 10).FirstOrDefaultAsync().AsTask());
    }
}
