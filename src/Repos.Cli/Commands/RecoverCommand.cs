using System.CommandLine;
using System.Text.Json;
using Repos.Cli.Output;
using Repos.Recovery;
using Spectre.Console;

namespace Repos.Cli.Commands;

/// <summary>
/// <c>repos recover &lt;file&gt; -o &lt;new&gt;</c>: every row of a damaged file that still passes its checksum, into a
/// new file by the damaged file's catalog; exit 3 when rows were lost.
/// </summary>
internal static class RecoverCommand
{
    // Lost keys a person reads in the table; --json lists them all.
    private const int LostPrinted = 50;

    public static Command Create()
    {
        Argument<string> file = ReposCommand.FileArgument();
        var target = new Option<string>("--output", "-o") { Description = "The new file to write the rows to (it must not exist)", Required = true };
        var command = new Command(
            "recover",
            "Salvage a damaged file into a new one, reading its pages without SQLite; the damaged file is left as it is; exit 3 when rows were lost")
        {
            file, target,
        };
        command.SetAction(async (parsed, output, cancellationToken) =>
        {
            string damaged = Path.GetFullPath(parsed.GetRequiredValue(file));
            string salvaged = Path.GetFullPath(parsed.GetRequiredValue(target));
            if (!File.Exists(damaged))
            {
                throw new FileNotFoundException($"There is no file '{damaged}'.", damaged);
            }

            if (File.Exists(salvaged) || string.Equals(damaged, salvaged, StringComparison.Ordinal))
            {
                throw CliException.Usage($"The salvage writes a new file and '{salvaged}' exists; choose another --output.");
            }

            SalvageReport report = await output.WithStatusAsync($"Salvaging {damaged}", () => ReposRecovery.SalvageAsync(damaged, salvaged, null, cancellationToken)).ConfigureAwait(false);

            if (output.Json)
            {
                output.WriteJson(json => WriteJson(json, report));
            }
            else
            {
                Print(output, report);
            }

            return report.IsComplete ? ExitCodes.Success : ExitCodes.Damaged;
        });
        return command;
    }

    private static void WriteJson(Utf8JsonWriter json, SalvageReport report)
    {
        json.WriteStartObject();
        json.WriteString("damagedPath", report.DamagedPath);
        json.WriteString("newPath", report.NewPath);
        json.WriteBoolean("complete", report.IsComplete);
        json.WriteNumber("rowsRecovered", report.RowsRecovered);
        json.WriteNumber("rowsLost", report.RowsLost);
        json.WriteNumber("rowsUnidentified", report.RowsUnidentified);
        json.WriteNumber("pagesRead", report.Pages);
        json.WriteNumber("pagesUnreadable", report.PagesUnreadable);
        json.WriteNumber("pagesFromWriteAheadLog", report.PagesFromWriteAheadLog);
        json.WriteBoolean("catalogRecovered", report.CatalogRecovered);
        json.WriteStartArray("entities");
        foreach (SalvagedEntity entity in report.Entities)
        {
            json.WriteStartObject();
            json.WriteString("name", entity.Entity);
            json.WriteString("table", entity.Table);
            json.WriteNumber("rowsRecovered", entity.RowsRecovered);
            json.WriteNumber("rowsFromOrphanedPages", entity.RowsFromOrphanedPages);
            json.WriteNumber("rowsLost", entity.RowsLost);
            json.WriteNumber("pagesUnreadable", entity.PagesUnreadable);
            json.WriteStartArray("lost");
            foreach (LostRow row in entity.Lost)
            {
                json.WriteStartObject();
                json.WriteString("key", row.Key);
                json.WriteString("reason", row.Reason);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteStartArray("warnings");
        foreach (string warning in report.Warnings)
        {
            json.WriteStringValue(warning);
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void Print(CliOutput output, SalvageReport report)
    {
        output.Line($"{(report.IsComplete ? "complete" : "partial")}: {Format.Count(report.RowsRecovered)} rows recovered into {report.NewPath}, "
            + $"{Format.Count(report.RowsLost)} lost, {Format.Count(report.RowsUnidentified)} unidentified, {report.PagesUnreadable} page(s) unreadable");
        var entities = new Table().AddColumns("Entity", "Recovered", "From cut-off pages", "Lost", "Pages unreadable");
        for (int i = 1; i < 5; i++)
        {
            entities.Columns[i].RightAligned();
        }

        foreach (SalvagedEntity entity in report.Entities)
        {
            entities.AddRow(
                new Text(entity.Entity),
                new Text(Format.Count(entity.RowsRecovered)),
                new Text(Format.Count(entity.RowsFromOrphanedPages)),
                new Text(Format.Count(entity.RowsLost)),
                new Text(Format.Count(entity.PagesUnreadable)));
        }

        output.Write(entities);
        var lost = report.Entities.SelectMany(e => e.Lost.Select(row => (e.Entity, row))).ToList();
        if (lost.Count > 0)
        {
            var table = new Table().AddColumns("Entity", "Lost key", "Why");
            foreach ((string entity, LostRow row) in lost.Take(LostPrinted))
            {
                table.AddRow(new Text(entity), new Text(row.Key), new Text(row.Reason));
            }

            output.Write(table);
            if (lost.Count > LostPrinted)
            {
                output.Line($"... and {Format.Count(lost.Count - LostPrinted)} more lost rows (--json lists them all)");
            }
        }

        foreach (string warning in report.Warnings)
        {
            output.Line("warning: " + warning);
        }
    }
}
