using System.Text;
using System.Text.Json;
using Spectre.Console;

namespace Repos.Cli.Output;

/// <summary>
/// Rows as a table: a column per top-level property (in the order the rows first have them), scalars as they
/// read, nested values as compact JSON, long values cut.
/// </summary>
internal static class RowTable
{
    /// <summary>The widest a cell gets, in characters, before it is cut.</summary>
    public const int MaxCell = 40;

    public static Table Render(IReadOnlyList<JsonElement> rows)
    {
        var columns = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (JsonElement row in rows)
        {
            foreach (JsonProperty property in row.EnumerateObject())
            {
                if (seen.Add(property.Name))
                {
                    columns.Add(property.Name);
                }
            }
        }

        var table = new Table();
        foreach (string column in columns)
        {
            table.AddColumn(new TableColumn(new Text(column)));
        }

        var dim = new Style(decoration: Decoration.Dim);
        foreach (JsonElement row in rows)
        {
            var cells = new Text[columns.Count];
            for (int i = 0; i < columns.Count; i++)
            {
                cells[i] = !row.TryGetProperty(columns[i], out JsonElement value) ? new Text("")
                    : value.ValueKind == JsonValueKind.Null ? new Text("null", dim)
                    : new Text(Cut(Cell(value)));
            }

            table.AddRow(cells);
        }

        return table;
    }

    /// <summary>A value as a cell reads: a string without its quotes, anything else as its JSON.</summary>
    public static string Cell(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => Visible(value.GetString()!),
        _ => value.GetRawText(),
    };

    /// <summary><paramref name="text"/> cut to <see cref="MaxCell"/> characters, the last one an ellipsis.</summary>
    public static string Cut(string text)
    {
        if (text.Length <= MaxCell)
        {
            return text;
        }

        int keep = MaxCell - 1;
        if (char.IsHighSurrogate(text[keep - 1]))
        {
            keep--;
        }

        return string.Concat(text.AsSpan(0, keep), "…");
    }

    // A line break or tab inside a value would break the table's row: they are shown as their escapes.
    private static string Visible(string text)
    {
        if (!text.AsSpan().ContainsAnyInRange('\0', '\x1f'))
        {
            return text;
        }

        var visible = new StringBuilder(text.Length + 8);
        foreach (char c in text)
        {
            _ = c switch
            {
                '\n' => visible.Append("\\n"),
                '\r' => visible.Append("\\r"),
                '\t' => visible.Append("\\t"),
                < ' ' => visible.Append("\\u").Append(((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture)),
                _ => visible.Append(c),
            };
        }

        return visible.ToString();
    }
}
