using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Text.Json;
using System.Xml.Linq;
using Repos.Serialization;

namespace Repos.Tests.Packaging;

/// <summary>
/// The <c>Repos</c> NuGet package: its layout and metadata, deterministic packing, and a project outside the
/// repository that takes it from a local feed, builds with its generator and runs its runtime.
/// </summary>
[Trait("Category", "Packaging")]
[Collection(PackagingCollection.Name)]
public sealed class PackageConsumerTests : IClassFixture<PackedPackage>
{
    private const string GeneratorEntry = "analyzers/dotnet/cs/Repos.Generators.dll";

    private readonly PackedPackage _package;

    public PackageConsumerTests(PackedPackage package) => _package = package;

    [Fact]
    public void Pack_HoldsRuntimeDocsReadmeAndGenerator_AndNothingElse()
    {
        // OPC bookkeeping (_rels/, [Content_Types].xml, package/services/...) aside.
        string[] content = _package.Entries
            .Where(e => !e.StartsWith("_rels/", StringComparison.Ordinal)
                && !e.StartsWith("package/", StringComparison.Ordinal)
                && e != "[Content_Types].xml")
            .ToArray();

        Assert.Equal(
            new[] { "README.md", "Repos.nuspec", GeneratorEntry, "lib/net10.0/Repos.dll", "lib/net10.0/Repos.xml" }.Order(StringComparer.Ordinal),
            content);
        Assert.Equal(File.ReadAllBytes(Path.Combine(RepositoryRoot.Path, "README.md")), _package.ReadEntry("README.md"));
    }

    [Fact]
    public void Pack_Metadata_ComesFromTheBuildProps()
    {
        string runtimeVersion = RuntimeInformationalVersion();

        Assert.Equal("Repos", _package.Id);
        Assert.Equal(runtimeVersion, _package.Version);
        Assert.Equal("MIT", _package.Metadata("license"));
        Assert.Equal("expression", _package.Nuspec.Descendants().Single(e => e.Name.LocalName == "license").Attribute("type")?.Value);
        Assert.Equal("README.md", _package.Metadata("readme"));
        Assert.False(string.IsNullOrWhiteSpace(_package.Metadata("description")));
    }

    [Fact]
    public void Pack_DeclaresOnlyTheSqliteBundle_AtTheCentrallyPinnedVersion()
    {
        XElement[] groups = _package.Nuspec.Descendants().Where(e => e.Name.LocalName == "group").ToArray();
        XElement group = Assert.Single(groups);
        Assert.Equal("net10.0", group.Attribute("targetFramework")?.Value);

        XElement dependency = Assert.Single(group.Elements(), e => e.Name.LocalName == "dependency");
        Assert.Single(group.Elements());
        Assert.Equal("SQLitePCLRaw.bundle_e_sqlite3", dependency.Attribute("id")?.Value);
        Assert.Equal(PinnedVersion("SQLitePCLRaw.bundle_e_sqlite3"), dependency.Attribute("version")?.Value);
    }

    [Fact]
    public void Pack_Generator_IsTheGeneratorAssemblyAtThePackageVersion()
    {
        using var pe = new PEReader(new MemoryStream(_package.ReadEntry(GeneratorEntry)));
        MetadataReader metadata = pe.GetMetadataReader();
        AssemblyDefinition assembly = metadata.GetAssemblyDefinition();

        Assert.Equal("Repos.Generators", metadata.GetString(assembly.Name));
        Assert.Equal(new Version(_package.Version.Split('-')[0] + ".0"), assembly.Version);
    }

    [Fact]
    public void Pack_Twice_GivesIdenticalBytes()
    {
        string again = _package.Temp.File("feed-again");
        ProcessResult pack = ChildProcess.DotNet(RepositoryRoot.Path, null, "pack", PackedPackage.ProjectPath, "-c", "Release", "--no-build", "-o", again);
        Assert.True(pack.ExitCode == 0, pack.ToString());

        string second = Assert.Single(Directory.GetFiles(again, "*.nupkg"));
        Assert.True(
            File.ReadAllBytes(_package.PackagePath).AsSpan().SequenceEqual(File.ReadAllBytes(second)),
            $"packing the same commit twice gave different bytes: {_package.PackagePath} vs {second}\n{pack}");
    }

