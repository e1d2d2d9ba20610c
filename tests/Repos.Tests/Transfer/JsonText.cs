using System.Text;

namespace Repos.Tests.Transfer;

/// <summary>JSON dumps for import tests.</summary>
internal static class JsonText
{
    /// <summary>A readable stream of the UTF-8 text; single quotes in <paramref name="json"/> stand for double quotes.</summary>
    public static MemoryStream Stream(string json) => new(Encoding.UTF8.GetBytes(json.Replace('\'', '"')));

    /// <summary>A stream of exactly <paramref name="json"/> (no quote replacement).</summary>
    public static MemoryStream Raw(string json) => new(Encoding.UTF8.GetBytes(json));
}
