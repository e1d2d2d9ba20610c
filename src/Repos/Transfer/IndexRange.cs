using System.Globalization;
using Repos.Internal;
using Repos.Recovery;
using Repos.Storage;
using Repos.Storage.Sqlite;

namespace Repos.Transfer;

/// <summary>
/// A range of an index given as text, for tools without the app's types (<c>repos show --index UserDate --from
/// user-03,2024-01-01 --to user-03,2024-03-31</c>): each value parsed by its column's type in the catalog and encoded
/// as the column stores it (docs/format.md), compared as SQLite row values.
/// </summary>
internal sealed class IndexRange
{
    private readonly string _sql;
    private readonly ColumnValue[] _parameters;

    private IndexRange(string sql, ColumnValue[] parameters)
    {
        _sql = sql;
        _parameters = parameters;
    }

    public (string Sql, ColumnValue[] Parameters) Resolve(SqliteConnection connection) => (_sql, _parameters);

    /// <exception cref="ArgumentException">A bound has more values than the index has columns, or a value does not parse.</exception>
    public static IndexRange Parse(BundleCatalog catalog, BundleEntity entity, BundleIndex index, IReadOnlyList<string>? from, IReadOnlyList<string>? to)
    {
        string[] columns = index.Columns.Split(',');
        var parameters = new List<ColumnValue>();
        var where = new List<string>();
        foreach ((IReadOnlyList<string>? bound, string comparison) in new[] { (from, ">="), (to, "<=") })
        {
            if (bound is null || bound.Count == 0)
            {
                continue;
            }

            if (bound.Count > columns.Length)
            {
                throw new ArgumentException($"The index {index.Name} has {columns.Length} column(s) ({index.Columns}); a bound gives {bound.Count} values.", nameof(from));
            }

            var names = new List<string>();
            var places = new List<string>();
            for (int i = 0; i < bound.Count; i++)
            {
                (string name, string? encoding) = Split(columns[i]);
                names.Add(SqlText.Quote(name));
                parameters.Add(Value(catalog, entity, name, encoding, bound[i]));
                places.Add("?" + parameters.Count.ToString(CultureInfo.InvariantCulture));
            }

            where.Add($"({string.Join(", ", names)}) {comparison} ({string.Join(", ", places)})");
        }

        string order = string.Join(", ", columns.Select(c => SqlText.Quote(Split(c).Name)));
        string filter = where.Count == 0 ? string.Empty : " WHERE " + string.Join(" AND ", where);
        return new IndexRange($"SELECT key, _blob FROM {SqlText.Quote(entity.Table)}{filter} ORDER BY {order}, key", [.. parameters]);
    }

    /// <summary>The row whose key is <paramref name="key"/>, parsed by the key property's type.</summary>
    public static IndexRange ForKey(BundleCatalog catalog, BundleEntity entity, string key) =>
        new($"SELECT key, _blob FROM {SqlText.Quote(entity.Table)} WHERE key = ?1", [Value(catalog, entity, entity.KeyProperty, null, key)]);

    private static (string Name, string? Encoding) Split(string column) =>
        column.IndexOf(':') is var colon and >= 0 ? (column[..colon], column[(colon + 1)..]) : (column, null);

