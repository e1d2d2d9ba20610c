using System.Globalization;
using System.Text;

namespace Repos.Transfer;

/// <summary>Writes JSON paths the way messages show them: <c>$.tags[2].name</c>, <c>$['odd name']</c>.</summary>
internal static class JsonPathText
{
    /// <summary>Appends a property step (<paramref name="name"/>) or an array step (<paramref name="index"/>, when the name is null).</summary>
    public static void Append(StringBuilder path, string? name, int index)
    {
        if (name is null)
        {
            path.Append('[').Append(index.ToString(CultureInfo.InvariantCulture)).Append(']');
        }
        else if (IsPlain(name))
        {
            path.Append('.').Append(name);
        }
        else
        {
            path.Append("['").Append(name.Replace("'", "\\'", StringComparison.Ordinal)).Append("']");
        }
    }

    private static bool IsPlain(string name)
    {
        if (name.Length == 0 || char.IsDigit(name[0]))
        {
            return false;
        }

        foreach (char c in name)
        {
            if (!char.IsLetterOrDigit(c) && c is not ('_' or '$'))
            {
                return false;
            }
        }

        return true;
    }
}
