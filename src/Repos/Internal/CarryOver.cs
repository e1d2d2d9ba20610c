using System.Buffers;
using Repos.Serialization;

namespace Repos.Internal;

/// <summary>
/// Merges into a payload the model has just written the fields of the stored payload it replaces that the
/// model does not know (written by a newer app, or kept from a property this one removed), at every depth,
/// so rewriting a row never drops them.
/// </summary>
/// <remarks>
/// <para>The rules, for a stored type (the entity, or an object nested in it):</para>
/// <list type="bullet">
/// <item>Every field the model knows comes from the new payload; every stored field it does not know is added
/// after them, as stored.</item>
/// <item>A known field whose values hold objects with unknown fields (<see cref="FieldMap.NestedUnknownFields"/>)
/// is merged with the stored value of the same field: an object with the stored object; an array, list or set
/// element by element by position (the elements at the same index are taken to be the same element; stored
/// elements past the end of the new collection are not brought back); a dictionary entry by entry by key
/// (the key's encoding, which is the same for the same key).</item>
/// <item>Nothing is carried into or out of a nil value, nor out of a stored value of another shape than the
/// new one (an array where a map is expected).</item>
/// </list>
/// <para>
/// Both payloads are read in place and the merge is written straight to the output: the only allocation is a
/// pooled table for a type with more than 32 properties. Dictionary entries are looked up at the next stored
/// position first (a dictionary read and written back keeps its order), then by a scan of the stored entries.
/// </para>
/// </remarks>
internal static class CarryOver
{
    private const int StackFields = 32;

    /// <summary>
    /// Writes <paramref name="written"/>, a map of <paramref name="map"/>'s type the model just encoded, with the
    /// unknown fields of <paramref name="stored"/> merged in.
    /// </summary>
    /// <exception cref="ReposFormatException">A payload is malformed; the output then holds a partial merge.</exception>
    public static void Merge(ref MessagePackWriter output, ReadOnlySpan<byte> written, ReadOnlySpan<byte> stored, FieldMap map, SerializationContext context)
    {
        if (new MessagePackReader(stored).NextMessagePackType != MessagePackType.Map)
        {
            output.WriteRaw(written);
            return;
        }

        MergeObject(ref output, written, stored, map, context);
    }

