using System.ComponentModel.DataAnnotations;

namespace Repos.Tests.Concurrency;

/// <summary>An entity with a row version, as a record: Repos returns a copy at the new version.</summary>
[Entity]
public partial record Account
{
    [Key]
    public Guid Id { get; init; }

    public required string Owner { get; init; }

    public long Balance { get; init; }

    [ConcurrencyCheck]
    public long Version { get; init; }
}

/// <summary>An entity with a row version, as a class: Repos sets the version on the object itself.</summary>
[Entity]
public partial class Counter
{
    [Key]
    public string Name { get; set; } = "";

    [Indexed(Unique = true)]
    public string Label { get; set; } = "";

    public int Value { get; set; }

    [ConcurrencyCheck]
    public int Revision { get; set; }
}

[Database(typeof(Account), typeof(Counter))]
public partial class LedgerDb;
