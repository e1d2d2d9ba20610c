using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Repos.Cli.Output;
using Repos.Diagnostics;
using Spectre.Console;

namespace Repos.Cli.Commands;

/// <summary><c>repos verify &lt;file&gt;</c>: SQLite's integrity check and every row by the catalog; exit 3 when damaged.</summary>
internal static class VerifyCommand
{
    // A damaged file can have a bad row for every row; a person reads the first ones, --json lists them all.
    private const int RowsPrinted = 50;

    public static Command Create()
    {
        Argument<string> file = ReposCommand.FileArgument();
        var command = new Command("verify", "Check the file: SQLite's integrity check, the catalog's seal, and every row's checksum and decoding; exit 3 when damaged") { file };
        command.SetAction(async (parsed, output, cancellationToken) =>
        {
            await using ReposFile repos = await ReposFile.OpenAsync(parsed.GetRequiredValue(file), cancellationToken).ConfigureAwait(false);
            VerifyReport report = output.ShowsProgress
                ? await output.Console.Progress().AutoClear(true).StartAsync(async context =>
                {
                    ProgressTask task = context.AddTask("Integrity check");
                    task.IsIndeterminate = true;
                    var progress = new Reporter<VerifyProgress>(p =>
                    {
                        task.IsIndeterminate = p.Stage == VerifyStage.IntegrityCheck;
                        task.Description = p.Stage == VerifyStage.Rows ? $"Rows of {p.Entity}" : p.Stage.ToString();
                        task.MaxValue = Math.Max(1, p.RowsTotal);
                        task.Value = p.RowsChecked;
                    });
                    return await repos.VerifyAsync(progress, cancellationToken).ConfigureAwait(false);
                }).ConfigureAwait(false)
                : await repos.VerifyAsync(null, cancellationToken).ConfigureAwait(false);

            if (output.Json)
            {
                output.WriteJson(json => WriteJson(json, report));
            }
            else
            {
                Print(output, report);
            }

            return report.IsHealthy ? ExitCodes.Success : ExitCodes.Damaged;
        });
        return command;
    }

    private static void WriteJson(Utf8JsonWriter json, VerifyReport report)
    {
        json.WriteStartObject();
        json.WriteString("path", report.Path);
        json.WriteBoolean("healthy", report.IsHealthy);
        json.WriteNumber("rowsChecked", report.RowsChecked);
        json.WriteNumber("elapsedMs", (long)report.Elapsed.TotalMilliseconds);
        WriteStrings(json, "integrityErrors", report.IntegrityErrors);
        WriteStrings(json, "catalogErrors", report.CatalogErrors);
        json.WriteStartArray("entities");
        foreach (VerifiedEntity entity in report.Entities)
        {
            json.WriteStartObject();
            json.WriteString("name", entity.Entity);
            json.WriteString("table", entity.Table);
            json.WriteNumber("rowsChecked", entity.RowsChecked);
            json.WriteNumber("badRows", entity.BadRows);
            json.WriteString("readError", entity.ReadError);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteStartArray("badRows");
        foreach (BadRow row in report.BadRows)
        {
            json.WriteStartObject();
            json.WriteString("entity", row.Entity);
            json.WriteString("key", row.Key);
            json.WriteString("kind", row.Kind.ToString());
            json.WriteString("message", row.Message);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteStrings(Utf8JsonWriter json, string name, IReadOnlyList<string> values)
    {
        json.WriteStartArray(name);
        foreach (string value in values)
        {
            json.WriteStringValue(value);
        }

        json.WriteEndArray();
    }

    private static void Print(CliOutput output, VerifyReport report)
    {
        string seconds = report.Elapsed.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture);
        output.Line($"{(report.IsHealthy ? "healthy" : "damaged")}: {Format.Count(report.RowsChecked)} rows checked, {Format.Count(report.BadRows.Count)} bad, in {seconds} s");
        var entities = new Table().AddColumns("Entity", "Rows checked", "Bad rows", "Read error");
        entities.Columns[1].RightAligned();
        entities.Columns[2].RightAligned();
        foreach (VerifiedEntity entity in report.Entities)
        {
            entities.AddRow(new Text(entity.Entity), new Text(Format.Count(entity.RowsChecked)), new Text(Format.Count(entity.BadRows)), new Text(entity.ReadError ?? ""));
        }

        output.Write(entities);
        foreach (string error in report.IntegrityErrors)
        {
            output.Line("integrity: " + error);
        }

        foreach (string error in report.CatalogErrors)
        {
            output.Line("catalog: " + error);
        }

        if (report.BadRows.Count == 0)
        {
            return;
        }

        var rows = new Table().AddColumns("Entity", "Key", "Problem", "Message");
        foreach (BadRow row in report.BadRows.Take(RowsPrinted))
        {
            rows.AddRow(new Text(row.Entity), new Text(row.Key), new Text(row.Kind.ToString()), new Text(row.Message));
        }

        output.Write(rows);
        if (report.BadRows.Count > RowsPrinted)
        {
            output.Line($"... and {Format.Count(report.BadRows.Count - RowsPrinted)} more bad rows (--json lists them all)");
        }
    }
}
