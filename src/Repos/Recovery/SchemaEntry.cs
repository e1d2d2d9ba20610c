using System.Text;

namespace Repos.Recovery;

/// <summary>A row of a damaged file's <c>sqlite_schema</c>: a table or index, and its root page.</summary>
internal sealed record SchemaEntry(string Type, string Name, string TableName, uint RootPage, string? Sql)
{
    /// <summary>The rows of <c>sqlite_schema</c> (the table b-tree on page 1) that can be read.</summary>
    public static List<SchemaEntry> ReadAll(BTreeReader reader, Encoding encoding, TreeDamage damage)
    {
        var entries = new List<SchemaEntry>();
        foreach (TableCell cell in reader.WalkTable(1, damage))
        {
            RecordValue[]? record = cell.Complete ? RecordValue.Parse(cell.Payload) : null;
            if (record is { Length: 5 }
                && record[0].Kind == RecordKind.Text
                && record[1].Kind == RecordKind.Text
                && record[2].Kind == RecordKind.Text
                && record[3].Kind == RecordKind.Integer
                && record[3].Integer is > 0 and <= uint.MaxValue)
            {
                entries.Add(new SchemaEntry(
                    record[0].Text(encoding),
                    record[1].Text(encoding),
                    record[2].Text(encoding),
                    (uint)record[3].Integer,
                    record[4].Kind == RecordKind.Text ? record[4].Text(encoding) : null));
            }
        }

        return entries;
    }

    /// <summary>
    /// The column names of a <c>CREATE TABLE</c> statement, in order (columns added later are appended to the
    /// statement by SQLite), or null when it does not parse.
    /// </summary>
    public List<string>? ColumnNames()
    {
        if (Sql is null)
        {
            return null;
        }

        int open = Sql.IndexOf('(', StringComparison.Ordinal);
        int close = Sql.LastIndexOf(')');
        if (open < 0 || close <= open)
        {
            return null;
        }

        var names = new List<string>();
        int depth = 0;
        bool atStart = true;
        for (int i = open + 1; i < close; i++)
        {
            char c = Sql[i];
            if (atStart && !char.IsWhiteSpace(c))
            {
                atStart = false;
                if (c == '"')
                {
                    var name = new StringBuilder();
                    for (i++; i < close; i++)
                    {
                        if (Sql[i] == '"')
                        {
                            if (i + 1 < close && Sql[i + 1] == '"')
                            {
                                name.Append('"');
                                i++;
                                continue;
                            }

                            break;
                        }

                        name.Append(Sql[i]);
                    }

                    names.Add(name.ToString());
                    continue;
                }

                int end = i;
                while (end < close && !char.IsWhiteSpace(Sql[end]) && Sql[end] != ',')
                {
                    end++;
                }

                names.Add(Sql[i..end]);
                i = end - 1;
                continue;
            }

            if (c == '(')
            {
                depth++;
            }
            else if (c == ')')
            {
                depth--;
            }
            else if (c == ',' && depth == 0)
            {
                atStart = true;
            }
        }

        return names;
    }
}
