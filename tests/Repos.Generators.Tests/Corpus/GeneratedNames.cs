namespace Repos.Generators.Tests.Corpus;

/// <summary>Names that would clash with what the generator writes, and shapes the generated code must compile against.</summary>
internal static partial class AuthoringCorpus
{
    private static IEnumerable<CorpusCase> GeneratedNames()
    {
        yield return new("Names_EntityInGlobalNamespaceWithDatabase", """
            [Entity]
            public partial record Person
            {
                [Key] public Guid Id { get; init; }
            }

            [Database(typeof(Person))]
            public partial class AppDatabase;
            """);

        yield return new("Names_KeywordProperties", """
            namespace App;

            [Entity]
            public partial record Item
            {
                [Key] public Guid @int { get; init; }
                [Indexed] public string @class { get; init; } = "";
                [Indexed(Unique = true)] public int @event { get; init; }
                public string value { get; init; } = "";
                public int var { get; init; }
                public bool async { get; init; }
                public bool await { get; init; }
                public string record { get; init; } = "";
                [ConcurrencyCheck] public long @this { get; init; }
            }

            [Database(typeof(Item))]
            public partial class AppDatabase;
            """);

        yield return new("Names_KeywordPropertiesWithRules", """
            public sealed record @event
            {
                [Required, StringLength(10)] public string @class { get; init; } = "x";
                [Range(1, 5)] public int @int { get; init; } = 1;
            }

            [Entity]
            public partial record Item
            {
                [Key] public Guid Id { get; init; }
                [Range(1, 5)] public int @int { get; init; } = 1;
                [RegularExpression("[a-z]+")] public string? @string { get; init; }
                [MinLength(1)] public List<@event> @params { get; init; } = [new()];
                public @event? @object { get; init; }
                public Dictionary<string, @event> @in { get; init; } = [];
                partial void Validate(ValidationErrors errors)
                {
                    if (@int > 4 && @string is null) errors.Add(nameof(@string), "Needed", "Needed above 4.");
                }
            }
            """);

        yield return new("Names_KeywordPropertiesOnClass", """
            [Entity]
            public partial class Item
            {
                [Key, System.ComponentModel.DataAnnotations.Schema.DatabaseGenerated(System.ComponentModel.DataAnnotations.Schema.DatabaseGeneratedOption.Identity)] public int @int { get; set; }
                [Indexed] public string @string { get; set; } = "";
                [ConcurrencyCheck] public long @long { get; set; }
                public string @default { get; set; } = "x";
            }
            """);

        yield return new("Names_KeywordConstructorParameters", """
            [Entity]
            public partial record Item([property: Key] Guid @int, string @class, string @params = "p");
            """);

        yield return new("Names_KeywordTypeAndNamespace", """
            namespace App.@event.@class;

            [Entity]
            public partial record @record
            {
                [Key] public Guid Id { get; init; }
                [Indexed] public string Name { get; init; } = "";
                public @object? Inner { get; init; }
            }

            public sealed record @object
            {
                public int @int { get; init; }
            }

            [Database(typeof(@record))]
            public partial class @base;
            """);

        yield return new("Names_PropertiesNamedLikeGeneratedParameters", """
            [Entity]
            public partial record Item
            {
                [Key] public Guid Key { get; init; }
                [Indexed(Unique = true)] public string CancellationToken { get; init; } = "";
                [Indexed] public int Value { get; init; }
                [Indexed] public int Entity { get; init; }
                [Indexed] public int Writer { get; init; }
                [Indexed] public int Reader { get; init; }
                [Indexed] public int Errors { get; init; }
                [Indexed] public int Transaction { get; init; }
                [Indexed] public int Values { get; init; }
                [Indexed] public int Context { get; init; }
                [Indexed] public int Database { get; init; }
                [Indexed] public int Index { get; init; }
                public int Map { get; init; }
                public int Ids { get; init; }
                public int Count { get; init; }
                public int Defaults { get; init; }
                public int P0 { get; init; }
                public int Missing0 { get; init; }
            }

            [Database(typeof(Item))]
            public partial class AppDatabase;
            """);

        yield return new("Names_CompositeUniqueIndexOnGeneratedParameterNames", """
            [Entity]
            [Index(nameof(CancellationToken), nameof(Value), nameof(Values), nameof(CancellationToken2), Unique = true)]
            public partial record Item
            {
                [Key] public Guid Id { get; init; }
                public string CancellationToken { get; init; } = "";
                public int Value { get; init; }
                public long Values { get; init; }
                public long CancellationToken2 { get; init; }
            }
            """);

        yield return new("Names_ConstructorParametersNamedLikeLocals", """
            [Entity]
            public partial record Item([property: Key] Guid map, string reader, string context, int count, string defaults = "d")
            {
                public string Ids { get; init; } = "";
            }
            """);

        yield return new("Names_CaseDifferingPropertiesInOneIndex", """
            [Entity]
            [[|Index(nameof(Name), nameof(name), Unique = true)|]]
            public partial record Item
            {
                [Key] public Guid Id { get; init; }
                public string Name { get; init; } = "";
                public string name { get; init; } = "";
            }
            """, "REPOS063");

        yield return new("Names_CaseDifferingPropertiesInTwoIndexes", """
            [Entity]
            public partial record Item
            {
                [Key] public Guid Id { get; init; }
                [Indexed] public string Name { get; init; } = "";
                [Indexed] public string [|NAME|] { get; init; } = "";
                public string name { get; init; } = "";
            }
            """, "REPOS063");

        yield return new("Names_IndexedPropertiesNamedLikeRowColumns", """
            [Entity]
            public partial class Item
            {
                [Key] public Guid Id { get; set; }
                [Indexed] public string [|Key|] { get; set; } = "";
                [Indexed] public long [|RowId|] { get; set; }
                [Indexed] public int [|_schema|] { get; set; }
                public byte[] _blob { get; set; } = [];
            }
            """, "REPOS063", "REPOS063", "REPOS063");

        yield return new("Names_KeyPropertyNamedKey", """
            [Entity]
            public partial record Item
            {
                [Key] public string Key { get; init; } = "";
                [Indexed] public string Name { get; init; } = "";
                public string RowId { get; init; } = "";
            }
            """);

        yield return new("Names_PropertiesNamedLikeGeneratedMembers", """
            [Entity]
            public partial record Item
            {
                [Key] public Guid Id { get; init; }
                [Indexed] public string Repository { get; init; } = "";
                [Indexed] public string Definition { get; init; } = "";
                public string Serializer { get; init; } = "";
                public string Shape { get; init; } = "";
                public int Query { get; init; }
                public string Instance { get; init; } = "";
                public string Model { get; init; } = "";
            }

            [Database(typeof(Item))]
            public partial class AppDatabase;
            """);

        yield return new("Names_EntityNamedLikeFrameworkTypes", """
            namespace App;

            [Entity]
            public partial record Task
            {
                [Key] public System.Guid Id { get; init; }
                [Indexed] public string Name { get; init; } = "";
            }

            [Entity]
            public partial record Guid
            {
                [Key] public System.Guid Id { get; init; }
            }

            [Entity]
            public partial record Repository
            {
                [Key] public System.Guid Id { get; init; }
            }

            [Entity]
            public partial record ReposDatabase
            {
                [Key] public System.Guid Id { get; init; }
            }

            [Entity]
            public partial record EntityDefinition
            {
                [Key] public System.Guid Id { get; init; }
            }

            [Entity]
            public partial record Index
            {
                [Key] public System.Guid Id { get; init; }
            }

            [Entity]
            public partial record ValueTask
            {
                [Key] public System.Guid Id { get; init; }
            }

            [Entity]
            public partial record String
            {
                [Key] public System.Guid Id { get; init; }
            }

            [Database(typeof(Task), typeof(Guid), typeof(Repository), typeof(ReposDatabase), typeof(EntityDefinition), typeof(Index), typeof(ValueTask), typeof(String))]
            public partial class AppDatabase;
            """);

        yield return new("Names_NamespaceInsideRepos", """
            namespace Repos.Items;

            [Entity]
            public partial record Item
            {
                [Key] public Guid Id { get; init; }
                [Indexed] public string Name { get; init; } = "";
            }

            [Database(typeof(Item))]
            public partial class ItemsDatabase;
            """);

        yield return new("Names_NamespaceInsideSystem", """
            namespace System.Data.Items;

            [Entity]
            public partial record Item
            {
                [Key] public Guid Id { get; init; }
                [Indexed] public string Name { get; init; } = "";
            }

            [Database(typeof(Item))]
            public partial class ItemsDatabase;
            """);

        yield return new("Names_NamespaceSegmentsNamedLikeTypes", """
            namespace App.Repos.System.Global.Item;

            [Entity]
            public partial record Item
            {
                [Key] public Guid Id { get; init; }
                [Indexed] public DateTime At { get; init; }
            }

            [Database(typeof(Item))]
            public partial class Repos;
            """);

        yield return new("Names_PeopleForPerson", """
            [Entity]
            public partial record Person
            {
                [Key] public Guid Id { get; init; }
            }

            [Entity]
            public partial record DailyEntry
            {
                [Key] public Guid Id { get; init; }
            }

            [Database(typeof(Person), typeof(DailyEntry))]
            public partial class AppDatabase
            {
                public PersonRepository Everyone => People;
                public DailyEntryRepository Days => DailyEntries;
            }
            """);

        yield return new("Names_OverriddenNames", """
            namespace App;

            [Entity(RepositoryName = "Staff", PropertyName = "Staff")]
            public partial record Person
            {
                [Key] public Guid Id { get; init; }
                [Indexed] public string Name { get; init; } = "";
            }

            [Database(typeof(Person))]
            public partial class AppDatabase
            {
                public Staff Everyone => Staff;
            }
            """);

        yield return new("Names_OverriddenNamesResolveClashes", """
            namespace App;

            public sealed class ItemRepository
            {
            }

            [Entity(RepositoryName = "StoredItems", PropertyName = "StoredItems")]
            public partial record Item
            {
                [Key] public Guid Id { get; init; }
            }

            [Entity(PropertyName = "Persons")]
            public partial record Person
            {
                [Key] public Guid Id { get; init; }
            }

            [Entity]
            public partial record People
            {
                [Key] public Guid Id { get; init; }
            }

            [Database(typeof(Item), typeof(Person), typeof(People))]
            public partial class AppDatabase;
            """);

        yield return new("Names_KeywordOverriddenNames", """
            [Entity(RepositoryName = "@class", PropertyName = "@event")]
            public partial record Item
            {
                [Key] public Guid Id { get; init; }
            }

            [Database(typeof(Item))]
            public partial class AppDatabase;
            """);

        yield return new("Names_UnderscoreIndexNextToCompositeIndex", """
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

        yield return new("Names_SameEntityNameInTwoNamespacesAndDatabases", """
            namespace A
            {
                [Entity]
                public partial record Item
                {
                    [Key] public Guid Id { get; init; }
                }

                [Database(typeof(Item))]
                public partial class AppDatabase;
            }

            namespace B
            {
                [Entity]
                public partial record Item
                {
                    [Key] public Guid Id { get; init; }
                }

                [Database(typeof(Item))]
                public partial class AppDatabase;
            }
            """);

        yield return new("Names_InternalEntityInInternalDatabase", """
            [Entity]
            internal partial record Item
            {
                [Key] public Guid Id { get; init; }
                [Indexed] public string Name { get; init; } = "";
            }

            [Database(typeof(Item))]
            internal partial class AppDatabase;
            """);

        yield return new("Names_InternalEntityInPublicDatabase", """
            [Entity]
            internal partial record Item
            {
                [Key] public Guid Id { get; init; }
            }

            [Entity]
            public partial record Other
            {
                [Key] public Guid Id { get; init; }
            }

            [Database(typeof(Item), typeof(Other))]
            public partial class AppDatabase;
            """);

        yield return new("Names_ValidateHookAndMigrationsWrittenRight", """
            [Entity(Version = 2)]
            public partial record Item
            {
                [Key] public Guid Id { get; init; }
                public string Name { get; init; } = "";

                partial void Validate(ValidationErrors errors)
                {
                    if (Name == "x") errors.Add(nameof(Name), "NotX", "Not x.");
                }

                internal static partial void MigrateFromVersion1(Repos.Migrations.StoredRow row)
                {
                }
            }
            """);

        // Misuse: each must be a REPOS diagnostic on the author's code, with nothing broken generated.
        yield return new("Names_UserRepositoryTypeClashes", """
            namespace App;

            public sealed class ItemRepository
            {
            }

            [Entity]
            public partial record [|Item|]
            {
                [Key] public Guid Id { get; init; }
            }
            """, "REPOS040");

        yield return new("Names_UserSerializerTypeClashes", """
            [Entity]
            public partial record [|Item|]
            {
                [Key] public Guid Id { get; init; }
            }

            public static class ItemSerializer
            {
            }
            """, "REPOS040");

        yield return new("Names_UserDefinitionTypeInOtherFileClashes", """
            [Entity]
            public partial record [|Item|]
            {
                [Key] public Guid Id { get; init; }
            }
            """, "REPOS040")
        {
            OtherSources = ["internal enum ItemDefinition { }"],
        };

        yield return new("Names_NestedStoredTypeSerializerClashes", """
            [Entity]
            public partial record Item
            {
                [Key] public Guid Id { get; init; }
                public Part? Part { get; init; }
            }

            public sealed record [|Part|](int Size);

            public sealed class PartSerializer
            {
            }
            """, "REPOS040");

        yield return new("Names_RepositoryNameClashesWithUserType", """
            public sealed class Items
            {
            }

            [Entity([|RepositoryName = "Items"|])]
            public partial record Item
            {
                [Key] public Guid Id { get; init; }
            }
            """, "REPOS040");

        yield return new("Names_RepositoryNameNotAnIdentifier", """
            [Entity([|RepositoryName = "Item Repository"|])]
            public partial record Item
            {
                [Key] public Guid Id { get; init; }
            }
            """, "REPOS041");

        yield return new("Names_PropertyNameNotAnIdentifier", """
            [Entity([|PropertyName = "2Items"|])]
            public partial record Item
            {
                [Key] public Guid Id { get; init; }
            }
            """, "REPOS041");

        yield return new("Names_EmptyPropertyName", """
            [Entity([|PropertyName = ""|])]
            public partial record Item
            {
                [Key] public Guid Id { get; init; }
            }
            """, "REPOS041");

        yield return new("Names_PropertyNameIsAKeyword", """
            [Entity(PropertyName = "class")]
            public partial record Item
            {
                [Key] public Guid Id { get; init; }
            }

            [Database(typeof(Item))]
            public partial class AppDatabase
            {
                public ItemRepository Items => @class;
            }
            """);

        yield return new("Names_RepositoryNameClashesWithEntityName", """
            [Entity([|RepositoryName = "Item"|])]
            public partial record Item
            {
                [Key] public Guid Id { get; init; }
            }
            """, "REPOS040");

        yield return new("Names_TwoEntitiesNamedItemInOneDatabase", """
            namespace A
            {
                [Entity]
                public partial record Item
                {
                    [Key] public Guid Id { get; init; }
                }
            }

            namespace B
            {
                [Entity]
                public partial record Item
                {
                    [Key] public Guid Id { get; init; }
                }
            }

            namespace App
            {
                [Entity("OtherItem")]
                public partial record Holder
                {
                    [Key] public Guid Id { get; init; }
                }

                [Database(typeof(A.Item), [|typeof(B.Item)|], typeof(Holder))]
                public partial class AppDatabase;
            }
            """, "REPOS042");

        yield return new("Names_PersonAndPeopleInOneDatabase", """
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
            """, "REPOS042");

        yield return new("Names_OverriddenPropertyNamesClash", """
            [Entity(PropertyName = "Things")]
            public partial record Item
            {
                [Key] public Guid Id { get; init; }
            }

            [Entity(PropertyName = "Things")]
            public partial record Other
            {
                [Key] public Guid Id { get; init; }
            }

            [Database(typeof(Item), [|typeof(Other)|])]
            public partial class AppDatabase;
            """, "REPOS042");

        yield return new("Names_RepositoryPropertyClashesWithDatabaseMember", """
            [Entity]
            public partial record Item
            {
                [Key] public Guid Id { get; init; }
            }

            [Entity(PropertyName = "Model")]
            public partial record Other
            {
                [Key] public Guid Id { get; init; }
            }

            [Entity(PropertyName = "Path")]
            public partial record Third
            {
                [Key] public Guid Id { get; init; }
            }

            [Database([|typeof(Item)|], [|typeof(Other)|], [|typeof(Third)|])]
            public partial class AppDatabase
            {
                public int Items => 0;
            }
            """, "REPOS042", "REPOS042", "REPOS042");

        yield return new("Names_RepositoryPropertyNamedLikeDatabase", """
            [Entity(PropertyName = "AppDatabase")]
            public partial record Item
            {
                [Key] public Guid Id { get; init; }
            }

            [Database([|typeof(Item)|])]
            public partial class AppDatabase;
            """, "REPOS042");

        yield return new("Names_SameEntityTwiceInOneDatabase", """
            [Entity]
            public partial record Item
            {
                [Key] public Guid Id { get; init; }
            }

            [Database(typeof(Item), [|typeof(Item)|])]
            public partial class AppDatabase;
            """, "REPOS043");

        yield return new("Names_DatabaseListsInt", """
            [Database([|typeof(int)|])]
            public partial class AppDatabase;
            """, "REPOS010");

        yield return new("Names_DatabaseListsPlainRecord", """
            public sealed record NotAnEntity(int Id);

            [Database([|typeof(NotAnEntity)|])]
            public partial class AppDatabase;
            """, "REPOS010");

        yield return new("Names_EntityInTwoDatabases", """
            [Entity]
            public partial record Item
            {
                [Key] public Guid Id { get; init; }
            }

            [Database(typeof(Item))]
            public partial class FirstDatabase;

            [Database([|typeof(Item)|])]
            public partial class SecondDatabase;
            """, "REPOS008");

        yield return new("Names_DatabaseNotPartial", """
            [Entity]
            public partial record Item
            {
                [Key] public Guid Id { get; init; }
            }

            [Database(typeof(Item))]
            public class [|AppDatabase|];
            """, "REPOS009");

        yield return new("Names_DatabaseStatic", """
            [Entity]
            public partial record Item
            {
                [Key] public Guid Id { get; init; }
            }

            [Database(typeof(Item))]
            public static partial class [|AppDatabase|];
            """, "REPOS044");

        yield return new("Names_DatabaseAbstract", """
            [Entity]
            public partial record Item
            {
                [Key] public Guid Id { get; init; }
            }

            [Database(typeof(Item))]
            public abstract partial class [|AppDatabase|];
            """, "REPOS044");

        yield return new("Names_DatabaseGeneric", """
            [Entity]
            public partial record Item
            {
                [Key] public Guid Id { get; init; }
            }

            [Database(typeof(Item))]
            public partial class [|AppDatabase|]<T>;
            """, "REPOS012");

        yield return new("Names_DatabaseNested", """
            [Entity]
            public partial record Item
            {
                [Key] public Guid Id { get; init; }
            }

            public partial class Outer
            {
                [Database(typeof(Item))]
                public partial class [|AppDatabase|];
            }
            """, "REPOS012");

        yield return new("Names_DatabaseFileLocal", """
            [Entity]
            public partial record Item
            {
                [Key] public Guid Id { get; init; }
            }

            [Database(typeof(Item))]
            file partial class [|AppDatabase|];
            """, "REPOS044");

        yield return new("Names_DatabaseRecord", """
            [Entity]
            public partial record Item
            {
                [Key] public Guid Id { get; init; }
            }

            [Database(typeof(Item))]
            public partial record [|AppDatabase|];
            """, "REPOS044");

        yield return new("Names_EntityRecordStruct", """
            [Entity]
            public partial record struct [|Item|]
            {
                [Key] public Guid Id { get; init; }
            }
            """, "REPOS045");

        yield return new("Names_EntityAbstract", """
            [Entity]
            public abstract partial record [|Item|]
            {
                [Key] public Guid Id { get; init; }
            }
            """, "REPOS045");

        yield return new("Names_EntityStatic", """
            [Entity]
            public static partial class [|Item|]
            {
            }
            """, "REPOS045");

        yield return new("Names_EntityFileLocal", """
            [Entity]
            file partial record [|Item|]
            {
                [Key] public Guid Id { get; init; }
            }
            """, "REPOS045");

        yield return new("Names_EntityNestedInPartialType", """
            public partial class Outer
            {
                [Entity]
                public partial record [|Item|]
                {
                    [Key] public Guid Id { get; init; }
                }
            }
            """, "REPOS012");

        yield return new("Names_EntityNestedInClass", """
            public class Outer
            {
                [Entity]
                internal partial record [|Item|]
                {
                    [Key] public Guid Id { get; init; }
                }
            }
            """, "REPOS012");

        yield return new("Names_EntityGeneric", """
            [Entity]
            public partial record [|Item|]<T>
            {
                [Key] public Guid Id { get; init; }
            }
            """, "REPOS012");

        yield return new("Names_PropertyNamedValidate", """
            [Entity]
            public partial record Item
            {
                [Key] public Guid Id { get; init; }
                public string [|Validate|] { get; init; } = "";
            }
            """, "REPOS046");

        yield return new("Names_PropertyNamedCollectValidationErrors", """
            [Entity]
            public partial record Item
            {
                [Key] public Guid Id { get; init; }
                public int [|CollectValidationErrors|] { get; init; }
            }
            """, "REPOS046");

        yield return new("Names_ValidateWithoutPartial", """
            [Entity]
            public partial record Item
            {
                [Key] public Guid Id { get; init; }

                void [|Validate|](ValidationErrors errors)
                {
                }
            }
            """, "REPOS047");

        yield return new("Names_ValidateStatic", """
            [Entity]
            public partial record Item
            {
                [Key] public Guid Id { get; init; }

                static partial void [|Validate|](ValidationErrors errors)
                {
                }
            }
            """, "REPOS047");

        yield return new("Names_ValidateReturnsBool", """
            [Entity]
            public partial record Item
            {
                [Key] public Guid Id { get; init; }

                public bool [|Validate|](ValidationErrors errors) => true;
            }
            """, "REPOS047");

        yield return new("Names_ValidateOverloadIsFine", """
            [Entity]
            public partial record Item
            {
                [Key] public Guid Id { get; init; }

                public bool Validate(string text) => text.Length > 0;
            }
            """);

        yield return new("Names_MigrationWithoutPartial", """
            [Entity(Version = 2)]
            public partial record Item
            {
                [Key] public Guid Id { get; init; }

                internal static void [|MigrateFromVersion1|](Repos.Migrations.StoredRow row)
                {
                }
            }
            """, "REPOS047");

        yield return new("Names_MigrationNotStatic", """
            [Entity(Version = 2)]
            public partial record Item
            {
                [Key] public Guid Id { get; init; }

                internal partial void [|MigrateFromVersion1|](Repos.Migrations.StoredRow row)
                {
                }
            }
            """, "REPOS047");

        yield return new("Names_MigrationPublic", """
            [Entity(Version = 2)]
            public partial record Item
            {
                [Key] public Guid Id { get; init; }

                public static partial void [|MigrateFromVersion1|](Repos.Migrations.StoredRow row)
                {
                }
            }
            """, "REPOS047");

        yield return new("Names_MigrationWrongParameter", """
            [Entity(Version = 2)]
            public partial record Item
            {
                [Key] public Guid Id { get; init; }

                internal static partial void [|MigrateFromVersion1|](string row)
                {
                }
            }
            """, "REPOS047");

        yield return new("Names_MigrationInWrongType", """
            [[|Entity(Version = 2)|]]
            public partial record Item
            {
                [Key] public Guid Id { get; init; }
            }

            public static class Migrations
            {
                internal static void MigrateFromVersion1(Repos.Migrations.StoredRow row)
                {
                }
            }
            """, "REPOS023");

        yield return new("Names_DatabaseMigrationWithoutPartial", """
            [Entity]
            public partial record Item
            {
                [Key] public Guid Id { get; init; }
            }

            [Database(typeof(Item), Version = 2)]
            public partial class AppDatabase
            {
                private System.Threading.Tasks.ValueTask [|MigrateFromVersion1Async|](Repos.Migrations.DatabaseMigration migration, System.Threading.CancellationToken cancellationToken) => default;
            }
            """, "REPOS047");

        yield return new("Names_DatabaseMigrationWrongReturnType", """
            [Entity]
            public partial record Item
            {
                [Key] public Guid Id { get; init; }
            }

            [Database(typeof(Item), Version = 2)]
            public partial class AppDatabase
            {
                private partial System.Threading.Tasks.Task [|MigrateFromVersion1Async|](Repos.Migrations.DatabaseMigration migration, System.Threading.CancellationToken cancellationToken);
                private partial System.Threading.Tasks.Task MigrateFromVersion1Async(Repos.Migrations.DatabaseMigration migration, System.Threading.CancellationToken cancellationToken) => System.Threading.Tasks.Task.CompletedTask;
            }
            """, "REPOS047");

        yield return new("Names_DatabaseMigrationWrittenRight", """
            [Entity]
            public partial record Item
            {
                [Key] public Guid Id { get; init; }
            }

            [Database(typeof(Item), Version = 2)]
            public partial class AppDatabase
            {
                private partial System.Threading.Tasks.ValueTask MigrateFromVersion1Async(Repos.Migrations.DatabaseMigration migration, System.Threading.CancellationToken cancellationToken) => default;
            }
            """);

        yield return new("Names_IndexMethodNamesCollide", """
            [Entity]
            [[|Index(nameof(A), nameof(B))|]]
            public partial record Item
            {
                [Key] public Guid Id { get; init; }
                public int A { get; init; }
                public int B { get; init; }
                [Indexed] public int AAndB { get; init; }
            }
            """, "REPOS048");

        yield return new("Names_CaseDifferingEntityNamesInOneNamespace", """
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
            """, "REPOS049");

        yield return new("Names_EntityNamedReposInANamespace", """
            namespace App;

            [Entity]
            public partial record Repos
            {
                [Key] public Guid Id { get; init; }
                [Indexed] public string Name { get; init; } = "";
            }

            [Database(typeof(Repos))]
            public partial class AppDatabase;
            """);

        yield return new("Names_EntityNamedSystemInANamespace", """
            namespace App;

            [Entity]
            public partial record System
            {
                [Key] public global::System.Guid Id { get; init; }
                [Indexed] public string Name { get; init; } = "";
            }

            [Database(typeof(System))]
            public partial class AppDatabase;
            """);

        yield return new("Names_BasePropertyNamedValidate", """
            public class Base
            {
                public string Validate { get; set; } = "";
            }

            [Entity]
            public partial class [|Item|] : Base
            {
                [Key] public Guid Id { get; set; }
            }
            """, "REPOS046");

        yield return new("Names_DatabaseDeclaresOpenAsync", """
            [Entity]
            public partial record Item
            {
                [Key] public Guid Id { get; init; }
            }

            [Database(typeof(Item))]
            public partial class AppDatabase
            {
                public static System.Threading.Tasks.ValueTask<AppDatabase> [|OpenAsync|](string path) => throw new NotSupportedException();

                public static int [|Model|] => 1;
            }
            """, "REPOS046", "REPOS046");

        yield return new("Names_DatabaseDeclaresOtherOpenOverload", """
            [Entity]
            public partial record Item
            {
                [Key] public Guid Id { get; init; }
            }

            [Database(typeof(Item))]
            public partial class AppDatabase
            {
                public static System.Threading.Tasks.ValueTask<AppDatabase> OpenInFolderAsync(string folder) =>
                    OpenAsync(System.IO.Path.Combine(folder, "app.db"));
            }
            """);

        yield return new("Names_EntitiesItemsAndItemInOneDatabase", """
            [Entity]
            public partial record Item
            {
                [Key] public Guid Id { get; init; }
            }

            [Entity]
            public partial record Items
            {
                [Key] public Guid Id { get; init; }
            }

            [Database(typeof(Item), [|typeof(Items)|])]
            public partial class AppDatabase;
            """, "REPOS042");

        yield return new("Names_EntityNamedLikeOtherEntitysRepository", """
            [Entity]
            public partial record ItemRepository
            {
                [Key] public Guid Id { get; init; }
            }

            [Entity]
            public partial record [|Item|]
            {
                [Key] public Guid Id { get; init; }
            }
            """, "REPOS040");

        yield return new("Names_ChildrenForChild", """
            [Entity]
            public partial record Child
            {
                [Key] public Guid Id { get; init; }
            }

            [Entity]
            public partial record Analysis
            {
                [Key] public Guid Id { get; init; }
            }

            [Entity]
            public partial record Box
            {
                [Key] public Guid Id { get; init; }
            }

            [Database(typeof(Child), typeof(Analysis), typeof(Box))]
            public partial class AppDatabase
            {
                public int Count => (Children, Analyses, Boxes) is (null, null, null) ? 0 : 3;
            }
            """);

        yield return new("Names_KeywordEnumAndMembers", """
            namespace App;

            public enum @enum { @class, @event, value }

            [Entity]
            public partial record Item
            {
                [Key] public Guid Id { get; init; }
                [Indexed] public @enum Kind { get; init; }
                public @enum? Other { get; init; }
            }
            """);

        yield return new("Names_DatabaseListsArrayType", """
            [Entity]
            public partial record Item
            {
                [Key] public Guid Id { get; init; }
            }

            [Database(typeof(Item), [|typeof(Item[])|])]
            public partial class AppDatabase;
            """, "REPOS010");

        yield return new("Names_DatabaseListsNull", """
            [Database(null)]
            public partial class [|AppDatabase|];
            """, "REPOS021");

        yield return new("Names_DatabaseListsANullType", """
            [Entity]
            public partial record Item
            {
                [Key] public Guid Id { get; init; }
            }

            [Database(typeof(Item), [|null!|])]
            public partial class AppDatabase;
            """, "REPOS010");

        yield return new("Names_NullNamesMeanTheDerivedOnes", """
            [Entity(RepositoryName = null, PropertyName = null)]
            public partial record Item
            {
                [Key] public Guid Id { get; init; }
            }

            [Database(typeof(Item))]
            public partial class AppDatabase
            {
                public ItemRepository All => Items;
            }
            """);

        yield return new("Names_IndexWithNullNames", """
            [Entity]
            [[|Index(null!)|]]
            public partial record Item
            {
                [Key] public Guid Id { get; init; }
            }
            """, "REPOS018");

        yield return new("Names_IndexNamingNull", """
            [Entity]
            [[|Index(nameof(Name), null!)|]]
            public partial record Item
            {
                [Key] public Guid Id { get; init; }
                public string Name { get; init; } = "";
            }
            """, "REPOS005");

        yield return new("Names_TwoEntitiesWithOneRepositoryName", """
            [Entity([|RepositoryName = "Store"|])]
            public partial record Apple
            {
                [Key] public Guid Id { get; init; }
            }

            [Entity([|RepositoryName = "Store"|])]
            public partial record Pear
            {
                [Key] public Guid Id { get; init; }
            }
            """, "REPOS040", "REPOS040");

        yield return new("Names_RepositoryNameIsAnotherEntitysRepository", """
            [Entity]
            public partial record Apple
            {
                [Key] public Guid Id { get; init; }
            }

            [Entity([|RepositoryName = "AppleRepository"|])]
            public partial record Pear
            {
                [Key] public Guid Id { get; init; }
            }
            """, "REPOS040");

        yield return new("Names_RepositoryNameIsAStoredTypesSerializer", """
            [Entity([|RepositoryName = "PartSerializer"|])]
            public partial record Item
            {
                [Key] public Guid Id { get; init; }
                public Part? Part { get; init; }
            }

            public sealed record Part(int Size);
            """, "REPOS040");

        yield return new("Names_StoredTypeNameDiffersFromEntityOnlyInCase", """
            [Entity]
            public partial record Item
            {
                [Key] public Guid Id { get; init; }
                public item? Inner { get; init; }
            }

            public sealed record item(int Size);
            """);

        yield return new("Names_StoredTypeNamesDifferOnlyInCase", """
            [Entity]
            public partial record Holder
            {
                [Key] public Guid Id { get; init; }
                public Part? Upper { get; init; }
                public part? Lower { get; init; }
            }

            public sealed record Part(int Size);

            public sealed record part(int Size);
            """);

        yield return new("Names_PropertiesHidingObjectMembers", """
            [Entity]
            public partial class Item
            {
                [Key] public Guid Id { get; set; }
                [Indexed] public new string ToString { get; set; } = "";
                public new int GetHashCode { get; set; }
                public new bool Equals { get; set; }
                public new string GetType { get; set; } = "";
            }

            [Database(typeof(Item))]
            public partial class AppDatabase;
            """);

        yield return new("Names_RepositoryPropertiesNamedLikeDatabaseBaseMembers", """
            [Entity]
            public partial record Backup
            {
                [Key] public Guid Id { get; init; }
            }

            [Entity]
            public partial record Path
            {
                [Key] public Guid Id { get; init; }
            }

            [Entity(PropertyName = "Dispose")]
            public partial record Trash
            {
                [Key] public Guid Id { get; init; }
            }

            [Database(typeof(Backup), typeof(Path), [|typeof(Trash)|])]
            public partial class AppDatabase
            {
                public object All => (Backups, Paths);
            }
            """, "REPOS042");

        yield return new("Names_DatabaseNamedLikeReposTypes", """
            namespace App.ReposDatabase
            {
                [Entity]
                public partial record Item
                {
                    [Key] public Guid Id { get; init; }
                }

                [Database(typeof(Item))]
                public partial class ReposDatabase;
            }

            namespace App.Other
            {
                [Entity]
                public partial record Thing
                {
                    [Key] public Guid Id { get; init; }
                }

                [Database(typeof(Thing))]
                public partial class Repository;
            }
            """);

        yield return new("Names_RepositoryPropertyNamedLikeInternalRuntimeMember", """
            [Entity(PropertyName = "Writer")]
            public partial record Item
            {
                [Key] public Guid Id { get; init; }
            }

            [Database(typeof(Item))]
            public partial class AppDatabase;
            """);
    }
}
