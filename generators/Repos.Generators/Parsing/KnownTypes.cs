namespace Repos.Generators.Parsing;

/// <summary>Metadata names of the attributes and framework types the parser recognises.</summary>
internal static class KnownTypes
{
    public const string EntityAttribute = "Repos.EntityAttribute";
    public const string DatabaseAttribute = "Repos.DatabaseAttribute";
    public const string ReposDatabase = "Repos.ReposDatabase";
    public const string IndexedAttribute = "Repos.IndexedAttribute";
    public const string IndexAttribute = "Repos.IndexAttribute";
    public const string FormerNameAttribute = "Repos.FormerNameAttribute";
    public const string SyncedAttribute = "Repos.SyncedAttribute";

    public const string FlagsAttribute = "System.FlagsAttribute";

    public const string DataAnnotations = "System.ComponentModel.DataAnnotations.";
    public const string KeyAttribute = DataAnnotations + "KeyAttribute";
    public const string ConcurrencyCheckAttribute = DataAnnotations + "ConcurrencyCheckAttribute";
    public const string DatabaseGeneratedAttribute = DataAnnotations + "Schema.DatabaseGeneratedAttribute";
    public const string NotMappedAttribute = DataAnnotations + "Schema.NotMappedAttribute";
    public const string RequiredAttribute = DataAnnotations + "RequiredAttribute";
    public const string RangeAttribute = DataAnnotations + "RangeAttribute";
    public const string MinLengthAttribute = DataAnnotations + "MinLengthAttribute";
    public const string MaxLengthAttribute = DataAnnotations + "MaxLengthAttribute";
    public const string StringLengthAttribute = DataAnnotations + "StringLengthAttribute";
    public const string RegularExpressionAttribute = DataAnnotations + "RegularExpressionAttribute";
    public const string EmailAddressAttribute = DataAnnotations + "EmailAddressAttribute";
}
