using Repos.Querying;

namespace Repos.Tests.Querying;

/// <summary>
/// Keyset paging with <c>After(entity)</c>: each page continues after the last entity of the one before, by that
/// entity's index values as read, whatever happened to its row since.
/// </summary>
public sealed class KeysetPagingTests : IDisposable
{
    private const int PageSize = 4;
    private static readonly string[] s_owners = ["o1", "o2", "o3"];
    private readonly TempDirectory _folder = new();

    public void Dispose() => _folder.Dispose();

    /// <summary>One way of querying: the query with and without After, and its order and filter in memory.</summary>
    private sealed record Shape(
        string Name,
        Func<PagingDb, bool, Item?, Task<List<Item>>> Page,
        Func<Item, bool> Matches,
        Func<Item, object?[]> Order);

    private static Task<List<Item>> Run<TRange>(IndexQuery<Item, int, TRange> query, bool descending, Item? after)
    {
        if (descending)
        {
            query = query.Descending();
        }

        return (after is null ? query : query.After(after)).Take(PageSize).ToListAsync().AsTask();
    }

    private static Task<List<Item>> Run(IndexQuery<Item, int> query, bool descending, Item? after)
    {
        if (descending)
        {
            query = query.Descending();
        }

        return (after is null ? query : query.After(after)).Take(PageSize).ToListAsync().AsTask();
    }

    private static readonly Shape[] s_shapes =
    [
        new("unique Slug", (db, d, a) => Run(db.Items.BySlug(), d, a), _ => true, i => [i.Slug]),
        new("nullable Score", (db, d, a) => Run(db.Items.ByScore(), d, a), _ => true, i => [i.Score]),
        new("Score > 2", (db, d, a) => Run(db.Items.ByScore().GreaterThan(2), d, a), i => i.Score > 2, i => [i.Score]),
        new("Score = 3", (db, d, a) => Run(db.Items.ByScore(3), d, a), i => i.Score == 3, _ => []),
        new("Owner, Rank", (db, d, a) => Run(db.Items.ByOwnerAndRank(), d, a), _ => true, i => [i.Owner, i.Rank]),
        new("Owner = o1, Rank", (db, d, a) => Run(db.Items.ByOwnerAndRank("o1"), d, a), i => i.Owner == "o1", i => [i.Rank]),
        new("unique Owner, Code", (db, d, a) => Run(db.Items.ByOwnerAndCode(), d, a), _ => true, i => [i.Owner, i.Code]),
        new("unique Owner = o2, Code", (db, d, a) => Run(db.Items.ByOwnerAndCode("o2"), d, a), i => i.Owner == "o2", i => [i.Code]),
    ];

