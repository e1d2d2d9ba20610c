using Repos.Internal;
using Repos.Querying;
using Repos.Storage.Sqlite;

namespace Repos.Tests.Generated;

public sealed class QueryTests : IAsyncLifetime, IDisposable
{
    private static readonly string[] s_users = ["ann", "anna", "annabel", "bob", "émile", "日本", "zed", "\U0001F600smile"];
    private readonly TempDirectory _folder = new();
    private JournalDb _db = null!;

    public async Task InitializeAsync()
    {
        _db = await JournalDb.OpenAsync(_folder.File("journal.db"));
        var entries = new List<JournalEntry>();
        foreach (string user in s_users)
        {
            for (int day = 0; day < 30; day++)
            {
                entries.Add(new JournalEntry
                {
                    Id = Guid.NewGuid(),
                    UserId = user,
                    Date = new DateOnly(2026, 1, 1).AddDays(day),
                    Score = 1 + (day % 10),
                    Mood = (Mood)(1 + (day % 3)),
                    WrittenAt = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddHours(day * 7),
                });
            }
        }

        await _db.JournalEntries.InsertManyAsync(entries);
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData("ann", new[] { "ann", "anna", "annabel" })]
    [InlineData("anna", new[] { "anna", "annabel" })]
    [InlineData("b", new[] { "bob" })]
    [InlineData("é", new[] { "émile" })]
    [InlineData("日", new[] { "日本" })]
    [InlineData("\U0001F600", new[] { "\U0001F600smile" })]
    [InlineData("x", new string[0])]
    public async Task StartsWith_UsesOrdinalPrefixes_IncludingMultiByteCharacters(string prefix, string[] users)
    {
        List<JournalEntry> found = await _db.JournalEntries.ByUserIdAndDate().StartsWith(prefix).ToListAsync();

        Assert.Equal(users, found.Select(e => e.UserId).Distinct());
        Assert.Equal(users.Length * 30, found.Count);
    }

    [Fact]
    public async Task StartsWith_EmptyPrefix_ReturnsEverything()
    {
        Assert.Equal(s_users.Length * 30, await _db.JournalEntries.ByUserIdAndDate().StartsWith("").CountAsync());
    }

    [Fact]
    public async Task RangeOperators_IncludeAndExcludeTheirBounds()
    {
        IndexQuery<JournalEntry, Guid, DateOnly> bob = _db.JournalEntries.ByUserIdAndDate("bob");
        var day10 = new DateOnly(2026, 1, 11);

        Assert.Equal(19, await bob.GreaterThan(day10).CountAsync());
        Assert.Equal(20, await bob.GreaterThanOrEqual(day10).CountAsync());
        Assert.Equal(10, await bob.LessThan(day10).CountAsync());
        Assert.Equal(11, await bob.LessThanOrEqual(day10).CountAsync());
        Assert.Equal(5, await bob.GreaterThan(day10).LessThanOrEqual(day10.AddDays(5)).CountAsync());
        Assert.Equal(0, await bob.Between(day10, day10.AddDays(-1)).CountAsync());
    }

    [Fact]
    public async Task DescendingSkipTake_PageThroughInReverse()
    {
        List<JournalEntry> page = await _db.JournalEntries.ByUserIdAndDate("zed").Descending().Skip(5).Take(3).ToListAsync();

        Assert.Equal([24, 23, 22], page.Select(e => e.Date.Day - 1));
        Assert.Equal(3, await _db.JournalEntries.ByUserIdAndDate("zed").Descending().Skip(5).Take(3).CountAsync());
        Assert.Equal(25, await _db.JournalEntries.ByUserIdAndDate("zed").Skip(5).CountAsync());
    }

    [Fact]
    public async Task After_PagesDescendingAndOverDuplicateValuesWithoutLossOrRepeats()
    {
        // Mood has three values over 240 rows: keyset paging must break ties by key.
        var seen = new List<Guid>();
        IndexQuery<JournalEntry, Guid, Mood> byMood = _db.JournalEntries.ByMood();
        List<JournalEntry> page = await byMood.Descending().Take(17).ToListAsync();
        while (page.Count > 0)
        {
            seen.AddRange(page.Select(e => e.Id));
            page = await byMood.Descending().After(page[^1].Id).Take(17).ToListAsync();
        }

        Assert.Equal(s_users.Length * 30, seen.Count);
        Assert.Equal(seen.Count, seen.Distinct().Count());
    }

