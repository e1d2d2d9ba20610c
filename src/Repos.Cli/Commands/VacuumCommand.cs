using System.CommandLine;
using Repos.Cli.Output;
using Repos.Housekeeping;
using Spectre.Console;

namespace Repos.Cli.Commands;

/// <summary><c>repos vacuum &lt;file&gt;</c>: the file rebuilt without its free pages, every row and the catalog kept.</summary>
internal static class VacuumCommand
{
    public static Command Create()
    {
        Argument<string> file = ReposCommand.FileArgument();
        var command = new Command("vacuum", "Rebuild the file without its free pages, giving the room deletes left back to the disk; no other program may be writing it") { file };
        command.SetAction(async (parsed, output, cancellationToken) =>
        {
            string path = Path.GetFullPath(parsed.GetRequiredValue(file));
            VacuumResult result = await output.WithStatusAsync($"Vacuuming {path}", () => ReposFile.VacuumAsync(path, cancellationToken)).ConfigureAwait(false);
            if (output.Json)
            {
                output.WriteJson(json =>
                {
                    json.WriteStartObject();
                    json.WriteString("path", path);
                    json.WriteNumber("sizeBeforeBytes", result.SizeBeforeBytes);
                    json.WriteNumber("sizeAfterBytes", result.SizeAfterBytes);
                    json.WriteNumber("reclaimedBytes", result.ReclaimedBytes);
                    json.WriteEndObject();
                });
            }
            else
            {
                output.Line($"Vacuumed {path}: {Format.Bytes(result.SizeBeforeBytes)} -> {Format.Bytes(result.SizeAfterBytes)} ({Format.Bytes(result.ReclaimedBytes)} given back)");
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
