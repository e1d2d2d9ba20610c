using System.Collections.Concurrent;
using Repos.Serialization;
using Repos.Storage.Sqlite;

namespace Repos.Storage;

/// <summary>
/// The compression dictionaries of one open database file: the rows of <c>_repos_dictionaries</c>, each named by
/// its content's CRC-32C (<see cref="CompressionDictionary.Id"/>). A dictionary is never changed or removed once
/// stored, and its id says what it holds, so one loaded copy serves every reader for as long as the file is open,
/// whichever process stored it. The table is part of the catalog's seal (<see cref="CatalogSeal"/>): it is kept
/// twice in the file, checksummed, and put back from the sealed copy when damaged.
/// </summary>
internal sealed class CompressionDictionaries
{
    /// <summary>The table; WITHOUT ROWID like the other catalog tables, so salvage finds its rows the same way.</summary>
    public const string Table = "_repos_dictionaries";

    public const string CreateSql =
        $"CREATE TABLE IF NOT EXISTS {Table}(id INTEGER PRIMARY KEY NOT NULL, entity TEXT NOT NULL, created INTEGER NOT NULL, content BLOB NOT NULL) WITHOUT ROWID";

    private readonly ConcurrentDictionary<uint, CompressionDictionary> _loaded = new();
    private readonly Func<SqliteConnection>? _openReader;
    private readonly Action<SqliteConnection>? _returnReader;

    /// <param name="openReader">A connection to look up a dictionary stored after the open, or null when none can be.</param>
    /// <param name="returnReader">Gives that connection back.</param>
    public CompressionDictionaries(Func<SqliteConnection>? openReader, Action<SqliteConnection>? returnReader)
    {
        _openReader = openReader;
        _returnReader = returnReader;
        Find = FindById;
    }

    /// <summary>The resolver envelopes are read with (<see cref="BlobEnvelope.Read(ReadOnlySpan{byte}, Func{uint, CompressionDictionary?}?)"/>).</summary>
    public Func<uint, CompressionDictionary?> Find { get; }

    /// <summary>Whether the file holds a dictionary table at all.</summary>
    public static bool Exists(SqliteConnection connection) =>
        connection.ExecuteScalar($"SELECT count(*) FROM sqlite_schema WHERE type='table' AND name='{Table}'") != 0;

    /// <summary>Reads every dictionary of the file, and the newest of each entity; rows whose content does not match their id are skipped.</summary>
    public Dictionary<string, CompressionDictionary> Load(SqliteConnection connection)
    {
        var newest = new Dictionary<string, CompressionDictionary>(StringComparer.Ordinal);
        if (!Exists(connection))
        {
            return newest;
        }

        using SqliteStatement select = connection.PrepareOnce($"SELECT id, entity, content FROM {Table} ORDER BY created, id");
        while (select.Step())
        {
            if (Verified(select.ColumnInt64(0), select.ColumnBlob(2)) is { } dictionary)
            {
                _loaded[dictionary.Id] = dictionary;
                newest[select.ColumnText(1)] = dictionary;
            }
        }

        return newest;
    }

