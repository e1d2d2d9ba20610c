using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;

namespace Repos.Generators.Tests;

/// <summary>
/// Compares generated files and diagnostics with checked-in snapshots in <c>Snapshots/</c>:
/// <c>{Test}#{HintName}.verified.cs</c> per generated file and <c>{Test}.diagnostics.verified.txt</c> when
/// there are diagnostics. On a mismatch it writes <c>*.received.*</c> beside the snapshot and fails at the
/// first differing line. With <c>REPOS_ACCEPT_SNAPSHOTS=1</c> it overwrites the snapshots instead and
/// deletes the test's stale ones.
/// </summary>
internal static class Snapshot
{
    private const string AcceptVariable = "REPOS_ACCEPT_SNAPSHOTS";
    private const string VerifiedCode = ".verified.cs";
    private const string DiagnosticsFile = ".diagnostics.verified.txt";

    private static readonly Regex s_version = new(
        """GeneratedCode\("Repos\.Generators", "[^"]*"\)""", RegexOptions.CultureInvariant);

    private static readonly Lazy<string> s_directory = new(FindDirectory);

    public static string Directory => s_directory.Value;

    private static bool Accepting => Environment.GetEnvironmentVariable(AcceptVariable) == "1";

    /// <summary>Checks every generated file and the generator's diagnostics of <paramref name="test"/>.</summary>
    public static void Verify(string test, GeneratorOutput output) => Verify(test, output, includeSources: true);

    /// <summary>Checks only the generator's diagnostics of <paramref name="test"/> (their messages are the product too).</summary>
    public static void VerifyDiagnostics(string test, GeneratorOutput output) => Verify(test, output, includeSources: false);

    private static void Verify(string test, GeneratorOutput output, bool includeSources)
    {
        var expected = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (GeneratedSourceResult source in includeSources ? output.Result.GeneratedSources : [])
        {
            expected[$"{test}#{Path.GetFileNameWithoutExtension(source.HintName)}{VerifiedCode}"] = Normalize(source.SourceText.ToString());
        }

        string diagnostics = Format(output.Diagnostics);
        if (diagnostics.Length > 0)
        {
            expected[test + DiagnosticsFile] = diagnostics;
        }

        string[] existing = SnapshotsOf(test).Where(f => includeSources || f == test + DiagnosticsFile).ToArray();
        if (Accepting)
        {
            foreach (string stale in existing.Where(f => !expected.ContainsKey(f)))
            {
                File.Delete(Path.Combine(Directory, stale));
            }

            foreach ((string file, string text) in expected)
            {
                File.WriteAllText(Path.Combine(Directory, file), text);
                DeleteReceived(file);
            }

            return;
        }

        foreach ((string file, string text) in expected.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            Compare(file, text);
        }

        string[] missing = expected.Keys.Except(existing).Order(StringComparer.Ordinal).ToArray();
        string[] extra = existing.Except(expected.Keys).Order(StringComparer.Ordinal).ToArray();
        Assert.True(
            missing.Length == 0 && extra.Length == 0,
            $"The generated files of {test} differ from its snapshots (run with {AcceptVariable}=1 to accept).\n"
            + $"Generated without a snapshot: {string.Join(", ", missing)}\nSnapshot of nothing generated: {string.Join(", ", extra)}");
    }

    /// <summary>
    /// One sorted line per diagnostic: id, severity, span as 1-based <c>(line,col)-(line,col)</c>, message.
    /// </summary>
    public static string Format(IEnumerable<Diagnostic> diagnostics)
    {
        var lines = diagnostics.Select(d =>
        {
            FileLinePositionSpan span = d.Location.GetLineSpan();
            string file = span.Path == GeneratorHarness.SourcePath || span.Path.Length == 0 ? string.Empty : span.Path;
            return string.Create(
                CultureInfo.InvariantCulture,
                $"{d.Id} {d.Severity} {file}({span.StartLinePosition.Line + 1},{span.StartLinePosition.Character + 1})-({span.EndLinePosition.Line + 1},{span.EndLinePosition.Character + 1}) {d.GetMessage(CultureInfo.InvariantCulture)}");
        }).Order(StringComparer.Ordinal).ToArray();
        return lines.Length == 0 ? string.Empty : string.Join("\n", lines) + "\n";
    }

    private static void Compare(string file, string actual)
    {
        string path = Path.Combine(Directory, file);
        string received = ReceivedPath(path);
        if (!File.Exists(path))
        {
            File.WriteAllText(received, actual);
            Assert.Fail($"No snapshot {file}; wrote {Path.GetFileName(received)} (run with {AcceptVariable}=1 to accept).");
        }

        string verified = Normalize(File.ReadAllText(path));
        if (verified == actual)
        {
            DeleteReceived(file);
            return;
        }

        File.WriteAllText(received, actual);
        string[] expectedLines = verified.Split('\n');
        string[] actualLines = actual.Split('\n');
        int line = 0;
        while (line < expectedLines.Length && line < actualLines.Length && expectedLines[line] == actualLines[line])
        {
            line++;
        }

        string Show(string[] lines) => line < lines.Length ? lines[line] : "<end of file>";
        Assert.Fail(
            $"{file} differs at line {line + 1} (wrote {Path.GetFileName(received)}; run with {AcceptVariable}=1 to accept).\n"
            + $"expected: {Show(expectedLines)}\nactual:   {Show(actualLines)}");
    }

    private static string Normalize(string text) =>
        s_version.Replace(text.Replace("\r\n", "\n", StringComparison.Ordinal), """GeneratedCode("Repos.Generators", "VERSION")""");

    private static string[] SnapshotsOf(string test) => System.IO.Directory
        .EnumerateFiles(Directory, test + "*")
        .Select(f => Path.GetFileName(f)!)
        .Where(f => (f.StartsWith(test + "#", StringComparison.Ordinal) && f.EndsWith(VerifiedCode, StringComparison.Ordinal))
            || f == test + DiagnosticsFile)
        .ToArray();

    private static string ReceivedPath(string verifiedPath) => verifiedPath.Replace(".verified.", ".received.", StringComparison.Ordinal);

    private static void DeleteReceived(string file)
    {
        string received = ReceivedPath(Path.Combine(Directory, file));
        if (File.Exists(received))
        {
            File.Delete(received);
        }
    }

    /// <summary>
    /// The checked-in Snapshots folder, found from the test binaries by walking up to the folder with
    /// Repos.sln: source paths compiled into the assembly are mapped away on CI, so they cannot be used.
    /// </summary>
    private static string FindDirectory()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Repos.sln")))
            {
                return Path.Combine(dir.FullName, "tests", "Repos.Generators.Tests", "Snapshots");
            }
        }

        throw new InvalidOperationException($"No Repos.sln above {AppContext.BaseDirectory}; cannot find the snapshots.");
    }
}
