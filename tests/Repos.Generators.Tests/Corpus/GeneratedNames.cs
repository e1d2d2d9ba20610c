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
    }
}
