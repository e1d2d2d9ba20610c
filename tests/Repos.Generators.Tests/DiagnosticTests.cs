using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace Repos.Generators.Tests;

/// <summary>
/// One test per diagnostic. Each source marks the syntax the diagnostic must point at with <c>[|...|]</c>;
/// the test requires exactly that one diagnostic at exactly that span, and its message is compared with
/// <c>Snapshots/{Test}.diagnostics.verified.txt</c>.
/// </summary>
public sealed class DiagnosticTests
{
    [Fact]
    public void REPOS001_EntityNotPartial_PointsAtTypeName() => Expect("REPOS001", """
        [Entity]
        public record [|Item|]
        {
            [Key] public Guid Id { get; init; }
        }
        """);

    [Fact]
    public void REPOS002_EntityWithoutKey_PointsAtTypeName() => Expect("REPOS002", """
        [Entity]
        public partial record [|Item|]
        {
            public Guid Id { get; init; }
        }
        """);

    [Fact]
    public void REPOS003_EntityWithTwoKeys_PointsAtSecondKey() => Expect("REPOS003", """
        [Entity]
        public partial record Item
        {
            [Key] public Guid Id { get; init; }
            [Key] public Guid [|OtherId|] { get; init; }
        }
        """);

    [Fact]
    public void REPOS004_UnsupportedPropertyType_PointsAtProperty() => Expect("REPOS004", """
        public struct Point
        {
            public int X;
        }

        [Entity]
        public partial record Item
        {
            [Key] public Guid Id { get; init; }
            public Point [|Where|] { get; init; }
        }
        """);

    [Fact]
    public void REPOS004_UnsupportedPropertyInNestedType_PointsAtNestedProperty() => Expect("REPOS004", """
        public sealed class Box
        {
            public object? [|Content|] { get; set; }
        }

        [Entity]
        public partial record Item
        {
            [Key] public Guid Id { get; init; }
            public Box Box { get; init; } = new();
        }
        """);

    [Fact]
    public void REPOS005_IndexNamesMissingProperty_PointsAtAttribute() => Expect("REPOS005", """
        [Entity]
        [[|Index("Missing")|]]
        public partial record Item
        {
            [Key] public Guid Id { get; init; }
        }
        """);

    [Fact]
    public void REPOS006_IndexedDecimal_PointsAtProperty() => Expect("REPOS006", """
        [Entity]
        public partial record Item
        {
            [Key] public Guid Id { get; init; }
            [Indexed] public decimal [|Price|] { get; init; }
        }
        """);

    [Fact]
    public void REPOS006_IndexOnList_PointsAtAttribute() => Expect("REPOS006", """
        [Entity]
        [[|Index(nameof(Tags))|]]
        public partial record Item
        {
            [Key] public Guid Id { get; init; }
            public List<string> Tags { get; init; } = [];
        }
        """);

    [Fact]
    public void REPOS050_IgnoreCaseOnANumber_PointsAtProperty() => Expect("REPOS050", """
        [Entity]
        public partial record Item
        {
            [Key] public Guid Id { get; init; }
            [Indexed(IgnoreCase = true)] public int [|Code|] { get; init; }
        }
        """);

    [Fact]
    public void REPOS051_PropertyInIndexesWithAndWithoutIgnoreCase_PointsAtSecondIndex() => Expect("REPOS051", """
        [Entity]
        [Index(nameof(Email), IgnoreCase = true)]
        [[|Index(nameof(Email), nameof(Id))|]]
        public partial record Item
        {
            [Key] public Guid Id { get; init; }
            public string Email { get; init; } = "";
        }
        """);

    [Fact]
    public void REPOS007_DuplicateIndex_PointsAtSecondDeclaration() => Expect("REPOS007", """
        [Entity]
        [[|Index(nameof(Code))|]]
        public partial record Item
        {
            [Key] public Guid Id { get; init; }
            [Indexed] public int Code { get; init; }
        }
        """);

