using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using Repos.Cli.Commands;
using Repos.Cli.Output;

namespace Repos.Cli;

/// <summary>The <c>repos</c> command: its subcommands, its global options, and how a run ends.</summary>
internal static class ReposCommand
{
    /// <summary><c>--json</c>: exactly one JSON document on stdout, for scripts.</summary>
    public static readonly Option<bool> Json = new("--json")
    {
        Description = "Print one JSON document on stdout (for scripts) instead of tables",
        Recursive = true,
    };

    /// <summary><c>--verbose</c>: errors with their stack traces.</summary>
    public static readonly Option<bool> Verbose = new("--verbose")
    {
        Description = "Print the stack trace of an error",
        Recursive = true,
    };

    /// <summary>Parses <paramref name="args"/>, runs the command, and returns the process's exit code.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        Command root = Build();
        ParseResult parsed = root.Parse(args);
        if (parsed.Errors.Count > 0 && parsed.Action is ParseErrorAction)
        {
            // One line, as for every other error, rather than the parser's error list and the whole help.
            var output = new CliOutput(args.Contains(Json.Name), args.Contains(Verbose.Name));
            // The parser lists a missing subcommand before the token it could not place; the latter says more.
            string message = parsed.Errors[^1].Message.TrimEnd();
            if (!message.EndsWith('.'))
            {
                message += ".";
            }

            return output.Fail(CliException.Usage($"{message} See '{PathOf(parsed.CommandResult.Command)} --help'."));
        }

        return await parsed.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false }).ConfigureAwait(false);
    }

    /// <summary>The command tree.</summary>
    public static Command Build()
    {
        // A command named repos rather than a RootCommand, which takes its name from the assembly (Repos.Cli).
        var root = new Command("repos", "Inspect, verify, export, import, back up and salvage any Repos file, without the app that wrote it.")
        {
            new HelpOption(),
            new VersionOption(),
            Json,
            Verbose,
            InfoCommand.Create(),
            VerifyCommand.Create(),
            ShowCommand.Create(),
            ExportCommand.Create(),
            ImportCommand.Create(),
            BackupCommand.Create(),
            RecoverCommand.Create(),
            VacuumCommand.Create(),
            StatsCommand.Create(),
        };
        return root;
    }

    /// <summary>
    /// Sets <paramref name="command"/>'s action: <paramref name="run"/> with the output the global options ask for;
    /// whatever it throws is printed as one line on stderr and ends the process with its exit code.
    /// </summary>
    public static void SetAction(this Command command, Func<ParseResult, CliOutput, CancellationToken, Task<int>> run) =>
        command.SetAction(async (parsed, cancellationToken) =>
        {
            var output = new CliOutput(parsed.GetValue(Json), parsed.GetValue(Verbose));
            try
            {
                return await run(parsed, output, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                return output.Fail(e);
            }
        });

    /// <summary>The argument every command takes first: the Repos file.</summary>
    public static Argument<string> FileArgument() => new("file") { Description = "The Repos file" };

    private static string PathOf(Command command)
    {
        var names = new List<string>();
        for (Command? current = command; current is not null; current = current.Parents.OfType<Command>().FirstOrDefault())
        {
            names.Add(current.Name);
        }

        names.Reverse();
        return string.Join(' ', names);
    }
}
