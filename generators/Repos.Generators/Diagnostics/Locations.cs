using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using Repos.Generators.Model;

namespace Repos.Generators.Diagnostics;

/// <summary>Converts between Roslyn locations and the plain <see cref="LocationInfo"/> the model keeps.</summary>
internal static class Locations
{
    public static LocationInfo? ToInfo(this Location? location)
    {
        if (location is null || location.SourceTree is null)
        {
            return null;
        }

        LinePositionSpan lines = location.GetLineSpan().Span;
        return new LocationInfo(
            location.SourceTree.FilePath,
            location.SourceSpan.Start,
            location.SourceSpan.Length,
            lines.Start.Line,
            lines.Start.Character,
            lines.End.Line,
            lines.End.Character);
    }

    public static LocationInfo? ToInfo(this SyntaxNode? node) => node?.GetLocation().ToInfo();

    public static Location ToLocation(this LocationInfo? info)
    {
        if (info is null)
        {
            return Location.None;
        }

        return Location.Create(
            info.FilePath,
            new TextSpan(info.Start, info.Length),
            new LinePositionSpan(new LinePosition(info.StartLine, info.StartCharacter), new LinePosition(info.EndLine, info.EndCharacter)));
    }
}