    [Fact]
    public void REPOS008_EntityInTwoDatabases_PointsAtSecondTypeof() => Expect("REPOS008", """
        [Entity]
        public partial record Item
        {
            [Key] public Guid Id { get; init; }
        }

        [Database(typeof(Item))]
        public partial class FirstDb;

        [Database([|typeof(Item)|])]
        public partial class SecondDb;
        """);

    [Fact]
    public void REPOS009_DatabaseNotPartial_PointsAtTypeName() => Expect("REPOS009", """
        [Entity]
        public partial record Item
        {
            [Key] public Guid Id { get; init; }
        }

        [Database(typeof(Item))]
        public class [|Db|];
        """);

    [Fact]
    public void REPOS010_DatabaseListsNonEntity_PointsAtTypeof() => Expect("REPOS010", """
        public sealed class Plain;

        [Database([|typeof(Plain)|])]
        public partial class Db;
        """);

    [Fact]
    public void REPOS011_DateTimeKey_PointsAtKeyProperty() => Expect("REPOS011", """
        [Entity]
        public partial record Item
        {
            [Key] public DateTime [|Id|] { get; init; }
        }
        """);

    [Fact]
    public void REPOS011_NullableStringKey_PointsAtKeyProperty() => Expect("REPOS011", """
        [Entity]
        public partial record Item
        {
            [Key] public string? [|Id|] { get; init; }
        }
        """);

    [Fact]
    public void REPOS012_NestedEntity_PointsAtTypeName() => Expect("REPOS012", """
        public partial class Outer
        {
            [Entity]
            public partial record [|Item|]
            {
                [Key] public Guid Id { get; init; }
            }
        }
        """);

    [Fact]
    public void REPOS012_GenericEntity_PointsAtTypeName() => Expect("REPOS012", """
        [Entity]
        public partial record [|Item|]<T>
        {
            [Key] public Guid Id { get; init; }
        }
        """);

    [Fact]
    public void REPOS012_StoredTypeNestedInClass_PointsAtTypeName() => Expect("REPOS012", """
        public static class Holder
        {
            public sealed record [|Part|](string Name);
        }

        [Entity]
        public partial record Item
        {
            [Key] public Guid Id { get; init; }
            public Holder.Part? Part { get; init; }
        }
        """);

    [Fact]
    public void REPOS013_NoUsableConstructor_PointsAtTypeName() => Expect("REPOS013", """
        public sealed class [|Part|]
        {
            public Part(string label)
            {
                Name = label;
            }

            public string Name { get; set; }
        }

        [Entity]
        public partial record Item
        {
            [Key] public Guid Id { get; init; }
            public Part? Part { get; init; }
        }
        """);

    [Fact]
    public void REPOS014_VersionZero_PointsAtAttribute() => Expect("REPOS014", """
        [[|Entity(Version = 0)|]]
        public partial record Item
        {
            [Key] public Guid Id { get; init; }
        }
        """);

    [Fact]
    public void REPOS015_DatabaseWithBaseClass_PointsAtTypeName() => Expect("REPOS015", """
        [Entity]
        public partial record Item
        {
            [Key] public Guid Id { get; init; }
        }

        public abstract class Base;

        [Database(typeof(Item))]
        public partial class [|Db|] : Base;
        """);

    [Fact]
    public void REPOS016_TwoEntitiesInOneTable_PointsAtSecondTypeof() => Expect("REPOS016", """
        [Entity("things")]
        public partial record Item
        {
            [Key] public Guid Id { get; init; }
        }

        [Entity("Things")]
        public partial record Other
        {
            [Key] public Guid Id { get; init; }
        }

        [Database(typeof(Item), [|typeof(Other)|])]
        public partial class Db;
        """);

    [Fact]
    public void REPOS017_RangeOnString_PointsAtAttribute() => Expect("REPOS017", """
        [Entity]
        public partial record Item
        {
            [Key] public Guid Id { get; init; }
            [[|Range(1, 5)|]] public string Name { get; init; } = "";
        }
        """);

