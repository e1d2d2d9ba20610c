using System.ComponentModel.DataAnnotations;

namespace Repos.Tests.Generated.Names.@event;

/// <summary>Names the generator must escape or rename: keywords, and properties named like generated parameters.</summary>
[Entity]
[Index(nameof(Label), nameof(CancellationToken), Unique = true)]
[Index(nameof(A), nameof(B))]
public partial record Token
{
    [Key] public Guid @int { get; init; }
    [Indexed(Unique = true)] public string CancellationToken { get; init; } = "";
    [Indexed] public string @class { get; init; } = "";
    public string value { get; init; } = "";
    public string Label { get; init; } = "";
    public string var { get; init; } = "";
    public int A { get; init; }
    public int B { get; init; }
    [Indexed] public int A_B { get; init; }
    [ConcurrencyCheck] public long @this { get; init; }
}

/// <summary>An entity whose derived names are overridden.</summary>
[Entity(RepositoryName = "StaffRepository", PropertyName = "Staff")]
public partial record Member([property: Key] int Id, string @params = "p");

/// <summary>Not public: its repository property on the public database is internal.</summary>
[Entity]
internal partial record Secret
{
    [Key] public int Id { get; init; }
}

[Database(typeof(Token), typeof(Member), typeof(Secret))]
public partial class @base;
