using System.Text;
using Repos.Internal;
using Repos.Storage;

namespace Repos.Querying;

/// <summary>
/// Everything a typed index query has said so far. Immutable: every builder method returns a changed
/// copy, so a query can be kept and refined in several ways.
/// </summary>
internal readonly record struct QueryState<TEntity, TKey>(
    Repository<TEntity, TKey> Repository,
    IndexDefinition Index,
    ColumnValue[] Prefix,
    Bound Lower,
    Bound Upper,
    bool Descending,
    int Skip,
    int Take,
    bool HasAfter,
    TKey? After,
    TEntity? AfterEntity = null)
    where TEntity : class
    where TKey : notnull
{
    public static QueryState<TEntity, TKey> Create(Repository<TEntity, TKey> repository, IndexDefinition index, ColumnValue[] prefix) =>
        new(repository, index, prefix, default, default, false, 0, int.MaxValue, false, default);

    /// <summary>The column a range applies to: the first index column after the equality prefix, if any.</summary>
    public string? RangeColumn => Prefix.Length < Index.Columns.Length ? Index.Columns[Prefix.Length] : null;

    /// <summary>
    /// Whether the index columns alone order the rows completely: a unique index with equality on every column
    /// but the last, none of them NULL, and a bound on the last (so its NULLs, which a unique index lets repeat,
    /// are out). Then the key is left out of ORDER BY: it could break no tie, and without it SQLite reads the
    /// rows in index order instead of sorting them, blobs and all, in a temporary B-tree.
    /// </summary>
    private bool IsTotallyOrderedByIndex
    {
        get
        {
            // A unique index orders its rows completely once no two rows can share its values: every column
            // but the last fixed to non-null values, and the last one non-null (bounded, or never null).
            if (!Index.Unique || Prefix.Length < Index.Columns.Length - 1)
            {
                return false;
            }

            foreach (ColumnValue value in Prefix)
            {
                if (value.IsNull)
                {
                    return false;
                }
            }

            return Prefix.Length == Index.Columns.Length || Lower.IsSet || Upper.IsSet || !IsNullable(Index.Columns[^1]);
        }
    }

    private bool IsNullable(string column)
    {
        foreach (IndexColumn candidate in Repository.Definition.Columns)
        {
            if (candidate.Name == column)
            {
                return candidate.Nullable;
            }
        }

        return true;
    }

    /// <summary>
    /// The SELECT of this query and its parameters: equality on the prefix, the range on the next column,
    /// keyset continuation after a row, in index order with the key breaking ties, then OFFSET and LIMIT.
    /// Queries of one shape (see <see cref="QueryShape"/>) share their SQL: it is built once per repository and
    /// shape, and only the parameters are worked out per call. With <paramref name="countPaged"/>, the SELECT
    /// is wrapped in a count of its rows.
    /// </summary>
    public (string Sql, ColumnValue[] Parameters) Build(string select, bool paged, ColumnValue[] afterColumns, ColumnValue afterKey, bool countPaged = false)
    {
        bool limited = paged && (Take != int.MaxValue || Skip > 0);
        bool simpleAfter = HasAfter && IsSimpleAfter(afterColumns);
        ColumnValue[] parameters = Parameters(limited, afterColumns, afterKey, simpleAfter);
        if (Index.Columns.Length > 64)
        {
            // Beyond what the shape's null masks can describe: built each time (SQLite allows such indexes).
            return (Sql(select, limited, afterColumns, afterKey, simpleAfter, countPaged), parameters);
        }

        var shape = new QueryShape(
            select,
            Index,
            Prefix.Length,
            NullMask(Prefix),
            Lower.IsSet ? (Lower.Inclusive ? (byte)2 : (byte)1) : (byte)0,
            Upper.IsSet ? (Upper.Inclusive ? (byte)2 : (byte)1) : (byte)0,
            Descending,
            limited,
            HasAfter,
            HasAfter ? NullMask(afterColumns) | (afterKey.IsNull ? 1UL << 63 : 0) : 0,
            countPaged);
        System.Collections.Concurrent.ConcurrentDictionary<QueryShape, string> cache = Repository.QuerySql;
        if (!cache.TryGetValue(shape, out string? sql))
        {
            sql = Sql(select, limited, afterColumns, afterKey, simpleAfter, countPaged);

            // Bounded: a program that makes ever new shapes gets its SQL built each time past this.
            if (cache.Count < 1024)
            {
                cache.TryAdd(shape, sql);
            }
        }

        return (sql, parameters);
    }

    private static ulong NullMask(ColumnValue[] values)
    {
        ulong mask = 0;
        for (int i = 0; i < values.Length; i++)
        {
            mask |= values[i].IsNull ? 1UL << i : 0;
        }

        return mask;
    }

    /// <summary>The parameters of the query, in the order <see cref="Sql"/> numbers them.</summary>
    private ColumnValue[] Parameters(bool limited, ColumnValue[] afterColumns, ColumnValue afterKey, bool simpleAfter)
    {
        var parameters = new List<ColumnValue>(Prefix.Length + 4);
        foreach (ColumnValue value in Prefix)
        {
            if (!value.IsNull)
            {
                parameters.Add(value);
            }
        }

        if (RangeColumn is not null)
        {
            if (Lower.IsSet)
            {
                parameters.Add(Lower.Value);
            }

            if (Upper.IsSet)
            {
                parameters.Add(Upper.Value);
            }
        }

        if (HasAfter)
        {
            foreach (ColumnValue value in afterColumns)
            {
                if (!value.IsNull)
                {
                    parameters.Add(value);
                }
            }

            if (simpleAfter || !afterKey.IsNull)
            {
                parameters.Add(afterKey);
            }
        }

        if (limited)
        {
            parameters.Add(ColumnValue.From(Take == int.MaxValue ? -1L : Take));
            parameters.Add(ColumnValue.From((long)Skip));
        }

        return parameters.ToArray();
    }

    /// <summary>The SQL text of the query; parameters are numbered in the order <see cref="Parameters"/> lists them.</summary>
    private string Sql(string select, bool limited, ColumnValue[] afterColumns, ColumnValue afterKey, bool simpleAfter, bool countPaged)
    {
        int count = 0;
        var where = new StringBuilder();
        for (int i = 0; i < Prefix.Length; i++)
        {
            string column = SqlText.Quote(Index.Columns[i]);
            Append(where, Prefix[i].IsNull ? $"{column} IS NULL" : $"{column} = ?{++count}");
        }

        if (RangeColumn is { } rangeColumn)
        {
            string column = SqlText.Quote(rangeColumn);
            if (Lower.IsSet)
            {
                Append(where, $"{column} {(Lower.Inclusive ? ">=" : ">")} ?{++count}");
            }

            if (Upper.IsSet)
            {
                Append(where, $"{column} {(Upper.Inclusive ? "<=" : "<")} ?{++count}");
            }
        }

        // Order: the index columns after the prefix, then the key, all in one direction.
        var orderColumns = new List<string>();
        for (int i = Prefix.Length; i < Index.Columns.Length; i++)
        {
            orderColumns.Add(SqlText.Quote(Index.Columns[i]));
        }

        if (HasAfter)
        {
            AppendAfter(where, ref count, afterColumns, afterKey, simpleAfter);
        }

        // The key breaks ties, unless the index cannot have any (and a full match of a unique index, at most
        // one row, is still ordered by something).
        if (!IsTotallyOrderedByIndex || orderColumns.Count == 0)
        {
            orderColumns.Add("key");
        }

        var sql = new StringBuilder();
        if (countPaged)
        {
            sql.Append("SELECT count(*) FROM (");
        }

        sql.Append(select).Append(" FROM ").Append(Repository.Sql.Table);
        if (where.Length > 0)
        {
            sql.Append(" WHERE ").Append(where);
        }

        sql.Append(" ORDER BY ").AppendJoin(Descending ? " DESC, " : ", ", orderColumns);
        if (Descending)
        {
            sql.Append(" DESC");
        }

        if (limited)
        {
            sql.Append(" LIMIT ?").Append(++count);
            sql.Append(" OFFSET ?").Append(++count);
        }

        if (countPaged)
        {
            sql.Append(')');
        }

        return sql.ToString();
    }

    /// <summary>
    /// Whether the keyset continuation can be one row-value comparison: no NULL on either side can matter (no
    /// NULL boundary value, and descending no column that can hold NULL).
    /// </summary>
    private bool IsSimpleAfter(ColumnValue[] afterColumns)
    {
        bool simple = true;
        for (int i = 0; i < afterColumns.Length; i++)
        {
            simple &= !afterColumns[i].IsNull && (!Descending || !IsNullable(Index.Columns[Prefix.Length + i]));
        }

        return simple;
    }

    /// <summary>
    /// Keyset paging: keeps the rows strictly after the boundary (the ordering columns' values and the key of
    /// the row the caller saw last) in the query's order, whether or not that row is still stored. SQLite orders
    /// NULL before every value, so ascending a NULL boundary value is passed by any value and descending by
    /// none, and descending every NULL comes after any value.
    /// </summary>
    private void AppendAfter(StringBuilder where, ref int count, ColumnValue[] afterColumns, ColumnValue afterKey, bool simple)
    {
        int first = Prefix.Length;
        if (simple)
        {
            // One row-value comparison, which SQLite answers from the index.
            var columns = new StringBuilder();
            var values = new StringBuilder();
            for (int i = 0; i < afterColumns.Length; i++)
            {
                columns.Append(SqlText.Quote(Index.Columns[first + i])).Append(", ");
                values.Append('?').Append(++count).Append(", ");
            }

            columns.Append("key");
            values.Append('?').Append(++count);
            Append(where, $"({columns}) {(Descending ? "<" : ">")} ({values})");
            return;
        }

        // (c1 after v1) OR (c1 = v1 AND c2 after v2) OR ... OR (c1 = v1 AND ... AND key after k), NULL-aware.
        var alternatives = new List<string>();
        var equal = new StringBuilder();
        for (int i = 0; i <= afterColumns.Length; i++)
        {
            bool isKey = i == afterColumns.Length;
            string column = isKey ? "key" : SqlText.Quote(Index.Columns[first + i]);
            ColumnValue value = isKey ? afterKey : afterColumns[i];
            string? passed;
            string? parameter = value.IsNull ? null : "?" + (++count).ToString(System.Globalization.CultureInfo.InvariantCulture);

            if (parameter is null)
            {
                passed = Descending ? null : $"{column} IS NOT NULL";
            }
            else if (!Descending)
            {
                passed = $"{column} > {parameter}";
            }
            else
            {
                passed = isKey || !IsNullable(Index.Columns[first + i]) ? $"{column} < {parameter}" : $"({column} < {parameter} OR {column} IS NULL)";
            }

            if (passed is not null)
            {
                alternatives.Add(equal.Length == 0 ? passed : $"{equal} AND {passed}");
            }

            if (!isKey)
            {
                string same = parameter is null ? $"{column} IS NULL" : $"{column} = {parameter}";
                equal.Append(equal.Length == 0 ? same : " AND " + same);
            }
        }

        Append(where, alternatives.Count == 0 ? "0" : $"({string.Join(" OR ", alternatives.Select(a => "(" + a + ")"))})");
    }

    private static void Append(StringBuilder where, string condition)
    {
        if (where.Length > 0)
        {
            where.Append(" AND ");
        }

        where.Append(condition);
    }
}

/// <summary>One end of a range: its value and whether it is included.</summary>
internal readonly record struct Bound(bool IsSet, ColumnValue Value, bool Inclusive)
{
    public static Bound Including(ColumnValue value) => new(true, value, true);

    public static Bound Excluding(ColumnValue value) => new(true, value, false);
}

/// <summary>
/// Everything the SQL text of an index query depends on, and none of its values: the selected columns, the
/// index, which prefix and boundary values are NULL, which bounds are set and included, the direction, paging,
/// keyset continuation and counting. Queries of equal shapes have the same SQL.
/// </summary>
internal readonly record struct QueryShape(
    string Select,
    IndexDefinition Index,
    int PrefixLength,
    ulong PrefixNulls,
    byte Lower,
    byte Upper,
    bool Descending,
    bool Limited,
    bool HasAfter,
    ulong AfterNulls,
    bool CountPaged);
