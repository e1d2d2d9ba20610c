namespace Repos.Generators.Tests.Corpus;

/// <summary>Members Repos could store wrong: setters it cannot reach, hierarchies, attributes whose rules can never pass.</summary>
internal static partial class AuthoringCorpus
{
    private static IEnumerable<CorpusCase> StoredMembers() =>
        StoredSetters().Concat(StoredShapes()).Concat(StoredHierarchies()).Concat(StoredRules());

    /// <summary>Properties whose setter only the type's own code (or nobody) can call.</summary>
    private static IEnumerable<CorpusCase> StoredSetters()
    {
        yield return new("Stored_InitOnlyRecordProperties", """
            [Entity]
            public partial record Item
            {
                [Key] public Guid Id { get; init; }
                public int Counter { get; init; }
            }
            """);

        yield return new("Stored_PrivateSetOnEntityClass", """
            [Entity]
            public partial class Item
            {
                [Key] public Guid Id { get; set; }
                public int Counter { get; private set; }
                public void Increment() => Counter++;
            }
            """);

        yield return new("Stored_ProtectedSetOnEntityClass", """
            [Entity]
            public partial class Item
            {
                [Key] public Guid Id { get; set; }
                public string Name { get; protected set; } = "";
            }
            """);

        yield return new("Stored_PrivateInitOnRecord", """
            [Entity]
            public partial record Item
            {
                [Key] public Guid Id { get; init; }
                public int Counter { get; private init; }
                public Item Next() => this with { Counter = Counter + 1 };
            }
            """);

        yield return new("Stored_PrivateSetInPartialNestedType", """
            [Entity]
            public partial record Item
            {
                [Key] public Guid Id { get; init; }
                public Tally Tally { get; init; } = new();
            }

            public sealed partial class Tally
            {
                public int Count { get; private set; }
                public void Add() => Count++;
            }
            """);

        yield return new("Stored_PrivateSetInNonPartialNestedType_IsReported", """
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
            """, "REPOS031");

        yield return new("Stored_ProtectedSetOfBaseInSameAssembly", """
            public abstract class Counted
            {
                public int Counter { get; protected set; }
            }

            [Entity]
            public partial class Item : Counted
            {
                [Key] public Guid Id { get; set; }
                public void Increment() => Counter++;
            }
            """);

        yield return new("Stored_PrivateSetOfBaseInSameAssembly_IsReported", """
            public abstract class Counted
            {
                public int [|Counter|] { get; private set; }
                public void Increment() => Counter++;
            }

            [Entity]
            public partial class Item : Counted
            {
                [Key] public Guid Id { get; set; }
            }
            """, "REPOS031");

        yield return new("Stored_PrivateSetOfBaseInOtherAssembly_IsReportedAtTheEntity", """
            [Entity]
            public partial class [|Item|] : Library.Counted
            {
                [Key] public Guid Id { get; set; }
            }
            """, "REPOS031")
        {
            ReferencedSources = ["""
                namespace Library;

                public abstract class Counted
                {
                    public int Counter { get; private set; }
                    public int Twice => Counter * 2;
                    public void Increment() => Counter++;
                }
                """],
        };

        yield return new("Stored_InternalSetOfBaseInOtherAssembly_IsReportedAtTheEntity", """
            [Entity]
            public partial class [|Item|] : Library.Named
            {
                [Key] public Guid Id { get; set; }
            }
            """, "REPOS031")
        {
            ReferencedSources = ["""
                namespace Library;

                public abstract class Named
                {
                    public string Name { get; internal set; } = "";
                    public int Length { get { return Name.Length; } }
                }
                """],
        };

        yield return new("Stored_GetOnlyAutoPropertyOfBaseInOtherAssembly_IsReportedAtTheEntity", """
            [Entity]
            public partial class [|Item|] : Library.Stamped
            {
                [Key] public Guid Id { get; set; }
            }
            """, "REPOS031")
        {
            ReferencedSources = ["""
                namespace Library;

                public abstract class Stamped
                {
                    protected Stamped() => Created = DateTime.UtcNow;
                    public DateTime Created { get; }
                    public bool IsOld => Created < DateTime.UtcNow.AddYears(-1);
                }
                """],
        };

        yield return new("Stored_PublicSettersOfBaseInOtherAssembly", """
            [Entity]
            public partial class Item : Library.Audited
            {
                [Key] public Guid Id { get; set; }
            }
            """)
        {
            ReferencedSources = ["""
                namespace Library;

                public abstract class Audited
                {
                    public DateTime Changed { get; set; }
                    public string ChangedBy { get; init; } = "";
                    public bool IsNew => Changed == default;
                }
                """],
        };

        yield return new("Stored_ProtectedSetOfNestedBaseInOtherAssembly", """
            [Entity]
            public partial class Item : Library.Outer.Counted
            {
                [Key] public Guid Id { get; set; }
            }
            """)
        {
            ReferencedSources = ["""
                namespace Library;

                public static class Outer
                {
                    public abstract class Counted
                    {
                        public int Counter { get; protected set; }
                        public int Twice => Counter * 2;
                    }
                }
                """],
        };

        yield return new("Stored_PrivateSetOfNestedBaseInOtherAssembly_IsReportedAtTheEntity", """
            [Entity]
            public partial class [|Item|] : Library.Outer.Counted
            {
                [Key] public Guid Id { get; set; }
            }
            """, "REPOS031")
        {
            ReferencedSources = ["""
                namespace Library;

                public static class Outer
                {
                    public abstract class Counted
                    {
                        public int Counter { get; private set; }
                    }
                }
                """],
        };

        yield return new("Stored_GetOnlyAutoPropertyOnClass_IsReported", """
            [Entity]
            public partial class Item
            {
                [Key] public Guid Id { get; set; }
                public DateTime [|Created|] { get; } = DateTime.UtcNow;
            }
            """, "REPOS031");

        yield return new("Stored_GetOnlyAutoPropertyOnRecord_IsReported", """
            [Entity]
            public partial record Item
            {
                [Key] public Guid Id { get; init; }
                public int [|Counter|] { get; }
            }
            """, "REPOS031");

        yield return new("Stored_GetOnlyPropertiesSetByTheConstructor", """
            [Entity]
            public partial class Item
            {
                public Item(Guid id, string name)
                {
                    Id = id;
                    Name = name;
                }

                [Key] public Guid Id { get; }
                public string Name { get; }
            }
            """);

        yield return new("Stored_PrivateGetter_IsReported", """
            [Entity]
            public partial class Item
            {
                [Key] public Guid Id { get; set; }
                public string [|Secret|] { private get; set; } = "";
            }
            """, "REPOS031");

        yield return new("Stored_RequiredMembers", """
            [Entity]
            public partial record Item
            {
                [Key] public required Guid Id { get; init; }
                public required string Name { get; set; }
                public required List<string> Tags { get; init; }
            }
            """);
    }

