using System.Diagnostics;
using System.Text;

namespace Repos.Tests.Packaging;

/// <summary>Runs <c>dotnet</c> and other programs for the packaging tests, with a time limit and captured output.</summary>
internal static class ChildProcess
{
    /// <summary>The longest any one command may take before it is killed with its children.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The <c>dotnet</c> host that runs these tests (the CLI exports it to the processes it starts), so the
    /// child builds use the same SDK; plain <c>dotnet</c> from PATH otherwise.
    /// </summary>
    public static string DotNetHost =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    /// <summary>
    /// Runs <c>dotnet</c> with <paramref name="arguments"/>. MSBuild node reuse and the shared compiler server are
    /// off, so no process outlives the command holding its output pipes or files open.
    /// </summary>
    public static ProcessResult DotNet(string workingDirectory, IReadOnlyDictionary<string, string>? environment, params string[] arguments)
    {
        string[] all = [.. arguments, "-nodeReuse:false", "-p:UseSharedCompilation=false"];
        return Run(DotNetHost, workingDirectory, environment, all);
    }

    /// <summary>Runs <paramref name="fileName"/> and waits for it, at most <see cref="Timeout"/>.</summary>
    public static ProcessResult Run(string fileName, string workingDirectory, IReadOnlyDictionary<string, string>? environment, params string[] arguments)
    {
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // The test host runs inside `dotnet test`, whose MSBuild variables would steer the child builds.
        foreach (string name in start.Environment.Keys.ToArray())
        {
            if (name.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase))
            {
                start.Environment.Remove(name);
            }
        }

        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_CLI_UI_LANGUAGE"] = "en";
        if (environment is not null)
        {
            foreach ((string name, string value) in environment)
            {
                start.Environment[name] = value;
            }
        }

        string commandLine = string.Join(' ', arguments.Prepend(fileName).Select(Quote));
        var output = new StringBuilder();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        if (!process.Start())
        {
            throw new InvalidOperationException($"could not start {commandLine}");
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(Timeout))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            throw new TimeoutException($"{commandLine} did not finish within {Timeout.TotalMinutes} minutes; it was killed.\n{Snapshot(output)}");
        }

        // The parameterless wait also drains the output readers; bounded in case a grandchild still holds a pipe.
        if (!Task.Run(process.WaitForExit).Wait(TimeSpan.FromSeconds(30)))
        {
            throw new TimeoutException($"{commandLine} exited but its output stayed open (a child process still holds it).\n{Snapshot(output)}");
        }

        return new ProcessResult(commandLine, process.ExitCode, Snapshot(output));
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }
    }

    private static string Snapshot(StringBuilder output)
    {
        lock (output)
        {
            return output.ToString();
        }
    }

    private static string Quote(string argument) =>
        argument.Length > 0 && !argument.Any(char.IsWhiteSpace) && !argument.Contains('"') ? argument : $"\"{argument.Replace("\"", "\\\"")}\"";
}