    [Fact]
    public async Task Streaming_EnumeratesLazilyAndMatchesToList()
    {
        var streamed = new List<Guid>();
        await foreach (JournalEntry entry in _db.JournalEntries.ByWrittenAt().GreaterThan(new DateTime(2026, 1, 5, 0, 0, 0, DateTimeKind.Utc)))
        {
            streamed.Add(entry.Id);
        }

        List<JournalEntry> listed = await _db.JournalEntries.ByWrittenAt().GreaterThan(new DateTime(2026, 1, 5, 0, 0, 0, DateTimeKind.Utc)).ToListAsync();
        Assert.Equal(listed.Select(e => e.Id), streamed);
        Assert.True(streamed.Count > 100);
    }

    [Fact]
    public async Task EqualityOnWholeIndex_AndFirstOrDefault()
    {
        JournalEntry? one = await _db.JournalEntries.ByUserIdAndDate("anna", new DateOnly(2026, 1, 3)).FirstOrDefaultAsync();
        JournalEntry? none = await _db.JournalEntries.GetByUserIdAndDateAsync("anna", new DateOnly(2027, 1, 3));

        Assert.Equal("anna", one!.UserId);
        Assert.Equal(new DateOnly(2026, 1, 3), one.Date);
        Assert.Null(none);
        Assert.Equal(80, await _db.JournalEntries.ByMood(Mood.Bad).CountAsync());
    }

    [Fact]
    public async Task FilterInMemory_SkipAndTakeCountFilteredEntities()
    {
        FilteredQuery<JournalEntry, Guid> high = _db.JournalEntries.ByUserIdAndDate("ann").FilterInMemory(e => e.Score >= 9);

        Assert.Equal(6, await high.CountAsync());
        Assert.Equal([9, 10], (await high.Take(2).ToListAsync()).Select(e => e.Score));
        Assert.Equal([9, 10, 9, 10], (await high.Skip(2).ToListAsync()).Select(e => e.Score));
        Assert.Equal(10, (await high.FilterInMemory(e => e.Score == 10).FirstOrDefaultAsync())!.Score);
    }

    [Theory]
    [InlineData("Mood", 0, false, false)]
    [InlineData("Mood", 1, false, false)]
    [InlineData("Mood", 0, true, true)]
    [InlineData("WrittenAt", 0, true, false)]
    [InlineData("UserId_Date", 1, true, false)]
    [InlineData("UserId_Date", 1, false, true)]
    [InlineData("UserId_Date", 2, false, false)]
    public void IndexQueries_ReadRowsInIndexOrder_WithoutSorting(string indexName, int prefix, bool bounded, bool descending)
    {
        JournalEntryRepository repository = _db.JournalEntries;
        IndexDefinition index = repository.Definition.Indexes.Single(i => i.Name == indexName);
        ColumnValue[] values = index.Columns.Take(prefix).Select(c => c == "UserId" ? ColumnValue.From("ann") : ColumnValue.From(1L)).ToArray();
        var state = QueryState<JournalEntry, Guid>.Create(repository, index, values) with
        {
            Lower = bounded ? Bound.Including(ColumnValue.From(0L)) : default,
            Descending = descending,
        };
        (string sql, ColumnValue[] parameters) = state.Build("SELECT key, _blob", paged: true, [], default);

        using SqliteConnection connection = SqliteConnection.Open(_db.Path, readOnly: true, create: false);
        using SqliteStatement plan = connection.PrepareOnce("EXPLAIN QUERY PLAN " + sql);
        for (int i = 0; i < parameters.Length; i++)
        {
            parameters[i].Bind(plan, i + 1);
        }

        var steps = new List<string>();
        while (plan.Step())
        {
            steps.Add(plan.ColumnText(3));
        }

        Assert.DoesNotContain(steps, step => step.Contains("TEMP B-TREE", StringComparison.Ordinal));
        Assert.Contains(steps, step => step.Contains($"JournalEntry_{indexName}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task After_UnknownKey_SaysTheRowIsGone()
    {
        var e = await Assert.ThrowsAsync<InvalidOperationException>(
            () => _db.JournalEntries.ByUserIdAndDate("ann").After(Guid.NewGuid()).ToListAsync().AsTask());
        Assert.Contains("names no stored JournalEntry", e.Message, StringComparison.Ordinal);
    }
}
