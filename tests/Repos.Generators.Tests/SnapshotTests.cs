using System.Runtime.CompilerServices;

namespace Repos.Generators.Tests;

/// <summary>
/// The emitted code of representative models, compared with the checked-in snapshots in <c>Snapshots/</c>.
/// Each test also compiles the output and requires no errors or warnings.
/// </summary>
public sealed class SnapshotTests
{
    [Fact]
    public void SimpleEntity_WithGuidKey() => Verify("""
        namespace Shop;

        [Entity]
        public partial record Product
        {
            [Key] public Guid Id { get; init; }
            public string Name { get; init; } = "";
            public decimal Price { get; init; }
        }
        """);

    [Fact]
    public void CompoundIndex_Unique() => Verify("""
        namespace Health;

        [Entity]
        [Index(nameof(UserId), nameof(Date), Unique = true)]
        public partial record DailyEntry
        {
            [Key] public Guid Id { get; init; }
            public required string UserId { get; init; }
            public DateOnly Date { get; init; }
            public int Score { get; init; }
        }
        """);

    [Fact]
    public void SinglePropertyIndex_Unique() => Verify("""
        namespace Accounts;

        [Entity]
        public partial class User
        {
            [Key] public Guid Id { get; set; }
            [Indexed(Unique = true)] public string Email { get; set; } = "";
            [Indexed] public DateTime CreatedAt { get; set; }
        }
        """);

    [Fact]
    public void NestedTypes_InListAndNestedTwice() => Verify("""
        namespace Trips;

        [Entity]
        public partial record Trip
        {
            [Key] public Guid Id { get; init; }
            public List<Stop> Stops { get; init; } = [];
            public Vehicle? Vehicle { get; init; }
        }

        public sealed record Stop(string Name, int Minutes);

        public sealed class Vehicle
        {
            public string Model { get; set; } = "";
            public Engine Engine { get; set; } = new();
        }

        public sealed class Engine
        {
            [Range(1, 2000)] public int Power { get; set; }
        }
        """);

    [Fact]
    public void Collections() => Verify("""
        namespace Library;

        [Entity]
        public partial record Shelf
        {
            [Key] public Guid Id { get; init; }
            public string[] Labels { get; init; } = [];
            public List<int> Counts { get; init; } = [];
            public IReadOnlyList<DateTime> Times { get; init; } = [];
            public HashSet<string> Tags { get; init; } = [];
            public Dictionary<string, int> Totals { get; init; } = [];
            public byte[] Thumbnail { get; init; } = [];
        }
        """);

    [Fact]
    public void Nullable_ValueReferenceEnumAndNested() => Verify("""
        namespace Forms;

        public enum Color { Red, Green }

        [Entity]
        public partial record Answer
        {
            [Key] public Guid Id { get; init; }
            public int? Count { get; init; }
            public DateTime? AnsweredAt { get; init; }
            public string? Comment { get; init; }
            public Color? Color { get; init; }
            public Note? Note { get; init; }
            public List<string?>? Lines { get; init; }
        }

        public sealed record Note(string Text);
        """);

    [Fact]
    public void Enums_IntAndByteUnderlying() => Verify("""
        namespace Tasks;

        public enum Priority { Low, Normal, High }

        public enum Flags : byte { None = 0, Starred = 1, Archived = 2 }

        [Entity]
        public partial record Todo
        {
            [Key] public Guid Id { get; init; }
            [Indexed] public Priority Priority { get; init; }
            public Flags Flags { get; init; }
            public List<Priority> History { get; init; } = [];
        }
        """);

    [Fact]
    public void Enums_FlagsSignedAndInsideNestedTypes() => Verify("""
        namespace Access;

        [Flags]
        public enum Rights : long { None = 0, Read = 1, Write = 2, Admin = 1L << 62 }

        public enum Level : sbyte { Low = -1, Mid = 0, High = 1 }

        [Entity]
        public partial record Grant
        {
            [Key] public string Id { get; init; } = "";
            public Rights Rights { get; init; }
            public List<Rule> Rules { get; init; } = [];
        }

        public sealed record Rule(Dictionary<Level, string> Notes, Level? Minimum);
        """);

    [Fact]
    public void PositionalRecord_AsEntity() => Verify("""
        namespace Blog;

        [Entity]
        public partial record Tag([property: Key] string Name, int Weight);
        """);

    [Fact]
    public void InitOnlyProperties() => Verify("""
        namespace Notes;

        [Entity]
        public partial class Memo
        {
            [Key] public int Id { get; init; }
            public string Title { get; init; } = "";
            public required string Body { get; init; }
            public DateTimeOffset WrittenAt { get; init; }
        }
        """);

    [Fact]
    public void FormerName() => Verify("""
        namespace Contacts;

        [Entity]
        public partial record Contact
        {
            [Key] public Guid Id { get; init; }
            [FormerName("Name")] [FormerName("FullName")] public string DisplayName { get; init; } = "";
            [FormerName("Mail")] [Indexed] public string? Email { get; init; }
        }
        """);

