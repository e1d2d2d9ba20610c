namespace Repos.Storage.Sqlite;

/// <summary>The SQLite result codes Repos acts on.</summary>
internal static class SqliteCodes
{
    public const int Busy = 5;
    public const int Locked = 6;
    public const int ReadOnly = 8;
    public const int IoError = 10;
    public const int Corrupt = 11;
    public const int Full = 13;
    public const int CantOpen = 14;
    public const int Constraint = 19;
    public const int NotADatabase = 26;
    public const int ConstraintPrimaryKey = Constraint | (6 << 8);
    public const int ConstraintUnique = Constraint | (8 << 8);
}
