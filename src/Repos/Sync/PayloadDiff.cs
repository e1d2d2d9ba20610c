using Repos.Serialization;

namespace Repos.Sync;

/// <summary>Which top-level fields two payloads of one entity (maps of field ids to values) hold differently.</summary>
internal static class PayloadDiff
{
    private const int StackFields = 64;

    [ThreadStatic]
    private static List<int>? t_changed;

    /// <summary>
    /// The ids of the fields whose encoded values differ between <paramref name="before"/> and
    /// <paramref name="after"/>, or that only one of them has, in the order of <paramref name="after"/> then
    /// <paramref name="before"/>. The list is reused by the next call on the thread.
    /// </summary>
    /// <exception cref="ReposFormatException">A payload is not a map of field ids to values.</exception>
    public static List<int> ChangedFields(ReadOnlySpan<byte> before, ReadOnlySpan<byte> after)
    {
        List<int> changed = t_changed ??= [];
        changed.Clear();
        var old = new MessagePackReader(before);
        int oldCount = old.ReadMapHeader();
        Span<long> fields = oldCount <= StackFields ? stackalloc long[StackFields * 3] : new long[oldCount * 3];

        // Each stored field as (id, start, length), with the length set negative once the new payload has it.
        for (int i = 0; i < oldCount; i++)
        {
            fields[3 * i] = old.ReadInt64();
            int start = (int)old.Consumed;
            old.Skip();
            fields[(3 * i) + 1] = start;
            fields[(3 * i) + 2] = (int)old.Consumed - start;
        }

        var reader = new MessagePackReader(after);
        int next = 0;
        for (int count = reader.ReadMapHeader(); count > 0; count--)
        {
            long id = reader.ReadInt64();
            ReadOnlySpan<byte> value = reader.ReadRaw();

            // Both payloads usually come from the same serializer, in the same order: the next stored field first.
            int match = next < oldCount && fields[3 * next] == id && fields[(3 * next) + 2] >= 0 ? next : -1;
            for (int i = 0; match < 0 && i < oldCount; i++)
            {
                if (fields[3 * i] == id && fields[(3 * i) + 2] >= 0)
                {
                    match = i;
                }
            }

            next = match + 1;

            if (match < 0 || !before.Slice((int)fields[(3 * match) + 1], (int)fields[(3 * match) + 2]).SequenceEqual(value))
            {
                changed.Add((int)id);
            }

            if (match >= 0)
            {
                fields[(3 * match) + 2] = -1;
            }
        }

        for (int i = 0; i < oldCount; i++)
        {
            if (fields[(3 * i) + 2] >= 0 && !changed.Contains((int)fields[3 * i]))
            {
                changed.Add((int)fields[3 * i]);
            }
        }

        return changed;
    }
}
