using System.CommandLine;
using System.Text.Json;
using Repos.Cli.Output;
using Repos.Transfer;
using Spectre.Console;

namespace Repos.Cli.Commands;

/// <summary>
/// <c>repos import &lt;file&gt; &lt;bundle&gt; [--dry-run] [--strategy fail|skip|merge|replace] [--newer-by Entity=Property]...</c>:
/// a bundle into a file by its catalog alone, all or nothing, after a <c>BeforeImport</c> backup; exit 4 when the bundle
/// is refused, with the preview saying why.
/// </summary>
internal static class ImportCommand
{
    // Problems a person reads in the table; --json lists every one the import kept.
    private const int ProblemsPrinted = 20;

    public static Command Create()
    {
        Argument<string> file = ReposCommand.FileArgument();
        var bundle = new Argument<string>("bundle") { Description = "The bundle to import (JSON or NDJSON, as an export writes it); - reads it from stdin" };
        var dryRun = new Option<bool>("--dry-run", "-n") { Description = "Only check the bundle and show what an import would do; nothing is written" };
        var strategy = new Option<string>("--strategy", "-s")
        {
            Description = "What happens to rows whose keys the file holds with other values: fail (refuse the import), skip (keep the file's), merge (the newer wins, by --newer-by), replace (the bundle's entities replace the file's)",
            DefaultValueFactory = _ => "fail",
        };
        strategy.AcceptOnlyFromAmong("fail", "skip", "merge", "replace");
        var newerBy = new Option<string[]>("--newer-by") { Description = "For merge: Entity=Property, the property whose larger value makes a row the newer (repeat per entity)" };
        var maxProblems = new Option<int>("--max-problems") { Description = "List at most this many problems", DefaultValueFactory = _ => 100 };
        var command = new Command(
            "import",
            "Import a bundle into the file, checked whole before anything is written, in one transaction after a backup; types are checked by the catalog, the app's own rules are not")
        {
            file, bundle, dryRun, strategy, newerBy, maxProblems,
        };
        command.SetAction(async (parsed, output, cancellationToken) =>
        {
            string path = Path.GetFullPath(parsed.GetRequiredValue(file));
            string source = parsed.GetRequiredValue(bundle);
            var options = new BundleImportOptions
            {
                DryRun = parsed.GetValue(dryRun),
                Strategy = parsed.GetValue(strategy) switch
                {
                    "skip" => BundleImportStrategy.SkipExisting,
                    "merge" => BundleImportStrategy.Merge,
                    "replace" => BundleImportStrategy.Replace,
                    _ => BundleImportStrategy.FailOnConflict,
                },
                NewerBy = NewerBy(parsed.GetValue(newerBy) ?? []),
                MaxProblems = parsed.GetValue(maxProblems) >= 1
                    ? parsed.GetValue(maxProblems)
                    : throw CliException.Usage("--max-problems must be at least 1."),
            };

            if (source != "-" && !File.Exists(source))
            {
                throw CliException.Usage($"There is no bundle '{Path.GetFullPath(source)}'.");
            }

            string shown = source == "-" ? "stdin" : Path.GetFullPath(source);
            BundleImportResult result;
            try
            {
                await using Stream input = source == "-"
                    ? System.Console.OpenStandardInput()
                    : new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
                string status = options.DryRun ? $"Checking {shown} against {path}" : $"Importing {shown} into {path}";
                result = await output.WithStatusAsync(status, () => ReposFile.ImportBundleAsync(path, input, options, cancellationToken)).ConfigureAwait(false);
            }
            catch (BundleImportException refused)
            {
                // The preview says why: printed, or in the one JSON document beside the error.
                if (output.Json)
                {
                    output.WriteJson(json => WriteJson(json, path, shown, refused.Preview, imported: false, refused));
                    System.Console.Error.WriteLine("repos: " + ErrorReport.MessageOf(refused));
                    return ExitCodes.Refused;
                }

                Print(output, refused.Preview);
                throw;
            }

            if (output.Json)
            {
                output.WriteJson(json => WriteJson(json, path, shown, result, imported: !result.DryRun, null));
            }
            else
            {
                Print(output, result);
                long written = result.Entities.Sum(e => e.Written);
                output.Line(result.DryRun
                    ? $"Dry run: {(result.CanImport ? "the bundle can be imported" : "the bundle would be refused")}; nothing was written."
                    : $"Imported {Format.Count(written)} rows into {path}{(result.BackupPath is null ? string.Empty : $"; the file as it was is in {result.BackupPath}")}.");
            }

            return result.CanImport ? ExitCodes.Success : ExitCodes.Refused;
        });
        return command;
    }

