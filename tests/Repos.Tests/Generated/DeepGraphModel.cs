using System.ComponentModel.DataAnnotations;

namespace Repos.Tests.Generated;

/// <summary>An entity holding a recursive structure: a chain of links, each with children.</summary>
[Entity]
public partial record Chain
{
    [Key] public int Id { get; init; }
    public Link? Next { get; init; }
}

public sealed record Link
{
    [Range(0, 100)] public int Value { get; init; }
    public Link? Next { get; init; }
    public List<Link> Children { get; init; } = [];
}

/// <summary>An entity holding a tree whose branches are kept in sets.</summary>
[Entity]
public partial record Bag
{
    [Key] public int Id { get; init; }
    public Twig? Root { get; init; }
}

public sealed record Twig
{
    public HashSet<Twig> Branches { get; init; } = [];
}

[Database(typeof(Chain), typeof(Bag))]
public partial class ChainDb;
