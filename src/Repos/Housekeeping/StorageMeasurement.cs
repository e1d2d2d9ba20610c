using System.Text;
using Repos.Storage;
using Repos.Storage.Sqlite;
using SQLitePCL;

namespace Repos.Housekeeping;

/// <summary>
/// Measures a database for <see cref="StorageInfo"/>, inside the caller's read transaction: page figures, and per
/// entity its row count, blob bytes and pages (from <c>dbstat</c> when SQLite has it, estimated otherwise).
/// </summary>
internal static class StorageMeasurement
{
    // The bytes SQLite spends per row and per index entry beyond the values (cell header, pointer, rowid), roughly.
    private const int RowOverhead = 12;
    private const int IndexEntryOverhead = 10;

    private static readonly Lazy<bool> s_hasDbstat = new(() => raw.sqlite3_compileoption_used("ENABLE_DBSTAT_VTAB") != 0);

    /// <summary>Whether the SQLite library was built with the <c>dbstat</c> virtual table.</summary>
    public static bool HasDbstat => s_hasDbstat.Value;

    public static StorageInfo Measure(SqliteConnection connection, string path, long? maxSizeBytes, string backupFolder, (int Files, long Bytes) leftovers)
    {
        int pageSize = (int)connection.ExecuteScalar("PRAGMA page_size");
        long pageCount = connection.ExecuteScalar("PRAGMA page_count");
        long freePages = connection.ExecuteScalar("PRAGMA freelist_count");
        List<StoredEntity> stored = Catalog.ListEntities(connection);
        var measured = new List<(StoredEntity Entity, long Rows, long Payload, double Weight, long Trees)>(stored.Count);
        foreach (StoredEntity entity in stored)
        {
            (long rows, long payload, double weight) = MeasureTable(connection, entity.TableName);
            measured.Add((entity, rows, payload, weight, CountTrees(connection, entity.TableName)));
        }

        Dictionary<string, long>? exact = HasDbstat ? PagesFromDbstat(connection) : null;
        long[] bytes = exact is null ? Estimate(connection, measured, pageCount - freePages, pageSize) : [];
        var entities = new EntityStorageInfo[measured.Count];
        for (int i = 0; i < measured.Count; i++)
        {
            (StoredEntity entity, long rows, long payload, _, _) = measured[i];
            entities[i] = new EntityStorageInfo
            {
                Name = entity.Name,
                TableName = entity.TableName,
                RowCount = rows,
                PayloadBytes = payload,
                Bytes = exact is null ? bytes[i] : exact.GetValueOrDefault(entity.TableName),
            };
        }

        return new StorageInfo
        {
            DatabasePath = path,
            FileSizeBytes = FileLength(path),
            WalSizeBytes = FileLength(path + "-wal"),
            PageSize = pageSize,
            PageCount = pageCount,
            FreePages = freePages,
            MaxSizeBytes = maxSizeBytes,
            Entities = entities,
            EntityBytesAreEstimates = exact is null,
            BackupFolderPath = backupFolder,
            BackupFolderSizeBytes = FolderSize(backupFolder),
            LeftoverFiles = leftovers.Files,
            LeftoverBytes = leftovers.Bytes,
        };
    }

    public static long FileLength(string path)
    {
        var file = new FileInfo(path);
        return file.Exists ? file.Length : 0;
    }

    private static long FolderSize(string folder)
    {
        var directory = new DirectoryInfo(folder);
        if (!directory.Exists)
        {
            return 0;
        }

        long total = 0;
        foreach (FileInfo file in directory.EnumerateFiles("*", SearchOption.AllDirectories))
        {
            total += file.Length;
        }

        return total;
    }

