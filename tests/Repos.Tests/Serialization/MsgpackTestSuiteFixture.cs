using System.Diagnostics;
using System.Text.Json;

namespace Repos.Tests.Serialization;

/// <summary>
/// The community MessagePack test data set (npm package <c>msgpack-test-suite@1.0.0</c>): values with all
/// their valid encodings. Installed into <c>tests/.deps</c> (gitignored) on first use; the tests fail,
/// never skip, when that cannot be done.
/// </summary>
public sealed class MsgpackTestSuiteFixture : IDisposable
{
    private const string Package = "msgpack-test-suite@1.0.0";

    public MsgpackTestSuiteFixture()
    {
        var root = FindRepositoryRoot();
        var deps = Path.Combine(root, "tests", ".deps");
        var json = Path.Combine(deps, "node_modules", "msgpack-test-suite", "dist", "msgpack-test-suite.json");
        if (!File.Exists(json))
        {
            Install(deps);
        }

        if (!File.Exists(json))
        {
            throw new InvalidOperationException($"npm install of {Package} did not produce {json}");
        }

        Document = JsonDocument.Parse(File.ReadAllBytes(json));
    }

    /// <summary>The data set: an object from group name (like "20.number-positive.yaml") to an array of cases.</summary>
    public JsonDocument Document { get; }

    public void Dispose() => Document.Dispose();

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Repos.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"no Repos.sln above {AppContext.BaseDirectory}");
    }

    private static void Install(string deps)
    {
        Directory.CreateDirectory(deps);
        var arguments = $"install --no-save --prefix \"{deps}\" {Package}";
        var start = OperatingSystem.IsWindows()
            ? new ProcessStartInfo("cmd.exe", $"/c npm {arguments}")
            : new ProcessStartInfo("npm", arguments);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        using var process = Process.Start(start)
            ?? throw new InvalidOperationException("could not start npm to install " + Package);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"npm install of {Package} timed out");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"npm install of {Package} failed with exit code {process.ExitCode}:\n{stdout.Result}\n{stderr.Result}");
        }
    }
}
