using System.Buffers;
using Repos.Serialization;
using Repos.Storage.Sqlite;

namespace Repos.Tests.Generated;

/// <summary>Recursive structures: refused beyond ReposLimits.MaxDepth at bounded cost, read back at the limit, reported corrupt when a blob claims more.</summary>
public sealed class DeepGraphTests : IDisposable
{
    private readonly TempDirectory _folder = new();

    public void Dispose() => _folder.Dispose();

    private string DbPath => _folder.File("chains.db");

    /// <summary>A chain whose deepest link is at nesting level <paramref name="level"/> (the entity is level 1).</summary>
    private static Chain ChainTo(int level, int id = 1)
    {
        Link? link = null;
        for (int i = level - 1; i >= 1; i--)
        {
            link = new Link { Value = i % 100, Next = link };
        }

        return new Chain { Id = id, Next = link };
    }

    private static int Depth(Chain chain)
    {
        int level = 1;
        for (Link? link = chain.Next; link is not null; link = link.Next)
        {
            level++;
        }

        return level;
    }

    [Theory]
    [InlineData(20_000)]
    [InlineData(100_000)]
    public async Task Insert_DeeperThanTheLimit_IsRefusedWithThePath_AtBoundedCost_AndWritesNothing(int levels)
    {
        Chain chain = ChainTo(levels);
        await using ChainDb db = await ChainDb.OpenAsync(DbPath);
        await db.Chains.InsertAsync(new Chain { Id = 2 });

        long before = GC.GetTotalAllocatedBytes(precise: true);
        var e = await Assert.ThrowsAsync<EntityValidationException>(() => db.Chains.InsertAsync(chain).AsTask());
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - before;

        Assert.Equal("Chain", e.EntityName);
        Assert.Equal("1", e.Key);
        ValidationError error = Assert.Single(e.Errors);
        Assert.Equal("MaxDepth", error.Rule);
        Assert.Equal(string.Join(".", Enumerable.Repeat("Next", ReposLimits.MaxDepth)), error.Property);
        Assert.Contains("level 65", error.Message, StringComparison.Ordinal);
        Assert.True(allocated < 16 << 20, $"refusing the insert allocated {allocated:N0} bytes");
        Assert.Equal(1, await db.Chains.CountAsync());
        Assert.Null(await db.Chains.GetAsync(1));
    }

    [Theory]
    [InlineData(ReposLimits.MaxDepth)]
    [InlineData(100_000)]
    public async Task Insert_OfATreeNestedThroughSets_DeeperThanTheLimit_IsRefused_AndWritesNothing(int levels)
    {
        var root = new Twig();
        Twig leaf = root;
        for (int i = 2; i < levels + 1; i++)
        {
            var branch = new Twig();
            leaf.Branches.Add(branch);
            leaf = branch;
        }

        await using ChainDb db = await ChainDb.OpenAsync(DbPath);
        var e = await Assert.ThrowsAsync<EntityValidationException>(() => db.Bags.InsertAsync(new Bag { Id = 1, Root = root }).AsTask());

        Assert.Equal("Bag", e.EntityName);
        Assert.Equal("MaxDepth", Assert.Single(e.Errors).Rule);
        Assert.Equal(0, await db.Bags.CountAsync());
    }

    [Fact]
    public async Task Insert_OfATreeNestedThroughSets_AtTheLimit_RoundTrips_AndOneLevelMoreIsRefused()
    {
        // Counted as JSON counts: the entity is level 1, Root level 2, and each set and its element one more.
        static Twig TreeTo(int depth)
        {
            var root = new Twig();
            Twig leaf = root;
            for (int level = 4; level <= depth; level += 2)
            {
                var branch = new Twig();
                leaf.Branches.Add(branch);
                leaf = branch;
            }

            return root;
        }

        await using ChainDb db = await ChainDb.OpenAsync(DbPath);
        await db.Bags.InsertAsync(new Bag { Id = 1, Root = TreeTo(ReposLimits.MaxDepth) });
        var e = await Assert.ThrowsAsync<EntityValidationException>(() => db.Bags.InsertAsync(new Bag { Id = 2, Root = TreeTo(ReposLimits.MaxDepth + 2) }).AsTask());
        Assert.Equal("MaxDepth", Assert.Single(e.Errors).Rule);
        Bag? read = await db.Bags.GetAsync(1);

        int depth = 2;
        for (Twig? tree = read!.Root; tree!.Branches.Count > 0; tree = tree.Branches.Single())
        {
            depth += 2;
        }

        Assert.Equal(ReposLimits.MaxDepth, depth);
        Assert.Equal(1, await db.Bags.CountAsync());
    }

