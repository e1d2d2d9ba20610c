namespace Repos.Generators.Tests.Corpus;

/// <summary>Members Repos could store wrong: setters it cannot reach, hierarchies, attributes whose rules can never pass.</summary>
internal static partial class AuthoringCorpus
{
    private static IEnumerable<CorpusCase> StoredMembers()
    {
        yield return new("Stored_InitOnlyRecordProperties", """
            [Entity]
            public partial record Item
            {
                [Key] public Guid Id { get; init; }
                public int Counter { get; init; }
            }
            """);
    }
}
