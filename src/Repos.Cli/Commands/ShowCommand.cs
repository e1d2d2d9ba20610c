using System.CommandLine;
using System.Text.Json;
using Repos.Cli.Output;
using Repos.Transfer;

namespace Repos.Cli.Commands;

/// <summary>
/// <c>repos show &lt;file&gt; &lt;entity&gt; [--key K | --index I --from A,B --to C,D] [--take N]</c>: rows decoded
/// from the catalog, as a table or, with <c>--json</c>, as a JSON array of the rows.
/// </summary>
internal static class ShowCommand
{
    public static Command Create()
    {
        Argument<string> file = ReposCommand.FileArgument();
        var entity = new Argument<string>("entity") { Description = "The entity, by name (as 'info' lists it)" };
        var key = new Option<string>("--key", "-k") { Description = "Show the row with this key (a number, a Guid or a string)" };
        var range = new RangeOptions();
        var take = new Option<int>("--take", "-n") { Description = "Show at most this many rows", DefaultValueFactory = _ => 20 };
        var command = new Command("show", "Show rows of an entity: all of them in storage order, one by key, or a range of an index") { file, entity, key, take };
        range.AddTo(command);
        command.SetAction(async (parsed, output, cancellationToken) =>
        {
            string name = parsed.GetRequiredValue(entity);
            string? keyText = parsed.GetValue(key);
            int limit = parsed.GetValue(take);
            if (limit < 1)
            {
                throw CliException.Usage($"--take must be at least 1, not {limit}.");
            }

            if (keyText is not null && range.AnyGiven(parsed))
            {
                throw CliException.Usage("Give either --key or --index with --from and --to, not both.");
            }

            await using ReposFile repos = await ReposFile.OpenAsync(parsed.GetRequiredValue(file), cancellationToken).ConfigureAwait(false);
            var rows = new List<JsonElement>();
            bool more = false;
            if (keyText is not null)
            {
                if (await repos.GetRowAsync(name, keyText, cancellationToken).ConfigureAwait(false) is { } row)
                {
                    rows.Add(Parse(row));
                }
            }
            else
            {
                ExportRange? selected = range.Resolve(parsed, repos, name);

                // One row past the limit tells whether more follow.
                await foreach (string row in repos.ReadRowsAsync(name, selected, limit == int.MaxValue ? limit : limit + 1, cancellationToken).ConfigureAwait(false))
                {
                    if (rows.Count == limit)
                    {
                        more = true;
                        break;
                    }

                    rows.Add(Parse(row));
                }
            }

            if (output.Json)
            {
                output.WriteJson(json =>
                {
                    json.WriteStartArray();
                    foreach (JsonElement row in rows)
                    {
                        row.WriteTo(json);
                    }

                    json.WriteEndArray();
                });
            }
            else if (rows.Count == 0)
            {
                output.Line(keyText is null ? $"No rows of {name}." : $"No row of {name} has the key {keyText}.");
            }
            else
            {
                output.Write(RowTable.Render(rows));
                output.Line($"{rows.Count} row(s) of {name}{(more ? $"; more follow (--take {limit} shows the first {limit})" : "")}");
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static JsonElement Parse(string row)
    {
        using JsonDocument document = JsonDocument.Parse(row);
        return document.RootElement.Clone();
    }
}