    [Fact]
    public void REPOS018_IndexWithoutProperties_PointsAtAttribute() => Expect("REPOS018", """
        [Entity]
        [[|Index|]]
        public partial record Item
        {
            [Key] public Guid Id { get; init; }
        }
        """);

    [Fact]
    public void REPOS019_IndexRepeatsProperty_PointsAtAttribute() => Expect("REPOS019", """
        [Entity]
        [[|Index(nameof(Code), nameof(Code))|]]
        public partial record Item
        {
            [Key] public Guid Id { get; init; }
            public int Code { get; init; }
        }
        """);

    [Fact]
    public void REPOS020_FormerNameOfAnotherProperty_PointsAtAttribute() => Expect("REPOS020", """
        [Entity]
        public partial record Item
        {
            [Key] public Guid Id { get; init; }
            public string Title { get; init; } = "";
            [[|FormerName("Title")|]] public string Heading { get; init; } = "";
        }
        """);

    [Fact]
    public void REPOS021_DatabaseWithoutEntities_PointsAtTypeName() => Expect("REPOS021", """
        [Database]
        public partial class [|Db|];
        """);

    [Fact]
    public void REPOS022_ReservedTableName_PointsAtAttribute() => Expect("REPOS022", """
        [[|Entity("sqlite_items")|]]
        public partial record Item
        {
            [Key] public Guid Id { get; init; }
        }
        """);

    [Fact]
    public void REPOS004_InATypeSharedByTwoEntities_IsReportedOnce() => Expect("REPOS004", """
        [Entity]
        public partial record First
        {
            [Key] public Guid Id { get; init; }
            public Box? Box { get; init; }
        }

        [Entity]
        public partial record Second
        {
            [Key] public Guid Id { get; init; }
            public List<Box> Boxes { get; init; } = [];
        }

        public sealed class Box
        {
            public object? [|Content|] { get; set; }
        }
        """);

    [Fact]
    public void REPOS024_DatabaseWithOnlyAParameterizedConstructor_PointsAtIt() => Expect("REPOS024", """
        [Entity]
        public partial record Item
        {
            [Key] public Guid Id { get; init; }
        }

        [Database(typeof(Item))]
        public partial class Db
        {
            public [|Db|](string name)
            {
            }
        }
        """);

    [Fact]
    public void REPOS023_RaisedVersionWithoutItsMigration_PointsAtAttribute() => Expect("REPOS023", """
        [[|Entity(Version = 3)|]]
        public partial record Item
        {
            [Key] public Guid Id { get; init; }

            internal static partial void MigrateFromVersion1(Repos.Migrations.StoredRow row)
            {
            }
        }
        """);

    [Fact]
    public void REPOS025_RaisedDatabaseVersionWithoutItsMigration_PointsAtAttribute() => Expect("REPOS025", """
        [Entity]
        public partial record Item
        {
            [Key] public Guid Id { get; init; }
        }

        [[|Database(typeof(Item), Version = 3)|]]
        public partial class Db
        {
            private partial System.Threading.Tasks.ValueTask MigrateFromVersion2Async(Repos.Migrations.DatabaseMigration migration, System.Threading.CancellationToken cancellationToken) =>
                System.Threading.Tasks.ValueTask.CompletedTask;
        }
        """);

    [Fact]
    public void REPOS026_DatabaseVersionBelowOne_PointsAtAttribute() => Expect("REPOS026", """
        [Entity]
        public partial record Item
        {
            [Key] public Guid Id { get; init; }
        }

        [[|Database(typeof(Item), Version = 0)|]]
        public partial class Db;
        """);

    [Fact]
    public void REPOS027_RowVersionNotAnInteger_PointsAtProperty() => Expect("REPOS027", """
        [Entity]
        public partial record Item
        {
            [Key] public Guid Id { get; init; }
            [ConcurrencyCheck] public long? [|Version|] { get; init; }
        }
        """);

    [Fact]
    public void REPOS028_TwoRowVersions_PointsAtSecond() => Expect("REPOS028", """
        [Entity]
        public partial record Item
        {
            [Key] public Guid Id { get; init; }
            [ConcurrencyCheck] public long Version { get; init; }
            [ConcurrencyCheck] public int [|Revision|] { get; init; }
        }
        """);

