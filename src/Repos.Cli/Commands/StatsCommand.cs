using System.CommandLine;
using System.Text.Json;
using Repos.Cli.Output;
using Repos.Housekeeping;
using Spectre.Console;

namespace Repos.Cli.Commands;

/// <summary><c>repos stats &lt;file&gt;</c>: how much room the file takes, and each entity's share (one scan of every table).</summary>
internal static class StatsCommand
{
    public static Command Create()
    {
        Argument<string> file = ReposCommand.FileArgument();
        var command = new Command("stats", "Measure the file: pages used and free, each entity's rows and bytes, its write-ahead log and backups") { file };
        command.SetAction(async (parsed, output, cancellationToken) =>
        {
            await using ReposFile repos = await ReposFile.OpenAsync(parsed.GetRequiredValue(file), cancellationToken).ConfigureAwait(false);
            StorageInfo info = await output.WithStatusAsync($"Measuring {repos.Path}", () => repos.GetStorageInfoAsync(cancellationToken).AsTask()).ConfigureAwait(false);
            if (output.Json)
            {
                output.WriteJson(json => WriteJson(json, info));
            }
            else
            {
                Print(output, info);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static void WriteJson(Utf8JsonWriter json, StorageInfo info)
    {
        json.WriteStartObject();
        json.WriteString("path", info.DatabasePath);
        json.WriteNumber("fileSizeBytes", info.FileSizeBytes);
        json.WriteNumber("walSizeBytes", info.WalSizeBytes);
        json.WriteNumber("pageSize", info.PageSize);
        json.WriteNumber("pageCount", info.PageCount);
        json.WriteNumber("freePages", info.FreePages);
        json.WriteNumber("databaseSizeBytes", info.DatabaseSizeBytes);
        json.WriteNumber("usedBytes", info.UsedBytes);
        json.WriteNumber("freeBytes", info.FreeBytes);
        json.WriteBoolean("entityBytesAreEstimates", info.EntityBytesAreEstimates);
        json.WriteString("backupFolder", info.BackupFolderPath);
        json.WriteNumber("backupFolderSizeBytes", info.BackupFolderSizeBytes);
        json.WriteNumber("leftoverFiles", info.LeftoverFiles);
        json.WriteNumber("leftoverBytes", info.LeftoverBytes);
        json.WriteStartArray("entities");
        foreach (EntityStorageInfo entity in info.Entities)
        {
            json.WriteStartObject();
            json.WriteString("name", entity.Name);
            json.WriteString("table", entity.TableName);
            json.WriteNumber("rows", entity.RowCount);
            json.WriteNumber("payloadBytes", entity.PayloadBytes);
            json.WriteNumber("bytes", entity.Bytes);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void Print(CliOutput output, StorageInfo info)
    {
        output.Line($"{info.DatabasePath}: {Format.Bytes(info.FileSizeBytes)} on disk (+ {Format.Bytes(info.WalSizeBytes)} write-ahead log), "
            + $"{Format.Count(info.PageCount)} pages of {Format.Bytes(info.PageSize)}: {Format.Bytes(info.UsedBytes)} used, {Format.Bytes(info.FreeBytes)} free");
        var table = new Table().AddColumns("Entity", "Rows", "Payload", info.EntityBytesAreEstimates ? "Bytes (estimated)" : "Bytes");
        for (int i = 1; i < 4; i++)
        {
            table.Columns[i].RightAligned();
        }

        foreach (EntityStorageInfo entity in info.Entities)
        {
            table.AddRow(new Text(entity.Name), new Text(Format.Count(entity.RowCount)), new Text(Format.Bytes(entity.PayloadBytes)), new Text(Format.Bytes(entity.Bytes)));
        }

        output.Write(table);
        output.Line($"backups: {Format.Bytes(info.BackupFolderSizeBytes)} in {info.BackupFolderPath}"
            + (info.LeftoverFiles > 0 ? $"; {info.LeftoverFiles} file(s) left by killed backups or restores ({Format.Bytes(info.LeftoverBytes)})" : ""));
    }
}
