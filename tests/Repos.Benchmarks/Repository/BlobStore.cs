using System.Buffers;
using K4os.Compression.LZ4;
using MessagePack;
using Microsoft.Data.Sqlite;

namespace Repos.Benchmarks.Repository;

/// <summary>
/// The hand-written blob store peer: what a skilled developer would write instead of adopting Repos, with the
/// libraries the design names for the blob's formats. Microsoft.Data.Sqlite on <see cref="RawStore"/>'s table shape
/// and indexes; the entity, annotated <c>[MessagePackObject]</c> with <c>[Key(n)]</c> members, serialized by
/// MessagePack-CSharp (its standard resolver, no MessagePack compression) and compressed by K4os LZ4
/// (<c>LZ4Pickler</c>, level L00_FAST, which keeps the uncompressed length in its header). No checksum, no schema
/// version check (the <c>_schema</c> column is written 1).
/// <list type="bullet">
/// <item>WAL and synchronous=NORMAL through <see cref="RawStore.Open"/>, as every peer; each write is one
/// <c>BeginTransaction</c> (BEGIN IMMEDIATE) ... <c>Commit</c>, as the raw peer's.</item>
/// <item>SQLite's default page cache and no memory-mapped I/O, as the raw peer.</item>
/// <item>Every command prepared once and rebound for each call; serialization into one reused buffer; reads copy a
/// blob into one reused buffer and decompress into another.</item>
/// </list>
/// </summary>
internal sealed class BlobStore : IDisposable
{
    private static readonly MessagePackSerializerOptions s_options = MessagePackSerializerOptions.Standard;

    private readonly SqliteConnection _connection;
    private readonly SqliteCommand _insert;
    private readonly SqliteCommand _get;
    private readonly SqliteCommand _range;
    private readonly SqliteCommand _all;
    private readonly ArrayBufferWriter<byte> _packed = new(1024);
    private byte[] _blob = new byte[1024];
    private byte[] _unpacked = new byte[1024];

    private BlobStore(SqliteConnection connection)
    {
        _connection = connection;
        _insert = RawStore.PrepareInsert(connection, null!);
        _get = Prepare(RawStore.Get, ("@key", SqliteType.Blob));
        _range = Prepare(RawStore.Range, ("@userId", SqliteType.Text), ("@from", SqliteType.Integer), ("@to", SqliteType.Integer));
        _all = Prepare(RawStore.All);
    }

    /// <summary>Opens <paramref name="path"/>, making the table first with <paramref name="createSchema"/>.</summary>
    public static BlobStore Open(string path, bool createSchema = false)
    {
        SqliteConnection connection = RawStore.Open(path);
        try
        {
            if (createSchema)
            {
                using SqliteCommand schema = connection.CreateCommand();
                schema.CommandText = RawStore.Schema;
                schema.ExecuteNonQuery();
            }

            return new BlobStore(connection);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    public static void CreateAndFill(string path)
    {
        using BlobStore store = Open(path, createSchema: true);
        store.InsertMany(DiaryData.Entries);
    }

    /// <summary>Inserts <paramref name="entries"/> in one transaction.</summary>
    public int InsertMany(ReadOnlySpan<DailyEntry> entries)
    {
        using SqliteTransaction transaction = _connection.BeginTransaction();
        _insert.Transaction = transaction;
        foreach (DailyEntry entry in entries)
        {
            _insert.Parameters[0].Value = entry.Id;
            _insert.Parameters[1].Value = entry.CompletedAt.Ticks;
            _insert.Parameters[2].Value = entry.UserId;
            _insert.Parameters[3].Value = entry.Date.DayNumber;
            _insert.Parameters[4].Value = Encode(entry);
            _insert.ExecuteNonQuery();
        }

        transaction.Commit();
        return entries.Length;
    }

    /// <summary>Inserts <paramref name="entry"/> in its own transaction.</summary>
    public void Insert(DailyEntry entry) => InsertMany(new ReadOnlySpan<DailyEntry>(in entry));

    public DailyEntry? Get(Guid key)
    {
        _get.Parameters[0].Value = key;
        using SqliteDataReader reader = _get.ExecuteReader();
        return reader.Read() ? Decode(reader) : null;
    }

    /// <summary>The entries of <paramref name="userId"/> from <paramref name="from"/> to <paramref name="to"/>, in date order.</summary>
    public List<DailyEntry> Range(string userId, DateOnly from, DateOnly to)
    {
        _range.Parameters[0].Value = userId;
        _range.Parameters[1].Value = from.DayNumber;
        _range.Parameters[2].Value = to.DayNumber;
        var results = new List<DailyEntry>();
        using SqliteDataReader reader = _range.ExecuteReader();
        while (reader.Read())
        {
            results.Add(Decode(reader));
        }

        return results;
    }

    /// <summary>Decodes every entry, keeping none: the sum of their <see cref="DailyEntry.OverallHealth"/>.</summary>
    public long SumOverallHealth()
    {
        long sum = 0;
        using SqliteDataReader reader = _all.ExecuteReader();
        while (reader.Read())
        {
            sum += Decode(reader).OverallHealth;
        }

        return sum;
    }

    public void Dispose()
    {
        _insert.Dispose();
        _get.Dispose();
        _range.Dispose();
        _all.Dispose();
        _connection.Dispose();
    }

    // Microsoft.Data.Sqlite binds a whole byte[], so each row's compressed blob is one exact-size array.
    private byte[] Encode(DailyEntry entry)
    {
        _packed.ResetWrittenCount();
        MessagePackSerializer.Serialize(_packed, entry, s_options);
        return LZ4Pickler.Pickle(_packed.WrittenSpan, LZ4Level.L00_FAST);
    }

    private DailyEntry Decode(SqliteDataReader reader)
    {
        ReadOnlySpan<byte> pickled = RawStore.ReadBlob(reader, ref _blob);
        int length = LZ4Pickler.UnpickledSize(pickled);
        RawStore.Grow(ref _unpacked, length);
        LZ4Pickler.Unpickle(pickled, _unpacked.AsSpan(0, length));
        return MessagePackSerializer.Deserialize<DailyEntry>(_unpacked.AsMemory(0, length), s_options);
    }

    private SqliteCommand Prepare(string sql, params (string Name, SqliteType Type)[] parameters)
    {
        SqliteCommand command = _connection.CreateCommand();
        command.CommandText = sql;
        foreach ((string name, SqliteType type) in parameters)
        {
            command.Parameters.Add(name, type);
        }

        command.Prepare();
        return command;
    }
}
