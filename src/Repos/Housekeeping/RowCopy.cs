using Repos.Storage.Sqlite;

namespace Repos.Housekeeping;

/// <summary>Copies and compares rows between connections, column by column, as SQLite stores them.</summary>
internal static class RowCopy
{
    /// <summary>Binds the first <paramref name="count"/> columns of <paramref name="from"/>'s row to parameters 1 to <paramref name="count"/> of <paramref name="to"/>.</summary>
    public static void Bind(SqliteStatement from, SqliteStatement to, int count)
    {
        for (int i = 0; i < count; i++)
        {
            switch (from.ColumnType(i))
            {
                case SqliteTypes.Integer:
                    to.BindInt64(i + 1, from.ColumnInt64(i));
                    break;
                case SqliteTypes.Float:
                    to.BindDouble(i + 1, from.ColumnDouble(i));
                    break;
                case SqliteTypes.Text:
                    to.BindText(i + 1, from.ColumnTextUtf8(i));
                    break;
                case SqliteTypes.Blob:
                    to.BindBlob(i + 1, from.ColumnBlob(i));
                    break;
                default:
                    to.BindNull(i + 1);
                    break;
            }
        }
    }

    /// <summary>Whether the first <paramref name="count"/> columns of both rows hold the same values, of the same types.</summary>
    public static bool Same(SqliteStatement a, SqliteStatement b, int count)
    {
        for (int i = 0; i < count; i++)
        {
            int type = a.ColumnType(i);
            if (type != b.ColumnType(i))
            {
                return false;
            }

            bool same = type switch
            {
                SqliteTypes.Integer => a.ColumnInt64(i) == b.ColumnInt64(i),
                SqliteTypes.Float => a.ColumnDouble(i).Equals(b.ColumnDouble(i)),
                SqliteTypes.Null => true,
                _ => a.ColumnBlob(i).SequenceEqual(b.ColumnBlob(i)),
            };

            if (!same)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Copies every row of <paramref name="table"/> (same columns on both sides) from one connection to the other.</summary>
    public static void CopyTable(SqliteConnection from, SqliteConnection to, string table)
    {
        using SqliteStatement select = from.PrepareOnce($"SELECT * FROM {Storage.SqlText.Quote(table)}");
        SqliteStatement? insert = null;
        try
        {
            while (select.Step())
            {
                if (insert is null)
                {
                    int columns = select.ColumnCount;
                    string parameters = string.Join(", ", Enumerable.Range(1, columns).Select(n => "?" + n.ToString(System.Globalization.CultureInfo.InvariantCulture)));
                    insert = to.PrepareOnce($"INSERT INTO {Storage.SqlText.Quote(table)} VALUES({parameters})");
                }

                Bind(select, insert, select.ColumnCount);
                insert.Execute();
            }
        }
        finally
        {
            insert?.Dispose();
        }
    }
}
