using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace Repos.Tests.Packaging;

/// <summary>
/// The SymptomTracker sample published self-contained and trimmed for this machine's runtime identifier
/// (linux-x64 here; the runtime pack and ILLink come from NuGet at restore): the trimmer must have
/// nothing to warn about (the runtime claims to be trimmable), and the trimmed app must still work.
/// </summary>
[Trait("Category", "Packaging")]
[Collection(PackagingCollection.Name)]
public sealed partial class TrimmedPublishTests
{
    [Fact]
    public void SymptomTracker_PublishedTrimmedSelfContained_HasNoTrimWarningsAndRuns()
    {
        using var temp = new TempDirectory();
        string output = temp.File("publish");
        string project = Path.Combine(RepositoryRoot.Path, "samples", "SymptomTracker", "SymptomTracker.csproj");

        // TrimmerSingleWarn=false: one line per trim warning, not one summary per assembly.
        ProcessResult publish = ChildProcess.DotNet(
            RepositoryRoot.Path, null,
            "publish", project, "-c", "Release", "-r", RuntimeInformation.RuntimeIdentifier, "--self-contained",
            "-p:PublishTrimmed=true", "-p:TrimmerSingleWarn=false", "-o", output);

        string[] trimWarnings = TrimWarning().Matches(publish.Output).Select(m => m.Value).Distinct().ToArray();
        Assert.True(trimWarnings.Length == 0, $"trim or AOT warnings: {string.Join(", ", trimWarnings)}\n{publish}");
        Assert.True(publish.ExitCode == 0, publish.ToString());
        Assert.Contains("Optimizing assemblies for size", publish.Output, StringComparison.Ordinal);

        string app = Path.Combine(output, OperatingSystem.IsWindows() ? "SymptomTracker.exe" : "SymptomTracker");
        Assert.True(File.Exists(app), $"no {app} after publishing\n{publish}");
        ProcessResult run = ChildProcess.Run(app, output, null);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Matches(@"All [\d,.]+ entries of \S+ read back identical\.", run.Output);
    }

    // ILLink reports trimming as IL2xxx and native-AOT/single-file concerns as IL3xxx, as warnings or, with
    // warnings as errors, as errors.
    [GeneratedRegex(@"\b(?:warning|error) IL[23]\d{3}\b[^\r\n]*")]
    private static partial Regex TrimWarning();
}