    private static void MergeObject(ref MessagePackWriter output, ReadOnlySpan<byte> written, ReadOnlySpan<byte> stored, FieldMap map, SerializationContext context)
    {
        NestedValue?[]? nested = map.NestedUnknownFields;
        int[]? rented = null;

        // Where the stored value of each property that may hold unknown fields is: start and length by ordinal.
        Span<int> found = nested is null
            ? default
            : nested.Length <= StackFields ? stackalloc int[2 * StackFields] : (rented = ArrayPool<int>.Shared.Rent(2 * nested.Length));
        try
        {
            found.Clear();
            var reader = new MessagePackReader(stored);
            int storedCount = reader.ReadMapHeader();
            int unknown = 0;
            for (int i = 0; i < storedCount; i++)
            {
                int ordinal = map.OrdinalOf(reader.ReadInt64());
                int start = (int)reader.Consumed;
                reader.Skip();
                if (ordinal < 0)
                {
                    unknown++;
                }
                else if (nested?[ordinal] is not null)
                {
                    found[2 * ordinal] = start;
                    found[(2 * ordinal) + 1] = (int)reader.Consumed - start;
                }
            }

            var entity = new MessagePackReader(written);
            int count = entity.ReadMapHeader();
            output.WriteMapHeader(count + unknown);
            int copied = (int)entity.Consumed;
            if (nested is not null)
            {
                for (int i = 0; i < count; i++)
                {
                    int ordinal = map.OrdinalOf(entity.ReadInt64());
                    int start = (int)entity.Consumed;
                    entity.Skip();
                    if (ordinal >= 0 && nested[ordinal] is { } value && found[(2 * ordinal) + 1] > 0)
                    {
                        int end = (int)entity.Consumed;
                        output.WriteRaw(written[copied..start]);
                        MergeValue(ref output, written[start..end], stored.Slice(found[2 * ordinal], found[(2 * ordinal) + 1]), value, context);
                        copied = end;
                    }
                }
            }

            output.WriteRaw(written[copied..]);
            if (unknown > 0)
            {
                CopyUnknownFields(ref output, stored, map);
            }
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<int>.Shared.Return(rented);
            }
        }
    }

    /// <summary>Copies the pairs of the stored map whose ids the model does not know, runs of them at once.</summary>
    private static void CopyUnknownFields(ref MessagePackWriter output, ReadOnlySpan<byte> stored, FieldMap map)
    {
        var reader = new MessagePackReader(stored);
        int count = reader.ReadMapHeader();
        int run = -1;
        for (int i = 0; i < count; i++)
        {
            int start = (int)reader.Consumed;
            int ordinal = map.OrdinalOf(reader.ReadInt64());
            reader.Skip();
            if (ordinal < 0)
            {
                if (run < 0)
                {
                    run = start;
                }
            }
            else if (run >= 0)
            {
                output.WriteRaw(stored[run..start]);
                run = -1;
            }
        }

        if (run >= 0)
        {
            output.WriteRaw(stored[run..(int)reader.Consumed]);
        }
    }

    private static void MergeValue(ref MessagePackWriter output, ReadOnlySpan<byte> written, ReadOnlySpan<byte> stored, NestedValue value, SerializationContext context)
    {
        MessagePackType shape = value.Kind == NestedValueKind.Sequence ? MessagePackType.Array : MessagePackType.Map;
        if (written[0] == MessagePackCode.Nil || new MessagePackReader(stored).NextMessagePackType != shape)
        {
            output.WriteRaw(written);
            return;
        }

        switch (value.Kind)
        {
            case NestedValueKind.Object:
                MergeObject(ref output, written, stored, context.GetFieldMap(value.Target), context);
                break;
            case NestedValueKind.Sequence:
                MergeElements(ref output, written, stored, value.Element!, context);
                break;
            default:
                MergeEntries(ref output, written, stored, value.Element!, context);
                break;
        }
    }

    /// <summary>Merges two arrays element by element, by position; the new array's length stands.</summary>
    private static void MergeElements(ref MessagePackWriter output, ReadOnlySpan<byte> written, ReadOnlySpan<byte> stored, NestedValue element, SerializationContext context)
    {
        var entity = new MessagePackReader(written);
        var reader = new MessagePackReader(stored);
        int pairs = Math.Min(entity.ReadArrayHeader(), reader.ReadArrayHeader());
        int copied = 0;
        for (int i = 0; i < pairs; i++)
        {
            int start = (int)entity.Consumed;
            entity.Skip();
            int end = (int)entity.Consumed;
            int storedStart = (int)reader.Consumed;
            reader.Skip();
            output.WriteRaw(written[copied..start]);
            MergeValue(ref output, written[start..end], stored[storedStart..(int)reader.Consumed], element, context);
            copied = end;
        }

        output.WriteRaw(written[copied..]);
    }

    /// <summary>Merges two maps entry by entry, by key; the new map's entries stand.</summary>
    private static void MergeEntries(ref MessagePackWriter output, ReadOnlySpan<byte> written, ReadOnlySpan<byte> stored, NestedValue element, SerializationContext context)
    {
        var entity = new MessagePackReader(written);
        int count = entity.ReadMapHeader();
        var reader = new MessagePackReader(stored);
        int storedCount = reader.ReadMapHeader();
        var entries = new StoredEntries((int)reader.Consumed, storedCount);
        int copied = 0;
        for (int i = 0; i < count; i++)
        {
            int keyStart = (int)entity.Consumed;
            entity.Skip();
            int start = (int)entity.Consumed;
            entity.Skip();
            int end = (int)entity.Consumed;
            if (entries.Find(stored, written[keyStart..start], out ReadOnlySpan<byte> storedValue))
            {
                output.WriteRaw(written[copied..start]);
                MergeValue(ref output, written[start..end], storedValue, element, context);
                copied = end;
            }
        }

        output.WriteRaw(written[copied..]);
    }

    /// <summary>Finds the entries of a stored map by key, trying the entry after the last one found first.</summary>
    private struct StoredEntries
    {
        private readonly int _first;
        private readonly int _count;
        private int _next;
        private int _nextIndex;

        public StoredEntries(int first, int count)
        {
            _first = first;
            _count = count;
            _next = first;
            _nextIndex = 0;
        }

        public bool Find(ReadOnlySpan<byte> stored, ReadOnlySpan<byte> key, out ReadOnlySpan<byte> value)
        {
            if (_nextIndex < _count && TryMatch(stored, _next, key, out value, out int next))
            {
                _next = next;
                _nextIndex++;
                return true;
            }

            int offset = _first;
            for (int index = 0; index < _count; index++)
            {
                if (TryMatch(stored, offset, key, out value, out int after))
                {
                    _next = after;
                    _nextIndex = index + 1;
                    return true;
                }

                offset = after;
            }

            value = default;
            return false;
        }

        /// <summary>Reads the entry at <paramref name="offset"/>; true, with its value, when its key is <paramref name="key"/>.</summary>
        private static bool TryMatch(ReadOnlySpan<byte> stored, int offset, ReadOnlySpan<byte> key, out ReadOnlySpan<byte> value, out int after)
        {
            var reader = new MessagePackReader(stored[offset..]);
            bool match = reader.ReadRaw().SequenceEqual(key);
            int start = offset + (int)reader.Consumed;
            reader.Skip();
            after = offset + (int)reader.Consumed;
            value = match ? stored[start..after] : default;
            return match;
        }
    }
}
