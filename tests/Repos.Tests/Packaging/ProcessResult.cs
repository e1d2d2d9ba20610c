namespace Repos.Tests.Packaging;

/// <summary>How a child process ended: its command line, exit code and interleaved stdout and stderr.</summary>
internal sealed record ProcessResult(string CommandLine, int ExitCode, string Output)
{
    /// <summary>The whole story, for assertion messages.</summary>
    public override string ToString() => $"$ {CommandLine}\nexit code {ExitCode}\n{Output}";
}
