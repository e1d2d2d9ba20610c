using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Repos.Generators.Tests;

/// <summary>
/// The pipeline does work only where the model changed: an unrelated edit leaves every step and output
/// cached, and an edit to one entity re-emits only that entity.
/// </summary>
public sealed class IncrementalTests
{
    private const string Model = """
        namespace Shop;

        [Entity]
        [Index(nameof(Sku), Unique = true)]
        public partial record Product
        {
            [Key] public Guid Id { get; init; }
            public string Sku { get; init; } = "";
            public List<Price> Prices { get; init; } = [];
        }

        public sealed record Price(string Currency, decimal Amount);

        [Database(typeof(Product), typeof(Customer))]
        public partial class ShopDb;
        """;

    private const string Customers = """
        namespace Shop;

        [Entity]
        public partial record Customer
        {
            [Key] public long Id { get; init; }
            [Indexed] public string Name { get; init; } = "";
        }
        """;

    private const string Unrelated = """
        namespace Elsewhere;

        public sealed class Helper;
        """;

    private static readonly string[] s_steps =
    [
        ReposGenerator.Steps.Entities,
        ReposGenerator.Steps.NestedTypes,
        ReposGenerator.Steps.Databases,
        ReposGenerator.Steps.CrossChecks,
    ];

    [Fact]
    public void UnrelatedEditInAnotherFile_EveryStepAndOutputIsCached()
    {
        GeneratorOutput first = GeneratorHarness.Run(Model, Customers, Unrelated);

        GeneratorOutput second = GeneratorHarness.Run(first.Driver, Edit(first, "Source3.cs", """
            namespace Elsewhere;

            // A comment, and a class that has nothing to do with Repos.
            public sealed class Helper;

            public static class More
            {
                public static int Answer => 42;
            }
            """));

        AssertAllCached(second);
        Assert.Equal(Texts(first), Texts(second));
    }

    [Fact]
    public void CommentAddedAboveTheModel_EveryOutputIsCached()
    {
        GeneratorOutput first = GeneratorHarness.Run(Model, Customers);

        GeneratorOutput second = GeneratorHarness.Run(first.Driver, Edit(first, GeneratorHarness.SourcePath, "// Shop model.\n" + Model));

        // The Databases step itself re-runs (its diagnostics' locations moved), but no source is emitted again.
        AssertCached(second.Result.TrackedOutputSteps);
        Assert.Equal(Texts(first), Texts(second));
    }

    [Fact]
    public void PropertyAddedToOneEntity_ReRunsOnlyThatEntitysOutput()
    {
        GeneratorOutput first = GeneratorHarness.Run(Model, Customers);

        GeneratorOutput second = GeneratorHarness.Run(first.Driver, Edit(first, "Source2.cs", Customers.Replace(
            "[Indexed] public string Name { get; init; } = \"\";",
            "[Indexed] public string Name { get; init; } = \"\";\n    public int Age { get; init; }",
            StringComparison.Ordinal)));

        IncrementalGeneratorRunStep[] reRun = second.Result.TrackedOutputSteps
            .SelectMany(s => s.Value)
            .Where(step => step.Outputs.Any(o => o.Reason is not (IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged)))
            .ToArray();
        IncrementalGeneratorRunStep output = Assert.Single(reRun);
        object spec = output.Inputs.Single().Source.Outputs[output.Inputs.Single().OutputIndex].Value;
        Assert.Equal("EntitySpec", spec.GetType().Name);
        Assert.Contains("Name = Customer,", spec.ToString(), StringComparison.Ordinal);

        Dictionary<string, string> before = Texts(first);
        Dictionary<string, string> after = Texts(second);
        Assert.Equal(before.Keys.Order(), after.Keys.Order());
        string[] changed = before.Keys.Where(k => before[k] != after[k]).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(["Shop.Customer.Serializer.g.cs"], changed);
    }

    private static CSharpCompilation Edit(GeneratorOutput run, string path, string text) => run.Input.ReplaceSyntaxTree(
        run.Input.SyntaxTrees.Single(t => t.FilePath == path),
        GeneratorHarness.Parse(text, path));

    private static Dictionary<string, string> Texts(GeneratorOutput run) =>
        run.Result.GeneratedSources.ToDictionary(s => s.HintName, s => s.SourceText.ToString(), StringComparer.Ordinal);

    private static void AssertAllCached(GeneratorOutput run)
    {
        IReadOnlyDictionary<string, System.Collections.Immutable.ImmutableArray<IncrementalGeneratorRunStep>> steps = run.Result.TrackedSteps;
        var problems = new List<string>();
        foreach (string name in s_steps)
        {
            Assert.True(steps.ContainsKey(name), $"No tracked step named {name}.");
            problems.AddRange(NotCached(name, steps[name]));
        }

        Assert.True(problems.Count == 0, "Steps that ran again:\n" + string.Join("\n", problems));
        AssertCached(run.Result.TrackedOutputSteps);
    }

    private static void AssertCached(IReadOnlyDictionary<string, System.Collections.Immutable.ImmutableArray<IncrementalGeneratorRunStep>> outputSteps)
    {
        Assert.NotEmpty(outputSteps);
        string[] problems = outputSteps.SelectMany(s => NotCached(s.Key, s.Value)).ToArray();
        Assert.True(problems.Length == 0, "Outputs that ran again:\n" + string.Join("\n", problems));
    }

    private static IEnumerable<string> NotCached(string name, IEnumerable<IncrementalGeneratorRunStep> steps) =>
        from step in steps
        from output in step.Outputs
        where output.Reason is not (IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged)
        select $"{name}: {output.Reason} {output.Value}";
}
