using System.Buffers.Binary;
using Repos.Storage.Sqlite;

namespace Repos.Tests.Integrity;

/// <summary>Reads and damages a closed database file at the byte level, as a bad disk or a torn write would.</summary>
internal static class StoredFile
{
    /// <summary>The page size from the file's header.</summary>
    public static int PageSize(string path)
    {
        Span<byte> header = stackalloc byte[18];
        using (FileStream file = File.OpenRead(path))
        {
            file.ReadExactly(header);
        }

        int size = BinaryPrimitives.ReadUInt16BigEndian(header[16..]);
        return size == 1 ? 65536 : size;
    }

    /// <summary>Every row's key (as a GUID) and blob, read through SQLite.</summary>
    public static Dictionary<Guid, byte[]> Blobs(string path, string table)
    {
        var blobs = new Dictionary<Guid, byte[]>();
        using SqliteConnection connection = SqliteConnection.Open(path, readOnly: true, create: false);
        using SqliteStatement select = connection.PrepareOnce($"SELECT key, _blob FROM \"{table}\"");
        while (select.Step())
        {
            blobs.Add(new Guid(select.ColumnBlob(0), bigEndian: true), select.ColumnBlob(1).ToArray());
        }

        return blobs;
    }

    /// <summary>
    /// Where each blob's bytes are in the file. Besides the copy SQLite reads, a page's free space can hold a
    /// stale copy of a row that moved when its page split, so a blob may be found more than once.
    /// </summary>
    public static Dictionary<Guid, List<long>> Locate(byte[] file, Dictionary<Guid, byte[]> blobs, int seed)
    {
        var offsets = new Dictionary<Guid, List<long>>();
        foreach ((Guid key, byte[] blob) in blobs)
        {
            var found = new List<long>();
            for (int at = file.AsSpan().IndexOf(blob); at >= 0;)
            {
                found.Add(at);
                int next = file.AsSpan(at + 1).IndexOf(blob);
                at = next < 0 ? -1 : at + 1 + next;
            }

            Assert.True(found.Count > 0, $"seed {seed}: the blob of {key} is not stored contiguously (an overflowing row?)");
            offsets.Add(key, found);
        }

        return offsets;
    }

    /// <summary>Flips a byte in the middle of one row's blob, through SQLite (the file stays well-formed).</summary>
    public static void DamageBlob(string path, string table, Guid key)
    {
        using SqliteConnection connection = SqliteConnection.Open(path, readOnly: false, create: false);
        byte[] blob;
        using (SqliteStatement select = connection.PrepareOnce($"SELECT _blob FROM \"{table}\" WHERE key = ?1"))
        {
            Repos.Internal.ColumnValue.From(key).Bind(select, 1);
            Assert.True(select.Step());
            blob = select.ColumnBlob(0).ToArray();
        }

        blob[blob.Length / 2] ^= 0x5A;
        using SqliteStatement update = connection.PrepareOnce($"UPDATE \"{table}\" SET _blob = ?2 WHERE key = ?1");
        Repos.Internal.ColumnValue.From(key).Bind(update, 1);
        update.BindBlob(2, blob);
        update.Execute();
    }

    /// <summary>Overwrites page <paramref name="page"/> (1-based) with zeros.</summary>
    public static void ZeroPage(string path, int page, int pageSize)
    {
        using FileStream file = File.OpenWrite(path);
        file.Position = (long)(page - 1) * pageSize;
        file.Write(new byte[pageSize]);
    }

    /// <summary>The number of pages in the file.</summary>
    public static int PageCount(string path) => (int)(new FileInfo(path).Length / PageSize(path));
}