    [Fact]
    public void REPOS029_InitOnlyRowVersionOfAClass_PointsAtProperty() => Expect("REPOS029", """
        [Entity]
        public partial class Item
        {
            [Key] public Guid Id { get; init; }
            [ConcurrencyCheck] public long [|Version|] { get; init; }
        }
        """);

    [Fact]
    public void REPOS029_RowVersionNotStored_PointsAtProperty() => Expect("REPOS029", """
        [Entity]
        public partial record Item
        {
            [Key] public Guid Id { get; init; }
            [ConcurrencyCheck] public long [|Version|] => 1;
        }
        """);

    [Fact]
    public void REPOS030_RowVersionInNestedType_PointsAtProperty() => Expect("REPOS030", """
        public sealed record Line(string Text, [property: ConcurrencyCheck] long [|Version|]);

        [Entity]
        public partial record Item
        {
            [Key] public Guid Id { get; init; }
            public List<Line> Lines { get; init; } = [];
        }
        """);

    [Fact]
    public void REPOS055_IdentityOnAStringKey_PointsAtProperty() => Expect("REPOS055", """
        using System.ComponentModel.DataAnnotations.Schema;

        [Entity]
        public partial record Item
        {
            [Key, DatabaseGenerated(DatabaseGeneratedOption.Identity)] public string [|Id|] { get; init; } = "";
        }
        """);

    [Fact]
    public void REPOS055_ComputedKey_PointsAtProperty() => Expect("REPOS055", """
        using System.ComponentModel.DataAnnotations.Schema;

        [Entity]
        public partial record Item
        {
            [Key, DatabaseGenerated(DatabaseGeneratedOption.Computed)] public int [|Id|] { get; init; }
        }
        """);

    [Fact]
    public void REPOS056_IdentityOnAPropertyThatIsNotTheKey_PointsAtProperty() => Expect("REPOS056", """
        using System.ComponentModel.DataAnnotations.Schema;

        [Entity]
        public partial record Item
        {
            [Key] public Guid Id { get; init; }
            [DatabaseGenerated(DatabaseGeneratedOption.Identity)] public long [|Number|] { get; init; }
        }
        """);

    [Fact]
    public void REPOS057_IdentityKeyOfAClassWithAnInitAccessor_PointsAtProperty() => Expect("REPOS057", """
        using System.ComponentModel.DataAnnotations.Schema;

        [Entity]
        public partial class Item
        {
            [Key, DatabaseGenerated(DatabaseGeneratedOption.Identity)] public int [|Id|] { get; init; }
        }
        """);

    [Fact]
    public void REPOS070_SyncedEntityWhoseKeyComesFromTheCounter_PointsAtTheAttribute() => Expect("REPOS070", """
        using System.ComponentModel.DataAnnotations.Schema;

        [Entity, [|Synced|]]
        public partial record Item
        {
            [Key, DatabaseGenerated(DatabaseGeneratedOption.Identity)] public long Id { get; init; }
        }
        """);

    [Fact]
    public void REPOS071_SyncedOnATypeThatIsNotAnEntity_PointsAtTheAttribute() => Expect("REPOS071", """
        [[|Synced|]]
        public partial record Tag
        {
            public string Name { get; init; } = "";
        }
        """);

