namespace Repos.Cli;

/// <summary>
/// A failure the command itself found (a missing option, an output path that exists), with the exit code it
/// ends with and the one sentence it prints.
/// </summary>
internal sealed class CliException : Exception
{
    public CliException(int exitCode, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        ExitCode = exitCode;
    }

    /// <summary>The process's exit code (<see cref="ExitCodes"/>).</summary>
    public int ExitCode { get; }

    /// <summary>A usage error: exit code 1.</summary>
    public static CliException Usage(string message) => new(ExitCodes.Usage, message);
}
