using System.Collections.Immutable;
using BenchmarkDotNet.Attributes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Repos.Generators;

namespace Repos.Benchmarks.Generator;

/// <summary>
/// What Repos adds to an app's build: the 50-entity <see cref="FiftyEntityModel"/> compiled to an assembly with
/// the generator and its output, against the same types compiled without Repos, and the generator's own run.
/// Each operation parses the source afresh and builds a new compilation, as a build does; the framework's
/// references are loaded once, as the compiler server keeps them.
/// </summary>
[MemoryDiagnoser]
public class GeneratorCostBenchmarks
{
    private static readonly CSharpParseOptions s_parseOptions = new(LanguageVersion.Latest);
    private static readonly CSharpCompilationOptions s_compilationOptions = new(
        OutputKind.DynamicallyLinkedLibrary,
        nullableContextOptions: NullableContextOptions.Enable,
        optimizationLevel: OptimizationLevel.Release,
        concurrentBuild: false);

    private ImmutableArray<MetadataReference> _references;
    private string _withRepos = "";
    private string _withoutRepos = "";

    [GlobalSetup]
    public void Setup()
    {
        _references = LoadReferences();
        _withRepos = FiftyEntityModel.WithRepos();
        _withoutRepos = FiftyEntityModel.WithoutRepos();
        GeneratedOutput output = Generate();
        if (output.Errors.Length > 0)
        {
            throw new InvalidOperationException("The 50-entity model does not compile: " + string.Join("; ", output.Errors));
        }

        Console.WriteLine(
            $"// generated: {output.Files} files, {output.Lines} lines, {output.Lines / (double)FiftyEntityModel.EntityCount:F0} lines per entity;"
            + $" model: {_withRepos.Split('\n').Length} lines");
    }

    /// <summary>The plain types: parse, bind and emit.</summary>
    [Benchmark(Baseline = true)]
    public long Compile_WithoutRepos() => EmitSize(Compilation(_withoutRepos));

    /// <summary>The model with Repos: parse, run the generator, bind and emit the model with everything generated.</summary>
    [Benchmark]
    public long Compile_WithRepos()
    {
        CSharpGeneratorDriver.Create([new ReposGenerator().AsSourceGenerator()], parseOptions: s_parseOptions)
            .RunGeneratorsAndUpdateCompilation(Compilation(_withRepos), out Compilation output, out _);
        return EmitSize(output);
    }

    /// <summary>The generator's run alone (parse and a new compilation included, no emit).</summary>
    [Benchmark]
    public int Generator_Only()
    {
        GeneratorDriver driver = CSharpGeneratorDriver.Create([new ReposGenerator().AsSourceGenerator()], parseOptions: s_parseOptions)
            .RunGenerators(Compilation(_withRepos));
        return driver.GetRunResult().GeneratedTrees.Length;
    }

    /// <summary>Parse and a new compilation of the model, without the generator: what <see cref="Generator_Only"/> includes besides the generator.</summary>
    [Benchmark]
    public int Parse_WithRepos() => Compilation(_withRepos).SyntaxTrees.Count();

    private CSharpCompilation Compilation(string source) => CSharpCompilation.Create(
        "Model",
        [CSharpSyntaxTree.ParseText(source, s_parseOptions, "Model.cs")],
        _references,
        s_compilationOptions);

    private static long EmitSize(Compilation compilation)
    {
        using var stream = new MemoryStream();
        Microsoft.CodeAnalysis.Emit.EmitResult result = compilation.Emit(stream);
        if (!result.Success)
        {
            throw new InvalidOperationException("Emit failed: " + string.Join("; ", result.Diagnostics.Take(5)));
        }

        return stream.Length;
    }

    /// <summary>The generated files of the model: their number, lines, and every error of the whole compilation.</summary>
    internal GeneratedOutput Generate()
    {
        CSharpGeneratorDriver.Create([new ReposGenerator().AsSourceGenerator()], parseOptions: s_parseOptions)
            .RunGeneratorsAndUpdateCompilation(Compilation(_withRepos), out Compilation output, out ImmutableArray<Diagnostic> generatorDiagnostics);
        SyntaxTree[] generated = output.SyntaxTrees.Skip(1).ToArray();
        string[] errors = generatorDiagnostics.Concat(output.GetDiagnostics())
            .Where(d => d.Severity >= DiagnosticSeverity.Warning)
            .Select(d => d.ToString())
            .ToArray();
        return new GeneratedOutput(generated.Length, generated.Sum(t => t.GetText().Lines.Count), errors);
    }

    private static ImmutableArray<MetadataReference> LoadReferences()
    {
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

    private static double ProcessorMilliseconds(Action action)
    {
        TimeSpan start = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime;
        action();
        return (System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime - start).TotalMilliseconds;
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

    internal sealed record GeneratedOutput(int Files, int Lines, string[] Errors);

    /// <summary>
    /// <c>--repos-generated [folder]</c>: runs the generator over the model a few times, prints the generator's own
    /// time (Roslyn's timing of it, without parsing and binding outside it) and the lines of each kind of generated
    /// file, and writes the files to the folder when one is given, for reading.
    /// </summary>
    public static void Report(string[] args)
    {
        var benchmark = new GeneratorCostBenchmarks();
        benchmark.Setup();

        // Processor time, which a loaded machine disturbs less than wall time: medians of 7 runs each, interleaved.
        var without = new List<double>();
        var with = new List<double>();
        var generator = new List<double>();
        for (int run = 0; run < 7; run++)
        {
            without.Add(ProcessorMilliseconds(() => benchmark.Compile_WithoutRepos()));
            with.Add(ProcessorMilliseconds(() => benchmark.Compile_WithRepos()));
            generator.Add(ProcessorMilliseconds(() => benchmark.Generator_Only()) - ProcessorMilliseconds(() => benchmark.Parse_WithRepos()));
        }

        double a = Median(without);
        double b = Median(with);
        Console.WriteLine($"processor time, median of 7: compile without Repos {a:F0} ms, with Repos {b:F0} ms (ratio {b / a:F2}), generator {Median(generator):F0} ms; load {File.ReadAllText("/proc/loadavg").Trim()}");
        for (int run = 0; run < 8; run++)
        {
            GeneratorDriver driver = CSharpGeneratorDriver.Create([new ReposGenerator().AsSourceGenerator()], parseOptions: s_parseOptions)
                .RunGenerators(benchmark.Compilation(benchmark._withRepos));
            Console.WriteLine($"run {run}: generator {driver.GetTimingInfo().ElapsedTime.TotalMilliseconds:F1} ms");
            if (run == 7)
            {
                foreach (IGrouping<string, GeneratedSourceResult> kind in driver.GetRunResult().Results[0].GeneratedSources
                    .GroupBy(g => g.HintName.Split('.')[^3]))
                {
                    Console.WriteLine($"{kind.Key}: {kind.Count()} files, {kind.Sum(g => g.SourceText.Lines.Count)} lines");
                }

                if (args.Length > 1)
                {
                    Directory.CreateDirectory(args[1]);
                    foreach (GeneratedSourceResult source in driver.GetRunResult().Results[0].GeneratedSources)
                    {
                        File.WriteAllText(Path.Combine(args[1], source.HintName), source.SourceText.ToString());
                    }
                }
            }
        }
    }
}
