using System.CommandLine;
using System.Text.Json;
using Repos.Transfer;

namespace Repos.Cli.Commands;

/// <summary>
/// <c>--index I --from A,B --to C,D</c>: a range of an index, each bound the index's first columns as text, shared
/// by <c>show</c> and <c>export</c>.
/// </summary>
internal sealed class RangeOptions
{
    public Option<string> Index { get; } = new("--index", "-i") { Description = "Select rows by a range of this index (its name as 'info' lists it)" };

    public Option<string> From { get; } = new("--from")
    {
        Description = "The range's first values, comma-separated (user-03,2024-01-01), or a JSON array of strings for values with commas; none for no lower bound",
    };

    public Option<string> To { get; } = new("--to") { Description = "The range's last values, as --from; both bounds are included" };

    public void AddTo(Command command)
    {
        command.Add(Index);
        command.Add(From);
        command.Add(To);
    }

    /// <summary>The range the options give for <paramref name="entity"/>, or null when no <c>--index</c> was given.</summary>
    public ExportRange? Resolve(ParseResult parsed, ReposFile file, string entity)
    {
        string? index = parsed.GetValue(Index);
        string? from = parsed.GetValue(From);
        string? to = parsed.GetValue(To);
        if (index is null)
        {
            return from is null && to is null ? null : throw CliException.Usage("--from and --to bound a range of an index: give --index too.");
        }

        return file.Range(entity, index, Bound(from, "--from"), Bound(to, "--to"));
    }

    /// <summary>Whether <c>--index</c>, <c>--from</c> or <c>--to</c> was given.</summary>
    public bool AnyGiven(ParseResult parsed) => parsed.GetValue(Index) is not null || parsed.GetValue(From) is not null || parsed.GetValue(To) is not null;

    private static string[]? Bound(string? text, string option)
    {
        if (text is null)
        {
            return null;
        }

        if (!text.TrimStart().StartsWith('['))
        {
            return text.Split(',');
        }

        try
        {
            using JsonDocument document = JsonDocument.Parse(text);
            var values = new List<string>();
            foreach (JsonElement value in document.RootElement.EnumerateArray())
            {
                values.Add(value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText());
            }

            return [.. values];
        }
        catch (JsonException e)
        {
            throw new CliException(ExitCodes.Usage, $"{option} starts with '[' but is not a JSON array of values: {e.Message}", e);
        }
    }
}
