namespace Repos.Generators.Tests.Corpus;

/// <summary>Ordinary models that must build with no warning.</summary>
internal static partial class AuthoringCorpus
{
    private static IEnumerable<CorpusCase> ValidShapes()
    {
        yield return new("Valid_MinimalRecord", """
            [Entity]
            public partial record Item
            {
                [Key] public Guid Id { get; init; }
                public string Name { get; init; } = "";
            }
            """);

        yield return new("Valid_ClassWithSetters", """
            [Entity]
            public partial class Item
            {
                [Key] public int Id { get; set; }
                [Indexed] public string Name { get; set; } = "";
                public List<string> Tags { get; set; } = [];
            }
            """);

        yield return new("Valid_NamespacedWithDatabase", """
            namespace App.Data;

            [Entity]
            public partial record Entry
            {
                [Key] public long Id { get; init; }
                [Indexed] public DateTime At { get; init; }
                public decimal? Amount { get; init; }
            }

            [Database(typeof(Entry))]
            public partial class AppDatabase;
            """);

        yield return new("Valid_TaskAppModel", """
            using System.ComponentModel.DataAnnotations.Schema;

            namespace TaskApp.Data;

            public enum Priority { Low, Normal, High }

            [Entity(Version = 2)]
            [Index(nameof(ProjectId), nameof(DueAt))]
            [Index(nameof(Email), Unique = true, IgnoreCase = true)]
            public partial record TodoItem
            {
                [Key, DatabaseGenerated(DatabaseGeneratedOption.Identity)] public long Id { get; init; }
                public Guid ProjectId { get; init; }
                public DateTime? DueAt { get; init; }
                [Required, StringLength(200)] public string Title { get; init; } = "";
                public string Email { get; init; } = "";
                public string Status { get; init; } = "todo";
                [Indexed] public Priority Priority { get; init; } = Priority.Normal;
                public List<Checklist> Checklists { get; init; } = [];
                public Dictionary<string, string> Labels { get; init; } = [];
                [ConcurrencyCheck] public long Version { get; init; }

                partial void Validate(ValidationErrors errors)
                {
                    if (DueAt is { } due && due.Year < 2000) errors.Add(nameof(DueAt), "TooEarly", "The due date is too early.");
                }

                internal static partial void MigrateFromVersion1(Repos.Migrations.StoredRow row)
                {
                }
            }

            public sealed record Checklist(string Name, IReadOnlyList<string> Steps);

            [Entity]
            public partial class Project
            {
                [Key] public Guid Id { get; set; }
                [Indexed(Unique = true)] public string Name { get; set; } = "";
                public HashSet<string> Members { get; set; } = [];
            }

            [Database(typeof(TodoItem), typeof(Project), Version = 2)]
            public partial class TaskDatabase
            {
                private partial async System.Threading.Tasks.ValueTask MigrateFromVersion1Async(Repos.Migrations.DatabaseMigration migration, System.Threading.CancellationToken cancellationToken)
                {
                    await System.Threading.Tasks.Task.Yield();
                }
            }
            """);

        yield return new("Valid_InternalModel", """
            namespace App.Internal;

            [Entity]
            internal partial record Note
            {
                [Key] public string Id { get; init; } = "";
                [Indexed] public DateTimeOffset At { get; init; }
                internal string Hidden { get; init; } = "";
            }

            [Database(typeof(Note))]
            internal sealed partial class NotesDatabase
            {
                public NotesDatabase()
                {
                }
            }
            """);

        yield return new("Valid_PrimaryConstructorRecords", """
            [Entity]
            public partial record Reading([property: Key] Guid Id, [property: Indexed] DateOnly Day, double Value, string? Note = null)
            {
                public IReadOnlyList<Sample> Samples { get; init; } = [];
            }

            public sealed record Sample(TimeOnly At, float Value);
            """);

        yield return new("Valid_EntitiesInSeveralNamespacesAndFiles", """
            namespace App.Billing
            {
                [Entity]
                public partial record Invoice
                {
                    [Key] public int Number { get; init; }
                    [Indexed] public long TotalCents { get; init; }
                    public App.Shared.Money? Paid { get; init; }
                }
            }

            namespace App.Shared
            {
                public sealed record Money(decimal Amount, string Currency);
            }

            namespace App
            {
                [Database(typeof(App.Billing.Invoice), typeof(App.People.Customer))]
                public partial class AppDatabase;
            }
            """)
        {
            OtherSources = ["""
                namespace App.People;

                [Entity]
                public partial record Customer
                {
                    [Key] public Guid Id { get; init; }
                    [Indexed(Unique = true)] public string Email { get; init; } = "";
                }
                """],
        };

        yield return new("Valid_DatabaseUsingItsRepositories", """
            [Entity]
            public partial record Entry
            {
                [Key] public Guid Id { get; init; }
                [Indexed] public DateTime At { get; init; }
            }

            [Database(typeof(Entry))]
            public sealed partial class JournalDatabase
            {
                public System.Threading.Tasks.ValueTask<List<Entry>> RecentAsync(DateTime since) =>
                    Entries.ByAt().GreaterThan(since).ToListAsync();
            }
            """);

        yield return new("Valid_NullableDisabledModel", """
            #nullable disable
            namespace Legacy;

            [Entity]
            [Index(nameof(Name), nameof(Code), Unique = true)]
            public partial class Customer
            {
                [Key] public string Id { get; set; }
                public string Name { get; set; }
                public string Code { get; set; }
                [Required] public string Email { get; set; }
                public Address Address { get; set; }
                public List<string> Tags { get; set; }
                public Dictionary<string, Address> Others { get; set; }
                public byte[] Photo { get; set; }
                public int? Age { get; set; }
            }

            public class Address
            {
                public string Street { get; set; }
                public string[] Lines { get; set; }
            }

            [Database(typeof(Customer))]
            public partial class LegacyDatabase;
            """);

        yield return new("Valid_NullableDisabledRecordWithConstructor", """
            #nullable disable
            [Entity]
            public partial record Note([property: Key] string Id, string Text, IReadOnlyList<string> Lines, string Author = null)
            {
                [Indexed] public string Topic { get; init; }
            }
            """);
    }
}
