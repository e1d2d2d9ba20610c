using System.ComponentModel.DataAnnotations;
using System.ComponentModel.DataAnnotations.Schema;

namespace Repos.Tests.Keys;

/// <summary>A record whose int key Repos assigns, with a row version too.</summary>
[Entity]
public partial record Ticket
{
    [Key, DatabaseGenerated(DatabaseGeneratedOption.Identity)]
    public int Id { get; init; }

    public required string Title { get; init; }

    [ConcurrencyCheck]
    public long Version { get; init; }
}

/// <summary>A class whose long key Repos assigns: set on the object itself.</summary>
[Entity]
public partial class Invoice
{
    [Key, DatabaseGenerated(DatabaseGeneratedOption.Identity)]
    public long Number { get; set; }

    [Indexed(Unique = true)]
    public string Customer { get; set; } = "";
}

/// <summary>A record whose Guid key Repos fills with a version 7 GUID.</summary>
[Entity]
public partial record Photo
{
    [Key, DatabaseGenerated(DatabaseGeneratedOption.Identity)]
    public Guid Id { get; init; }

    public string Name { get; init; } = "";
}

[Database(typeof(Ticket), typeof(Invoice), typeof(Photo))]
public partial class IdentityDb;
