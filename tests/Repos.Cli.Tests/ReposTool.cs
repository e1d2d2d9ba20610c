using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace Repos.Cli.Tests;

/// <summary>What one run of the tool printed and how it ended.</summary>
internal sealed record ToolRun(int ExitCode, string Output, string Error)
{
    /// <summary>Stdout as the one JSON document <c>--json</c> prints.</summary>
    public JsonElement Json()
    {
        using JsonDocument document = JsonDocument.Parse(Output);
        return document.RootElement.Clone();
    }

    /// <summary>The lines of stderr, without empty ones.</summary>
    public string[] ErrorLines => Error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public override string ToString() => $"exit {ExitCode}{Environment.NewLine}stdout:{Environment.NewLine}{Output}{Environment.NewLine}stderr:{Environment.NewLine}{Error}";
}

/// <summary>The <c>repos</c> tool (src/Repos.Cli), run as its own process as a user runs it.</summary>
internal static class ReposTool
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromMinutes(2);

    /// <summary>Repos.Cli.dll as the build left it: same configuration and framework as this test assembly.</summary>
    public static string Path
    {
        get
        {
            var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(System.IO.Path.DirectorySeparatorChar));
            string framework = output.Name;
            string configuration = output.Parent!.Name;
            DirectoryInfo root = output.Parent!.Parent!.Parent!.Parent!.Parent!;
            string tool = System.IO.Path.Combine(root.FullName, "src", "Repos.Cli", "bin", configuration, framework, "Repos.Cli.dll");
            Assert.True(File.Exists(tool), $"the repos tool was not built: {tool}");
            return tool;
        }
    }

    private static string DotNetHost =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    /// <summary>Runs <c>repos</c> with <paramref name="arguments"/> and waits for it, reading its output on threads of their own.</summary>
    public static ToolRun Run(params string[] arguments)
    {
        var start = new ProcessStartInfo(DotNetHost)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        start.ArgumentList.Add(Path);
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start) ?? throw new InvalidOperationException("the repos tool did not start");
        string output = "";
        string error = "";
        var readOutput = new Thread(() => output = process.StandardOutput.ReadToEnd()) { IsBackground = true };
        var readError = new Thread(() => error = process.StandardError.ReadToEnd()) { IsBackground = true };
        readOutput.Start();
        readError.Start();
        if (!process.WaitForExit(s_timeout))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"repos {string.Join(' ', arguments)} did not end within {s_timeout.TotalSeconds} s");
        }

        Assert.True(readOutput.Join(s_timeout) && readError.Join(s_timeout), "the repos tool's output was not closed");
        return new ToolRun(process.ExitCode, output, error);
    }
}