    private static ColumnValue Value(BundleCatalog catalog, BundleEntity entity, string column, string? encoding, string text)
    {
        CatalogField? field = catalog.Types.GetValueOrDefault(entity.Type)?.Find(f => f.Name == column && !f.Retired);
        CatalogType? type = field is null || field.ClrType == Catalog.WireEncodedType ? null : CatalogType.Parse(field.ClrType);
        if (type?.Kind == CatalogTypeKind.Nullable)
        {
            type = type.Element;
        }

        CultureInfo invariant = CultureInfo.InvariantCulture;
        bool parsed = true;
        ColumnValue value = default;
        switch (type?.Kind)
        {
            case null:
                // A column the catalog does not type (a nested property's): a number when it is one, else text.
                value = long.TryParse(text, NumberStyles.AllowLeadingSign, invariant, out long number) ? ColumnValue.From(number) : ColumnValue.From(text);
                break;
            case CatalogTypeKind.Boolean:
                parsed = bool.TryParse(text, out bool flag);
                value = ColumnValue.From(flag);
                break;
            case CatalogTypeKind.UInt64:
                parsed = ulong.TryParse(text, NumberStyles.None, invariant, out ulong unsigned);
                value = ColumnValue.FromUInt64(unsigned);
                break;
            case CatalogTypeKind.SByte or CatalogTypeKind.Byte or CatalogTypeKind.Int16 or CatalogTypeKind.UInt16 or CatalogTypeKind.Int32
                or CatalogTypeKind.UInt32 or CatalogTypeKind.Int64:
                parsed = long.TryParse(text, NumberStyles.AllowLeadingSign, invariant, out long integer);
                value = ColumnValue.From(integer);
                break;
            case CatalogTypeKind.Single or CatalogTypeKind.Double:
                parsed = double.TryParse(text, NumberStyles.Float, invariant, out double real);
                value = ColumnValue.FromOrdered(real);
                break;
            case CatalogTypeKind.Char:
                parsed = text.Length == 1;
                value = ColumnValue.From(parsed ? text[0] : '\0');
                break;
            case CatalogTypeKind.String:
                value = encoding == "ci" ? ColumnValue.FromIgnoreCase(text) : ColumnValue.From(text);
                break;
            case CatalogTypeKind.Guid:
                parsed = Guid.TryParse(text, out Guid guid);
                value = ColumnValue.From(guid);
                break;
            case CatalogTypeKind.DateTime:
                parsed = JsonValueText.TryParseExactDateTime(text, out DateTime time) || DateOnly.TryParseExact(text, "O", invariant, DateTimeStyles.None, out DateOnly day) && (time = day.ToDateTime(TimeOnly.MinValue)) != default;
                value = ColumnValue.From(time);
                break;
            case CatalogTypeKind.DateTimeOffset:
                parsed = JsonValueText.TryParseDateTimeOffset(text, out DateTimeOffset instant);
                value = ColumnValue.From(instant);
                break;
            case CatalogTypeKind.DateOnly:
                parsed = JsonValueText.TryParseDateOnly(text, out DateOnly date);
                value = ColumnValue.From(date);
                break;
            case CatalogTypeKind.TimeOnly:
                parsed = JsonValueText.TryParseTimeOnly(text, out TimeOnly clock);
                value = ColumnValue.From(clock);
                break;
            case CatalogTypeKind.TimeSpan:
                parsed = JsonValueText.TryParseTimeSpan(text, out TimeSpan span);
                value = ColumnValue.From(span);
                break;
            case CatalogTypeKind.Named when catalog.Enums.TryGetValue(type.Name!, out SortedDictionary<long, string>? members):
                long? member = members.FirstOrDefault(m => string.Equals(m.Value, text, StringComparison.OrdinalIgnoreCase)).Value is not null
                    ? members.First(m => string.Equals(m.Value, text, StringComparison.OrdinalIgnoreCase)).Key
                    : long.TryParse(text, NumberStyles.AllowLeadingSign, invariant, out long raw) ? raw : null;
                parsed = member is not null;
                value = encoding == "u64" ? ColumnValue.FromUInt64(unchecked((ulong)(member ?? 0))) : ColumnValue.From(member ?? 0);
                break;
            case CatalogTypeKind.Named:
                parsed = long.TryParse(text, NumberStyles.AllowLeadingSign, invariant, out long plain);
                value = encoding == "u64" ? ColumnValue.FromUInt64(unchecked((ulong)plain)) : ColumnValue.From(plain);
                break;
            default:
                throw new ArgumentException($"{entity.Name}.{column} is a {field!.ClrType}, which no range can be given for.", nameof(text));
        }

        return parsed ? value : throw new ArgumentException($"'{text}' is not a value of {entity.Name}.{column}, a {field!.ClrType}.", nameof(text));
    }
}