    /// <summary>
    /// Stores <paramref name="dictionary"/> for <paramref name="entity"/> inside the caller's transaction, raises
    /// the catalog to <see cref="Catalog.DictionaryFormatVersion"/> and seals the catalog again.
    /// </summary>
    /// <returns>False when the file already holds another dictionary of the same id (a CRC-32C collision): then it is not used.</returns>
    public bool Store(SqliteConnection connection, string entity, CompressionDictionary dictionary)
    {
        connection.Execute(CreateSql);
        using (SqliteStatement existing = connection.PrepareOnce($"SELECT content FROM {Table} WHERE id=?1"))
        {
            existing.BindInt64(1, dictionary.Id);
            if (existing.Step())
            {
                return existing.ColumnBlob(0).SequenceEqual(dictionary.Content.Span);
            }
        }

        using (SqliteStatement insert = connection.PrepareOnce($"INSERT INTO {Table}(id, entity, created, content) VALUES(?1, ?2, ?3, ?4)"))
        {
            insert.BindInt64(1, dictionary.Id);
            insert.BindText(2, entity);
            insert.BindInt64(3, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            insert.BindBlob(4, dictionary.Content.Span);
            insert.Execute();
        }

        connection.Execute($"UPDATE _repos_meta SET value={Catalog.DictionaryFormatVersion} WHERE key='format' AND value<{Catalog.DictionaryFormatVersion}");
        CatalogSeal.Seal(connection);
        _loaded[dictionary.Id] = dictionary;
        return true;
    }

    /// <summary>
    /// Gives <paramref name="to"/> every dictionary of <paramref name="from"/> it lacks (rows copied as stored
    /// name them), raising its catalog to format 3 when it then holds any; inside the caller's transaction on
    /// <paramref name="to"/>, which seals the catalog afterwards.
    /// </summary>
    public static void CopyMissing(SqliteConnection from, SqliteConnection to)
    {
        if (!Exists(from))
        {
            return;
        }

        to.Execute(CreateSql);
        using SqliteStatement select = from.PrepareOnce($"SELECT id, entity, created, content FROM {Table}");
        using SqliteStatement insert = to.PrepareOnce($"INSERT INTO {Table}(id, entity, created, content) VALUES(?1, ?2, ?3, ?4) ON CONFLICT(id) DO NOTHING");
        bool any = false;
        while (select.Step())
        {
            insert.BindInt64(1, select.ColumnInt64(0));
            insert.BindText(2, select.ColumnText(1));
            insert.BindInt64(3, select.ColumnInt64(2));
            insert.BindBlob(4, select.ColumnBlob(3));
            insert.Execute();
            any = true;
        }

        if (any)
        {
            to.Execute($"UPDATE _repos_meta SET value={Catalog.DictionaryFormatVersion} WHERE key='format' AND value<{Catalog.DictionaryFormatVersion}");
        }
    }

    /// <summary>Whether the dictionary's row is in the file as <paramref name="connection"/> sees it.</summary>
    public static bool IsStored(SqliteConnection connection, uint id)
    {
        if (!Exists(connection))
        {
            return false;
        }

        using SqliteStatement select = connection.PrepareOnce($"SELECT 1 FROM {Table} WHERE id=?1");
        select.BindInt64(1, id);
        return select.Step();
    }

    /// <summary>Adds dictionaries found elsewhere (a salvage's), each checked against its id.</summary>
    public void Add(CompressionDictionary dictionary) => _loaded[dictionary.Id] = dictionary;

    /// <summary>The dictionary of <paramref name="id"/> if its content matches it, else null.</summary>
    public static CompressionDictionary? Verified(long id, ReadOnlySpan<byte> content)
    {
        if (content.IsEmpty || content.Length > CompressionDictionary.MaxLength || id <= 0 || id > uint.MaxValue || Crc32C.Compute(content) != (uint)id)
        {
            return null;
        }

        return new CompressionDictionary(content);
    }

    private CompressionDictionary? FindById(uint id)
    {
        if (_loaded.TryGetValue(id, out CompressionDictionary? dictionary))
        {
            return dictionary;
        }

        // Stored by another process after this one read the file: look it up (a row never goes away once stored).
        if (_openReader is null)
        {
            return null;
        }

        SqliteConnection connection = _openReader();
        try
        {
            if (!Exists(connection))
            {
                return null;
            }

            using SqliteStatement select = connection.PrepareOnce($"SELECT content FROM {Table} WHERE id=?1");
            select.BindInt64(1, id);
            if (select.Step() && Verified(id, select.ColumnBlob(0)) is { } found)
            {
                return _loaded.GetOrAdd(id, found);
            }

            return null;
        }
        finally
        {
            _returnReader?.Invoke(connection);
        }
    }
}
