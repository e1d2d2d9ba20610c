namespace Repos.Tests.Querying;

/// <summary>An entity with one index of each kind keyset paging has to handle.</summary>
[Entity]
[Index(nameof(Owner), nameof(Rank))]
[Index(nameof(Owner), nameof(Code), Unique = true)]
public partial record Item
{
    [System.ComponentModel.DataAnnotations.Key]
    public int Id { get; init; }

    public required string Owner { get; init; }

    public int Rank { get; init; }

    public string Code { get; init; } = "";

    [Indexed]
    public int? Score { get; init; }

    [Indexed(Unique = true)]
    public string Slug { get; init; } = "";
}

[Database(typeof(Item))]
public partial class PagingDb;
