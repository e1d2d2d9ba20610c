using System.ComponentModel.DataAnnotations;

namespace Repos.Tests.Generated.CaseSensitive;

/// <summary>The account of <see cref="Repos.Tests.Generated.Account"/> as an earlier version had it: the e-mail index respects case.</summary>
[Entity]
[Index(nameof(Email), Unique = true)]
public partial record Account
{
    [Key] public int Id { get; init; }
    public string Email { get; init; } = "";
    public string Name { get; init; } = "";
}

[Database(typeof(Account))]
public partial class AccountDb;
