using System.ComponentModel;
using System.Globalization;

namespace Repos.Internal;

/// <summary>Builds the property paths validation errors name, only when an error is recorded.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class ValidationPath
{
    /// <summary>
    /// The path of <paramref name="property"/> inside the value at <paramref name="path"/> (an element of it
    /// when <paramref name="index"/> is not negative): <c>Symptoms[2].Severity</c>.
    /// </summary>
    public static string Combine(string path, int index, string property)
    {
        if (path.Length == 0)
        {
            return property;
        }

        return index < 0
            ? string.Concat(path, ".", property)
            : string.Concat(path, "[", index.ToString(CultureInfo.InvariantCulture), "].", property);
    }
}
