namespace Repos.Storage.Sqlite;

/// <summary>SQLite's fundamental datatypes, as <c>sqlite3_column_type</c> reports them.</summary>
internal static class SqliteTypes
{
    public const int Integer = 1;
    public const int Float = 2;
    public const int Text = 3;
    public const int Blob = 4;
    public const int Null = 5;
}
