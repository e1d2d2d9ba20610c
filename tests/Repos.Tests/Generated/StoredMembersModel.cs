using System.ComponentModel.DataAnnotations;

// Properties only the type's own code can set, inherited and overridden properties, and a small hierarchy of entities.
namespace Repos.Tests.Generated.StoredMembers;

public abstract class Audited
{
    public string ChangedBy { get; protected set; } = "";

    [Range(0, 100)] public virtual int Priority { get; set; }
}

[Entity]
public partial class Clicker : Audited
{
    public Clicker(Guid id) => Id = id;

    [Key] public Guid Id { get; }
    public int Count { get; private set; }
    public string Label { get; protected set; } = "";
    public Tally Tally { get; init; } = new();
    public override int Priority { get; set; }
    public int Twice => Count * 2;

    public void Increment(string by)
    {
        Count++;
        Label = $"counted {Count}";
        ChangedBy = by;
        Tally.Add();
    }
}

public sealed partial class Tally
{
    public int Total { get; private set; }
    public DateTime Last { get; private set; }

    public void Add()
    {
        Total++;
        Last = new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc);
    }
}

[Entity]
public partial record Ticket
{
    [Key] public int Id { get; init; }
    public string State { get; private init; } = "open";
    public Stamp Opened { get; init; } = new("nobody");

    public Ticket Close() => this with { State = "closed" };
}

public sealed record Stamp(string By)
{
    public DateTime At { get; init; }
}

public abstract record Keyed
{
    [Key] public virtual int Id { get; init; }
}

[Entity]
public partial record Animal : Keyed
{
    [Key] public override int Id { get; init; }
    public string Name { get; init; } = "";
    public Place? Home { get; init; }
    public List<Place> Visits { get; init; } = [];
}

[Entity]
public partial record Dog : Animal
{
    public string Breed { get; init; } = "";
}

public record Place
{
    public string Town { get; init; } = "";
}

public sealed record Kennel : Place
{
    public int Runs { get; init; }
}

[Database(typeof(Clicker), typeof(Ticket), typeof(Animal), typeof(Dog))]
public partial class StoredMembersDb;
