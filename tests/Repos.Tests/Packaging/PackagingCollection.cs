namespace Repos.Tests.Packaging;

/// <summary>
/// The packaging tests build the runtime's project in place (pack, publish), so they run one at a time,
/// never two MSBuild processes writing the same obj folder at once.
/// </summary>
[CollectionDefinition(Name)]
public sealed class PackagingCollection
{
    public const string Name = "Packaging";
}