    public static TheoryData<string, bool, int> Cases()
    {
        var cases = new TheoryData<string, bool, int>();
        foreach (Shape shape in s_shapes)
        {
            cases.Add(shape.Name, false, 11);
            cases.Add(shape.Name, true, 12);
        }

        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task After_WithDeletesAndUpdatesBetweenPages_ContinuesAfterTheBoundaryAsItWasRead(string shapeName, bool descending, int defaultSeed)
    {
        int seed = FuzzSeed.Get(defaultSeed);
        Shape shape = s_shapes.Single(s => s.Name == shapeName);
        var random = new Random(seed);
        await using PagingDb db = await PagingDb.OpenAsync(_folder.File("paging.db"));
        var stored = new Dictionary<int, Item>();
        int generation = 0;
        int nextId = 1;

        Item NewValues(Item item) => item with
        {
            Owner = random.Next(5) == 0 ? s_owners[random.Next(s_owners.Length)] : item.Owner,
            Rank = random.Next(6),
            Score = random.Next(4) == 0 ? null : random.Next(6),
            Slug = $"s{random.Next(30):D2}-{item.Id}-{++generation}",
            Code = $"c{random.Next(30):D2}-{item.Id}-{++generation}",
        };

        for (int i = 0; i < 60; i++)
        {
            Item item = NewValues(new Item { Id = nextId++, Owner = s_owners[random.Next(s_owners.Length)] });
            stored[item.Id] = await db.Items.InsertAsync(item);
        }

        Item? boundary = null;
        int pages = 0;
        int boundaryDeleted = 0;
        int boundaryChanged = 0;
        while (true)
        {
            List<Item> page = await shape.Page(db, descending, boundary);
            List<Item> expected = Expected(shape, stored.Values, descending, boundary);
            Assert.True(
                expected.SequenceEqual(page),
                $"seed {seed}, {shape.Name}{(descending ? " descending" : "")}, page {pages}: expected [{string.Join(", ", expected.Select(i => i.Id))}], got [{string.Join(", ", page.Select(i => i.Id))}]");
            if (page.Count == 0)
            {
                break;
            }

            pages++;
            boundary = page[^1];

            // Between pages: the boundary row deleted or changed, other rows deleted, changed or added.
            switch (random.Next(4))
            {
                case 0:
                    await db.Items.DeleteAsync(boundary.Id);
                    stored.Remove(boundary.Id);
                    boundaryDeleted++;
                    break;
                case 1:
                    stored[boundary.Id] = await db.Items.UpdateAsync(NewValues(boundary));
                    boundaryChanged++;
                    break;
            }

            for (int n = random.Next(3); n > 0 && stored.Count > 0; n--)
            {
                Item other = stored.Values.ElementAt(random.Next(stored.Count));
                if (random.Next(2) == 0)
                {
                    await db.Items.DeleteAsync(other.Id);
                    stored.Remove(other.Id);
                }
                else
                {
                    stored[other.Id] = await db.Items.UpdateAsync(NewValues(other));
                }
            }

            if (random.Next(3) == 0)
            {
                Item added = NewValues(new Item { Id = nextId++, Owner = s_owners[random.Next(s_owners.Length)] });
                stored[added.Id] = await db.Items.InsertAsync(added);
            }

            Assert.True(pages < 200, $"seed {seed}: paging does not end");
        }

        Assert.True(pages > 1, $"seed {seed}: one page only; the test proves nothing");
        Assert.True(boundaryDeleted + boundaryChanged > 0, $"seed {seed}: the boundary never changed");
    }

    [Fact]
    public async Task After_TheDeletedLastEntity_ReadsTheNextPage_WhereAfterItsKeyThrows()
    {
        await using PagingDb db = await PagingDb.OpenAsync(_folder.File("paging.db"));
        for (int i = 1; i <= 6; i++)
        {
            await db.Items.InsertAsync(new Item { Id = i, Owner = "o1", Rank = i % 2, Slug = $"s{i}", Code = $"c{i}" });
        }

        List<Item> first = await db.Items.ByOwnerAndRank("o1").Take(3).ToListAsync();
        await db.Items.DeleteAsync(first[^1].Id);

        List<Item> next = await db.Items.ByOwnerAndRank("o1").After(first[^1]).Take(3).ToListAsync();
        var e = await Assert.ThrowsAsync<InvalidOperationException>(
            () => db.Items.ByOwnerAndRank("o1").After(first[^1].Id).Take(3).ToListAsync().AsTask());

        Assert.Equal([2, 4, 6], first.Select(i => i.Id));
        Assert.Equal([1, 3, 5], next.Select(i => i.Id));
        Assert.Contains("After(entity)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task After_ABoundaryWithANullIndexValue_ContinuesInBothDirections()
    {
        await using PagingDb db = await PagingDb.OpenAsync(_folder.File("paging.db"));
        int?[] scores = [null, null, 1, 2, null, 3];
        for (int i = 0; i < scores.Length; i++)
        {
            await db.Items.InsertAsync(new Item { Id = i + 1, Owner = "o1", Score = scores[i], Slug = $"s{i}", Code = $"c{i}" });
        }

        Item firstNull = (await db.Items.GetAsync(1))!;
        Item lastNull = (await db.Items.GetAsync(5))!;

        Assert.Equal([2, 5, 3, 4, 6], (await db.Items.ByScore().After(firstNull).ToListAsync()).Select(i => i.Id));
        Assert.Equal([2, 1], (await db.Items.ByScore().Descending().After(lastNull).ToListAsync()).Select(i => i.Id));
        Assert.Equal([5, 2, 1], (await db.Items.ByScore().Descending().After((await db.Items.GetAsync(3))!).ToListAsync()).Select(i => i.Id));
    }

    private static List<Item> Expected(Shape shape, IEnumerable<Item> stored, bool descending, Item? boundary)
    {
        int sign = descending ? -1 : 1;
        object?[]? after = boundary is null ? null : [.. shape.Order(boundary), boundary.Id];
        return stored
            .Where(shape.Matches)
            .Select(i => (Item: i, Key: (object?[])[.. shape.Order(i), i.Id]))
            .Where(x => after is null || sign * Compare(x.Key, after) > 0)
            .Order(Comparer<(Item Item, object?[] Key)>.Create((x, y) => sign * Compare(x.Key, y.Key)))
            .Take(PageSize)
            .Select(x => x.Item)
            .ToList();
    }

    /// <summary>SQLite's order: NULL first, then numbers, then text by its bytes (ordinal for these ASCII strings).</summary>
    private static int Compare(object?[] x, object?[] y)
    {
        for (int i = 0; i < x.Length; i++)
        {
            int c = (x[i], y[i]) switch
            {
                (null, null) => 0,
                (null, _) => -1,
                (_, null) => 1,
                (string a, string b) => string.CompareOrdinal(a, b),
                (int a, int b) => a.CompareTo(b),
                _ => throw new InvalidOperationException("unexpected order values"),
            };
            if (c != 0)
            {
                return c;
            }
        }

        return 0;
    }
}