    [Fact]
    public void SyncedEntities_WithKeysTwoDevicesNeverShare_ReportNothing_AndSayTheyAreSynced()
    {
        GeneratorOutput output = GeneratorHarness.Run("""
            using System.ComponentModel.DataAnnotations.Schema;

            namespace Valid;

            [Entity, Synced]
            public partial record Symptom
            {
                [Key] public Guid Id { get; init; }
                public string Name { get; init; } = "";
            }

            [Entity]
            [Synced]
            public partial class Setting
            {
                [Key] public string Name { get; set; } = "";
                public int Value { get; set; }
            }

            [Entity, Synced]
            public partial record Photo([property: Key, DatabaseGenerated(DatabaseGeneratedOption.Identity)] Guid Id, string Caption);

            [Entity]
            public partial record Local
            {
                [Key] public int Id { get; init; }
            }

            [Database(typeof(Symptom), typeof(Setting), typeof(Photo), typeof(Local))]
            public partial class Db;
            """);

        Assert.Empty(output.Diagnostics);
        output.AssertCompiles();
        foreach (string synced in new[] { "Symptom", "Setting", "Photo" })
        {
            string source = output.Result.GeneratedSources.Single(s => s.HintName.Contains(synced + ".Repository", StringComparison.Ordinal)).SourceText.ToString();
            Assert.Contains("public override bool IsSynced => true;", source, StringComparison.Ordinal);
        }

        string local = output.Result.GeneratedSources.Single(s => s.HintName.Contains("Local.Repository", StringComparison.Ordinal)).SourceText.ToString();
        Assert.DoesNotContain("IsSynced", local, StringComparison.Ordinal);
    }

    [Fact]
    public void IdentityKeys_OfEveryKind_ReportNothing_AndCompile()
    {
        GeneratorOutput output = GeneratorHarness.Run("""
            using System.ComponentModel.DataAnnotations.Schema;

            namespace Valid;

            [Entity]
            public partial record Ticket
            {
                [Key, DatabaseGenerated(DatabaseGeneratedOption.Identity)] public int Id { get; init; }
            }

            [Entity]
            public partial class Invoice
            {
                [Key, DatabaseGenerated(DatabaseGeneratedOption.Identity)] public long Number { get; set; }
                [DatabaseGenerated(DatabaseGeneratedOption.None)] public int Other { get; set; }
            }

            [Entity]
            public partial record Photo([property: Key, DatabaseGenerated(DatabaseGeneratedOption.Identity)] Guid Id, string Name);

            [Database(typeof(Ticket), typeof(Invoice), typeof(Photo))]
            public partial class Db;
            """);

        Assert.Empty(output.Diagnostics);
        output.AssertCompiles();
        string invoice = output.Result.GeneratedSources.Single(s => s.HintName.Contains("Invoice.Repository", StringComparison.Ordinal)).SourceText.ToString();
        Assert.Contains("KeyGeneration => global::Repos.Internal.KeyGeneration.Sequence;", invoice, StringComparison.Ordinal);
        Assert.Contains("entity.Number = key;", invoice, StringComparison.Ordinal);
        string photo = output.Result.GeneratedSources.Single(s => s.HintName.Contains("Photo.Repository", StringComparison.Ordinal)).SourceText.ToString();
        Assert.Contains("KeyGeneration.GuidVersion7;", photo, StringComparison.Ordinal);
        Assert.Contains("entity with { Id = key }", photo, StringComparison.Ordinal);
    }

    [Fact]
    public void ValidModel_ReportsNothing()
    {
        GeneratorOutput output = GeneratorHarness.Run("""
            namespace Valid;

            public enum Kind : byte { A, B }

            [Entity("items", Version = 3)]
            [Index(nameof(Kind), nameof(Code), Unique = true)]
            public partial record Item
            {
                [Key] public long Id { get; init; }
                [Indexed] public required string Name { get; init; }
                public Kind Kind { get; init; }
                [Range(0, 99)] public int Code { get; init; }
                [FormerName("Notes")] [MaxLength(100)] public string? Text { get; init; }
                public List<Part> Parts { get; init; } = [];

                internal static partial void MigrateFromVersion1(Repos.Migrations.StoredRow row) => row.Rename("Notes", "Text");

                internal static partial void MigrateFromVersion2(Repos.Migrations.StoredRow row)
                {
                }
            }

            public sealed record Part(string Label, [property: Range(1, 9)] int Size);

            [Database(typeof(Item))]
            public partial class Db;
            """);

        Assert.Empty(output.Diagnostics);
        output.AssertCompiles();
    }

