using System.Globalization;
using Repos.Internal;
using Repos.Storage.Sqlite;

namespace Repos.Storage;

/// <summary>Keys as text for error messages.</summary>
internal static class KeyText
{
    public static string Of<TKey>(TKey key) => key switch
    {
        null => "null",
        string s => $"'{s}'",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => key.ToString() ?? string.Empty,
    };

    /// <summary>The key in column <paramref name="index"/> of the current row.</summary>
    public static string FromColumn(SqliteStatement statement, int index, ColumnKind kind)
    {
        switch (kind)
        {
            case ColumnKind.Integer:
                return statement.ColumnInt64(index).ToString(CultureInfo.InvariantCulture);
            case ColumnKind.Text:
                return $"'{statement.ColumnText(index)}'";
            default:
                ReadOnlySpan<byte> bytes = statement.ColumnBlob(index);
                return bytes.Length == 16 ? new Guid(bytes, bigEndian: true).ToString() : Convert.ToHexString(bytes);
        }
    }
}
