using System.Buffers;
using System.Security.Cryptography;
using Repos.Serialization;
using Repos.Storage.Sqlite;

namespace Repos.Storage;

/// <summary>
/// Protects the catalog, the key to every blob: a second copy of its rows and a SHA-256 of them, kept in
/// <c>_repos_meta</c> and rewritten in the same transaction as every change to the catalog, with a generation
/// number that grows with each change. A catalog row deleted, altered or duplicated no longer matches the
/// digest; the copy, when it still matches the digest, says what the rows were.
/// </summary>
/// <remarks>
/// The copy is a MessagePack array <c>[1, [[table, [column...], [[value...]...]]...]]</c> of the catalog's
/// tables in primary-key order (the seal's own rows left out); see docs/format.md.
/// </remarks>
internal static class CatalogSeal
{
    /// <summary>The <c>_repos_meta</c> keys of the seal, which the copy itself leaves out.</summary>
    public const string CopyKey = "catalog";

    /// <summary>The SHA-256 of the catalog's rows, as <see cref="Snapshot"/> writes them.</summary>
    public const string DigestKey = "catalog_sha256";

    /// <summary>A number that every change to the catalog raises: other processes notice changes by it.</summary>
    public const string GenerationKey = "generation";

    private const int CopyFormat = 1;

    // The seal's own rows of _repos_meta, which the copy leaves out.
    private const string NotTheSeal = $" WHERE key NOT IN ('{CopyKey}', '{DigestKey}', '{GenerationKey}')";

    // The tables the copy holds, each in its primary key's order; _repos_migrations is history, not a key to blobs.
    private static readonly (string Table, string Columns, string Order)[] s_tables =
    [
        ("_repos_meta", "key, value", "key"),
        ("_repos_entities", "entity, table_name, type, key_property, key_kind, version", "entity"),
        ("_repos_fields", "type, id, name, clr_type, retired", "type, id"),
        ("_repos_indexes", "entity, name, columns, is_unique", "entity, name"),
        ("_repos_field_names", "type, name, id", "type, name"),
        (CompressionDictionaries.Table, "id, entity, created, content", "id"),
    ];

    // Tables the copy holds only when they have rows, so that the copy of a file without them is what it was
    // before they existed.
    private static bool OnlyWithRows(string table) => table == CompressionDictionaries.Table;

    /// <summary>The catalog's rows as canonical bytes: equal bytes, equal catalogs.</summary>
    public static byte[] Snapshot(SqliteConnection connection)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        var writer = new MessagePackWriter(buffer);
        writer.WriteArrayHeader(2);
        writer.Write(CopyFormat);
        var included = s_tables.Where(t => !OnlyWithRows(t.Table) || HasRows(connection, t.Table)).ToList();
        writer.WriteArrayHeader(included.Count);
        foreach ((string table, string columns, string order) in included)
        {
            string[] names = columns.Split(", ");
            writer.WriteArrayHeader(3);
            writer.Write(table);
            writer.WriteArrayHeader(names.Length);
            foreach (string name in names)
            {
                writer.Write(name);
            }

            string where = table == "_repos_meta" ? NotTheSeal : string.Empty;
            var rows = new List<object?[]>();
            bool exists = connection.ExecuteScalar($"SELECT count(*) FROM sqlite_schema WHERE type='table' AND name='{table}'") != 0;

            // A table a file of an older format lacks has no rows yet, as it has once created.
            using (SqliteStatement select = connection.PrepareOnce(exists ? $"SELECT {columns} FROM {table}{where} ORDER BY {order}" : $"SELECT {columns} FROM (SELECT {string.Join(", ", names.Select(n => "NULL AS " + n))}) WHERE 0"))
            {
                while (select.Step())
                {
                    var values = new object?[names.Length];
                    for (int i = 0; i < values.Length; i++)
                    {
                        values[i] = select.ColumnType(i) switch
                        {
                            SQLitePCL.raw.SQLITE_INTEGER => select.ColumnInt64(i),
                            SQLitePCL.raw.SQLITE_FLOAT => select.ColumnDouble(i),
                            SQLitePCL.raw.SQLITE_TEXT => select.ColumnText(i),
                            SQLitePCL.raw.SQLITE_BLOB => select.ColumnBlob(i).ToArray(),
                            _ => null,
                        };
                    }

                    rows.Add(values);
                }
            }

            writer.WriteArrayHeader(rows.Count);
            foreach (object?[] values in rows)
            {
                writer.WriteArrayHeader(values.Length);
                foreach (object? value in values)
                {
                    switch (value)
                    {
                        case long integer: writer.Write(integer); break;
                        case double real: writer.Write(real); break;
                        case string text: writer.Write(text); break;
                        case byte[] bytes: writer.Write(bytes); break;
                        default: writer.WriteNil(); break;
                    }
                }
            }

        }

        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    private static bool HasRows(SqliteConnection connection, string table) =>
        connection.ExecuteScalar($"SELECT count(*) FROM sqlite_schema WHERE type='table' AND name='{table}'") != 0
        && connection.ExecuteScalar($"SELECT EXISTS(SELECT 1 FROM {table})") != 0;