    [Fact]
    public void REPOS040_UserTypeNamedLikeTheRepository_PointsAtEntity() => Expect("REPOS040", """
        public sealed class ItemRepository
        {
        }

        [Entity]
        public partial record [|Item|]
        {
            [Key] public Guid Id { get; init; }
        }
        """);

    [Fact]
    public void REPOS041_RepositoryNameNotAnIdentifier_PointsAtArgument() => Expect("REPOS041", """
        [Entity([|RepositoryName = "Item-Repository"|])]
        public partial record Item
        {
            [Key] public Guid Id { get; init; }
        }
        """);

    [Fact]
    public void REPOS042_TwoEntitiesWithOnePropertyName_PointsAtSecondTypeof() => Expect("REPOS042", """
        namespace App;

        [Entity]
        public partial record Person
        {
            [Key] public Guid Id { get; init; }
        }

        [Entity]
        public partial record People
        {
            [Key] public Guid Id { get; init; }
        }

        [Database(typeof(Person), [|typeof(People)|])]
        public partial class AppDatabase;
        """);

    [Fact]
    public void REPOS043_EntityListedTwice_PointsAtSecondTypeof() => Expect("REPOS043", """
        [Entity]
        public partial record Item
        {
            [Key] public Guid Id { get; init; }
        }

        [Database(typeof(Item), [|typeof(Item)|])]
        public partial class AppDatabase;
        """);

    [Fact]
    public void REPOS044_StaticDatabase_PointsAtTypeName() => Expect("REPOS044", """
        [Entity]
        public partial record Item
        {
            [Key] public Guid Id { get; init; }
        }

        [Database(typeof(Item))]
        public static partial class [|AppDatabase|];
        """);

    [Fact]
    public void REPOS045_RecordStructEntity_PointsAtTypeName() => Expect("REPOS045", """
        [Entity]
        public partial record struct [|Item|]
        {
            [Key] public Guid Id { get; init; }
        }
        """);

    [Fact]
    public void REPOS046_PropertyNamedValidate_PointsAtProperty() => Expect("REPOS046", """
        [Entity]
        public partial record Item
        {
            [Key] public Guid Id { get; init; }
            public bool [|Validate|] { get; init; }
        }
        """);

    [Fact]
    public void REPOS047_ValidateWithoutPartial_PointsAtMethod() => Expect("REPOS047", """
        [Entity]
        public partial record Item
        {
            [Key] public Guid Id { get; init; }

            public void [|Validate|](ValidationErrors errors)
            {
            }
        }
        """);

    [Fact]
    public void REPOS048_IndexesWithOneMethodName_PointsAtLaterIndex() => Expect("REPOS048", """
        [Entity]
        [[|Index(nameof(Last), nameof(Name))|]]
        public partial record Item
        {
            [Key] public Guid Id { get; init; }
            public string Last { get; init; } = "";
            public string Name { get; init; } = "";
            [Indexed] public string LastAndName { get; init; } = "";
        }
        """);

    [Fact]
    public void REPOS049_EntityNamesDifferingInCase_PointsAtLaterName() => Expect("REPOS049", """
        [Entity("Upper")]
        public partial record Item
        {
            [Key] public Guid Id { get; init; }
        }

        [Entity("Lower")]
        public partial record [|item|]
        {
            [Key] public Guid Id { get; init; }
        }
        """);

    [Fact]
    public void REPOS063_IndexedPropertiesDifferingInCase_PointsAtLaterProperty() => Expect("REPOS063", """
        [Entity]
        public partial record Item
        {
            [Key] public Guid Id { get; init; }
            [Indexed] public string Email { get; init; } = "";
            [Indexed] public string [|EMail|] { get; init; } = "";
        }
        """);

