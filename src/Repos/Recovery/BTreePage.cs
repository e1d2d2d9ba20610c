using System.Buffers.Binary;

namespace Repos.Recovery;

/// <summary>The kinds of b-tree page, by the flag byte a page starts with.</summary>
internal enum PageKind : byte
{
    IndexInterior = 0x02,
    TableInterior = 0x05,
    IndexLeaf = 0x0A,
    TableLeaf = 0x0D,
}

/// <summary>
/// The header and cell pointers of one b-tree page, checked against the page's bounds so that no damaged
/// page sends a reader outside it. Page 1's b-tree header starts after the 100-byte file header.
/// </summary>
internal readonly struct BTreePage
{
    private readonly int _pointers;

    private BTreePage(PageKind kind, int cellCount, uint rightChild, int pointers)
    {
        Kind = kind;
        CellCount = cellCount;
        RightChild = rightChild;
        _pointers = pointers;
    }

    public PageKind Kind { get; }

    public int CellCount { get; }

    /// <summary>The right-most child of an interior page.</summary>
    public uint RightChild { get; }

    public bool IsLeaf => Kind is PageKind.TableLeaf or PageKind.IndexLeaf;

    public bool IsTable => Kind is PageKind.TableLeaf or PageKind.TableInterior;

    /// <summary>Reads a page's header; false when it is not a plausible b-tree page (zeroed, overwritten, not one).</summary>
    public static bool TryParse(ReadOnlySpan<byte> page, uint number, int usable, out BTreePage parsed)
    {
        parsed = default;
        int start = number == 1 ? 100 : 0;
        if (page.Length < start + 12 || usable > page.Length)
        {
            return false;
        }

        var kind = (PageKind)page[start];
        if (kind is not (PageKind.IndexInterior or PageKind.TableInterior or PageKind.IndexLeaf or PageKind.TableLeaf))
        {
            return false;
        }

        int headerSize = kind is PageKind.IndexLeaf or PageKind.TableLeaf ? 8 : 12;
        int cells = BinaryPrimitives.ReadUInt16BigEndian(page[(start + 3)..]);
        int content = BinaryPrimitives.ReadUInt16BigEndian(page[(start + 5)..]);
        if (content == 0)
        {
            content = 65536;
        }

        int pointers = start + headerSize;
        if (pointers + (2 * cells) > usable || (cells > 0 && (content < pointers + (2 * cells) || content > usable)))
        {
            return false;
        }

        uint right = headerSize == 12 ? BinaryPrimitives.ReadUInt32BigEndian(page[(start + 8)..]) : 0;
        parsed = new BTreePage(kind, cells, right, pointers);
        return true;
    }

    /// <summary>Where cell <paramref name="index"/> starts, or -1 when its pointer is outside the cell area.</summary>
    public int CellOffset(ReadOnlySpan<byte> page, int index, int usable)
    {
        int offset = BinaryPrimitives.ReadUInt16BigEndian(page[(_pointers + (2 * index))..]);
        return offset >= _pointers + (2 * CellCount) && offset < usable ? offset : -1;
    }

    /// <summary>
    /// Whether <paramref name="page"/>, read as a page of <paramref name="size"/> bytes, looks like a b-tree page
    /// whose cells reach into the second half of it, as cells that fill a page from its end do.
    /// </summary>
    public static bool LooksLikeFullPage(ReadOnlySpan<byte> page, int size)
    {
        if (!TryParse(page, 2, size, out BTreePage parsed) || parsed.CellCount == 0)
        {
            return false;
        }

        int highest = 0;
        for (int i = 0; i < parsed.CellCount; i++)
        {
            int offset = parsed.CellOffset(page, i, size);
            if (offset < 0)
            {
                return false;
            }

            highest = Math.Max(highest, offset);
        }

        return highest >= size / 2;
    }
}