    [Fact]
    public void ValidationAttributes_AndValidateHook() => Verify("""
        namespace Signup;

        [Entity]
        public partial record Registration
        {
            [Key] public Guid Id { get; init; }
            [Required] public string UserName { get; init; } = "";
            [Range(18, 130)] public int Age { get; init; }
            [Range(0.5, 2.5)] public double Factor { get; init; }
            [MaxLength(10)] public List<string> Interests { get; init; } = [];
            [MinLength(8)] public string Password { get; init; } = "";
            [StringLength(40, MinimumLength = 2)] public string? Nickname { get; init; }
            [RegularExpression(@"^[A-Z]{2}$", ErrorMessage = "{0} must be two capital letters")] public string Country { get; init; } = "";
            [EmailAddress] public string? Email { get; init; }

            partial void Validate(ValidationErrors errors)
            {
                if (UserName == Password)
                {
                    errors.Add(nameof(Password), "NotUserName", "must differ from the user name", Password);
                }
            }
        }
        """);

    [Fact]
    public void Database_WithSeveralEntities() => Verify("""
        namespace Clinic;

        [Entity]
        public partial record Patient
        {
            [Key] public Guid Id { get; init; }
            public string Name { get; init; } = "";
        }

        [Entity("visits")]
        public partial record Visit
        {
            [Key] public long Id { get; init; }
            [Indexed] public Guid PatientId { get; init; }
        }

        [Entity]
        public partial record Diagnosis
        {
            [Key] public string Code { get; init; } = "";
        }

        [Database(typeof(Patient), typeof(Visit), typeof(Diagnosis))]
        public partial class ClinicDb;
        """);

    [Fact]
    public void Keys_LongStringAndInt() => Verify("""
        namespace Keys;

        [Entity]
        public partial record Order
        {
            [Key] public long Number { get; init; }
            [Indexed] public string Customer { get; init; } = "";
        }

        [Entity]
        public partial record Country
        {
            [Key] public string IsoCode { get; init; } = "";
            public string Name { get; init; } = "";
        }

        [Entity]
        public partial record Counter
        {
            [Key] public int Slot { get; init; }
            public long Value { get; init; }
        }
        """);

    [Fact]
    public void RowVersion_RecordPositionalRecordAndClass() => Verify("""
        namespace Banking;

        [Entity]
        public partial record Account
        {
            [Key] public Guid Id { get; init; }
            public string Owner { get; init; } = "";
            [ConcurrencyCheck] [Indexed] public long Version { get; init; }
        }

        [Entity]
        public partial record Transfer([property: Key] long Id, decimal Amount, [property: ConcurrencyCheck] int Revision);

        [Entity]
        public partial class Limit
        {
            [Key] public string Name { get; set; } = "";
            public decimal Amount { get; set; }
            [ConcurrencyCheck] public int Revision { get; set; }
        }
        """);

    [Fact]
    public void VersionedEntity_WithMigrations() => Verify("""
        namespace Journal;

        [Entity(Version = 3, MigrateLazily = true)]
        public partial record Entry
        {
            [Key] public Guid Id { get; init; }
            public string Body { get; init; } = "";
            public int Mood { get; init; }

            internal static partial void MigrateFromVersion1(Repos.Migrations.StoredRow row) => row.Rename("Text", "Body");

            internal static partial void MigrateFromVersion2(Repos.Migrations.StoredRow row) => row.Set("Mood", row.Get<int>("Mood") * 10);
        }
        """);

    [Fact]
    public void SettersOnlyTheTypeCanCall() => Verify("""
        namespace Counters;

        [Entity]
        public partial class Tally
        {
            [Key] public Guid Id { get; set; }
            public int Count { get; private set; }
            public string Label { get; protected set; } = "";
            public Step Last { get; private init; } = new();
            public void Add() => Count++;
        }

        public sealed partial record Step
        {
            public DateTime At { get; private init; }
            public string Note { get; init; } = "";
        }
        """);

    [Fact]
    public void GlobalNamespace() => Verify("""
        [Entity]
        public partial record Setting
        {
            [Key] public string Name { get; init; } = "";
            public string Value { get; init; } = "";
            public Detail? Detail { get; init; }
        }

        public sealed record Detail(string Text);

        [Database(typeof(Setting))]
        public partial class SettingsDb;
        """);

    [Fact]
    public void DatabaseWithVersion() => Verify("""
        namespace Chat;

        [Entity]
        public partial record Message
        {
            [Key] public long Id { get; init; }
            public string Text { get; init; } = "";
        }

        [Database(typeof(Message), Version = 3)]
        public partial class ChatDb
        {
            private async partial System.Threading.Tasks.ValueTask MigrateFromVersion1Async(Repos.Migrations.DatabaseMigration migration, System.Threading.CancellationToken cancellationToken)
            {
                await foreach (Repos.Migrations.StoredRow row in migration.ReadStoredRowsAsync("Draft", cancellationToken))
                {
                    await Messages.InsertAsync(new Message { Id = row.Get<long>("Id"), Text = row.Get<string>("Text") }, cancellationToken);
                }
            }

            private partial System.Threading.Tasks.ValueTask MigrateFromVersion2Async(Repos.Migrations.DatabaseMigration migration, System.Threading.CancellationToken cancellationToken) =>
                migration.DropEntityAsync("Draft", cancellationToken);
        }
        """);

    private static void Verify(string source, [CallerMemberName] string test = "")
    {
        GeneratorOutput output = GeneratorHarness.Run(source);
        Assert.Empty(output.Diagnostics);
        output.AssertCompiles();
        Snapshot.Verify(test, output);
    }
}