    /// <summary>Members that hold no state, and state that is not a public property.</summary>
    private static IEnumerable<CorpusCase> StoredShapes()
    {
        yield return new("Stored_ComputedPropertiesStaticsAndIndexers_AreNotState", """
            using System.ComponentModel.DataAnnotations.Schema;

            [Entity]
            public partial class Item
            {
                private readonly Dictionary<string, string> _extra = [];

                [Key] public Guid Id { get; set; }
                public int Counter { get; set; }
                public int Twice => Counter * 2;
                public bool IsZero { get { return Counter == 0; } }
                public static int Created { get; set; }
                public string this[string name] { get => _extra[name]; set => _extra[name] = value; }
                [NotMapped] public string Cache { get; } = "";
                internal int Internal { get; set; }
                private int Private { get; set; }
                public const int Limit = 10;
                public static readonly string Kind = "item";
            }
            """);

        yield return new("Stored_ObservableClassWithBackingFieldsAndEvent", """
            using System.ComponentModel;
            using System.Runtime.CompilerServices;

            [Entity]
            public partial class TaskItem : INotifyPropertyChanged
            {
                private string _title = "";
                private bool _done;

                public event PropertyChangedEventHandler? PropertyChanged;

                [Key] public Guid Id { get; set; }

                public string Title
                {
                    get => _title;
                    set { _title = value; Changed(); }
                }

                public bool Done
                {
                    get { return _done; }
                    private set { _done = value; Changed(); }
                }

                public void Complete() => Done = true;

                private void Changed([CallerMemberName] string? name = null) => PropertyChanged?.Invoke(this, new PropertyChangedEventArgs(name));
            }
            """);

        yield return new("Stored_ProtectedInitOnRecordWithDerivedRecord", """
            public abstract record Document
            {
                public string Title { get; protected init; } = "";
            }

            [Entity]
            public partial record Letter : Document
            {
                [Key] public Guid Id { get; init; }
                public static Letter Create(string title) => new() { Title = title };
            }
            """);

        yield return new("Stored_PublicField_IsReported", """
            [Entity]
            public partial class Item
            {
                [Key] public Guid Id { get; set; }
                public int [|Counter|];
            }
            """, "REPOS032");

        yield return new("Stored_NotMappedPublicField", """
            using System.ComponentModel.DataAnnotations.Schema;

            [Entity]
            public partial class Item
            {
                [Key] public Guid Id { get; set; }
                [NotMapped] public int Counter;
            }
            """);

        yield return new("Stored_ExplicitInterfaceAutoProperty_IsReported", """
            public interface IHasCounter
            {
                int Counter { get; set; }
            }

            [Entity]
            public partial class Item : IHasCounter
            {
                [Key] public Guid Id { get; set; }
                int IHasCounter.[|Counter|] { get; set; }
            }
            """, "REPOS032");

        yield return new("Stored_ExplicitInterfaceComputedProperty", """
            public interface INamed
            {
                string Name { get; }
            }

            [Entity]
            public partial record Item : INamed
            {
                [Key] public Guid Id { get; init; }
                public string Title { get; init; } = "";
                string INamed.Name => Title;
            }
            """);

        yield return new("Stored_NewHidesStoredBaseProperty_IsReported", """
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
            """, "REPOS033");

        yield return new("Stored_NewHidesComputedBaseProperty", """
            public abstract class Named
            {
                public string Name => "unnamed";
            }

            [Entity]
            public partial class Item : Named
            {
                [Key] public Guid Id { get; set; }
                public new string Name { get; set; } = "";
            }
            """);

        yield return new("Stored_VirtualAndOverride", """
            public abstract class Named
            {
                public virtual string Name { get; set; } = "";
                public abstract int Rank { get; set; }
            }

            [Entity]
            public partial class Item : Named
            {
                [Key] public Guid Id { get; set; }
                public override string Name { get; set; } = "item";
                public override int Rank { get; set; }
            }
            """);

        yield return new("Stored_OverrideComputedFromStoredBase", """
            public abstract class Named
            {
                public virtual string Name { get; set; } = "";
            }

            [Entity]
            public partial class Item : Named
            {
                [Key] public Guid Id { get; set; }
                public override string Name { get => "fixed"; set { } }
            }
            """);

        yield return new("Stored_KeyOnBaseAndOverride_IsOneKey", """
            public abstract class Keyed
            {
                [Key] public virtual Guid Id { get; set; }
            }

            [Entity]
            public partial class Item : Keyed
            {
                [Key] public override Guid Id { get; set; }
                public string Name { get; set; } = "";
            }
            """);

        yield return new("Stored_KeyOnBaseOnly_WithOverride", """
            public abstract class Keyed
            {
                [Key] public virtual Guid Id { get; set; }
            }

            [Entity]
            public partial class Item : Keyed
            {
                public override Guid Id { get; set; }
            }
            """);
    }