    /// <summary>
    /// Writes the copy, the digest and a raised generation when the catalog's rows changed since the last seal
    /// (or the seal's own rows are missing or damaged), inside the caller's transaction.
    /// </summary>
    /// <returns>Whether anything was written.</returns>
    public static bool Seal(SqliteConnection connection)
    {
        byte[] snapshot = Snapshot(connection);
        byte[] digest = SHA256.HashData(snapshot);
        byte[]? storedCopy = ReadBlob(connection, CopyKey);
        byte[]? storedDigest = ReadBlob(connection, DigestKey);
        long? storedGeneration = ReadGeneration(connection);
        if (storedGeneration is not null && storedCopy is not null && storedDigest is not null
            && snapshot.AsSpan().SequenceEqual(storedCopy) && digest.AsSpan().SequenceEqual(storedDigest))
        {
            return false;
        }

        long generation = (storedGeneration ?? 0) + 1;
        Upsert(connection, CopyKey, snapshot);
        Upsert(connection, DigestKey, digest);
        using SqliteStatement upsert = connection.PrepareOnce(
            "INSERT INTO _repos_meta(key, value) VALUES(?1, ?2) ON CONFLICT(key) DO UPDATE SET value=excluded.value");
        upsert.BindText(1, GenerationKey);
        upsert.BindInt64(2, generation);
        upsert.Execute();
        return true;
    }

    /// <summary>The catalog's generation, or null for a file sealed by no version of Repos yet.</summary>
    public static long? ReadGeneration(SqliteConnection connection)
    {
        SqliteStatement select = connection.Prepare($"SELECT value FROM _repos_meta WHERE key='{GenerationKey}'");
        try
        {
            return select.Step() && select.ColumnType(0) == SQLitePCL.raw.SQLITE_INTEGER ? select.ColumnInt64(0) : null;
        }
        finally
        {
            select.Reset();
        }
    }

    /// <summary>
    /// Compares the catalog's rows with the digest and the copy. Files of catalog format 1 were never sealed:
    /// their rows are taken as they are.
    /// </summary>
    public static CatalogCheck Check(SqliteConnection connection, long format)
    {
        byte[] snapshot = Snapshot(connection);
        byte[]? copy = ReadBlob(connection, CopyKey);
        byte[]? digest = ReadBlob(connection, DigestKey);
        if (copy is null && digest is null)
        {
            return format < 2
                ? new CatalogCheck(CatalogState.Unsealed, null, [])
                : new CatalogCheck(CatalogState.Damaged, null, ["the catalog's copy and digest are missing from _repos_meta"]);
        }

        bool rowsMatchDigest = digest is not null && SHA256.HashData(snapshot).AsSpan().SequenceEqual(digest);
        bool copyMatchesDigest = copy is not null && digest is not null && SHA256.HashData(copy).AsSpan().SequenceEqual(digest);
        if (rowsMatchDigest || (copy is not null && snapshot.AsSpan().SequenceEqual(copy)))
        {
            // The rows are as sealed; only the seal's own copy or digest may need writing again.
            return new CatalogCheck(rowsMatchDigest && copyMatchesDigest ? CatalogState.Intact : CatalogState.SealDamaged, null, []);
        }

        if (copyMatchesDigest)
        {
            List<string> differences = Differences(copy!, snapshot);
            return new CatalogCheck(CatalogState.RowsDamaged, copy, differences);
        }

        return new CatalogCheck(
            CatalogState.Damaged,
            null,
            ["the catalog's rows match neither its digest nor its copy, and the copy does not match the digest either"]);
    }

