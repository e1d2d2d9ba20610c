using Repos.Tests.Generated.Rules;

namespace Repos.Tests.Generated;

/// <summary>Generated validation: one runtime check per rule, and the objects inside every kind of collection.</summary>
public sealed class RulesTests : IDisposable
{
    private readonly TempDirectory _folder = new();

    public void Dispose() => _folder.Dispose();

    private static readonly Item s_bad = new() { Name = "" };

    [Fact]
    public async Task ValidList_IsStored()
    {
        await using var db = await PackingDb.OpenAsync(_folder.File("packing.db"));
        var list = new PackingList { Id = 1, Set = [new Item { Name = "rope" }], ByName = new() { ["tent"] = new Item { Name = "tent" } }, BySlot = new() { [1] = null } };
        await db.PackingLists.InsertAsync(list);
        Assert.Equal("tent", (await db.PackingLists.GetAsync(1))!.ByName["tent"].Name);
    }

    [Theory]
    [MemberData(nameof(BrokenRules))]
    public async Task BrokenRule_IsRefusedAtItsPath(string path, string rule, PackingList list)
    {
        await using var db = await PackingDb.OpenAsync(_folder.File("packing.db"));
        var e = await Assert.ThrowsAsync<EntityValidationException>(() => db.PackingLists.InsertAsync(list).AsTask());
        ValidationError error = Assert.Single(e.Errors);
        Assert.Equal((path, rule), (error.Property, error.Rule));
        Assert.Equal(0, await db.PackingLists.CountAsync());
    }

    public static TheoryData<string, string, PackingList> BrokenRules() => new()
    {
        { "Weight", "Range", new PackingList { Id = 1, Weight = 0 } },
        { "Bags", "Range", new PackingList { Id = 1, Bags = 6 } },
        { "Scale", "Range", new PackingList { Id = 1, Scale = 2.6f } },
        { "Distance", "Range", new PackingList { Id = 1, Distance = -1 } },
        { "Distance", "Range", new PackingList { Id = 1, Distance = double.NaN } },
        { "Serial", "Range", new PackingList { Id = 1, Serial = 9 } },
        { "Price", "Range", new PackingList { Id = 1, Price = 1000m } },
        { "Count", "Required", new PackingList { Id = 1, Count = null } },
        { "Note", "Required", new PackingList { Id = 1, Note = null } },
        { "Code", "RegularExpression", new PackingList { Id = 1, Code = "ABCD" } },
        { "Set[0].Name", "Required", new PackingList { Id = 1, Set = [s_bad] } },
        { "ByName[tent].Name", "Required", new PackingList { Id = 1, ByName = new() { ["tent"] = s_bad } } },
        { "BySlot[7].Name", "Required", new PackingList { Id = 1, BySlot = new() { [3] = null, [7] = s_bad } } },
        { "Ordered[1].Name", "StringLength", new PackingList { Id = 1, Ordered = [new Item { Name = "ok" }, new Item { Name = new string('x', 21) }] } },
        { "Bag[0].Name", "Required", new PackingList { Id = 1, Bag = new List<Item> { s_bad } } },
        { "Gaps[2].Name", "Required", new PackingList { Id = 1, Gaps = [null, new Item { Name = "ok" }, s_bad] } },
        { "Array[0].Name", "Required", new PackingList { Id = 1, Array = [s_bad] } },
    };

    [Fact]
    public async Task EdgeValues_PassTheirRules()
    {
        await using var db = await PackingDb.OpenAsync(_folder.File("packing.db"));
        await db.PackingLists.InsertAsync(new PackingList
        {
            Id = 1,
            Weight = 255,
            Bags = 5,
            Scale = null,
            Distance = double.PositiveInfinity,
            Serial = ulong.MaxValue,
            Price = 999.99m,
            Note = "",
            Code = "ABC",
        });
        Assert.Equal(ulong.MaxValue, (await db.PackingLists.GetAsync(1))!.Serial);
    }
}
