namespace Repos.Transfer;

/// <summary>A CSV file is not RFC 4180 where <see cref="Line"/> says; nothing was written.</summary>
public sealed class CsvFormatException : ReposException
{
    /// <summary>Creates the exception for a place in the file.</summary>
    /// <param name="line">The line the record starts on, from 1.</param>
    /// <param name="field">The field, from 0.</param>
    /// <param name="reason">What is wrong.</param>
    public CsvFormatException(long line, int field, string reason)
        : base($"The CSV cannot be read: at line {line}, field {field + 1}, {reason}. Nothing was written.")
    {
        Line = line;
        Field = field;
    }

    /// <summary>The line the record starts on, from 1.</summary>
    public long Line { get; }

    /// <summary>The field, from 0.</summary>
    public int Field { get; }
}