    [Fact]
    public void REPOS064_EntityOfAReferencedAssembly_PointsAtTypeof()
    {
        // The entities' assembly, built with the generator as a library of entities would be.
        CSharpCompilation library = GeneratorHarness.Compile("""
            namespace Shared;

            [Entity]
            public partial record Item
            {
                [Key] public Guid Id { get; init; }
            }
            """).WithAssemblyName("Shared");
        GeneratorOutput built = GeneratorHarness.Run(GeneratorHarness.CreateDriver(), library);
        built.AssertCompiles();
        using var image = new MemoryStream();
        Assert.True(built.Output.Emit(image).Success);
        MetadataReference reference = MetadataReference.CreateFromImage(image.ToArray());

        const string marked = """
            [Database([|typeof(Shared.Item)|])]
            public partial class AppDatabase;
            """;
        (string source, TextSpan span) = Unmark(marked);
        CSharpCompilation app = GeneratorHarness.Compile(source).AddReferences(reference);
        GeneratorOutput output = GeneratorHarness.Run(GeneratorHarness.CreateDriver(), app);

        Diagnostic diagnostic = Assert.Single(output.Diagnostics);
        Assert.Equal("REPOS064", diagnostic.Id);
        Assert.Equal(span, diagnostic.Location.SourceSpan);
        Assert.Empty(output.Result.GeneratedSources);
        Snapshot.VerifyDiagnostics(nameof(REPOS064_EntityOfAReferencedAssembly_PointsAtTypeof), output);
    }

    [Fact]
    public void Index_OnPropertyWithUnderscore_NextToCompositeIndex_IsNoDuplicate_AndGetsItsOwnName()
    {
        GeneratorOutput output = GeneratorHarness.Run("""
            [Entity]
            [Index(nameof(A), nameof(B))]
            public partial record Item
            {
                [Key] public Guid Id { get; init; }
                public int A { get; init; }
                public int B { get; init; }
                [Indexed] public int A_B { get; init; }
            }
            """);

        Assert.Empty(output.Diagnostics);
        output.AssertCompiles();
        string repository = output.Result.GeneratedSources.Single(s => s.HintName == "Item.Repository.g.cs").SourceText.ToString();
        Assert.Contains("new(\"A_B\", new[] { \"A_B\" }, false)", repository);
        Assert.Contains("new(\"A_B_2\", new[] { \"A\", \"B\" }, false)", repository);
    }

    [Fact]
    public void Descriptors_AreAllCoveredByATest()
    {
        string[] tested = typeof(DiagnosticTests).GetMethods()
            .Where(m => m.Name.StartsWith("REPOS", StringComparison.Ordinal))
            .Select(m => m.Name[..8])
            .Distinct()
            .Order(StringComparer.Ordinal)
            .ToArray();
        string[] expected = [.. Enumerable.Range(1, 49).Select(i => $"REPOS{i:000}"), "REPOS050", "REPOS051", "REPOS055", "REPOS056", "REPOS057", "REPOS063", "REPOS064", "REPOS070", "REPOS071"];
        Assert.Equal(expected, tested);
    }

    [Fact]
    public void REPOS031_PropertyOnlyItsNonPartialTypeCanSet_PointsAtProperty() => Expect("REPOS031", """
        [Entity]
        public partial record Item
        {
            [Key] public Guid Id { get; init; }
            public Tally Tally { get; init; } = new();
        }

        public sealed class Tally
        {
            public int [|Count|] { get; private set; }
        }
        """);

    [Fact]
    public void REPOS032_PublicField_PointsAtField() => Expect("REPOS032", """
        [Entity]
        public partial class Item
        {
            [Key] public Guid Id { get; set; }
            public int [|Counter|];
        }
        """);

    [Fact]
    public void REPOS033_PropertyHidingStoredBaseProperty_PointsAtProperty() => Expect("REPOS033", """
        public abstract class Named
        {
            public string Name { get; set; } = "";
        }

        [Entity]
        public partial class Item : Named
        {
            [Key] public Guid Id { get; set; }
            public new string [|Name|] { get; set; } = "";
        }
        """);

    [Fact]
    public void REPOS034_InvalidRegularExpression_PointsAtPattern() => Expect("REPOS034", """
        [Entity]
        public partial record Item
        {
            [Key] public Guid Id { get; init; }
            [RegularExpression([|"(unclosed"|])] public string Code { get; init; } = "";
        }
        """);

