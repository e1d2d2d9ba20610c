using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Repos.Generators.Tests;

/// <summary>
/// Compiles test source against the Repos runtime and the running framework, runs <see cref="ReposGenerator"/>
/// over it, and hands back what the generator produced and the compilation with its output added.
/// </summary>
internal static class GeneratorHarness
{
    /// <summary>The file name of the first source text; diagnostics in snapshots are positions in it.</summary>
    public const string SourcePath = "Source.cs";

    /// <summary>Usings every test source gets, in their own file so test sources start at line 1 with their own code.</summary>
    public const string GlobalUsings = """
        global using System;
        global using System.Collections.Generic;
        global using System.ComponentModel.DataAnnotations;
        global using Repos;
        """;

    // Latest is C# 12 for the 4.8 compiler the generator is built against: the oldest compiler it must work in.
    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    private static readonly Lazy<ImmutableArray<MetadataReference>> s_references = new(LoadReferences);

    /// <summary>Parses <paramref name="sources"/> (the first is <see cref="SourcePath"/>, the rest <c>Source2.cs</c>, ...) plus the global usings.</summary>
    public static CSharpCompilation Compile(params string[] sources)
    {
        var trees = new List<SyntaxTree> { Parse(GlobalUsings, "GlobalUsings.cs") };
        for (int i = 0; i < sources.Length; i++)
        {
            trees.Add(Parse(sources[i], i == 0 ? SourcePath : $"Source{i + 1}.cs"));
        }

        return CSharpCompilation.Create(
            "Tests",
            trees,
            s_references.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
    }

    public static SyntaxTree Parse(string text, string path) => CSharpSyntaxTree.ParseText(text, ParseOptions, path);

    /// <summary>A driver with step tracking on, as the incrementality tests need.</summary>
    public static GeneratorDriver CreateDriver() => CSharpGeneratorDriver.Create(
        [new ReposGenerator().AsSourceGenerator()],
        parseOptions: ParseOptions,
        driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    /// <summary>Compiles <paramref name="sources"/> and runs the generator once.</summary>
    public static GeneratorOutput Run(params string[] sources) => Run(CreateDriver(), Compile(sources));

    /// <summary>Runs <paramref name="driver"/> (fresh or from an earlier run) over <paramref name="compilation"/>.</summary>
    public static GeneratorOutput Run(GeneratorDriver driver, CSharpCompilation compilation)
    {
        driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out _);
        GeneratorRunResult result = driver.GetRunResult().Results.Single();
        if (result.Exception is not null)
        {
            throw new InvalidOperationException("The generator threw.", result.Exception);
        }

        return new GeneratorOutput(driver, result, compilation, output);
    }

    private static ImmutableArray<MetadataReference> LoadReferences()
    {
        // The running framework's own assemblies (System.ComponentModel.Annotations among them) and the runtime.
        string framework = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        return Directory.EnumerateFiles(framework, "*.dll")
            .Where(IsManagedAssembly)
            .Append(typeof(EntityAttribute).Assembly.Location)
            .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))
            .ToImmutableArray();
    }

    private static bool IsManagedAssembly(string path)
    {
        try
        {
            System.Reflection.AssemblyName.GetAssemblyName(path);
            return true;
        }
        catch (BadImageFormatException)
        {
            return false;
        }
    }
}

/// <summary>One generator run: the driver (to run again), its result, and the compilations before and after.</summary>
internal sealed record GeneratorOutput(GeneratorDriver Driver, GeneratorRunResult Result, CSharpCompilation Input, Compilation Output)
{
    /// <summary>The diagnostics the generator reported, in source order.</summary>
    public ImmutableArray<Diagnostic> Diagnostics => Result.Diagnostics
        .OrderBy(d => d.Location.SourceSpan.Start)
        .ThenBy(d => d.Id, StringComparer.Ordinal)
        .ToImmutableArray();

    /// <summary>
    /// <see cref="Output"/> with the generated files' nullable warnings turned on: emitted files switch them off
    /// (the user's build need not analyse generated bodies), so the tests check that there would be none.
    /// </summary>
    public Compilation StrictOutput
    {
        get
        {
            Compilation strict = Output;
            foreach (SyntaxTree tree in Output.SyntaxTrees.Where(t => !Input.SyntaxTrees.Contains(t)))
            {
                string text = tree.GetText().ToString().Replace("#nullable enable annotations\n#nullable disable warnings\n", "#nullable enable\n", StringComparison.Ordinal);
                strict = strict.ReplaceSyntaxTree(tree, tree.WithChangedText(Microsoft.CodeAnalysis.Text.SourceText.From(text)));
            }

            return strict;
        }
    }

    /// <summary>
    /// Fails unless the compilation with the generated code has no errors and no warnings, in generated files
    /// or in the test source (a test source that does not compile cleanly proves nothing).
    /// </summary>
    public void AssertCompiles()
    {
        Diagnostic[] problems = StrictOutput.GetDiagnostics()
            .Where(d => d.Severity == DiagnosticSeverity.Error
                || (d.Severity == DiagnosticSeverity.Warning && !d.IsSuppressed))
            .ToArray();
        Assert.True(problems.Length == 0, "The generated code does not compile cleanly:\n" + string.Join("\n", problems.Select(d => d.ToString())));
    }
}
