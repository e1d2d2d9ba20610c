using System.Collections;
using System.Collections.ObjectModel;
using System.Data.Common;
using System.Runtime.CompilerServices;

namespace Repos.Benchmarks.Csv;

/// <summary>
/// The rows as a <see cref="DbDataReader"/>, the only input Sylvan's <c>CsvDataWriter</c> takes: typed getters, no
/// boxing, the enum as its name.
/// </summary>
internal sealed class HealthLogDataReader : DbDataReader, IDbColumnSchemaGenerator
{
    private static readonly Type[] s_types =
    [
        typeof(Guid), typeof(string), typeof(DateOnly), typeof(int), typeof(int), typeof(double), typeof(string),
        typeof(string), typeof(DateTime), typeof(decimal),
    ];

    private readonly HealthLogRow[] _rows;
    private int _index = -1;

    public HealthLogDataReader(HealthLogRow[] rows) => _rows = rows;

    private HealthLogRow Row => _rows[_index];

    public override int FieldCount => HealthLogCsv.Columns.Length;

    public override int Depth => 0;

    public override bool HasRows => _rows.Length > 0;

    public override bool IsClosed => false;

    public override int RecordsAffected => -1;

    public override object this[int ordinal] => GetValue(ordinal);

    public override object this[string name] => GetValue(GetOrdinal(name));

    public override bool Read() => ++_index < _rows.Length;

    public override bool NextResult() => false;

    public override string GetName(int ordinal) => HealthLogCsv.Columns[ordinal];

    public override int GetOrdinal(string name) => Array.IndexOf(HealthLogCsv.Columns, name);

    public override Type GetFieldType(int ordinal) => s_types[ordinal];

    public override string GetDataTypeName(int ordinal) => s_types[ordinal].Name;

    public override bool IsDBNull(int ordinal) => false;

    public override Guid GetGuid(int ordinal) => Row.Id;

    public override string GetString(int ordinal) => ordinal switch
    {
        1 => Row.UserId,
        6 => HealthLogCsv.MoodNames[(int)Row.Mood],
        7 => Row.Notes,
        _ => throw new InvalidCastException(),
    };

    public override int GetInt32(int ordinal) => ordinal == 3 ? Row.OverallHealth : Row.Energy;

    public override double GetDouble(int ordinal) => Row.SleepHours;

    public override DateTime GetDateTime(int ordinal) => Row.CompletedAt;

    public override decimal GetDecimal(int ordinal) => Row.WeightKg;

    public override T GetFieldValue<T>(int ordinal)
    {
        if (typeof(T) == typeof(DateOnly))
        {
            DateOnly date = Row.Date;
            return Unsafe.As<DateOnly, T>(ref date);
        }

        return (T)GetValue(ordinal);
    }

    public override object GetValue(int ordinal) => ordinal switch
    {
        0 => Row.Id,
        2 => Row.Date,
        3 or 4 => GetInt32(ordinal),
        5 => Row.SleepHours,
        8 => Row.CompletedAt,
        9 => Row.WeightKg,
        _ => GetString(ordinal),
    };

    public override int GetValues(object[] values)
    {
        for (int i = 0; i < FieldCount; i++)
        {
            values[i] = GetValue(i);
        }

        return FieldCount;
    }

    public override bool GetBoolean(int ordinal) => throw new InvalidCastException();

    public override byte GetByte(int ordinal) => throw new InvalidCastException();

    public override long GetBytes(int ordinal, long dataOffset, byte[]? buffer, int bufferOffset, int length) =>
        throw new InvalidCastException();

    public override char GetChar(int ordinal) => throw new InvalidCastException();

    public override long GetChars(int ordinal, long dataOffset, char[]? buffer, int bufferOffset, int length)
    {
        string value = GetString(ordinal);
        if (buffer is null)
        {
            return value.Length;
        }

        int count = Math.Min(length, value.Length - (int)dataOffset);
        value.CopyTo((int)dataOffset, buffer, bufferOffset, count);
        return count;
    }

    public override short GetInt16(int ordinal) => throw new InvalidCastException();

    public override long GetInt64(int ordinal) => GetInt32(ordinal);

    public override float GetFloat(int ordinal) => (float)GetDouble(ordinal);

    public override IEnumerator GetEnumerator() => throw new NotSupportedException();

    /// <summary>The columns' names and types, which the writer asks for before the first row.</summary>
    public ReadOnlyCollection<DbColumn> GetColumnSchema()
    {
        var columns = new DbColumn[FieldCount];
        for (int i = 0; i < columns.Length; i++)
        {
            columns[i] = new Column(i);
        }

        return new ReadOnlyCollection<DbColumn>(columns);
    }

    private sealed class Column : DbColumn
    {
        public Column(int ordinal)
        {
            ColumnName = HealthLogCsv.Columns[ordinal];
            ColumnOrdinal = ordinal;
            DataType = s_types[ordinal];
            DataTypeName = DataType.Name;
            AllowDBNull = false;
        }
    }
}