    [Fact]
    public void REPOS035_RangeMinimumAboveMaximum_PointsAtAttribute() => Expect("REPOS035", """
        [Entity]
        public partial record Item
        {
            [Key] public Guid Id { get; init; }
            [[|Range(10, 1)|]] public int Rating { get; init; }
        }
        """);

    [Fact]
    public void REPOS036_RangeBoundNotANumber_PointsAtBound() => Expect("REPOS036", """
        [Entity]
        public partial record Item
        {
            [Key] public Guid Id { get; init; }
            [Range(typeof(int), "1", [|"ten"|])] public int Rating { get; init; }
        }
        """);

    [Fact]
    public void REPOS037_ValidationAttributeNotChecked_PointsAtAttribute() => Expect("REPOS037", """
        [Entity]
        public partial record Item
        {
            [Key] public Guid Id { get; init; }
            [[|Phone|]] public string Number { get; init; } = "";
        }
        """);

    [Fact]
    public void REPOS038_EmptyFormerName_PointsAtAttribute() => Expect("REPOS038", """
        [Entity]
        public partial record Item
        {
            [Key] public Guid Id { get; init; }
            [[|FormerName(" ")|]] public string Title { get; init; } = "";
        }
        """);

    [Fact]
    public void REPOS039_MigrationHidingBaseEntitysStep_PointsAtStep() => Expect("REPOS039", """
        [Entity(Version = 2)]
        public partial record Animal
        {
            [Key] public Guid Id { get; init; }
            internal static partial void MigrateFromVersion1(Repos.Migrations.StoredRow row) { }
        }

        [Entity(Version = 2)]
        public partial record Dog : Animal
        {
            internal static partial void [|MigrateFromVersion1|](Repos.Migrations.StoredRow row) { }
        }
        """);

    private static void Expect(string id, string markedSource, [CallerMemberName] string test = "")
    {
        (string source, TextSpan span) = Unmark(markedSource);
        GeneratorOutput output = GeneratorHarness.Run(source);

        Diagnostic diagnostic = Assert.Single(output.Diagnostics);
        Assert.Equal(id, diagnostic.Id);
        Assert.Equal(diagnostic.Id == "REPOS037" ? DiagnosticSeverity.Warning : DiagnosticSeverity.Error, diagnostic.Severity);
        // The model keeps plain locations, so reported ones are file locations (no SourceTree): path and span must still be exact.
        Assert.Equal(GeneratorHarness.SourcePath, diagnostic.Location.GetLineSpan().Path);
        Assert.True(
            span == diagnostic.Location.SourceSpan,
            $"{id} points at '{source[diagnostic.Location.SourceSpan.Start..diagnostic.Location.SourceSpan.End]}' {diagnostic.Location.GetLineSpan().Span}, expected '{source[span.Start..span.End]}'.");
        Assert.Equal($"docs/diagnostics.md#{id.ToLowerInvariant()}", diagnostic.Descriptor.HelpLinkUri);
        Assert.Equal(diagnostic.Location.GetLineSpan().Span, SourceText(output).Lines.GetLinePositionSpan(span));

        Snapshot.VerifyDiagnostics(test, output);
    }

    private static SourceText SourceText(GeneratorOutput output) =>
        output.Input.SyntaxTrees.Single(t => t.FilePath == GeneratorHarness.SourcePath).GetText();

    /// <summary>Removes the one <c>[|...|]</c> marker from <paramref name="marked"/> and returns the span it enclosed.</summary>
    private static (string Source, TextSpan Span) Unmark(string marked)
    {
        int start = marked.IndexOf("[|", StringComparison.Ordinal);
        int end = marked.IndexOf("|]", StringComparison.Ordinal);
        Assert.True(start >= 0 && end > start, "The test source marks no span.");
        string source = marked[..start] + marked[(start + 2)..end] + marked[(end + 2)..];
        return (source, TextSpan.FromBounds(start, end - 2));
    }
}
