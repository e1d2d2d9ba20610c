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
    }
}