    [Fact]
    public void Consumer_ReferencingThePackage_BuildsWithItsGeneratorAndRunsItsRuntime()
    {
        string consumer = _package.Temp.File("consumer");
        // A private package folder: the package under test is extracted fresh, never taken from a cache.
        string packages = _package.Temp.File("packages");
        ConsumerProject.Write(consumer, _package.Version, _package.Feed, MachinePackageFolderWithoutRepos());
        var environment = new Dictionary<string, string> { ["NUGET_PACKAGES"] = packages };
        string analyzersJson = Path.Combine(consumer, "analyzers.json");

        ProcessResult build = ChildProcess.DotNet(
            consumer, environment,
            "build", ConsumerProject.ProjectFileName, "-c", "Release", "-t:Build", "-getItem:Analyzer", $"-getResultOutputFile:{analyzersJson}");
        Assert.True(build.ExitCode == 0, build.ToString());

        // The compiler was handed the package's generator (and, warnings being errors, loaded it without CS8032).
        string expectedGenerator = Path.GetFullPath(Path.Combine(packages, "repos", _package.Version.ToLowerInvariant(), "analyzers", "dotnet", "cs", "Repos.Generators.dll"));
        string[] analyzers = AnalyzerPaths(analyzersJson);
        Assert.True(analyzers.Contains(expectedGenerator), $"no {expectedGenerator} among the analyzers:\n{string.Join('\n', analyzers)}\n{build}");

        string app = Path.Combine(consumer, "bin", "Release", "net10.0", "Consumer.dll");
        ProcessResult run = ChildProcess.Run(ChildProcess.DotNetHost, consumer, environment, app);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains($"compressed=True, crc32c={ConsumerProject.ExpectedChecksum():x8}", run.Output, StringComparison.Ordinal);
        Assert.Contains("round trip: identical", run.Output, StringComparison.Ordinal);
        Assert.Contains("sqlite: opened consumer.db", run.Output, StringComparison.Ordinal);
        Assert.Contains("generated repository: 3 notes, day 2, day 3, day 4", run.Output, StringComparison.Ordinal);
        Assert.Contains("validation: Text MaxLength", run.Output, StringComparison.Ordinal);
    }

    private static string RuntimeInformationalVersion()
    {
        string informational = typeof(BlobEnvelope).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? throw new InvalidOperationException("Repos.dll has no informational version");
        int plus = informational.IndexOf('+', StringComparison.Ordinal);
        return plus < 0 ? informational : informational[..plus];
    }

    private static string PinnedVersion(string packageId)
    {
        XDocument props = XDocument.Load(Path.Combine(RepositoryRoot.Path, "Directory.Packages.props"));
        return props.Descendants("PackageVersion").Single(e => (string?)e.Attribute("Include") == packageId).Attribute("Version")!.Value;
    }

    private static string[] AnalyzerPaths(string json)
    {
        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(json));
        return document.RootElement.GetProperty("Items").GetProperty("Analyzer").EnumerateArray()
            .Select(item => Path.GetFullPath(item.GetProperty("FullPath").GetString()!))
            .ToArray();
    }

    /// <summary>
    /// The machine's NuGet package folder, to serve the consumer's dependencies without downloading them, unless
    /// it holds a <c>repos</c> package: NuGet looks in fallback folders before the feeds, so a stale one would win.
    /// </summary>
    private static string? MachinePackageFolderWithoutRepos()
    {
        ProcessResult locals = ChildProcess.Run(ChildProcess.DotNetHost, Path.GetTempPath(), null, "nuget", "locals", "global-packages", "--list");
        const string Prefix = "global-packages:";
        string? line = locals.Output.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith(Prefix, StringComparison.Ordinal));
        if (locals.ExitCode != 0 || line is null)
        {
            return null;
        }

        string folder = line[Prefix.Length..].Trim();
        return Directory.Exists(folder) && !Directory.Exists(Path.Combine(folder, "repos")) ? folder : null;
    }
}
