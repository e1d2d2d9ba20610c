using System.Buffers.Binary;
using System.Collections;

namespace Repos.Recovery;

/// <summary>A row of a table b-tree leaf: its rowid and record, and the page it is on.</summary>
/// <param name="RowId">The rowid (the key, for an <c>INTEGER PRIMARY KEY</c> table).</param>
/// <param name="Payload">The record; with <paramref name="Complete"/> false its overflow chain broke and the end is zeros.</param>
/// <param name="Complete">Whether every byte of the record was read.</param>
/// <param name="Page">The leaf page.</param>
internal readonly record struct TableCell(long RowId, byte[] Payload, bool Complete, uint Page);

/// <summary>
/// Reads SQLite b-trees from a <see cref="PageSource"/> without SQLite: walks a table or index from its root
/// page, and finds table leaves no walk reached (orphaned when a page above them was destroyed). Every page
/// pointer and cell is checked against the file and the page, so a damaged page is skipped and counted,
/// never followed out of bounds or round in a loop.
/// </summary>
internal sealed class BTreeReader
{
    private readonly PageSource _pages;
    private readonly BitArray _visited;
    private readonly BitArray _free;
    private readonly byte[] _overflow;

    public BTreeReader(PageSource pages)
    {
        _pages = pages;
        int count = (int)Math.Min(pages.PageCount + 1, int.MaxValue);
        _visited = new BitArray(count);
        _free = new BitArray(count);
        _overflow = new byte[pages.PageSize];
    }

    public PageSource Pages => _pages;

    private int Usable => _pages.UsableSize;

    /// <summary>
    /// Marks the pages of the freelist (when the header still points at it), so the scan for orphaned leaves
    /// does not bring back rows deleted before the damage.
    /// </summary>
    /// <returns>The free pages found.</returns>
    public int ReadFreelist()
    {
        int found = 0;
        byte[] page = new byte[_pages.PageSize];
        uint trunk = _pages.FreelistTrunk;
        while (trunk != 0 && trunk <= _pages.PageCount && !_free[(int)trunk] && _pages.TryRead(trunk, page))
        {
            _free[(int)trunk] = true;
            found++;
            uint leaves = BinaryPrimitives.ReadUInt32BigEndian(page.AsSpan(4));
            for (int i = 0; i < leaves && 8 + (4 * i) + 4 <= Usable; i++)
            {
                uint leaf = BinaryPrimitives.ReadUInt32BigEndian(page.AsSpan(8 + (4 * i)));
                if (leaf != 0 && leaf <= _pages.PageCount && !_free[(int)leaf])
                {
                    _free[(int)leaf] = true;
                    found++;
                }
            }

            trunk = BinaryPrimitives.ReadUInt32BigEndian(page);
        }

        return found;
    }

    /// <summary>Every row of the table b-tree at <paramref name="root"/> that can be reached.</summary>
    /// <param name="root">The root page.</param>
    /// <param name="damage">Counts the pages of the tree that could not be read.</param>
    public IEnumerable<TableCell> WalkTable(uint root, TreeDamage damage)
    {
        byte[] page = new byte[_pages.PageSize];
        var pending = new Stack<uint>();
        pending.Push(root);
        while (pending.Count > 0)
        {
            uint number = pending.Pop();
            if (!Enter(number, page, out BTreePage parsed) || !parsed.IsTable)
            {
                damage.UnreadablePages++;
                continue;
            }

            if (!parsed.IsLeaf)
            {
                PushChildren(page, parsed, pending);
                continue;
            }

            var cells = new List<TableCell>(parsed.CellCount);
            ReadTableCells(page, number, parsed, cells);
            foreach (TableCell cell in cells)
            {
                yield return cell;
            }
        }
    }

    /// <summary>The record of every entry of the index b-tree at <paramref name="root"/> that can be reached.</summary>
    /// <param name="root">The root page.</param>
    /// <param name="damage">Counts the pages of the tree that could not be read.</param>
    public IEnumerable<byte[]> WalkIndex(uint root, TreeDamage damage)
    {
        byte[] page = new byte[_pages.PageSize];
        var pending = new Stack<uint>();
        pending.Push(root);
        while (pending.Count > 0)
        {
            uint number = pending.Pop();
            if (!Enter(number, page, out BTreePage parsed) || parsed.IsTable)
            {
                damage.UnreadablePages++;
                continue;
            }

            if (!parsed.IsLeaf)
            {
                PushChildren(page, parsed, pending);
            }

            // An index keeps each entry once, in an interior cell or in a leaf.
            var records = new List<byte[]>(parsed.CellCount);
            ReadIndexCells(page, parsed, records);
            foreach (byte[] record in records)
            {
                yield return record;
            }
        }
    }

    /// <summary>
    /// Table leaf pages no walk reached and the freelist does not hold: leaves cut off from their tree when a
    /// page above them was destroyed. Call after every walk.
    /// </summary>
    public IEnumerable<(uint Page, List<TableCell> Cells)> OrphanTableLeaves()
    {
        byte[] page = new byte[_pages.PageSize];
        for (uint number = 1; number <= _pages.PageCount; number++)
        {
            if (_visited[(int)number] || _free[(int)number] || !_pages.TryRead(number, page)
                || !BTreePage.TryParse(page, number, Usable, out BTreePage parsed) || parsed.Kind != PageKind.TableLeaf)
            {
                continue;
            }

            _visited[(int)number] = true;
            var cells = new List<TableCell>(parsed.CellCount);
            ReadTableCells(page, number, parsed, cells);
            yield return (number, cells);
        }
    }

