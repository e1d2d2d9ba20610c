using Repos.Querying;

namespace Repos.Tests.Generated;

public sealed class GeneratedModelTests : IDisposable
{
    private readonly TempDirectory _folder = new();

    public void Dispose() => _folder.Dispose();

    private Task<JournalDb> OpenAsync() => JournalDb.OpenAsync(_folder.File("journal.db")).AsTask();

    private static JournalEntry Entry(string user, int day, int score = 5, Mood mood = Mood.Okay) => new()
    {
        Id = Guid.NewGuid(),
        UserId = user,
        Date = new DateOnly(2026, 1, 1).AddDays(day),
        Score = score,
        Mood = mood,
        Text = $"day {day}",
        Activities = [new Activity("walk", 30 + day), new Activity("read", 15)],
        Counters = new Dictionary<string, int> { ["coffee"] = day % 3, ["water"] = 8 },
        WrittenAt = new DateTime(2026, 1, 1, 21, 0, 0, DateTimeKind.Utc).AddDays(day),
    };

    private static void AssertSame(JournalEntry expected, JournalEntry? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected.Id, actual.Id);
        Assert.Equal(expected.UserId, actual.UserId);
        Assert.Equal(expected.Date, actual.Date);
        Assert.Equal(expected.Score, actual.Score);
        Assert.Equal(expected.Mood, actual.Mood);
        Assert.Equal(expected.Text, actual.Text);
        Assert.Equal(expected.Activities, actual.Activities);
        Assert.Equal(expected.Counters, actual.Counters);
        Assert.Equal(expected.WrittenAt, actual.WrittenAt);
        Assert.Equal(expected.WrittenAt.Kind, actual.WrittenAt.Kind);
    }

    [Fact]
    public async Task GeneratedRepository_RoundTripsEntities()
    {
        await using JournalDb db = await OpenAsync();
        JournalEntry entry = Entry("ann", 1);
        var person = new Person { Id = 7, Email = "ann@example.com", Tags = ["a", "b"], Balance = 12.50m };

        await db.JournalEntries.InsertAsync(entry);
        await db.People.InsertAsync(person);

        AssertSame(entry, await db.JournalEntries.GetAsync(entry.Id));
        Person? read = await db.People.GetAsync(7);
        Assert.Equal("ann@example.com", read!.Email);
        Assert.Equal(["a", "b"], read.Tags);
        Assert.Equal(12.50m, read.Balance);
        Assert.Equal("12.50", read.Balance!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task GeneratedQueries_UseTheCompoundIndex()
    {
        await using JournalDb db = await OpenAsync();
        JournalEntry[] entries = [.. Enumerable.Range(0, 60).Select(d => Entry("ann", d)), .. Enumerable.Range(0, 60).Select(d => Entry("bob", d))];
        await db.JournalEntries.InsertManyAsync(entries);
        var from = new DateOnly(2026, 1, 11);
        var to = new DateOnly(2026, 1, 20);

        List<JournalEntry> range = await db.JournalEntries.ByUserIdAndDate("ann").Between(from, to).ToListAsync();
        List<JournalEntry> latest = await db.JournalEntries.ByUserIdAndDate("bob").Descending().Take(3).ToListAsync();
        JournalEntry? one = await db.JournalEntries.GetByUserIdAndDateAsync("bob", from);
        long count = await db.JournalEntries.ByUserIdAndDate("ann").GreaterThanOrEqual(from).CountAsync();

        Assert.Equal(Enumerable.Range(10, 10).Select(d => new DateOnly(2026, 1, 1).AddDays(d)), range.Select(e => e.Date));
        Assert.All(range, e => Assert.Equal("ann", e.UserId));
        Assert.Equal([59, 58, 57], latest.Select(e => e.Date.DayNumber - new DateOnly(2026, 1, 1).DayNumber));
        Assert.Equal(from, one!.Date);
        Assert.Equal("bob", one.UserId);
        Assert.Equal(50, count);
    }

    [Fact]
    public async Task GeneratedQueries_RangeOnUniqueIndex_ComeInIndexOrderBothWaysAndPageWithAfter()
    {
        // Inserted in shuffled day order, so neither rowid nor key order is date order: only the index is.
        await using JournalDb db = await OpenAsync();
        int[] days = [.. Enumerable.Range(0, 40).OrderBy(d => (d * 17) % 40)];
        await db.JournalEntries.InsertManyAsync([.. days.Select(d => Entry("ann", d)), .. days.Select(d => Entry("bob", d))]);
        var from = new DateOnly(2026, 1, 6);
        var to = new DateOnly(2026, 1, 6).AddDays(29);
        IndexQuery<JournalEntry, Guid, DateOnly> query = db.JournalEntries.ByUserIdAndDate("ann").Between(from, to);

        List<JournalEntry> ascending = await query.ToListAsync();
        List<JournalEntry> descending = await query.Descending().ToListAsync();
        var paged = new List<JournalEntry>();
        List<JournalEntry> page = await query.Descending().Take(7).ToListAsync();
        while (page.Count > 0)
        {
            paged.AddRange(page);
            page = await query.Descending().After(page[^1].Id).Take(7).ToListAsync();
        }

        IEnumerable<int> expected = Enumerable.Range(5, 30);
        int first = new DateOnly(2026, 1, 1).DayNumber;
        Assert.Equal(expected, ascending.Select(e => e.Date.DayNumber - first));
        Assert.Equal(expected.Reverse(), descending.Select(e => e.Date.DayNumber - first));
        Assert.Equal(expected.Reverse(), paged.Select(e => e.Date.DayNumber - first));
        Assert.All(paged, e => Assert.Equal("ann", e.UserId));
    }

    [Fact]
    public async Task GeneratedQueries_PageWithAfterAndFilterInMemory()
    {
        await using JournalDb db = await OpenAsync();
        await db.JournalEntries.InsertManyAsync(Enumerable.Range(0, 25).Select(d => Entry("ann", d, score: 1 + (d % 10))));

        var pages = new List<List<JournalEntry>>();
        IndexQuery<JournalEntry, Guid, DateOnly> query = db.JournalEntries.ByUserIdAndDate("ann");
        List<JournalEntry> page = await query.Take(10).ToListAsync();
        while (page.Count > 0)
        {
            pages.Add(page);
            page = await query.After(page[^1].Id).Take(10).ToListAsync();
        }

        List<JournalEntry> high = await query.FilterInMemory(e => e.Score >= 9).ToListAsync();

        Assert.Equal([10, 10, 5], pages.Select(p => p.Count));
        Assert.Equal(25, pages.SelectMany(p => p).Select(e => e.Date).Distinct().Count());
        Assert.All(high, e => Assert.True(e.Score >= 9));
        Assert.Equal(4, high.Count);
    }

    [Fact]
    public async Task GeneratedValidation_ListsAttributeAndHookRules()
    {
        await using JournalDb db = await OpenAsync();
        JournalEntry bad = Entry("ann", 1, score: 11) with
        {
            Text = "forbidden " + new string('x', 300),
            Activities = [new Activity("walk", 2000)],
        };

        var e = await Assert.ThrowsAsync<EntityValidationException>(() => db.JournalEntries.InsertAsync(bad).AsTask());

        Assert.Equal(
            ["Score:Range", "Text:MaxLength", "Activities[0].Minutes:Range", "Text:NoForbiddenWords"],
            e.Errors.Select(x => $"{x.Property}:{x.Rule}"));
        Assert.Equal(0, await db.JournalEntries.CountAsync());
    }

    [Fact]
    public async Task GeneratedUniqueIndex_OnSingleProperty_IsEnforcedAndQueryable()
    {
        await using JournalDb db = await OpenAsync();
        await db.People.InsertAsync(new Person { Id = 1, Email = "a@x.org" });

        var e = await Assert.ThrowsAsync<UniqueIndexViolationException>(
            () => db.People.InsertAsync(new Person { Id = 2, Email = "a@x.org" }).AsTask());

        Assert.Equal("Email", e.IndexName);
        Assert.Equal(1, (await db.People.GetByEmailAsync("a@x.org"))!.Id);
        await Assert.ThrowsAsync<EntityValidationException>(() => db.People.InsertAsync(new Person { Id = 3, Email = "not-an-address" }).AsTask());
    }
}
