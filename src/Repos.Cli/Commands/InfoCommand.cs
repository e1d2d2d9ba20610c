using System.CommandLine;
using System.Text.Json;
using Repos.Cli.Output;
using Repos.Housekeeping;
using Spectre.Console;

namespace Repos.Cli.Commands;

/// <summary>
/// <c>repos info &lt;file&gt; [--sizes]</c>: the file's entities, rows, versions and size. Fast on any size of file:
/// rows are counted through each table's smallest index (a 1 GB file in under a second from a cold cache); each
/// entity's bytes take a scan of every table, so only <c>--sizes</c> measures them.
/// </summary>
internal static class InfoCommand
{
    public static Command Create()
    {
        Argument<string> file = ReposCommand.FileArgument();
        var sizes = new Option<bool>("--sizes") { Description = "Measure each entity's bytes too (a scan of every table, as 'stats' does)" };
        var command = new Command("info", "List the file's entities: key, version, rows, indexes; and its size, version and migrations") { file, sizes };
        command.SetAction(async (parsed, output, cancellationToken) =>
        {
            await using ReposFile repos = await ReposFile.OpenAsync(parsed.GetRequiredValue(file), cancellationToken).ConfigureAwait(false);
            IReadOnlyDictionary<string, long> rows = await repos.CountRowsAsync(cancellationToken).ConfigureAwait(false);
            Dictionary<string, EntityStorageInfo>? bytes = null;
            if (parsed.GetValue(sizes))
            {
                StorageInfo storage = await repos.GetStorageInfoAsync(cancellationToken).ConfigureAwait(false);
                bytes = storage.Entities.ToDictionary(e => e.Name, StringComparer.Ordinal);
            }

            int migrations = (await repos.GetMigrationHistoryAsync(cancellationToken).ConfigureAwait(false)).Count;
            long size = new FileInfo(repos.Path).Length;
            if (output.Json)
            {
                output.WriteJson(json => WriteJson(json, repos, rows, bytes, migrations, size));
            }
            else
            {
                Print(output, repos, rows, bytes, migrations, size);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static void WriteJson(Utf8JsonWriter json, ReposFile repos, IReadOnlyDictionary<string, long> rows, Dictionary<string, EntityStorageInfo>? bytes, int migrations, long size)
    {
        json.WriteStartObject();
        json.WriteString("path", repos.Path);
        json.WriteNumber("fileSizeBytes", size);
        json.WriteNumber("databaseVersion", repos.DatabaseVersion);
        json.WriteNumber("migrationsApplied", migrations);
        json.WriteStartArray("entities");
        foreach (ReposFileEntity entity in repos.Entities)
        {
            json.WriteStartObject();
            json.WriteString("name", entity.Name);
            json.WriteString("table", entity.Table);
            json.WriteString("type", entity.Type);
            json.WriteString("key", entity.KeyProperty);
            json.WriteString("keyKind", entity.KeyKind);
            json.WriteNumber("version", entity.Version);
            json.WriteNumber("rows", rows[entity.Name]);
            if (bytes?.GetValueOrDefault(entity.Name) is { } measured)
            {
                json.WriteNumber("bytes", measured.Bytes);
                json.WriteNumber("payloadBytes", measured.PayloadBytes);
            }
            else
            {
                json.WriteNull("bytes");
                json.WriteNull("payloadBytes");
            }

            json.WriteStartArray("indexes");
            foreach (ReposFileIndex index in entity.Indexes)
            {
                json.WriteStartObject();
                json.WriteString("name", index.Name);
                json.WriteStartArray("columns");
                foreach (string column in index.Columns)
                {
                    json.WriteStringValue(column);
                }

                json.WriteEndArray();
                json.WriteBoolean("unique", index.Unique);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void Print(CliOutput output, ReposFile repos, IReadOnlyDictionary<string, long> rows, Dictionary<string, EntityStorageInfo>? bytes, int migrations, long size)
    {
        output.Line($"{repos.Path}: {Format.Bytes(size)}, database version {repos.DatabaseVersion}, {migrations} migration(s) applied");
        var table = new Table().AddColumns("Entity", "Key", "Version", "Rows");
        table.Columns[3].RightAligned();
        if (bytes is not null)
        {
            table.AddColumn(new TableColumn("Bytes").RightAligned());
        }

        table.AddColumn("Indexes");
        foreach (ReposFileEntity entity in repos.Entities)
        {
            var cells = new List<Text>
            {
                new(entity.Name),
                new($"{entity.KeyProperty} ({entity.KeyKind})"),
                new(entity.Version.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                new(Format.Count(rows[entity.Name])),
            };
            if (bytes is not null)
            {
                cells.Add(new Text(bytes.TryGetValue(entity.Name, out EntityStorageInfo? measured) ? Format.Bytes(measured.Bytes) : ""));
            }

            cells.Add(new Text(string.Join(Environment.NewLine, entity.Indexes.Select(i => $"{i.Name} ({string.Join(", ", i.Columns)}){(i.Unique ? " unique" : "")}"))));
            table.AddRow(cells);
        }

        output.Write(table);
    }
}