    /// <summary>Entities deriving from entities and other types: they build with no warning in generated code.</summary>
    private static IEnumerable<CorpusCase> StoredHierarchies()
    {
        yield return new("Hierarchy_EntityDerivedFromEntity", """
            [Entity]
            public partial record Animal
            {
                [Key] public Guid Id { get; init; }
                [Range(0, 100)] public int Age { get; init; }
            }

            [Entity]
            public partial record Dog : Animal
            {
                public string Breed { get; init; } = "";
            }

            [Database(typeof(Animal), typeof(Dog))]
            public partial class Zoo;
            """);

        yield return new("Hierarchy_EntityDerivedFromEntity_WithValidateHooks", """
            [Entity]
            public partial class Animal
            {
                [Key] public Guid Id { get; set; }
                public int Counter { get; protected set; }
                partial void Validate(ValidationErrors errors)
                {
                    if (Counter < 0) errors.Add(nameof(Counter), "Positive", "The counter is negative.");
                }
            }

            [Entity]
            public partial class Dog : Animal
            {
                partial void Validate(ValidationErrors errors)
                {
                    if (Counter > 10) errors.Add(nameof(Counter), "Small", "The counter is too large.");
                }
            }

            [Database(typeof(Animal), typeof(Dog))]
            public partial class Zoo;
            """);

        yield return new("Hierarchy_EntitiesWithSettersOnlyTheyCanCall", """
            [Entity]
            public partial class Animal
            {
                [Key] public Guid Id { get; set; }
                public int Counter { get; protected set; }
            }

            [Entity]
            public partial class Dog : Animal
            {
            }

            [Entity]
            public partial class Puppy : Dog
            {
                public int Age { get; private set; }
            }

            public partial record Place
            {
                public string Town { get; protected init; } = "";
            }

            public sealed partial record Kennel : Place
            {
            }

            [Entity]
            public partial record Owner
            {
                [Key] public Guid Id { get; init; }
                public Place? Home { get; init; }
                public Kennel? Kennel { get; init; }
            }

            [Database(typeof(Animal), typeof(Dog), typeof(Puppy), typeof(Owner))]
            public partial class Zoo;
            """);

        yield return new("Hierarchy_IndexedOnBaseAndOverride_IsOneIndex", """
            public abstract class Named
            {
                [Indexed] public virtual string Name { get; set; } = "";
            }

            [Entity]
            public partial class Item : Named
            {
                [Key] public Guid Id { get; set; }
                [Indexed] public override string Name { get; set; } = "";
            }
            """);

        yield return new("Hierarchy_EntityDerivedFromVersionedEntity", """
            [Entity(Version = 2)]
            public partial record Animal
            {
                [Key] public Guid Id { get; init; }
                internal static partial void MigrateFromVersion1(Repos.Migrations.StoredRow row) { }
            }

            [Entity(Version = 2)]
            public partial record Dog : Animal
            {
                internal static new partial void MigrateFromVersion1(Repos.Migrations.StoredRow row) { }
            }

            [Database(typeof(Animal), typeof(Dog))]
            public partial class Zoo;
            """);

        yield return new("Hierarchy_MigrationHidingTheBaseEntitys_IsReported", """
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
            """, "REPOS039");

        yield return new("Hierarchy_EntityDerivedFromPlainBase", """
            public class Document
            {
                public string Title { get; set; } = "";
                public DateTime Changed { get; set; }
            }

            [Entity]
            public partial class Invoice : Document
            {
                [Key] public long Number { get; set; }
                [Indexed] public DateTime Due { get; set; }
                public decimal Total { get; set; }
            }
            """);

        yield return new("Hierarchy_AbstractAndGenericBases", """
            public abstract class Entity<TKey>
                where TKey : struct
            {
                [Key] public TKey Id { get; init; }
                public abstract string Describe();
            }

            public abstract record Timestamped
            {
                public DateTime Created { get; init; }
            }

            [Entity]
            public partial class Order : Entity<Guid>
            {
                public decimal Total { get; init; }
                public override string Describe() => Total.ToString();
            }

            [Entity]
            public partial record Note : Timestamped
            {
                [Key] public int Id { get; init; }
            }

            [Database(typeof(Order), typeof(Note))]
            public partial class Store;
            """);

        yield return new("Hierarchy_NestedTypeWithDerivedTypes", """
            [Entity]
            public partial record Person
            {
                [Key] public Guid Id { get; init; }
                public Address? Home { get; init; }
                public List<Address> Others { get; init; } = [];
            }

            public record Address
            {
                public string Street { get; init; } = "";
            }

            public sealed record PostalAddress : Address
            {
                public string PostCode { get; init; } = "";
            }
            """);
    }