    /// <summary>
    /// For a file that no seal protected yet (catalog format 1), before its first seal: the field ids that
    /// stored rows hold at their top level and the catalog does not name for the entity's type. Ids are never
    /// removed from a catalog, so each one is a field the catalog lost, whose values a rewrite would drop and a
    /// read would show as defaults. Reads every blob once (damaged blobs are passed over: VerifyAsync reports them).
    /// </summary>
    public static List<string> FindLostFields(SqliteConnection connection)
    {
        var problems = new List<string>();
        foreach (StoredEntity entity in Catalog.ListEntities(connection))
        {
            Dictionary<long, string> known = Catalog.LoadFieldNames(connection, entity.Type, null);
            var lost = new SortedSet<long>();
            using SqliteStatement select = connection.PrepareOnce($"SELECT _blob FROM {SqlText.Quote(entity.TableName)}");
            while (select.Step())
            {
                try
                {
                    using BlobPayload payload = BlobEnvelope.Read(select.ColumnBlob(0));
                    var reader = new MessagePackReader(payload.Span);
                    for (int count = reader.ReadMapHeader(); count > 0; count--)
                    {
                        long id = reader.ReadInt64();
                        if (!known.ContainsKey(id))
                        {
                            lost.Add(id);
                        }

                        reader.Skip();
                    }
                }
                catch (ReposFormatException)
                {
                    // A damaged row: not the catalog's problem.
                }
            }

            if (lost.Count > 0)
            {
                problems.Add($"rows of {entity.Name} hold field ids {string.Join(", ", lost)} that _repos_fields does not name for {entity.Type}");
            }
        }

        return problems;
    }

    /// <summary>Puts the catalog's rows back as the copy has them, inside the caller's transaction.</summary>
    public static void Restore(SqliteConnection connection, byte[] copy)
    {
        foreach (CopiedTable table in Parse(copy))
        {
            string where = table.Name == "_repos_meta" ? NotTheSeal : string.Empty;
            if (table.Name == CompressionDictionaries.Table)
            {
                connection.Execute(CompressionDictionaries.CreateSql);
            }

            connection.Execute($"DELETE FROM {table.Name}{where}");
            string parameters = string.Join(", ", Enumerable.Range(1, table.Columns.Length).Select(i => "?" + i));
            using SqliteStatement insert = connection.PrepareOnce($"INSERT INTO {table.Name}({string.Join(", ", table.Columns)}) VALUES({parameters})");
            foreach (object?[] values in table.Rows)
            {
                for (int i = 0; i < values.Length; i++)
                {
                    switch (values[i])
                    {
                        case long integer: insert.BindInt64(i + 1, integer); break;
                        case double real: insert.BindDouble(i + 1, real); break;
                        case string text: insert.BindText(i + 1, text); break;
                        case byte[] bytes: insert.BindBlob(i + 1, bytes); break;
                        default: insert.BindNull(i + 1); break;
                    }
                }

                insert.Execute();
            }
        }
    }

    /// <summary>
    /// The tables of a sealed copy read from a damaged file, or null unless the copy matches its digest and
    /// parses (salvage then knows the catalog as it was last sealed).
    /// </summary>
    public static List<CopiedTable>? ReadVerifiedCopy(byte[]? copy, byte[]? digest)
    {
        if (copy is null || digest is null || !SHA256.HashData(copy).AsSpan().SequenceEqual(digest))
        {
            return null;
        }

        try
        {
            return Parse(copy);
        }
        catch (ReposFormatException)
        {
            return null;
        }
    }

    /// <summary>Says, row by row, how the catalog's rows differ from the copy: what a repair puts back or removes.</summary>
    private static List<string> Differences(byte[] copy, byte[] snapshot)
    {
        var differences = new List<string>();
        Dictionary<string, CopiedTable> current = Parse(snapshot).ToDictionary(t => t.Name, StringComparer.Ordinal);
        foreach (CopiedTable sealedTable in Parse(copy))
        {
            HashSet<string> now = current.TryGetValue(sealedTable.Name, out CopiedTable? table)
                ? table.Rows.Select(Describe).ToHashSet(StringComparer.Ordinal)
                : [];
            HashSet<string> then = sealedTable.Rows.Select(Describe).ToHashSet(StringComparer.Ordinal);
            differences.AddRange(then.Where(r => !now.Contains(r)).Select(r => $"{sealedTable.Name} row ({r}) is missing or changed"));
            differences.AddRange(now.Where(r => !then.Contains(r)).Select(r => $"{sealedTable.Name} row ({r}) was never sealed"));
        }

        return differences;
    }

