using Repos.Tests.Generated.Names.@event;

namespace Repos.Tests.Generated;

/// <summary>A model whose names the generator has to escape, rename or take from the author works end to end.</summary>
public sealed class NamesTests : IDisposable
{
    private readonly TempDirectory _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task KeywordProperties_AndAUniqueIndexOnCancellationToken_InsertQueryAndReadBack()
    {
        await using var db = await @base.OpenAsync(_folder.File("names.db"));
        Guid id = Guid.NewGuid();
        Token stored = await db.Tokens.InsertAsync(new Token
        {
            @int = id, CancellationToken = "ct-1", @class = "first", value = "v", Label = "L", var = "l", A = 1, B = 2, A_B = 3,
        });
        Assert.Equal(1, stored.@this);

        Token? found = await db.Tokens.GetByCancellationTokenAsync("ct-1", CancellationToken.None);
        Assert.NotNull(found);
        Assert.Equal((id, "first", "v", 1L), (found.@int, found.@class, found.value, found.@this));
        Assert.Null(await db.Tokens.GetByCancellationTokenAsync("ct-2"));

        Assert.Equal(id, (await db.Tokens.GetByLabelAndCancellationTokenAsync("L", "ct-1", CancellationToken.None))!.@int);
        Assert.Null(await db.Tokens.GetByLabelAndCancellationTokenAsync("L", "ct-2"));
        Assert.Equal("l", found.var);
        Assert.Single(await db.Tokens.Byclass("first").ToListAsync());
        Assert.Single(await db.Tokens.ByAAndB(1, 2).ToListAsync());
        Assert.Single(await db.Tokens.ByA_B(3).ToListAsync());
        Assert.Empty(await db.Tokens.ByA_B(1).ToListAsync());
    }

    [Fact]
    public async Task IndexesOnAB_AndOnAPropertyA_B_AreTwoIndexes_WithTheirOwnStoredNames()
    {
        Assert.Equal(
            ["CancellationToken", "class", "A_B", "Label_CancellationToken", "A_B_2"],
            TokenDefinition.Instance.Indexes.Select(i => i.Name));

        await using var db = await @base.OpenAsync(_folder.File("names.db"));
        await db.Tokens.InsertAsync(new Token { @int = Guid.NewGuid(), CancellationToken = "a", A = 5, B = 6, A_B = 7 });
        await db.Tokens.InsertAsync(new Token { @int = Guid.NewGuid(), CancellationToken = "b", A = 7, B = 5, A_B = 5 });
        Assert.Equal("a", (await db.Tokens.ByAAndB(5).ToListAsync()).Single().CancellationToken);
        Assert.Equal("b", (await db.Tokens.ByA_B(5).ToListAsync()).Single().CancellationToken);
    }

    [Fact]
    public async Task OverriddenNames_NameTheRepositoryAndItsProperty()
    {
        await using var db = await @base.OpenAsync(_folder.File("names.db"));
        StaffRepository staff = db.Staff;
        await staff.InsertAsync(new Member(1, "q"));
        await db.Secrets.InsertAsync(new Secret { Id = 2 });

        Assert.Equal("q", (await db.Staff.GetAsync(1))!.@params);
        Assert.NotNull(await db.Secrets.GetAsync(2));
        Assert.Null(typeof(@base).GetProperty(nameof(@base.Secrets)));
        Assert.NotNull(typeof(@base).GetProperty(nameof(@base.Secrets), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance));
    }
}