    /// <summary>Validation attributes whose rules a value can never meet, or that Repos would not check.</summary>
    private static IEnumerable<CorpusCase> StoredRules()
    {
        yield return new("Rules_InvalidRegularExpression_IsReportedAtThePattern", """
            [Entity]
            public partial record Item
            {
                [Key] public Guid Id { get; init; }
                [RegularExpression([|"[a-z"|])] public string Code { get; init; } = "";
            }
            """, "REPOS034");

        yield return new("Rules_RegularExpressionTimeout", """
            [Entity]
            public partial record Item
            {
                [Key] public Guid Id { get; init; }
                [RegularExpression("^[a-z]+$", MatchTimeoutInMilliseconds = 100)] public string Code { get; init; } = "";
                [RegularExpression(@"^\d{3}$", MatchTimeoutInMilliseconds = -1)] public string Number { get; init; } = "";
            }
            """);

        yield return new("Rules_RegularExpressionZeroTimeout_IsReported", """
            [Entity]
            public partial record Item
            {
                [Key] public Guid Id { get; init; }
                [RegularExpression("^[a-z]+$", [|MatchTimeoutInMilliseconds = 0|])] public string Code { get; init; } = "";
            }
            """, "REPOS034");

        yield return new("Rules_RangeMinimumAboveMaximum_IsReported", """
            [Entity]
            public partial record Item
            {
                [Key] public Guid Id { get; init; }
                [[|Range(10, 1)|]] public int Rating { get; init; }
                [[|Range(2.5, 0.5)|]] public double Weight { get; init; }
            }
            """, "REPOS035", "REPOS035");

        yield return new("Rules_RangeBoundsAsTextThatAreNotNumbers_AreReported", """
            [Entity]
            public partial record Item
            {
                [Key] public Guid Id { get; init; }
                [Range(typeof(int), [|"x"|], "10")] public int Rating { get; init; }
                [Range(typeof(decimal), "0", [|"1,5"|])] public decimal Price { get; init; }
            }
            """, "REPOS036", "REPOS036");

        yield return new("Rules_RangeFractionalBoundForAWholeType_IsReported", """
            [Entity]
            public partial record Item
            {
                [Key] public Guid Id { get; init; }
                [Range(typeof(int), [|"1.5"|], "10")] public int Rating { get; init; }
            }
            """, "REPOS036");

        yield return new("Rules_RangeOfDatesOnANumber_IsReported", """
            [Entity]
            public partial record Item
            {
                [Key] public Guid Id { get; init; }
                [Range([|typeof(DateTime)|], "2020-01-01", "2030-01-01")] public int Year { get; init; }
            }
            """, "REPOS036");

        yield return new("Rules_RangeOnADate_IsReported", """
            [Entity]
            public partial record Item
            {
                [Key] public Guid Id { get; init; }
                [[|Range(typeof(DateTime), "2020-01-01", "2030-01-01")|]] public DateTime Due { get; init; }
            }
            """, "REPOS017");

        yield return new("Rules_RangeBoundsBeyondTheType", """
            [Entity]
            public partial record Item
            {
                [Key] public Guid Id { get; init; }
                [Range(0, 1000)] public byte Level { get; init; }
                [Range(-1, 10)] public ulong Count { get; init; }
                [Range(-5, 5)] public ushort? Small { get; init; }
                [Range(typeof(decimal), "0", "99.99")] public decimal Price { get; init; }
                [Range(typeof(double), "1e3", "1e4")] public double Big { get; init; }
                [Range(0.5, 10.5)] public int Half { get; init; }
            }
            """);

        yield return new("Rules_RangeNoValueOfTheTypeFits_IsReported", """
            [Entity]
            public partial record Item
            {
                [Key] public Guid Id { get; init; }
                [[|Range(300, 400)|]] public byte Level { get; init; }
            }
            """, "REPOS035");

        yield return new("Rules_RangeExclusiveBound_IsReported", """
            [Entity]
            public partial record Item
            {
                [Key] public Guid Id { get; init; }
                [Range(0, 10, [|MinimumIsExclusive = true|])] public int Rating { get; init; }
            }
            """, "REPOS037");

        yield return new("Rules_StringLengthMinimumAboveMaximum_IsReported", """
            [Entity]
            public partial record Item
            {
                [Key] public Guid Id { get; init; }
                [[|StringLength(5, MinimumLength = 10)|]] public string Name { get; init; } = "";
                [[|StringLength(-1)|]] public string Other { get; init; } = "";
            }
            """, "REPOS035", "REPOS035");

        yield return new("Rules_NegativeAndZeroLengths_AreReported", """
            [Entity]
            public partial record Item
            {
                [Key] public Guid Id { get; init; }
                [[|MinLength(-1)|]] public string Name { get; init; } = "";
                [[|MaxLength(0)|]] public List<string> Tags { get; init; } = [];
            }
            """, "REPOS035", "REPOS035");

        yield return new("Rules_MinLengthAboveMaxLength_IsReportedAtTheLaterAttribute", """
            [Entity]
            public partial record Item
            {
                [Key] public Guid Id { get; init; }
                [MaxLength(5), [|MinLength(10)|]] public string Name { get; init; } = "";
            }
            """, "REPOS035");

        yield return new("Rules_LengthMaximumBelowMinimum_IsReported", """
            [Entity]
            public partial record Item
            {
                [Key] public Guid Id { get; init; }
                [[|Length(10, 5)|]] public string Name { get; init; } = "";
            }
            """, "REPOS035");

        yield return new("Rules_LengthAndUnlimitedMaxLength", """
            [Entity]
            public partial record Item
            {
                [Key] public Guid Id { get; init; }
                [Length(1, 5)] public string Name { get; init; } = "x";
                [MaxLength] public byte[] Data { get; init; } = [];
                [MinLength(0), MaxLength(3)] public int[] Scores { get; init; } = [];
            }
            """);

        yield return new("Rules_StringLengthOnANumber_IsReported", """
            [Entity]
            public partial record Item
            {
                [Key] public Guid Id { get; init; }
                [[|StringLength(5)|]] public int Count { get; init; }
            }
            """, "REPOS017");

        yield return new("Rules_AttributesRepos_DoesNotCheck_AreReported", """
            public sealed class EvenAttribute : ValidationAttribute
            {
                public override bool IsValid(object? value) => value is int i && i % 2 == 0;
            }

            [Entity]
            public partial record Item
            {
                [Key] public Guid Id { get; init; }
                [[|Url|]] public string Site { get; init; } = "";
                [[|Even|]] public int Pairs { get; init; }
            }
            """, "REPOS037", "REPOS037");

        yield return new("Rules_UiMetadataAndRequiredOnValueTypes", """
            [Entity]
            public partial record Item
            {
                [Key] public Guid Id { get; init; }
                [Required, DataType(DataType.Date)] public DateTime Due { get; init; }
                [Required, Display(Name = "Count")] public int Count { get; init; }
                [EmailAddress, Required(AllowEmptyStrings = true)] public string Mail { get; init; } = "";
            }
            """);

        yield return new("Rules_RangeOnAVirtualBaseProperty_Applies", """
            public abstract record Rated
            {
                [Range(1, 5)] public virtual int Rating { get; init; }
            }

            [Entity]
            public partial record Item : Rated
            {
                [Key] public Guid Id { get; init; }
                public override int Rating { get; init; } = 3;
            }
            """);

        yield return new("Rules_FormerNameEmptyOrOwnName_IsReported", """
            [Entity]
            public partial record Item
            {
                [Key] public Guid Id { get; init; }
                [[|FormerName("")|]] public string Title { get; init; } = "";
                [[|FormerName("Body")|]] public string Body { get; init; } = "";
            }
            """, "REPOS038", "REPOS038");

        yield return new("Rules_FormerNameOfTwoProperties_IsReported", """
            [Entity]
            public partial record Item
            {
                [Key] public Guid Id { get; init; }
                [FormerName("Name")] public string Title { get; init; } = "";
                [[|FormerName("Name")|]] public string Label { get; init; } = "";
            }
            """, "REPOS020");
    }
}
