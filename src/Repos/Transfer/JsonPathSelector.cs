using System.Globalization;
using System.Text;

namespace Repos.Transfer;

/// <summary>
/// A parsed <see cref="JsonImportOptions.Path"/>: the property names and array indexes that lead from the top of
/// the dump to its documents.
/// </summary>
internal sealed class JsonPathSelector
{
    private JsonPathSelector(string text, Segment[] segments)
    {
        Text = text;
        Segments = segments;
    }

    /// <summary>The top-level value.</summary>
    public static JsonPathSelector Root { get; } = new("$", []);

    /// <summary>The path as written in messages (<c>$.stores.notes</c>).</summary>
    public string Text { get; }

    /// <summary>The steps, outermost first.</summary>
    public IReadOnlyList<Segment> Segments { get; }

    /// <summary>Parses a path; null or empty is the top-level value.</summary>
    /// <exception cref="ArgumentException">The path is not valid.</exception>
    public static JsonPathSelector Parse(string? path)
    {
        if (string.IsNullOrEmpty(path) || path == "$")
        {
            return Root;
        }

        var segments = new List<Segment>();
        int position = path[0] == '$' ? 1 : 0;
        bool first = position == 0;
        while (position < path.Length)
        {
            char c = path[position];
            if (c == '[')
            {
                int close = path.IndexOf(']', position);
                if (close < 0)
                {
                    throw Invalid(path, "a '[' is not closed");
                }

                string inside = path[(position + 1)..close];
                if (inside.Length >= 2 && inside[0] is '\'' or '"' && inside[^1] == inside[0])
                {
                    segments.Add(new Segment(inside[1..^1], -1));
                }
                else if (int.TryParse(inside, NumberStyles.None, CultureInfo.InvariantCulture, out int index))
                {
                    segments.Add(new Segment(null, index));
                }
                else
                {
                    throw Invalid(path, $"[{inside}] is neither an index nor a quoted name");
                }

                position = close + 1;
            }
            else
            {
                if (c == '.')
                {
                    position++;
                }
                else if (!first)
                {
                    throw Invalid(path, $"'{c}' at {position} should be '.' or '['");
                }

                int end = position;
                while (end < path.Length && path[end] is not ('.' or '['))
                {
                    end++;
                }

                if (end == position)
                {
                    throw Invalid(path, $"a name is missing at {position}");
                }

                segments.Add(new Segment(path[position..end], -1));
                position = end;
            }

            first = false;
        }

        return new JsonPathSelector(Format(segments, segments.Count), [.. segments]);
    }

    /// <summary>The first <paramref name="count"/> steps as a path (<c>$.stores</c>).</summary>
    public string Prefix(int count) => Format(Segments, count);

    private static string Format(IReadOnlyList<Segment> segments, int count)
    {
        var text = new StringBuilder("$");
        for (int i = 0; i < count; i++)
        {
            JsonPathText.Append(text, segments[i].Name, segments[i].Index);
        }

        return text.ToString();
    }

    private static ArgumentException Invalid(string path, string reason) =>
        new($"'{path}' is not a valid JSON path: {reason}.", nameof(JsonImportOptions.Path));

    /// <summary>One step: a property name, or an array index when <see cref="Name"/> is null.</summary>
    internal readonly record struct Segment(string? Name, int Index);
}