    [Fact]
    public async Task GraphExactlyAtTheLimit_RoundTrips_AndOneLevelMoreIsRefused()
    {
        await using ChainDb db = await ChainDb.OpenAsync(DbPath);

        await db.Chains.InsertAsync(ChainTo(ReposLimits.MaxDepth));
        await Assert.ThrowsAsync<EntityValidationException>(() => db.Chains.InsertAsync(ChainTo(ReposLimits.MaxDepth + 1, id: 2)).AsTask());

        Chain read = (await db.Chains.GetAsync(1))!;
        Assert.Equal(ReposLimits.MaxDepth, Depth(read));
        Assert.Equal(ChainTo(ReposLimits.MaxDepth).Next!.Next!.Value, read.Next!.Next!.Value);
        Assert.True((await db.VerifyAsync()).IsHealthy);
    }

    [Fact]
    public async Task ChildrenInLists_CountTwoLevelsEach_AsJsonDoes()
    {
        await using ChainDb db = await ChainDb.OpenAsync(DbPath);
        // Chain (1) > Next (2) > Children (3) > [0] (4) > Children (5) > [0] (6) ...
        static Link Nested(int links) => links == 1 ? new Link() : new Link { Children = [Nested(links - 1)] };

        await db.Chains.InsertAsync(new Chain { Id = 1, Next = Nested(32) });
        var e = await Assert.ThrowsAsync<EntityValidationException>(() => db.Chains.InsertAsync(new Chain { Id = 2, Next = Nested(33) }).AsTask());

        Assert.Equal("Next" + string.Concat(Enumerable.Repeat(".Children[0]", 32)), Assert.Single(e.Errors).Property);
    }

    [Fact]
    public void Validating10000ValidNestedChildren_AllocatesLittle()
    {
        var chain = new Chain { Id = 1, Next = new Link { Children = Enumerable.Range(0, 10_000).Select(i => new Link { Value = i % 100, Next = new Link() }).ToList() } };
        var errors = new ValidationErrors();
        ChainSerializer.Validate(chain, errors);

        long before = GC.GetAllocatedBytesForCurrentThread();
        ChainSerializer.Validate(chain, errors);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.True(errors.IsEmpty);
        Assert.True(allocated < 1024, $"validating allocated {allocated:N0} bytes");
    }

    [Fact]
    public async Task StoredBlobNestedAMillionLevels_IsReportedCorrupt_ByGetAndVerify()
    {
        await using (ChainDb db = await ChainDb.OpenAsync(DbPath))
        {
            await db.Chains.InsertAsync(ChainTo(3));
        }

        long chainNext = FieldId("Repos.Tests.Generated.Chain", "Next");
        long linkNext = FieldId("Repos.Tests.Generated.Link", "Next");
        var payload = new ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(payload);
        writer.WriteMapHeader(1);
        writer.Write(chainNext);
        for (int i = 0; i < 1_000_000; i++)
        {
            writer.WriteMapHeader(1);
            writer.Write(linkNext);
        }

        writer.WriteNil();
        writer.Flush();
        var blob = new ArrayBufferWriter<byte>();
        BlobEnvelope.Write(payload.WrittenSpan, schemaVersion: 1, blob);
        using (SqliteConnection connection = SqliteConnection.Open(DbPath, readOnly: false, create: false))
        {
            using SqliteStatement update = connection.PrepareOnce($"UPDATE \"{Table()}\" SET _blob=?1 WHERE key=1");
            update.BindBlob(1, blob.WrittenSpan);
            update.Execute();
        }

        await using (ChainDb db = await ChainDb.OpenAsync(DbPath))
        {
            var e = await Assert.ThrowsAsync<CorruptedRowException>(() => db.Chains.GetAsync(1).AsTask());
            Assert.Contains("deeper than 64", e.ToString(), StringComparison.Ordinal);
            Repos.Diagnostics.VerifyReport report = await db.VerifyAsync();
            Assert.False(report.IsHealthy);
            Assert.Single(report.BadRows);
        }
    }

    private long FieldId(string type, string name)
    {
        using SqliteConnection connection = SqliteConnection.Open(DbPath, readOnly: true, create: false);
        using SqliteStatement select = connection.PrepareOnce($"SELECT id FROM _repos_fields WHERE type='{type}' AND name='{name}'");
        Assert.True(select.Step());
        return select.ColumnInt64(0);
    }

    private string Table()
    {
        using SqliteConnection connection = SqliteConnection.Open(DbPath, readOnly: true, create: false);
        using SqliteStatement select = connection.PrepareOnce("SELECT table_name FROM _repos_entities WHERE entity='Chain'");
        Assert.True(select.Step());
        return select.ColumnText(0);
    }
}
