using System.CommandLine;
using System.Text.Json;
using Repos.Cli.Output;
using Repos.Transfer;
using Spectre.Console;

namespace Repos.Cli.Commands;

/// <summary>
/// <c>repos export &lt;file&gt; [--entity E]... [--index I --from A --to B] --format json|ndjson -o &lt;path&gt;</c>: the
/// bundle, byte for byte as the app's own export writes it (but for its time and checksum).
/// </summary>
internal static class ExportCommand
{
    public static Command Create()
    {
        Argument<string> file = ReposCommand.FileArgument();
        var entities = new Option<string[]>("--entity", "-e") { Description = "Export this entity (repeat for more); every entity when none is given" };
        var range = new RangeOptions();
        var format = new Option<string>("--format", "-f") { Description = "json (a bundle, one document), ndjson (a bundle, a line per row) or csv (one entity's rows, for a spreadsheet)", DefaultValueFactory = _ => "json" };
        format.AcceptOnlyFromAmong("json", "ndjson", "csv");
        var outputPath = new Option<string>("--output", "-o") { Description = "The bundle file to write", Required = true };
        var app = new Option<string>("--app") { Description = "The bundle's app name (the file's name when not given)" };
        var skipDamaged = new Option<bool>("--skip-damaged") { Description = "Leave out rows whose bytes are damaged (counted in the result) instead of failing" };
        var force = new Option<bool>("--force") { Description = "Replace the output file if it exists" };
        var command = new Command("export", "Export entities, or a range of one entity's index, as a bundle (docs/transfer.md)")
        {
            file, entities, format, outputPath, app, skipDamaged, force,
        };
        range.AddTo(command);
        command.SetAction(async (parsed, output, cancellationToken) =>
        {
            string path = Path.GetFullPath(parsed.GetRequiredValue(file));
            string target = Path.GetFullPath(parsed.GetRequiredValue(outputPath));
            string[] names = parsed.GetValue(entities) ?? [];
            bool csv = parsed.GetValue(format) == "csv";
            if (csv && names.Length != 1)
            {
                throw CliException.Usage($"A CSV file holds one entity: give exactly one --entity, not {names.Length}.");
            }

            if (range.AnyGiven(parsed) && names.Length != 1)
            {
                throw CliException.Usage($"A range (--index, --from, --to) is of one entity: give exactly one --entity, not {names.Length}.");
            }

            if (string.Equals(path, target, StringComparison.Ordinal))
            {
                throw CliException.Usage("The output would replace the file being exported; choose another --output.");
            }

            if (File.Exists(target) && !parsed.GetValue(force))
            {
                throw CliException.Usage($"'{target}' exists; choose another --output, or give --force to replace it.");
            }

            await using ReposFile repos = await ReposFile.OpenAsync(path, cancellationToken).ConfigureAwait(false);
            ExportRange? selected = names.Length == 1 ? range.Resolve(parsed, repos, names[0]) : null;
            BundleFormat layout = parsed.GetValue(format) == "ndjson" ? BundleFormat.NdJson : BundleFormat.Json;
            BundleExportOptions Options(IProgress<TransferProgress>? progress) => new()
            {
                Format = layout,
                Entities = names.Length == 0 ? null : names,
                Ranges = selected is null ? [] : [selected],
                AppName = parsed.GetValue(app),
                SkipDamagedRows = parsed.GetValue(skipDamaged),
                Progress = progress,
            };

            async Task<BundleExportResult> Export(Stream stream, IProgress<TransferProgress>? progress)
            {
                if (!csv)
                {
                    return await repos.ExportAsync(stream, Options(progress), cancellationToken).ConfigureAwait(false);
                }

                var options = new CsvExportOptions { Range = selected, SkipDamagedRows = parsed.GetValue(skipDamaged), Progress = progress };
                ExportedEntity rows = await repos.ExportCsvAsync(names[0], stream, options, cancellationToken).ConfigureAwait(false);
                return new BundleExportResult([rows], stream.Length, string.Empty);
            }

            BundleExportResult result = output.ShowsProgress
                ? await output.Console.Progress().AutoClear(true)
                    .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
                    .StartAsync(context => WriteAsync(target, stream => Export(stream, new Reporter<TransferProgress>(new EntityBars(context).Report))))
                    .ConfigureAwait(false)
                : await WriteAsync(target, stream => Export(stream, null)).ConfigureAwait(false);

            if (output.Json)
            {
                output.WriteJson(json => WriteJson(json, target, csv ? "csv" : layout == BundleFormat.NdJson ? "ndjson" : "json", result));
            }
            else
            {
                Print(output, target, result);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>
    /// Writes the bundle beside <paramref name="target"/> and renames it into place once it is whole and on the
    /// disk, so a failed or cancelled export leaves no half bundle and the file it would replace as it was.
    /// </summary>
    private static async Task<BundleExportResult> WriteAsync(string target, Func<Stream, Task<BundleExportResult>> export)
    {
        string partial = $"{target}.{Guid.NewGuid():N}.partial";
        try
        {
            BundleExportResult result;
            var stream = new FileStream(partial, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous);
            await using (stream.ConfigureAwait(false))
            {
                result = await export(stream).ConfigureAwait(false);
                stream.Flush(flushToDisk: true);
            }

            File.Move(partial, target, overwrite: true);
            return result;
        }
        catch
        {
            File.Delete(partial);
            throw;
        }
    }

    private static void WriteJson(Utf8JsonWriter json, string target, string layout, BundleExportResult result)
    {
        json.WriteStartObject();
        json.WriteString("path", target);
        json.WriteString("format", layout);
        json.WriteNumber("bytes", result.Bytes);
        if (result.Sha256.Length == 0)
        {
            json.WriteNull("sha256");
        }
        else
        {
            json.WriteString("sha256", result.Sha256);
        }

        json.WriteStartArray("entities");
        foreach (ExportedEntity entity in result.Entities)
        {
            json.WriteStartObject();
            json.WriteString("name", entity.Name);
            json.WriteNumber("version", entity.Version);
            json.WriteNumber("rows", entity.Rows);
            json.WriteNumber("damagedRowsSkipped", entity.DamagedRowsSkipped);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void Print(CliOutput output, string target, BundleExportResult result)
    {
        var table = new Table().AddColumns("Entity", "Version", "Rows", "Damaged rows skipped");
        table.Columns[2].RightAligned();
        table.Columns[3].RightAligned();
        foreach (ExportedEntity entity in result.Entities)
        {
            table.AddRow(
                new Text(entity.Name),
                new Text(entity.Version.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                new Text(Format.Count(entity.Rows)),
                new Text(Format.Count(entity.DamagedRowsSkipped)));
        }

        output.Write(table);
        output.Line(result.Sha256.Length == 0
            ? $"Wrote {Format.Count(result.Entities.Sum(e => e.Rows))} rows to {target} ({Format.Bytes(result.Bytes)})"
            : $"Wrote {Format.Count(result.Entities.Sum(e => e.Rows))} rows to {target} ({Format.Bytes(result.Bytes)}, sha256 {result.Sha256})");
    }

    /// <summary>A progress bar per entity, added as the export reaches it.</summary>
    private sealed class EntityBars(ProgressContext context)
    {
        private readonly Dictionary<string, ProgressTask> _bars = new(StringComparer.Ordinal);

        public void Report(TransferProgress progress)
        {
            lock (_bars)
            {
                if (!_bars.TryGetValue(progress.Entity, out ProgressTask? bar))
                {
                    // Entities are exported one after another: the ones before are done.
                    foreach (ProgressTask done in _bars.Values)
                    {
                        done.IsIndeterminate = false;
                        done.Value = done.MaxValue;
                    }

                    bar = context.AddTask(progress.Entity);
                    _bars.Add(progress.Entity, bar);
                }

                bar.IsIndeterminate = progress.TotalRows is null;
                bar.MaxValue = Math.Max(1, progress.TotalRows ?? 1);
                bar.Value = progress.TotalRows is 0 ? bar.MaxValue : progress.TotalRows is null ? 0 : progress.Rows;
            }
        }
    }
}
