using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace Repos.Generators.Tests.Corpus;

/// <summary>
/// The authoring corpus: shapes of ordinary C# and of mistakes a newcomer writes, each its own compilation with
/// nullable annotations on and warnings as errors. Every case either builds cleanly or reports exactly its
/// <c>REPOS</c> diagnostics at exactly their spans; in no case is any diagnostic of any kind located in a
/// generated file, so a user never has to read generated code to find their mistake.
/// </summary>
public sealed class AuthoringCorpusTests
{
    private static readonly IReadOnlyDictionary<string, CorpusCase> s_cases = LoadCases();

    /// <summary>The names of every case, for the theory.</summary>
    public static TheoryData<string> CaseNames()
    {
        var data = new TheoryData<string>();
        foreach (string name in s_cases.Keys.Order(StringComparer.Ordinal))
        {
            data.Add(name);
        }

        return data;
    }

    [Fact]
    public void Corpus_HasAtLeastSixtyCases_OfBothKinds()
    {
        Assert.True(s_cases.Count >= 60, $"The corpus has {s_cases.Count} cases.");
        Assert.True(s_cases.Values.Count(c => c.ExpectedIds.Length == 0) >= 20, "Too few shapes that must build cleanly.");
        Assert.True(s_cases.Values.Count(c => c.ExpectedIds.Length > 0) >= 20, "Too few mistakes that must be diagnosed.");
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Case_BuildsCleanlyOrReportsItsDiagnostics(string name)
    {
        CorpusCase @case = s_cases[name];
        (string source, List<TextSpan> spans) = Unmark(@case.Source);
        Assert.True(spans.Count == @case.ExpectedIds.Length, $"{name}: {spans.Count} marked spans for {@case.ExpectedIds.Length} expected ids.");

        CSharpCompilation compilation = GeneratorHarness.Compile([source, .. @case.OtherSources])
            .WithOptions(GeneratorHarness.Compile().Options
                .WithGeneralDiagnosticOption(ReportDiagnostic.Error)
                .WithNullableContextOptions(NullableContextOptions.Enable));
        if (@case.ReferencedSources.Length > 0)
        {
            compilation = compilation.AddReferences(CompileLibrary(@case.ReferencedSources));
        }

        GeneratorOutput output = GeneratorHarness.Run(GeneratorHarness.CreateDriver(), compilation);

        Compilation built = output.StrictOutput;
        Diagnostic[] inGenerated = built.GetDiagnostics()
            .Where(d => d.Location.SourceTree is { } tree && !compilation.SyntaxTrees.Contains(tree))
            .ToArray();
        Assert.True(inGenerated.Length == 0, $"{name}: diagnostics in generated code:\n" + string.Join("\n", inGenerated.Select(d => d.ToString())));

        Diagnostic[] reported = output.Diagnostics.ToArray();
        string Describe(IEnumerable<Diagnostic> diagnostics) => string.Join("\n", diagnostics.Select(d =>
            $"  {d.Id} at '{Text(source, d.Location)}' {d.Location.GetLineSpan().Span}: {d.GetMessage()}"));
        string[] actualIds = reported.Select(d => d.Id).ToArray();
        Assert.True(
            actualIds.SequenceEqual(@case.ExpectedIds),
            $"{name}: expected [{string.Join(", ", @case.ExpectedIds)}], got:\n{Describe(reported)}");
        for (int i = 0; i < reported.Length; i++)
        {
            Diagnostic diagnostic = reported[i];
            // Warnings are errors in the corpus, as they are with TreatWarningsAsErrors.
            Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
            Assert.Equal(GeneratorHarness.SourcePath, diagnostic.Location.GetLineSpan().Path);
            Assert.True(
                diagnostic.Location.SourceSpan == spans[i],
                $"{name}: {diagnostic.Id} points at '{Text(source, diagnostic.Location)}', expected '{source[spans[i].Start..spans[i].End]}'.");
        }

        if (@case.ExpectedIds.Length == 0)
        {
            Diagnostic[] problems = built.GetDiagnostics()
                .Where(d => d.Severity >= DiagnosticSeverity.Warning && !d.IsSuppressed)
                .ToArray();
            Assert.True(problems.Length == 0, $"{name}: the build is not clean:\n" + string.Join("\n", problems.Select(d => d.ToString())));
        }
    }

    /// <summary>Compiles <paramref name="sources"/> into an assembly of their own, for a case to reference.</summary>
    private static MetadataReference CompileLibrary(string[] sources)
    {
        CSharpCompilation library = GeneratorHarness.Compile(sources).WithAssemblyName("Library");
        using var image = new MemoryStream();
        Microsoft.CodeAnalysis.Emit.EmitResult result = library.Emit(image);
        Assert.True(result.Success, "The referenced sources do not compile:\n" + string.Join("\n", result.Diagnostics));
        return MetadataReference.CreateFromImage(image.ToArray());
    }

    private static string Text(string source, Location location) =>
        location.SourceSpan.End <= source.Length ? source[location.SourceSpan.Start..location.SourceSpan.End] : "?";

    /// <summary>Removes every <c>[|...|]</c> marker from <paramref name="marked"/> and returns the spans, in order.</summary>
    private static (string Source, List<TextSpan> Spans) Unmark(string marked)
    {
        var spans = new List<TextSpan>();
        var text = new System.Text.StringBuilder(marked.Length);
        int at = 0;
        while (true)
        {
            int start = marked.IndexOf("[|", at, StringComparison.Ordinal);
            if (start < 0)
            {
                text.Append(marked, at, marked.Length - at);
                return (text.ToString(), spans);
            }

            int end = marked.IndexOf("|]", start, StringComparison.Ordinal);
            Assert.True(end > start, "An unclosed [| marker.");
            text.Append(marked, at, start - at);
            int spanStart = text.Length;
            text.Append(marked, start + 2, end - start - 2);
            spans.Add(TextSpan.FromBounds(spanStart, text.Length));
            at = end + 2;
        }
    }

    private static Dictionary<string, CorpusCase> LoadCases()
    {
        var cases = new Dictionary<string, CorpusCase>(StringComparer.Ordinal);
        foreach (CorpusCase @case in AuthoringCorpus.All())
        {
            Assert.True(cases.TryAdd(@case.Name, @case), $"Two corpus cases are named {@case.Name}.");
        }

        return cases;
    }
}
