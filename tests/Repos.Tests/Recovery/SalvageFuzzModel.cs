using System.ComponentModel.DataAnnotations;

namespace Repos.Tests.Recovery;

// Four entities whose field ids overlap: Parcel's fields are the first three of Crate's (same names, same
// types), Shelf shares Crate's first two, Label has Parcel's shape with a text key. A page of one found in
// another's tree, or a catalog row that lost or changed an id, is ambiguous unless salvage checks closely.

[Entity]
public partial record Crate
{
    [Key]
    public long Id { get; init; }

    public required string Name { get; init; }

    [Indexed]
    public int Count { get; init; }

    public string Origin { get; init; } = "";

    public IReadOnlyList<string> Labels { get; init; } = [];
}

[Entity]
public partial record Parcel
{
    [Key]
    public long Id { get; init; }

    public required string Name { get; init; }

    public int Count { get; init; }
}

[Entity]
public partial record Shelf
{
    [Key]
    public long Id { get; init; }

    public required string Name { get; init; }

    public double Weight { get; init; }

    public DateOnly? Since { get; init; }

    public List<Slot> Slots { get; init; } = [];
}

public sealed record Slot(string Code, int Depth);

[Entity]
public partial record Label
{
    [Key]
    public required string Code { get; init; }

    [Indexed(Unique = true)]
    public required string Name { get; init; }

    public int Count { get; init; }
}

[Database(typeof(Crate), typeof(Parcel), typeof(Shelf), typeof(Label))]
public partial class SalvageFuzzDb;