    private static Dictionary<string, string>? NewerBy(string[] pairs)
    {
        if (pairs.Length == 0)
        {
            return null;
        }

        var newerBy = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string pair in pairs)
        {
            int equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0 || equals == pair.Length - 1)
            {
                throw CliException.Usage($"--newer-by takes Entity=Property, not '{pair}'.");
            }

            newerBy[pair[..equals]] = pair[(equals + 1)..];
        }

        return newerBy;
    }

    private static void Print(CliOutput output, BundleImportResult result)
    {
        var table = new Table().AddColumns("Entity", "Rows", "New", "Identical", "Conflicting", "Invalid", "Written");
        for (int i = 1; i < table.Columns.Count; i++)
        {
            table.Columns[i].RightAligned();
        }

        foreach (BundleEntityImport entity in result.Entities)
        {
            table.AddRow(
                new Text(entity.Name),
                new Text(Format.Count(entity.Rows)),
                new Text(Format.Count(entity.New)),
                new Text(Format.Count(entity.Identical)),
                new Text(Format.Count(entity.Conflicting)),
                new Text(Format.Count(entity.Invalid)),
                new Text(Format.Count(entity.Written)));
        }

        output.Write(table);
        if (result.Problems.Count == 0)
        {
            return;
        }

        var problems = new Table().AddColumns("Entity", "Key", "Where", "Problem");
        foreach (BundleImportProblem problem in result.Problems.Take(ProblemsPrinted))
        {
            problems.AddRow(new Text(problem.Entity), new Text(problem.Key ?? string.Empty), new Text(problem.Path), new Text(problem.Message));
        }

        output.Write(problems);
        if (result.Problems.Count > ProblemsPrinted)
        {
            output.Line($"... and {Format.Count(result.Problems.Count - ProblemsPrinted)} more problems (--json lists them all).");
        }
    }

    private static void WriteJson(Utf8JsonWriter json, string path, string bundle, BundleImportResult result, bool imported, Exception? error)
    {
        json.WriteStartObject();
        json.WriteString("path", path);
        json.WriteString("bundle", bundle);
        json.WriteString("app", result.App);
        json.WriteBoolean("dryRun", result.DryRun);
        json.WriteString("strategy", result.Strategy.ToString());
        json.WriteBoolean("imported", imported);
        json.WriteBoolean("canImport", result.CanImport);
        if (result.BackupPath is null)
        {
            json.WriteNull("backupPath");
        }
        else
        {
            json.WriteString("backupPath", result.BackupPath);
        }

        json.WriteStartArray("entities");
        foreach (BundleEntityImport entity in result.Entities)
        {
            json.WriteStartObject();
            json.WriteString("name", entity.Name);
            json.WriteNumber("rows", entity.Rows);
            json.WriteNumber("new", entity.New);
            json.WriteNumber("identical", entity.Identical);
            json.WriteNumber("conflicting", entity.Conflicting);
            json.WriteNumber("invalid", entity.Invalid);
            json.WriteNumber("written", entity.Written);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteStartArray("problems");
        foreach (BundleImportProblem problem in result.Problems)
        {
            json.WriteStartObject();
            json.WriteString("entity", problem.Entity);
            json.WriteNumber("row", problem.Row);
            if (problem.Key is null)
            {
                json.WriteNull("key");
            }
            else
            {
                json.WriteString("key", problem.Key);
            }

            json.WriteString("path", problem.Path);
            json.WriteString("message", problem.Message);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        if (error is not null)
        {
            json.WriteStartObject("error");
            json.WriteString("message", ErrorReport.MessageOf(error));
            json.WriteNumber("exitCode", ErrorReport.ExitCodeOf(error));
            json.WriteString("type", error.GetType().Name);
            json.WriteEndObject();
        }

        json.WriteEndObject();
    }
}
