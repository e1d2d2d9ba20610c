using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Repos.Backup;
using Repos.Cli.Output;
using Spectre.Console;

namespace Repos.Cli.Commands;

/// <summary><c>repos backup create|list|restore|delete &lt;file&gt; [id]</c>: the backups kept beside a file.</summary>
internal static class BackupCommand
{
    public static Command Create()
    {
        var command = new Command("backup", "Take, list, restore and delete the backups kept beside a file (<file>.backups)");
        command.Add(CreateCommand());
        command.Add(ListCommand());
        command.Add(RestoreCommand());
        command.Add(DeleteCommand());
        return command;
    }

    private static Option<string> FolderOption() =>
        new("--folder") { Description = "The backups folder, when the app keeps its backups elsewhere than <file>.backups" };

    private static Argument<string> IdArgument() => new("id") { Description = "The backup's id, as 'backup list' shows it" };

    private static Command CreateCommand()
    {
        Argument<string> file = ReposCommand.FileArgument();
        Option<string> folder = FolderOption();
        var command = new Command("create", "Take a backup of the file now, check it and record it") { file, folder };
        command.SetAction(async (parsed, output, cancellationToken) =>
        {
            string path = parsed.GetRequiredValue(file);

            // A backup of what is not a Repos file would fail its check only after the copy: say so up front.
            await using (await ReposFile.OpenAsync(path, cancellationToken).ConfigureAwait(false))
            {
            }

            ReposBackups backups = ReposBackups.ForFile(path, parsed.GetValue(folder));
            BackupInfo backup;
            try
            {
                backup = output.ShowsProgress
                    ? await output.Console.Progress().AutoClear(true).StartAsync(async context =>
                    {
                        ProgressTask bar = context.AddTask("Backing up");
                        var progress = new Reporter<BackupProgress>(p =>
                        {
                            bar.MaxValue = Math.Max(1, p.BytesTotal);
                            bar.Value = p.BytesCopied;
                        });
                        return await backups.CreateAsync(BackupKind.Manual, progress, cancellationToken).ConfigureAwait(false);
                    }).ConfigureAwait(false)
                    : await backups.CreateAsync(BackupKind.Manual, null, cancellationToken).ConfigureAwait(false);
            }
            catch (BackupVerificationException e)
            {
                // The copy, not an input, failed its check; it was not kept.
                throw new CliException(ExitCodes.Failed, e.Message, e);
            }

            if (output.Json)
            {
                output.WriteJson(json => WriteBackup(json, backup));
            }
            else
            {
                output.Line($"Backed up {backups.DatabasePath} as {backup.Id} ({Format.Bytes(backup.Size)}, verified): {backup.Path}");
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static Command ListCommand()
    {
        Argument<string> file = ReposCommand.FileArgument();
        Option<string> folder = FolderOption();
        var command = new Command("list", "List the file's backups, newest first (works when the file itself cannot be opened)") { file, folder };
        command.SetAction(async (parsed, output, cancellationToken) =>
        {
            ReposBackups backups = ReposBackups.ForFile(parsed.GetRequiredValue(file), parsed.GetValue(folder));
            IReadOnlyList<BackupInfo> all = await backups.ListAsync(cancellationToken).ConfigureAwait(false);
            if (output.Json)
            {
                output.WriteJson(json =>
                {
                    json.WriteStartObject();
                    json.WriteString("path", backups.DatabasePath);
                    json.WriteString("folder", backups.Folder);
                    json.WriteStartArray("backups");
                    foreach (BackupInfo backup in all)
                    {
                        WriteBackup(json, backup);
                    }

                    json.WriteEndArray();
                    json.WriteEndObject();
                });
            }
            else if (all.Count == 0)
            {
                output.Line($"No backups in {backups.Folder}.");
            }
            else
            {
                var table = new Table().AddColumns("Id", "Kind", "Created (UTC)", "Size", "Verified", "Database version");
                table.Columns[3].RightAligned();
                foreach (BackupInfo backup in all)
                {
                    table.AddRow(
                        new Text(backup.Id),
                        new Text(backup.Kind.ToString()),
                        new Text(Format.Time(backup.CreatedAt)),
                        new Text(Format.Bytes(backup.Size)),
                        new Text(backup.IsVerified ? "yes" : "no"),
                        new Text(backup.DatabaseVersion?.ToString(CultureInfo.InvariantCulture) ?? "?"));
                }

                output.Write(table);
                output.Line($"{all.Count} backup(s) in {backups.Folder}");
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static Command RestoreCommand()
    {
        Argument<string> file = ReposCommand.FileArgument();
        Argument<string> id = IdArgument();
        Option<string> folder = FolderOption();
        var command = new Command(
            "restore",
            "Put a backup in the place of the file, atomically, keeping the replaced file as a backup; no other program may have the file open")
        {
            file, id, folder,
        };
        command.SetAction(async (parsed, output, cancellationToken) =>
        {
            ReposBackups backups = ReposBackups.ForFile(parsed.GetRequiredValue(file), parsed.GetValue(folder));
            string restored = parsed.GetRequiredValue(id);
            BackupInfo backup = await backups.GetAsync(restored, cancellationToken).ConfigureAwait(false)
                ?? throw new BackupNotFoundException(restored, backups.Folder);
            BackupInfo? replaced = await backups.RestoreAsync(restored, cancellationToken).ConfigureAwait(false);
            if (output.Json)
            {
                output.WriteJson(json =>
                {
                    json.WriteStartObject();
                    json.WriteString("path", backups.DatabasePath);
                    json.WritePropertyName("restored");
                    WriteBackup(json, backup);
                    json.WritePropertyName("replaced");
                    if (replaced is null)
                    {
                        json.WriteNullValue();
                    }
                    else
                    {
                        WriteBackup(json, replaced);
                    }

                    json.WriteEndObject();
                });
            }
            else
            {
                output.Line(replaced is null
                    ? $"Restored {backup.Id} to {backups.DatabasePath} (there was no file to replace)."
                    : $"Restored {backup.Id} to {backups.DatabasePath}; the file it replaced is kept as backup {replaced.Id}.");
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static Command DeleteCommand()
    {
        Argument<string> file = ReposCommand.FileArgument();
        Argument<string> id = IdArgument();
        Option<string> folder = FolderOption();
        var command = new Command("delete", "Delete a backup") { file, id, folder };
        command.SetAction(async (parsed, output, cancellationToken) =>
        {
            ReposBackups backups = ReposBackups.ForFile(parsed.GetRequiredValue(file), parsed.GetValue(folder));
            string deleted = parsed.GetRequiredValue(id);
            if (!await backups.DeleteAsync(deleted, cancellationToken).ConfigureAwait(false))
            {
                throw new BackupNotFoundException(deleted, backups.Folder);
            }

            if (output.Json)
            {
                output.WriteJson(json =>
                {
                    json.WriteStartObject();
                    json.WriteString("path", backups.DatabasePath);
                    json.WriteString("deleted", deleted);
                    json.WriteEndObject();
                });
            }
            else
            {
                output.Line($"Deleted backup {deleted}.");
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static void WriteBackup(Utf8JsonWriter json, BackupInfo backup)
    {
        json.WriteStartObject();
        json.WriteString("id", backup.Id);
        json.WriteString("path", backup.Path);
        json.WriteString("kind", backup.Kind.ToString());
        json.WriteString("createdAt", Format.JsonTime(backup.CreatedAt));
        json.WriteNumber("sizeBytes", backup.Size);
        json.WriteBoolean("verified", backup.IsVerified);
        if (backup.DatabaseVersion is { } version)
        {
            json.WriteNumber("databaseVersion", version);
        }
        else
        {
            json.WriteNull("databaseVersion");
        }

        json.WriteEndObject();
    }
}