    /// <summary>
    /// Counts the rows and adds up their blob bytes, and weighs the table: the bytes of its rows and of its index
    /// entries as SQLite stores them (integers and reals as 8 bytes, text and blobs by length), plus a fixed
    /// overhead per row and entry. One scan of the table.
    /// </summary>
    private static (long Rows, long Payload, double Weight) MeasureTable(SqliteConnection connection, string table)
    {
        var columns = new List<string>();
        using (SqliteStatement info = connection.PrepareOnce("SELECT name FROM pragma_table_info(?1) ORDER BY cid"))
        {
            info.BindText(1, table);
            while (info.Step())
            {
                columns.Add(info.ColumnText(0));
            }
        }

        // Each index holds its columns (and the key, or the rowid of an integer key, which the table's own
        // b-tree is ordered by and which costs no separate index).
        var indexed = new List<List<string>>();
        using (SqliteStatement list = connection.PrepareOnce("SELECT name FROM pragma_index_list(?1)"))
        using (SqliteStatement info = connection.PrepareOnce("SELECT name FROM pragma_index_info(?1) ORDER BY seqno"))
        {
            list.BindText(1, table);
            while (list.Step())
            {
                info.BindText(1, list.ColumnText(0));
                var names = new List<string>();
                while (info.Step())
                {
                    if (!info.IsNull(0))
                    {
                        names.Add(info.ColumnText(0));
                    }
                }

                info.Reset();
                indexed.Add(names);
            }
        }

        var sql = new StringBuilder("SELECT count(*), total(octet_length(_blob))");
        foreach (string column in columns)
        {
            sql.Append(", total(").Append(SizeOf(SqlText.Quote(column))).Append(')');
        }

        sql.Append(" FROM ").Append(SqlText.Quote(table));
        using SqliteStatement scan = connection.PrepareOnce(sql.ToString());
        if (!scan.Step())
        {
            return (0, 0, 0);
        }

        long rows = scan.ColumnInt64(0);
        long payload = (long)scan.ColumnDouble(1);
        var sizes = new Dictionary<string, double>(StringComparer.Ordinal);
        double weight = rows * RowOverhead;
        for (int i = 0; i < columns.Count; i++)
        {
            double size = scan.ColumnDouble(i + 2);
            sizes[columns[i]] = size;
            weight += size;
        }

        foreach (List<string> index in indexed)
        {
            weight += rows * IndexEntryOverhead;
            foreach (string column in index)
            {
                weight += sizes.GetValueOrDefault(column);
            }
        }

        return (rows, payload, weight);
    }

    private static string SizeOf(string column) =>
        $"CASE typeof({column}) WHEN 'null' THEN 0 WHEN 'integer' THEN 8 WHEN 'real' THEN 8 ELSE octet_length({column}) END";

    /// <summary>The table's b-trees: its own and one per index.</summary>
    private static long CountTrees(SqliteConnection connection, string table)
    {
        using SqliteStatement count = connection.PrepareOnce("SELECT count(*) FROM sqlite_schema WHERE tbl_name=?1 AND rootpage>0");
        count.BindText(1, table);
        return count.Step() ? count.ColumnInt64(0) : 0;
    }

    /// <summary>The pages of every table and its indexes, exactly, from SQLite's <c>dbstat</c> table.</summary>
    private static Dictionary<string, long> PagesFromDbstat(SqliteConnection connection)
    {
        var bytes = new Dictionary<string, long>(StringComparer.Ordinal);
        using SqliteStatement select = connection.PrepareOnce(
            "SELECT s.tbl_name, sum(d.pgsize) FROM dbstat AS d JOIN sqlite_schema AS s ON s.name = d.name GROUP BY s.tbl_name");
        while (select.Step())
        {
            bytes[select.ColumnText(0)] = select.ColumnInt64(1);
        }

        return bytes;
    }

    /// <summary>
    /// Shares the used pages out: each b-tree gets its first page (the catalog's and SQLite's own included), the
    /// entities share the rest by weight.
    /// </summary>
    private static long[] Estimate(
        SqliteConnection connection,
        List<(StoredEntity Entity, long Rows, long Payload, double Weight, long Trees)> measured,
        long usedPages,
        int pageSize)
    {
        long allTrees = connection.ExecuteScalar("SELECT count(*) FROM sqlite_schema WHERE rootpage>0") + 1;
        double totalWeight = measured.Sum(m => m.Weight);
        double spare = Math.Max(0, usedPages - allTrees);
        var bytes = new long[measured.Count];
        for (int i = 0; i < measured.Count; i++)
        {
            double share = totalWeight > 0 ? spare * measured[i].Weight / totalWeight : 0;
            bytes[i] = (long)((measured[i].Trees + share) * pageSize);
        }

        return bytes;
    }
}
