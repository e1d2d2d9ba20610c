using System.ComponentModel.DataAnnotations;

namespace Repos.Tests.Generated.Rules;

/// <summary>A packing list: rules on every kind of value, and stored objects in every kind of collection.</summary>
[Entity]
public partial record PackingList
{
    [Key] public int Id { get; init; }

    [Range(1, 1000)] public byte Weight { get; init; } = 1;
    [Range(0, 5.5)] public int Bags { get; init; }
    [Range(0.5, 2.5)] public float? Scale { get; init; }
    [Range(0, double.PositiveInfinity)] public double Distance { get; init; }
    [Range(typeof(ulong), "10", "18446744073709551615")] public ulong Serial { get; init; } = 10;
    [Range(typeof(decimal), "0.01", "999.99")] public decimal Price { get; init; } = 1m;
    [Required] public int? Count { get; init; } = 1;
    [Required(AllowEmptyStrings = true)] public string? Note { get; init; } = "";
    [RegularExpression("[A-Z]{3}")] public string? Code { get; init; }

    public HashSet<Item> Set { get; init; } = [];
    public Dictionary<string, Item> ByName { get; init; } = [];
    public Dictionary<int, Item?> BySlot { get; init; } = [];
    public IList<Item> Ordered { get; init; } = [];
    public ICollection<Item> Bag { get; init; } = new List<Item>();
    public List<Item?> Gaps { get; init; } = [];
    public Item[] Array { get; init; } = [];
}

/// <summary>An item on the list.</summary>
public sealed record Item
{
    [Required, StringLength(20)] public string Name { get; init; } = "";
}

[Database(typeof(PackingList))]
public partial class PackingDb;
