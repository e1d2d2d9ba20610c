using System.Globalization;
using Repos.Internal;
using Repos.Storage.Sqlite;

namespace Repos.Storage;

/// <summary>Keys as text for error messages.</summary>
internal static class KeyText
{
    // A key longer than this is shown by its start and its length, so a message stays short whatever the key.
    private const int ShownCharacters = 64;

    public static string Of<TKey>(TKey key) => key switch
    {
        null => "null",
        string s when s.Length > ReposLimits.MaxKeyBytes => string.Create(CultureInfo.InvariantCulture, $"'{s.AsSpan(0, ShownCharacters)}...' ({s.Length:N0} characters)"),
        string s => $"'{s}'",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => key.ToString() ?? string.Empty,
    };

    /// <summary>
    /// The broken rule when a key is longer than <see cref="ReposLimits.MaxKeyBytes"/> (rule <c>MaxKeyLength</c>
    /// on the key property), or null.
    /// </summary>
    public static ValidationError? LengthError(string keyProperty, ColumnValue key)
    {
        int length = key.StoredTextLength;
        return length <= ReposLimits.MaxKeyBytes
            ? null
            : new ValidationError(keyProperty, "MaxKeyLength", null, LengthMessage(length));
    }

    /// <summary>Throws <see cref="EntityValidationException"/> when a key is longer than <see cref="ReposLimits.MaxKeyBytes"/>.</summary>
    public static void CheckLength(string entityName, string keyProperty, ColumnValue key)
    {
        if (LengthError(keyProperty, key) is { } error)
        {
            throw new EntityValidationException(entityName, Of(key.Text), [error]);
        }
    }

    /// <summary>What is wrong with a key of <paramref name="length"/> UTF-8 bytes.</summary>
    public static string LengthMessage(long length) => string.Create(
        CultureInfo.InvariantCulture,
        $"the key is {length:N0} bytes long in UTF-8; a key is at most {ReposLimits.MaxKeyBytes:N0} bytes (ReposLimits.MaxKeyBytes)");

    /// <summary>A key read as a column value, shown as <see cref="FromColumn"/> shows the column it was read from.</summary>
    public static string FromValue(ColumnValue key) => key.Kind switch
    {
        ColumnKind.Integer => key.Integer.ToString(CultureInfo.InvariantCulture),
        ColumnKind.Text => Of(key.Text ?? key.ToString()[1..^1]),
        ColumnKind.Blob when key.AsGuid is { } guid => guid.ToString(),
        ColumnKind.Blob => key.Bytes is { Length: 16 } bytes ? new Guid(bytes, bigEndian: true).ToString() : Convert.ToHexString(key.Bytes!),
        _ => "null",
    };

    /// <summary>The key in column <paramref name="index"/> of the current row.</summary>
    public static string FromColumn(SqliteStatement statement, int index, ColumnKind kind)
    {
        switch (kind)
        {
            case ColumnKind.Integer:
                return statement.ColumnInt64(index).ToString(CultureInfo.InvariantCulture);
            case ColumnKind.Text:
                return Of(statement.ColumnText(index));
            default:
                ReadOnlySpan<byte> bytes = statement.ColumnBlob(index);
                return bytes.Length == 16 ? new Guid(bytes, bigEndian: true).ToString() : Convert.ToHexString(bytes);
        }
    }
}
