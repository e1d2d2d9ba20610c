using System.Text;
using SQLitePCL;

namespace Repos.Storage.Sqlite;

/// <summary>
/// A prepared statement: bind parameters (1-based, as in SQL), step through rows, read columns (0-based)
/// as spans that stay valid until the next step or reset.
/// </summary>
internal sealed class SqliteStatement : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly sqlite3_stmt _handle;

    internal SqliteStatement(SqliteConnection connection, sqlite3_stmt handle, string sql)
    {
        _connection = connection;
        _handle = handle;
        Sql = sql;
    }

    public string Sql { get; }

    /// <summary>The connection the statement runs on.</summary>
    public SqliteConnection Connection => _connection;

    public void BindInt64(int index, long value) => Check(raw.sqlite3_bind_int64(_handle, index, value));

    public void BindDouble(int index, double value) => Check(raw.sqlite3_bind_double(_handle, index, value));

    public void BindText(int index, string value) => Check(raw.sqlite3_bind_text(_handle, index, value));

    public void BindText(int index, ReadOnlySpan<byte> utf8) => Check(raw.sqlite3_bind_text(_handle, index, utf8));

    public void BindBlob(int index, ReadOnlySpan<byte> value) => Check(raw.sqlite3_bind_blob(_handle, index, value));

    public void BindNull(int index) => Check(raw.sqlite3_bind_null(_handle, index));

    /// <summary>Advances to the next row: true when there is one, false when the statement is done.</summary>
    public bool Step()
    {
        int rc = raw.sqlite3_step(_handle);
        if (rc == raw.SQLITE_ROW)
        {
            return true;
        }

        if (rc == raw.SQLITE_DONE)
        {
            return false;
        }

        // Reset so the statement can be used again; the error is reported from the step's code.
        raw.sqlite3_reset(_handle);
        throw _connection.Error(rc, $"Running '{Sql}' failed");
    }

    /// <summary>Steps a statement that returns no rows.</summary>
    public void Execute()
    {
        try
        {
            while (Step())
            {
            }
        }
        finally
        {
            Reset();
        }
    }

    /// <summary>Makes the statement ready to run again and drops its parameter values.</summary>
    public void Reset()
    {
        raw.sqlite3_reset(_handle);
        raw.sqlite3_clear_bindings(_handle);
    }

    /// <summary>The number of columns the statement returns.</summary>
    public int ColumnCount => raw.sqlite3_column_count(_handle);

    public int ColumnType(int index) => raw.sqlite3_column_type(_handle, index);

    public bool IsNull(int index) => raw.sqlite3_column_type(_handle, index) == raw.SQLITE_NULL;

    public long ColumnInt64(int index) => raw.sqlite3_column_int64(_handle, index);

    public double ColumnDouble(int index) => raw.sqlite3_column_double(_handle, index);

    public ReadOnlySpan<byte> ColumnBlob(int index) => raw.sqlite3_column_blob(_handle, index);

    // sqlite3_column_blob on a TEXT value returns its UTF-8 bytes without the terminator.
    public ReadOnlySpan<byte> ColumnTextUtf8(int index) => raw.sqlite3_column_blob(_handle, index);

    public string ColumnText(int index) => Encoding.UTF8.GetString(raw.sqlite3_column_blob(_handle, index));

    public void Dispose() => _handle.Dispose();

    private void Check(int rc)
    {
        if (rc != raw.SQLITE_OK)
        {
            throw _connection.Error(rc, $"Binding a parameter of '{Sql}' failed");
        }
    }
}
