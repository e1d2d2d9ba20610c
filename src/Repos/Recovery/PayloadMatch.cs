using Repos.Serialization;

namespace Repos.Recovery;

/// <summary>
/// Whether a stored payload is what the model writes for the entity it decodes to: the test a salvaged row must
/// pass to count as recovered. A row decoded through a damaged catalog (an id that names another field, or no
/// field) reads some values as defaults or as another field's; written again, it differs from what was stored.
/// </summary>
/// <remarks>
/// Maps compare by key whatever their order (properties may have been reordered since a row was written); a
/// stored field the model does not write is allowed only when the catalog names it for a field the model does
/// not have (a retired field, or one a newer app added). Floats compare by value (a <c>float</c> field later
/// widened to <c>double</c>); everything else compares by its bytes, which are the shortest encoding.
/// </remarks>
internal static class PayloadMatch
{
    /// <summary>Null when <paramref name="stored"/> is what the model wrote (<paramref name="written"/>), else how they differ.</summary>
    /// <param name="stored">The payload as stored.</param>
    /// <param name="written">The payload the model writes for the entity decoded from it.</param>
    /// <param name="storedOnly">Ids the catalog names for the entity's type that the model does not map.</param>
    /// <param name="nestedStoredOnly">The same for the types stored inside the entity.</param>
    public static string? Explain(ReadOnlySpan<byte> stored, ReadOnlySpan<byte> written, IReadOnlySet<long> storedOnly, IReadOnlySet<long> nestedStoredOnly)
    {
        try
        {
            var s = new MessagePackReader(stored);
            var w = new MessagePackReader(written);
            return CompareMaps(ref s, stored, ref w, written, storedOnly, nestedStoredOnly, top: true);
        }
        catch (ReposFormatException e)
        {
            return $"its payload cannot be compared with the model's encoding: {e.Message}";
        }
    }

    private static string? Compare(ref MessagePackReader s, ReadOnlySpan<byte> stored, ref MessagePackReader w, ReadOnlySpan<byte> written, IReadOnlySet<long> nestedStoredOnly)
    {
        MessagePackType type = s.NextMessagePackType;
        MessagePackType other = w.NextMessagePackType;
        if (type != other)
        {
            return $"a {type} is stored where the model writes a {other}";
        }

        switch (type)
        {
            case MessagePackType.Map:
                return CompareMaps(ref s, stored, ref w, written, nestedStoredOnly, nestedStoredOnly, top: false);
            case MessagePackType.Array:
                int count = s.ReadArrayHeader();
                if (w.ReadArrayHeader() != count)
                {
                    return "an array has another length";
                }

                for (int i = 0; i < count; i++)
                {
                    if (Compare(ref s, stored, ref w, written, nestedStoredOnly) is { } problem)
                    {
                        return problem;
                    }
                }

                return null;
            case MessagePackType.Float:
                double a = s.ReadDouble();
                double b = w.ReadDouble();
                return a.Equals(b) ? null : "a number reads back as another";
            default:
                return s.ReadRaw().SequenceEqual(w.ReadRaw()) ? null : "a value reads back as another";
        }
    }

    private static string? CompareMaps(
        ref MessagePackReader s,
        ReadOnlySpan<byte> stored,
        ref MessagePackReader w,
        ReadOnlySpan<byte> written,
        IReadOnlySet<long> storedOnly,
        IReadOnlySet<long> nestedStoredOnly,
        bool top)
    {
        List<(int KeyStart, int KeyLength, int ValueStart)> storedEntries = Entries(ref s, stored);
        List<(int KeyStart, int KeyLength, int ValueStart)> writtenEntries = Entries(ref w, written);
        var matched = new bool[storedEntries.Count];
        foreach ((int keyStart, int keyLength, int valueStart) in writtenEntries)
        {
            ReadOnlySpan<byte> key = written.Slice(keyStart, keyLength);
            int found = -1;
            for (int i = 0; i < storedEntries.Count; i++)
            {
                if (stored.Slice(storedEntries[i].KeyStart, storedEntries[i].KeyLength).SequenceEqual(key))
                {
                    if (found >= 0)
                    {
                        return $"its payload holds field {Describe(key)} twice";
                    }

                    found = i;
                }
            }

            if (found < 0)
            {
                return top
                    ? $"the model stores a field under id {Describe(key)}, which its blob does not hold: the catalog does not map the model's fields to the ids the blob uses"
                    : $"a nested object lacks field {Describe(key)} the model writes";
            }

            matched[found] = true;
            var sv = new MessagePackReader(stored[storedEntries[found].ValueStart..]);
            var wv = new MessagePackReader(written[valueStart..]);
            if (Compare(ref sv, stored[storedEntries[found].ValueStart..], ref wv, written[valueStart..], nestedStoredOnly) is { } problem)
            {
                return top ? $"field {Describe(key)} does not read back as stored ({problem}): the catalog gives it another meaning" : problem;
            }
        }

        for (int i = 0; i < storedEntries.Count; i++)
        {
            if (matched[i])
            {
                continue;
            }

            var keyReader = new MessagePackReader(stored.Slice(storedEntries[i].KeyStart, storedEntries[i].KeyLength));
            bool named = keyReader.NextMessagePackType == MessagePackType.Integer && storedOnly.Contains(keyReader.ReadInt64());
            if (!named)
            {
                ReadOnlySpan<byte> key = stored.Slice(storedEntries[i].KeyStart, storedEntries[i].KeyLength);
                return top
                    ? $"its blob holds field {Describe(key)}, which the catalog does not name for a field of the entity"
                    : $"a nested object holds field {Describe(key)}, which the model does not read";
            }
        }

        return null;
    }

    /// <summary>Reads a map's entries as offsets into <paramref name="input"/>, leaving the reader after the map.</summary>
    private static List<(int KeyStart, int KeyLength, int ValueStart)> Entries(ref MessagePackReader reader, ReadOnlySpan<byte> input)
    {
        _ = input;
        int count = reader.ReadMapHeader();
        var entries = new List<(int, int, int)>(count);
        for (int i = 0; i < count; i++)
        {
            int keyStart = (int)reader.Consumed;
            reader.Skip();
            int valueStart = (int)reader.Consumed;
            reader.Skip();
            entries.Add((keyStart, valueStart - keyStart, valueStart));
        }

        return entries;
    }

    private static string Describe(ReadOnlySpan<byte> key)
    {
        var reader = new MessagePackReader(key);
        return reader.NextMessagePackType == MessagePackType.Integer
            ? reader.ReadInt64().ToString(System.Globalization.CultureInfo.InvariantCulture)
            : Convert.ToHexString(key);
    }
}