    private static string Describe(object?[] values) =>
        string.Join(", ", values.Select(v => v switch
        {
            null => "null",
            string text => "'" + text + "'",
            byte[] { Length: > 32 } bytes => $"{Convert.ToHexString(bytes, 0, 16)}... ({bytes.Length} bytes)",
            byte[] bytes => Convert.ToHexString(bytes),
            IFormattable number => number.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
            _ => v.ToString(),
        }));

    private static List<CopiedTable> Parse(byte[] copy)
    {
        var reader = new MessagePackReader(copy);
        if (reader.ReadArrayHeader() != 2 || reader.ReadInt32() != CopyFormat)
        {
            throw new ReposFormatException("The catalog's copy has an unknown layout.", 0);
        }

        var tables = new List<CopiedTable>();
        int count = reader.ReadArrayHeader();
        for (int t = 0; t < count; t++)
        {
            reader.ReadArrayHeader();
            string name = reader.ReadString() ?? string.Empty;
            if (!Array.Exists(s_tables, e => e.Table == name))
            {
                throw new ReposFormatException($"The catalog's copy names a table '{name}' that is not part of the catalog.", 0);
            }

            var columns = new string[reader.ReadArrayHeader()];
            for (int c = 0; c < columns.Length; c++)
            {
                columns[c] = reader.ReadString() ?? string.Empty;
            }

            var rows = new List<object?[]>();
            int rowCount = reader.ReadArrayHeader();
            for (int r = 0; r < rowCount; r++)
            {
                var values = new object?[reader.ReadArrayHeader()];
                for (int v = 0; v < values.Length; v++)
                {
                    values[v] = reader.NextMessagePackType switch
                    {
                        MessagePackType.Nil => ReadNil(ref reader),
                        MessagePackType.Integer => reader.ReadInt64(),
                        MessagePackType.Float => reader.ReadDouble(),
                        MessagePackType.String => reader.ReadString(),
                        MessagePackType.Binary => reader.ReadBytes(),
                        _ => throw new ReposFormatException("The catalog's copy holds a value of an unexpected type.", 0),
                    };
                }

                rows.Add(values);
            }

            tables.Add(new CopiedTable(name, columns, rows));
        }

        return tables;
    }

    private static object? ReadNil(ref MessagePackReader reader)
    {
        reader.ReadNil();
        return null;
    }

    private static byte[]? ReadBlob(SqliteConnection connection, string key)
    {
        using SqliteStatement select = connection.PrepareOnce("SELECT value FROM _repos_meta WHERE key=?1");
        select.BindText(1, key);
        return select.Step() && select.ColumnType(0) == SQLitePCL.raw.SQLITE_BLOB ? select.ColumnBlob(0).ToArray() : null;
    }

    private static void Upsert(SqliteConnection connection, string key, byte[] value)
    {
        using SqliteStatement upsert = connection.PrepareOnce(
            "INSERT INTO _repos_meta(key, value) VALUES(?1, ?2) ON CONFLICT(key) DO UPDATE SET value=excluded.value");
        upsert.BindText(1, key);
        upsert.BindBlob(2, value);
        upsert.Execute();
    }

    /// <summary>One table of a sealed copy: its name, its columns, and its rows in primary-key order.</summary>
    internal sealed record CopiedTable(string Name, string[] Columns, List<object?[]> Rows);
}

/// <summary>What <see cref="CatalogSeal.Check"/> found.</summary>
internal enum CatalogState
{
    /// <summary>The rows match the digest, and the copy matches both.</summary>
    Intact,

    /// <summary>A file of catalog format 1, which no seal protects yet.</summary>
    Unsealed,

    /// <summary>The rows are as sealed, but the copy or the digest is damaged: sealing again mends it.</summary>
    SealDamaged,

    /// <summary>The rows differ from the digest, and the copy (which matches it) says what they were.</summary>
    RowsDamaged,

    /// <summary>Nothing says for certain what the catalog was.</summary>
    Damaged,
}

/// <summary>The state of a file's catalog, the copy to repair it from, and what differs.</summary>
internal sealed record CatalogCheck(CatalogState State, byte[]? Copy, IReadOnlyList<string> Problems);
