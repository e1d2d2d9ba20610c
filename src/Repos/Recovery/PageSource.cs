using System.Buffers.Binary;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace Repos.Recovery;

/// <summary>
/// The pages of a SQLite file as its last committed state has them, read without SQLite: the main file,
/// with the pages of every committed transaction still in the write-ahead log (<c>-wal</c>) laid over it.
/// Works on a file SQLite refuses: a damaged header's page size is guessed from the pages themselves, and a
/// short file simply has fewer pages.
/// </summary>
internal sealed class PageSource : IDisposable
{
    private const uint WalMagic = 0x377F0682;
    private static readonly byte[] s_magic = "SQLite format 3\0"u8.ToArray();

    private readonly SafeFileHandle _file;
    private readonly long _fileLength;
    private readonly SafeFileHandle? _wal;
    private readonly Dictionary<uint, long> _walPages = [];

    private PageSource(SafeFileHandle file, long fileLength, SafeFileHandle? wal)
    {
        _file = file;
        _fileLength = fileLength;
        _wal = wal;
    }

    /// <summary>The page size: from the header, the log's header, or guessed.</summary>
    public int PageSize { get; private set; }

    /// <summary>Whether the page size had to be guessed from the pages (the header is damaged).</summary>
    public bool PageSizeGuessed { get; private set; }

    /// <summary>Whether page 1 starts with a valid SQLite header.</summary>
    public bool HeaderValid { get; private set; }

    /// <summary>The bytes of each page that hold content (the page size less the reserved bytes).</summary>
    public int UsableSize { get; private set; }

    /// <summary>The number of pages there are to read.</summary>
    public uint PageCount { get; private set; }

    /// <summary>The pages taken from the write-ahead log.</summary>
    public int WalPages => _walPages.Count;

    /// <summary>The encoding of text values.</summary>
    public Encoding TextEncoding { get; private set; } = Encoding.UTF8;

    /// <summary>The first freelist trunk page, or 0 (also when the header is damaged).</summary>
    public uint FreelistTrunk { get; private set; }

