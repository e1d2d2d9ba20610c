using System.IO.Compression;
using System.Xml.Linq;

namespace Repos.Tests.Packaging;

/// <summary>
/// The <c>Repos</c> package as <c>dotnet pack src/Repos -c Release</c> makes it, packed once into a temporary
/// feed outside the repository for all the tests of a class, with its nuspec read.
/// </summary>
public sealed class PackedPackage : IDisposable
{
    private readonly TempDirectory _temp = new();

    public PackedPackage()
    {
        Feed = _temp.File("feed");
        ProcessResult pack = ChildProcess.DotNet(RepositoryRoot.Path, null, "pack", ProjectPath, "-c", "Release", "-o", Feed);
        if (pack.ExitCode != 0)
        {
            throw new InvalidOperationException($"packing failed:\n{pack}");
        }

        string[] packages = Directory.GetFiles(Feed, "*.nupkg");
        if (packages.Length != 1)
        {
            throw new InvalidOperationException($"expected one package in {Feed}, found {packages.Length}:\n{pack}");
        }

        PackagePath = packages[0];
        PackOutput = pack.Output;
        using ZipArchive zip = ZipFile.OpenRead(PackagePath);
        Entries = zip.Entries.Select(e => e.FullName).Order(StringComparer.Ordinal).ToArray();
        ZipArchiveEntry nuspecEntry = zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal) && !e.FullName.Contains('/'));
        using Stream nuspecStream = nuspecEntry.Open();
        Nuspec = XDocument.Load(nuspecStream);
        Id = Metadata("id");
        Version = Metadata("version");
    }

    /// <summary>The runtime's project, which the package is made from.</summary>
    public static string ProjectPath => Path.Combine(RepositoryRoot.Path, "src", "Repos", "Repos.csproj");

    /// <summary>A scratch folder that is deleted with the fixture.</summary>
    internal TempDirectory Temp => _temp;

    /// <summary>The folder holding the one package: a local NuGet feed.</summary>
    public string Feed { get; }

    public string PackagePath { get; }

    public string PackOutput { get; }

    /// <summary>Every entry of the .nupkg, sorted ordinally.</summary>
    public IReadOnlyList<string> Entries { get; }

    public XDocument Nuspec { get; }

    public string Id { get; }

    public string Version { get; }

    /// <summary>The value of a nuspec <c>metadata</c> child element, whatever the nuspec schema namespace.</summary>
    public string Metadata(string name) =>
        Nuspec.Descendants().FirstOrDefault(e => e.Name.LocalName == name && e.Parent?.Name.LocalName == "metadata")?.Value
        ?? throw new InvalidOperationException($"the nuspec has no <{name}>:\n{Nuspec}");

    /// <summary>The bytes of one package entry.</summary>
    public byte[] ReadEntry(string fullName)
    {
        using ZipArchive zip = ZipFile.OpenRead(PackagePath);
        ZipArchiveEntry entry = zip.GetEntry(fullName) ?? throw new InvalidOperationException($"the package has no {fullName}");
        using Stream stream = entry.Open();
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    public void Dispose() => _temp.Dispose();
}
