namespace Repos.Transfer;

/// <summary>
/// Looks names up the way an import matches JSON names to property and enum member names: exactly, then
/// ignoring case (camelCase), then ignoring case, underscores, dashes and spaces (snake_case, kebab-case).
/// </summary>
/// <typeparam name="T">What a name stands for.</typeparam>
internal sealed class JsonNames<T>
{
    private readonly Dictionary<string, T> _exact = new(StringComparer.Ordinal);
    private readonly Dictionary<string, T> _ignoringCase = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, T> _loose = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _ambiguousIgnoringCase = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _ambiguousLoose = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Adds a name. Two names that only differ by case (or separators) match neither of them loosely.</summary>
    public void Add(string name, T value)
    {
        _exact[name] = value;
        AddOnce(_ignoringCase, _ambiguousIgnoringCase, name, value);
        AddOnce(_loose, _ambiguousLoose, Loosen(name), value);
    }

    /// <summary>Makes <paramref name="name"/> match <paramref name="value"/> exactly, before anything else.</summary>
    public void AddExact(string name, T value) => _exact[name] = value;

    /// <summary>Finds what <paramref name="name"/> stands for.</summary>
    public bool TryFind(string name, out T value)
    {
        if (_exact.TryGetValue(name, out value!))
        {
            return true;
        }

        if (_ignoringCase.TryGetValue(name, out value!))
        {
            return true;
        }

        return _loose.TryGetValue(Loosen(name), out value!);
    }

    private static void AddOnce(Dictionary<string, T> names, HashSet<string> ambiguous, string name, T value)
    {
        if (ambiguous.Contains(name))
        {
            return;
        }

        if (!names.TryAdd(name, value))
        {
            names.Remove(name);
            ambiguous.Add(name);
        }
    }

    private static string Loosen(string name)
    {
        if (name.AsSpan().IndexOfAny("_- ") < 0)
        {
            return name;
        }

        return string.Create(name.Length - CountSeparators(name), name, static (span, source) =>
        {
            int i = 0;
            foreach (char c in source)
            {
                if (c is not ('_' or '-' or ' '))
                {
                    span[i++] = c;
                }
            }
        });
    }

    private static int CountSeparators(string name)
    {
        int count = 0;
        foreach (char c in name)
        {
            if (c is '_' or '-' or ' ')
            {
                count++;
            }
        }

        return count;
    }
}