    public static PageSource Open(string path)
    {
        SafeFileHandle file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        SafeFileHandle? wal = null;
        try
        {
            string walPath = path + "-wal";
            if (File.Exists(walPath))
            {
                wal = File.OpenHandle(walPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            }

            var source = new PageSource(file, RandomAccess.GetLength(file), wal);
            source.ReadHeader();
            return source;
        }
        catch
        {
            wal?.Dispose();
            file.Dispose();
            throw;
        }
    }

    /// <summary>Reads page <paramref name="page"/> (1-based) into <paramref name="destination"/> (<see cref="PageSize"/> bytes).</summary>
    /// <returns>False when the page is past the end of the file; a page the file ends inside is read with zeros after the end.</returns>
    public bool TryRead(uint page, Span<byte> destination)
    {
        if (page == 0 || page > PageCount)
        {
            return false;
        }

        if (_wal is not null && _walPages.TryGetValue(page, out long walOffset))
        {
            return RandomAccess.Read(_wal, destination, walOffset) == PageSize;
        }

        long offset = (long)(page - 1) * PageSize;
        if (offset >= _fileLength)
        {
            return false;
        }

        int read = RandomAccess.Read(_file, destination, offset);
        destination[read..].Clear();
        return true;
    }

    public void Dispose()
    {
        _wal?.Dispose();
        _file.Dispose();
    }

    private void ReadHeader()
    {
        Span<byte> header = stackalloc byte[100];
        int read = RandomAccess.Read(_file, header, 0);
        header[read..].Clear();
        int headerPageSize = 0;
        if (header.StartsWith(s_magic))
        {
            headerPageSize = ValidPageSize(BinaryPrimitives.ReadUInt16BigEndian(header[16..]));
        }

        int walPageSize = _wal is null ? 0 : ReadWalHeaderPageSize();
        PageSize = headerPageSize != 0 ? headerPageSize : walPageSize;
        if (PageSize == 0)
        {
            PageSize = GuessPageSize();
            PageSizeGuessed = true;
        }

        PageCount = (uint)Math.Min(uint.MaxValue, (_fileLength + PageSize - 1) / PageSize);
        UsableSize = PageSize;
        if (_wal is not null && walPageSize == PageSize)
        {
            ReadWal();
        }

        // The header as of the last commit: page 1 may come from the log.
        byte[] first = new byte[PageSize];
        if (TryRead(1, first) && first.AsSpan().StartsWith(s_magic))
        {
            HeaderValid = true;
            int reserved = first[20];
            UsableSize = PageSize - reserved >= 480 ? PageSize - reserved : PageSize;
            FreelistTrunk = BinaryPrimitives.ReadUInt32BigEndian(first.AsSpan(32));
            TextEncoding = BinaryPrimitives.ReadUInt32BigEndian(first.AsSpan(56)) switch
            {
                2 => Encoding.Unicode,
                3 => Encoding.BigEndianUnicode,
                _ => Encoding.UTF8,
            };
        }
    }

    private static int ValidPageSize(int size) => size == 1 ? 65536 : size is >= 512 and <= 32768 && (size & (size - 1)) == 0 ? size : 0;

    private int ReadWalHeaderPageSize()
    {
        Span<byte> header = stackalloc byte[32];
        if (RandomAccess.Read(_wal!, header, 0) < 32)
        {
            return 0;
        }

        uint magic = BinaryPrimitives.ReadUInt32BigEndian(header);
        if ((magic & ~1u) != WalMagic)
        {
            return 0;
        }

        (uint s0, uint s1) = WalChecksum(header[..24], (magic & 1) != 0, 0, 0);
        if (s0 != BinaryPrimitives.ReadUInt32BigEndian(header[24..]) || s1 != BinaryPrimitives.ReadUInt32BigEndian(header[28..]))
        {
            return 0;
        }

        uint size = BinaryPrimitives.ReadUInt32BigEndian(header[8..]);
        return size is >= 512 and <= 65536 && (size & (size - 1)) == 0 ? (int)size : 0;
    }

    /// <summary>
    /// Takes the frames of every transaction committed to the log: frames whose salts match the log's header
    /// and whose running checksum holds, up to the last commit frame. Later frames (an unfinished transaction,
    /// or a log being reused after a checkpoint) are left out, as SQLite itself would.
    /// </summary>
    private void ReadWal()
    {
        Span<byte> header = stackalloc byte[32];
        RandomAccess.Read(_wal!, header, 0);
        bool bigEndian = (BinaryPrimitives.ReadUInt32BigEndian(header) & 1) != 0;
        uint salt1 = BinaryPrimitives.ReadUInt32BigEndian(header[16..]);
        uint salt2 = BinaryPrimitives.ReadUInt32BigEndian(header[20..]);
        uint s0 = BinaryPrimitives.ReadUInt32BigEndian(header[24..]);
        uint s1 = BinaryPrimitives.ReadUInt32BigEndian(header[28..]);
        long walLength = RandomAccess.GetLength(_wal!);
        byte[] frame = new byte[24 + PageSize];
        var pending = new List<(uint Page, long Offset)>();
        uint committedSize = 0;
        for (long offset = 32; offset + frame.Length <= walLength; offset += frame.Length)
        {
            if (RandomAccess.Read(_wal!, frame, offset) < frame.Length)
            {
                break;
            }

            uint page = BinaryPrimitives.ReadUInt32BigEndian(frame);
            uint commitSize = BinaryPrimitives.ReadUInt32BigEndian(frame.AsSpan(4));
            if (page == 0
                || BinaryPrimitives.ReadUInt32BigEndian(frame.AsSpan(8)) != salt1
                || BinaryPrimitives.ReadUInt32BigEndian(frame.AsSpan(12)) != salt2)
            {
                break;
            }

            (s0, s1) = WalChecksum(frame.AsSpan(0, 8), bigEndian, s0, s1);
            (s0, s1) = WalChecksum(frame.AsSpan(24), bigEndian, s0, s1);
            if (s0 != BinaryPrimitives.ReadUInt32BigEndian(frame.AsSpan(16)) || s1 != BinaryPrimitives.ReadUInt32BigEndian(frame.AsSpan(20)))
            {
                break;
            }

            pending.Add((page, offset + 24));
            if (commitSize != 0)
            {
                foreach ((uint p, long o) in pending)
                {
                    _walPages[p] = o;
                }

                pending.Clear();
                committedSize = commitSize;
            }
        }

        if (committedSize != 0)
        {
            // The database's size after the last commit: the file may be longer (pages freed since) or shorter.
            PageCount = committedSize;
            foreach (uint page in _walPages.Keys.Where(p => p > committedSize).ToList())
            {
                _walPages.Remove(page);
            }
        }
    }

    private static (uint, uint) WalChecksum(ReadOnlySpan<byte> data, bool bigEndian, uint s0, uint s1)
    {
        for (int i = 0; i + 8 <= data.Length; i += 8)
        {
            uint x0 = bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(data[i..]) : BinaryPrimitives.ReadUInt32LittleEndian(data[i..]);
            uint x1 = bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(data[(i + 4)..]) : BinaryPrimitives.ReadUInt32LittleEndian(data[(i + 4)..]);
            unchecked
            {
                s0 += x0 + s1;
                s1 += x1 + s0;
            }
        }

        return (s0, s1);
    }

    /// <summary>
    /// Guesses the page size of a file whose header is gone: the size at which the most pages look like b-tree
    /// pages whose cells fill them up to their end (a page read at twice its size has its cells in the first half).
    /// </summary>
    private int GuessPageSize()
    {
        int best = 4096;
        int bestScore = 0;
        for (int size = 512; size <= 65536; size *= 2)
        {
            long pages = _fileLength / size;
            int sampled = (int)Math.Min(pages, 2000);
            byte[] buffer = new byte[size];
            int score = 0;
            for (int i = 1; i < sampled; i++)
            {
                // Spread the sample over the whole file.
                long page = pages <= 2000 ? i : 1 + (i * (pages - 1) / sampled);
                if (RandomAccess.Read(_file, buffer, page * size) == size && BTreePage.LooksLikeFullPage(buffer, size))
                {
                    score++;
                }
            }

            if (score > bestScore)
            {
                bestScore = score;
                best = size;
            }
        }

        return best;
    }
}
