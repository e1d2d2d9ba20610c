namespace Repos.Storage;

/// <summary>Small helpers for the SQL Repos builds from model names (never from user values).</summary>
internal static class SqlText
{
    /// <summary>Quotes an identifier: <c>Daily"Entry</c> becomes <c>"Daily""Entry"</c>.</summary>
    public static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary>Quotes a string literal.</summary>
    public static string Literal(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";
}
