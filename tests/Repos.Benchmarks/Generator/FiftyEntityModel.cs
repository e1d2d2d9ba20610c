using System.Text;

namespace Repos.Benchmarks.Generator;

/// <summary>
/// A 50-entity model of the shapes app authors write (records and classes, Guid, int and string keys, single and
/// compound indexes, validation attributes, enums, nested types and collections, a row version, a versioned
/// entity with its migration), as C# source with Repos' attributes and as the same types without them.
/// </summary>
internal static class FiftyEntityModel
{
    public const int EntityCount = 50;

    /// <summary>The model as an app using Repos writes it: entities, the database class, the shared nested types.</summary>
    public static string WithRepos() => Build(withRepos: true);

    /// <summary>The same types as plain C#: no Repos attribute, no database class, nothing for the generator.</summary>
    public static string WithoutRepos() => Build(withRepos: false);

    private static string Build(bool withRepos)
    {
        var s = new StringBuilder();
        s.AppendLine("using System;");
        s.AppendLine("using System.Collections.Generic;");
        s.AppendLine("using System.ComponentModel.DataAnnotations;");
        if (withRepos)
        {
            s.AppendLine("using Repos;");
        }

        s.AppendLine();
        s.AppendLine("namespace Model;");
        s.AppendLine();
        s.AppendLine("public enum Priority { Low, Normal, High, Urgent }");
        s.AppendLine();
        s.AppendLine("public sealed record Tag");
        s.AppendLine("{");
        s.AppendLine("    [MaxLength(40)] public string Name { get; init; } = \"\";");
        s.AppendLine("    public int Weight { get; init; }");
        s.AppendLine("}");
        s.AppendLine();
        s.AppendLine("public sealed record Address");
        s.AppendLine("{");
        s.AppendLine("    public string Street { get; init; } = \"\";");
        s.AppendLine("    public string? City { get; init; }");
        s.AppendLine("    [RegularExpression(\"[0-9]{5}\")] public string? PostalCode { get; init; }");
        s.AppendLine("}");
        for (int i = 0; i < EntityCount; i++)
        {
            s.AppendLine();
            AppendEntity(s, i, withRepos);
        }

        if (withRepos)
        {
            s.AppendLine();
            s.Append("[Database(");
            s.Append(string.Join(", ", Enumerable.Range(0, EntityCount).Select(i => $"typeof({Name(i)})")));
            s.AppendLine(")]");
            s.AppendLine("public partial class ModelDb;");
        }

        return s.ToString();
    }

    private static string Name(int i) => (i % 5) switch
    {
        0 => $"Journal{i}",
        1 => $"Visit{i}",
        2 => $"Invoice{i}",
        3 => $"Contact{i}",
        _ => $"Reading{i}",
    };

    private static void AppendEntity(StringBuilder s, int i, bool withRepos)
    {
        string name = Name(i);
        string entity = withRepos ? "[Entity]\n" : string.Empty;
        string versioned = withRepos ? "[Entity(Version = 2)]\n" : string.Empty;
        string indexed = withRepos ? "[Indexed] " : string.Empty;
        switch (i % 5)
        {
            case 0:
                s.Append(entity);
                s.AppendLine($"public partial record {name}");
                s.AppendLine("{");
                s.AppendLine("    [Key] public Guid Id { get; init; }");
                s.AppendLine("    [Required, MaxLength(200)] public required string Title { get; init; }");
                s.AppendLine($"    {indexed}public DateTime CreatedAt {{ get; init; }}");
                s.AppendLine("    public Priority Priority { get; init; }");
                s.AppendLine("    public List<Tag> Tags { get; init; } = [];");
                s.AppendLine("    [MaxLength(4000)] public string? Notes { get; init; }");
                s.AppendLine("    public bool Done { get; init; }");
                s.AppendLine("}");
                break;
            case 1:
                if (withRepos)
                {
                    s.AppendLine("[Entity]");
                    s.AppendLine("[Index(nameof(PatientId), nameof(Date), Unique = true)]");
                }

                s.AppendLine($"public partial class {name}");
                s.AppendLine("{");
                s.AppendLine("    [Key] public int Id { get; set; }");
                s.AppendLine("    public string PatientId { get; set; } = \"\";");
                s.AppendLine("    public DateOnly Date { get; set; }");
                s.AppendLine("    [Range(1, 10)] public int Score { get; set; }");
                s.AppendLine("    public double Temperature { get; set; }");
                s.AppendLine("    public Address? Clinic { get; set; }");
                s.AppendLine("    public TimeSpan Duration { get; set; }");
                s.AppendLine("}");
                break;
            case 2:
                s.Append(entity);
                s.AppendLine($"public partial record {name}");
                s.AppendLine("{");
                s.AppendLine("    [Key] public string Number { get; init; } = \"\";");
                s.AppendLine($"    {indexed}public string CustomerId {{ get; init; }} = \"\";");
                s.AppendLine("    [Range(0, 1000000)] public decimal Amount { get; init; }");
                s.AppendLine("    public DateTimeOffset IssuedAt { get; init; }");
                s.AppendLine("    public Dictionary<string, string> Meta { get; init; } = new();");
                s.AppendLine("    [ConcurrencyCheck] public long Version { get; init; }");
                s.AppendLine("}");
                break;
            case 3:
                s.Append(entity);
                s.AppendLine($"public partial record {name}");
                s.AppendLine("{");
                s.AppendLine("    [Key] public Guid Id { get; init; }");
                s.AppendLine("    [Required, StringLength(100, MinimumLength = 1)] public string Name { get; init; } = \"\";");
                s.AppendLine($"    {indexed}[EmailAddress] public string? Email {{ get; init; }}");
                s.AppendLine("    public Address Home { get; init; } = new();");
                s.AppendLine("    public IReadOnlyList<string> Phones { get; init; } = [];");
                s.AppendLine("    public DateOnly? Birthday { get; init; }");
                s.AppendLine("}");
                break;
            default:
                s.Append(versioned);
                s.AppendLine($"public partial record {name}");
                s.AppendLine("{");
                s.AppendLine("    [Key] public long Id { get; init; }");
                s.AppendLine($"    {indexed}public DateTime TakenAt {{ get; init; }}");
                s.AppendLine("    public double Value { get; init; }");
                s.AppendLine("    public string Unit { get; init; } = \"\";");
                s.AppendLine("    public int[] Samples { get; init; } = [];");
                if (withRepos)
                {
                    s.AppendLine();
                    s.AppendLine("    internal static partial void MigrateFromVersion1(Repos.Migrations.StoredRow row) { }");
                }

                s.AppendLine("}");
                break;
        }
    }
}