    /// <summary>The records of every index page no walk reached: where a lost catalog table's rows may still be.</summary>
    public IEnumerable<(uint Page, List<byte[]> Records)> UnvisitedIndexPages()
    {
        byte[] page = new byte[_pages.PageSize];
        for (uint number = 1; number <= _pages.PageCount; number++)
        {
            if (_visited[(int)number] || _free[(int)number] || !_pages.TryRead(number, page)
                || !BTreePage.TryParse(page, number, Usable, out BTreePage parsed) || parsed.IsTable)
            {
                continue;
            }

            var records = new List<byte[]>(parsed.CellCount);
            ReadIndexCells(page, parsed, records);
            yield return (number, records);
        }
    }

    /// <summary>Marks the pages of an index whose records were taken from a scan, so no later scan reads them again.</summary>
    public void MarkVisited(uint page) => _visited[(int)page] = true;

    private bool Enter(uint number, byte[] page, out BTreePage parsed)
    {
        parsed = default;
        if (number == 0 || number > _pages.PageCount || _visited[(int)number])
        {
            return false;
        }

        _visited[(int)number] = true;
        return _pages.TryRead(number, page) && BTreePage.TryParse(page, number, Usable, out parsed);
    }

    private void PushChildren(byte[] page, BTreePage parsed, Stack<uint> pending)
    {
        pending.Push(parsed.RightChild);
        for (int i = parsed.CellCount - 1; i >= 0; i--)
        {
            int offset = parsed.CellOffset(page, i, Usable);
            if (offset >= 0 && offset + 4 <= Usable)
            {
                pending.Push(BinaryPrimitives.ReadUInt32BigEndian(page.AsSpan(offset)));
            }
        }
    }

    private void ReadTableCells(byte[] page, uint number, BTreePage parsed, List<TableCell> cells)
    {
        for (int i = 0; i < parsed.CellCount; i++)
        {
            int offset = parsed.CellOffset(page, i, Usable);
            if (offset < 0)
            {
                continue;
            }

            ReadOnlySpan<byte> cell = page.AsSpan(offset, Usable - offset);
            long rowId = 0;
            int used = SqliteVarint.Read(cell, out long size);
            int usedRowId = used == 0 ? 0 : SqliteVarint.Read(cell[used..], out rowId);
            if (used == 0 || usedRowId == 0)
            {
                continue;
            }

            if (ReadPayload(cell[(used + usedRowId)..], size, Usable - 35, out byte[]? payload, out bool complete))
            {
                cells.Add(new TableCell(rowId, payload!, complete, number));
            }
        }
    }

    private void ReadIndexCells(byte[] page, BTreePage parsed, List<byte[]> records)
    {
        int maxLocal = ((Usable - 12) * 64 / 255) - 23;
        int skip = parsed.IsLeaf ? 0 : 4;
        for (int i = 0; i < parsed.CellCount; i++)
        {
            int offset = parsed.CellOffset(page, i, Usable);
            if (offset < 0 || offset + skip >= Usable)
            {
                continue;
            }

            ReadOnlySpan<byte> cell = page.AsSpan(offset + skip, Usable - offset - skip);
            int used = SqliteVarint.Read(cell, out long size);
            if (used > 0 && ReadPayload(cell[used..], size, maxLocal, out byte[]? payload, out bool complete) && complete)
            {
                records.Add(payload!);
            }
        }
    }

    /// <summary>
    /// Reads a cell's payload of <paramref name="size"/> bytes: the part on the page, then the overflow chain.
    /// False when the cell itself is impossible; a broken chain gives an incomplete payload.
    /// </summary>
    private bool ReadPayload(ReadOnlySpan<byte> cell, long size, int maxLocal, out byte[]? payload, out bool complete)
    {
        payload = null;
        complete = false;
        if (size < 0 || size > 1L << 30)
        {
            return false;
        }

        int minLocal = ((Usable - 12) * 32 / 255) - 23;
        int local = (int)size;
        if (size > maxLocal)
        {
            int spill = minLocal + (int)((size - minLocal) % (Usable - 4));
            local = spill <= maxLocal ? spill : minLocal;
        }

        if (local > cell.Length || (local < size && local + 4 > cell.Length))
        {
            return false;
        }

        payload = new byte[size];
        cell[..local].CopyTo(payload);
        if (local == size)
        {
            complete = true;
            return true;
        }

        uint next = BinaryPrimitives.ReadUInt32BigEndian(cell[local..]);
        int written = local;
        int steps = 0;
        int maxSteps = (int)((size - local) / (Usable - 4)) + 1;
        while (written < size)
        {
            if (next == 0 || next > _pages.PageCount || ++steps > maxSteps || !_pages.TryRead(next, _overflow))
            {
                return true;
            }

            _visited[(int)next] = true;
            int count = (int)Math.Min(Usable - 4, size - written);
            _overflow.AsSpan(4, count).CopyTo(payload.AsSpan(written));
            written += count;
            next = BinaryPrimitives.ReadUInt32BigEndian(_overflow);
        }

        complete = true;
        return true;
    }
}

/// <summary>Counts what a walk of one b-tree could not read.</summary>
internal sealed class TreeDamage
{
    public int UnreadablePages { get; set; }
}
