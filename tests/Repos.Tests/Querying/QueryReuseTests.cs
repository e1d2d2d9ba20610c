namespace Repos.Tests.Querying;

/// <summary>
/// What a query costs beyond its rows: the SQL of a query shape is built once per repository, whatever its
/// values, and an enumeration's statement is kept for the next enumeration of the same SQL.
/// </summary>
public sealed class QueryReuseTests : IDisposable
{
    private readonly TempDirectory _folder = new();

    public void Dispose() => _folder.Dispose();

    private async Task<PagingDb> Open()
    {
        PagingDb db = await PagingDb.OpenAsync(_folder.File("reuse.db"));
        for (int i = 0; i < 30; i++)
        {
            await db.Items.InsertAsync(new Item { Id = i, Owner = $"o{i % 3}", Rank = i, Code = $"c{i}", Score = i % 4 == 0 ? null : i % 5, Slug = $"s{i}" });
        }

        return db;
    }

    [Fact]
    public async Task SameShape_OtherValues_OneSqlText_AndTheRightRows()
    {
        await using PagingDb db = await Open();
        for (int owner = 0; owner < 3; owner++)
        {
            for (int from = 0; from < 30; from += 7)
            {
                List<Item> items = await db.Items.ByOwnerAndRank($"o{owner}").GreaterThanOrEqual(from).ToListAsync();
                Assert.Equal(
                    Enumerable.Range(0, 30).Where(i => i % 3 == owner && i >= from).ToList(),
                    items.Select(i => i.Id).ToList());
            }
        }

        Assert.Single(db.Items.QuerySql);

        // Another shape: a bound on both ends, and paging.
        List<Item> page = await db.Items.ByOwnerAndRank("o1").Between(3, 20).Skip(1).Take(2).ToListAsync();
        Assert.Equal([7, 10], page.Select(i => i.Id).ToList());
        Assert.Equal(2, db.Items.QuerySql.Count);
        Assert.Equal(2L, await db.Items.ByOwnerAndRank("o1").Between(3, 20).Skip(1).Take(2).CountAsync());
        Assert.Equal(6L, await db.Items.ByOwnerAndRank("o1").Between(3, 20).CountAsync());
        Assert.Equal(4, db.Items.QuerySql.Count);
        Assert.Equal(1L, await db.Items.ByOwnerAndRank("o2").Between(0, 7).Skip(1).Take(2).CountAsync());
        Assert.Equal(4, db.Items.QuerySql.Count);
    }

    [Fact]
    public async Task NullAndNonNullValues_AreDifferentShapes_EachWithItsOwnSql()
    {
        await using PagingDb db = await Open();

        List<Item> nulls = await db.Items.ByScore(null).ToListAsync();
        List<Item> threes = await db.Items.ByScore(3).ToListAsync();

        Assert.Equal(Enumerable.Range(0, 30).Where(i => i % 4 == 0).ToList(), nulls.Select(i => i.Id).ToList());
        Assert.Equal(Enumerable.Range(0, 30).Where(i => i % 4 != 0 && i % 5 == 3).ToList(), threes.Select(i => i.Id).ToList());
        Assert.Equal(2, db.Items.QuerySql.Count);
        Assert.Contains(db.Items.QuerySql.Values, sql => sql.Contains("IS NULL", StringComparison.Ordinal));
        Assert.Contains(db.Items.QuerySql.Values, sql => sql.Contains("= ?1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task All_TheStatementIsKeptForTheNextEnumeration_AndTwoAtOnceGetTwo()
    {
        await using PagingDb db = await Open();
        using (var lease = db.AcquireRead())
        {
            Assert.Equal(0, lease.Connection.KeptStreamStatements);
        }

        for (int round = 0; round < 3; round++)
        {
            Assert.Equal(30, await db.Items.All().CountAsync());
            using var lease = db.AcquireRead();
            Assert.Equal(1, lease.Connection.KeptStreamStatements);
        }

        // Nested enumerations of the same SQL: each reads every row, on a statement of its own.
        int pairs = 0;
        await foreach (Item outer in db.Items.All())
        {
            if (outer.Id % 10 == 0)
            {
                await foreach (Item inner in db.Items.All())
                {
                    pairs++;
                }
            }
        }

        Assert.Equal(3 * 30, pairs);
    }
}
