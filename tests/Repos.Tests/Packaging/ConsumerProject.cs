using System.Buffers;
using System.Security;
using Repos.Serialization;

namespace Repos.Tests.Packaging;

/// <summary>
/// A console app that takes the <c>Repos</c> package from a local feed, the way a user's project would,
/// outside this repository's build settings: it declares an entity and a database, and uses the repository
/// the package's generator writes for them.
/// </summary>
internal static class ConsumerProject
{
    public const string ProjectFileName = "Consumer.csproj";

    /// <summary>
    /// The app: round-trips a MessagePack map through the blob envelope (<see cref="ExpectedChecksum"/> builds
    /// the same payload), then stores and queries entities through the generated repository, which loads the
    /// native SQLite library that the package's dependency brings.
    /// </summary>
    public const string Program = """
        using System.Buffers;
        using System.ComponentModel.DataAnnotations;
        using Repos;
        using Repos.Serialization;

        string text = string.Concat(Enumerable.Repeat("Headache, mild, after lunch. ", 8));
        var when = new DateTime(2025, 3, 14, 9, 26, 53, DateTimeKind.Utc);

        var payload = new ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(payload);
        writer.WriteMapHeader(3);
        writer.Write(1);
        writer.Write(text);
        writer.Write(2);
        writer.Write(when);
        writer.Write(3);
        writer.Write(7);
        writer.Flush();

        var blob = new ArrayBufferWriter<byte>();
        BlobEnvelope.Write(payload.WrittenSpan, schemaVersion: 1, blob);

        using (BlobPayload read = BlobEnvelope.Read(blob.WrittenSpan))
        {
            var reader = new MessagePackReader(read.Span);
            bool identical = reader.ReadMapHeader() == 3
                && reader.ReadInt32() == 1 && reader.ReadString() == text
                && reader.ReadInt32() == 2 && reader.ReadDateTime() == when
                && reader.ReadInt32() == 3 && reader.ReadInt32() == 7
                && reader.End;
            Console.WriteLine($"blob: {blob.WrittenCount} bytes for a {payload.WrittenCount}-byte payload, compressed={read.Header.IsCompressed}, crc32c={read.Header.Checksum:x8}");
            Console.WriteLine(identical ? "round trip: identical" : "round trip: DIFFERENT");
        }

        string file = Path.Combine(AppContext.BaseDirectory, "consumer.db");
        File.Delete(file);
        await using (NotesDb db = await NotesDb.OpenAsync(file))
        {
            Console.WriteLine($"sqlite: opened {Path.GetFileName(db.Path)}");
            await db.Notes.InsertManyAsync(Enumerable.Range(1, 5).Select(day => new Note { Id = Guid.NewGuid(), UserId = "ann", Day = day, Text = $"day {day}" }));
            List<Note> found = await db.Notes.ByUserIdAndDay("ann").Between(2, 4).ToListAsync();
            Console.WriteLine($"generated repository: {found.Count} notes, {string.Join(", ", found.Select(n => n.Text))}");
            try
            {
                await db.Notes.InsertAsync(new Note { Id = Guid.NewGuid(), UserId = "ann", Day = 9, Text = new string('x', 80) });
            }
            catch (EntityValidationException e)
            {
                Console.WriteLine($"validation: {e.Errors[0].Property} {e.Errors[0].Rule}");
            }
        }

        [Entity]
        [Index(nameof(UserId), nameof(Day))]
        public partial record Note
        {
            [Key]
            public Guid Id { get; init; }

            public required string UserId { get; init; }

            public int Day { get; init; }

            [MaxLength(50)]
            public string Text { get; init; } = "";
        }

        [Database(typeof(Note))]
        public partial class NotesDb;
        """;

    /// <summary>
    /// Writes the app into <paramref name="directory"/>: a project that references exactly <paramref name="version"/>,
    /// treats warnings as errors (a generator that fails to load is warning CS8032), and build files that stop
    /// MSBuild from looking further up for Directory.Build.* or central package versions. Its NuGet.config adds
    /// <paramref name="feed"/> to the machine's sources, and <paramref name="fallbackFolder"/>, when given, as a
    /// read-only package folder so the dependencies are not downloaded again.
    /// </summary>
    public static void Write(string directory, string version, string feed, string? fallbackFolder)
    {
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "Directory.Build.props"), "<Project />\n");
        File.WriteAllText(Path.Combine(directory, "Directory.Build.targets"), "<Project />\n");
        File.WriteAllText(Path.Combine(directory, "Directory.Packages.props"), """
            <Project>
              <PropertyGroup>
                <ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally>
              </PropertyGroup>
            </Project>

            """);
        string fallback = fallbackFolder is null
            ? string.Empty
            : $"""
                <fallbackPackageFolders>
                  <add key="machine" value="{SecurityElement.Escape(fallbackFolder)}" />
                </fallbackPackageFolders>
              """;
        File.WriteAllText(Path.Combine(directory, "NuGet.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="repos-under-test" value="{SecurityElement.Escape(feed)}" />
              </packageSources>
            {fallback}
            </configuration>

            """);
        File.WriteAllText(Path.Combine(directory, ProjectFileName), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Repos" Version="[{SecurityElement.Escape(version)}]" />
              </ItemGroup>
            </Project>

            """);
        File.WriteAllText(Path.Combine(directory, "Program.cs"), Program);
    }

    /// <summary>
    /// The envelope checksum that the app prints, from the same payload enveloped here by the runtime
    /// these tests build from source.
    /// </summary>
    public static uint ExpectedChecksum()
    {
        string text = string.Concat(Enumerable.Repeat("Headache, mild, after lunch. ", 8));
        var when = new DateTime(2025, 3, 14, 9, 26, 53, DateTimeKind.Utc);
        var payload = new ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(payload);
        writer.WriteMapHeader(3);
        writer.Write(1);
        writer.Write(text);
        writer.Write(2);
        writer.Write(when);
        writer.Write(3);
        writer.Write(7);
        writer.Flush();
        var blob = new ArrayBufferWriter<byte>();
        BlobEnvelope.Write(payload.WrittenSpan, schemaVersion: 1, blob);
        return BlobEnvelope.ReadHeader(blob.WrittenSpan).Checksum;
    }
}
