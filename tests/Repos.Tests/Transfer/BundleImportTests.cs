using System.Text;
using System.Text.Json;
using Repos.Tests.Backup;
using Repos.Tests.Generated;
using Repos.Transfer;

namespace Repos.Tests.Transfer;

/// <summary>
/// Import of a bundle (docs/transfer.md, <i>Import of a bundle</i>): export, import into another file, the same
/// entities; the strategies and the dry run against new, identical and conflicting rows; hostile bundles refused.
/// </summary>
public sealed class BundleImportTests : IDisposable
{
    private readonly TempDirectory _folder = new();

    public void Dispose() => _folder.Dispose();

    private static readonly AllTypes[] s_values = [RoundTripTests.Minimums(), RoundTripTests.Maximums(), RoundTripTests.Typical()];

    [Theory]
    [InlineData(BundleFormat.Json)]
    [InlineData(BundleFormat.NdJson)]
    public async Task EveryType_RoundTripsExactly_IntoAnEmptyFile(BundleFormat format)
    {
        var bundle = new MemoryStream();
        byte[] before;
        await using (TypesDb source = await TypesDb.OpenAsync(_folder.File("source.db")))
        {
            foreach (AllTypes value in s_values)
            {
                await source.AllTypes.UpsertAsync(value);
            }

            await source.Counters.InsertAsync(new Counter { Id = 7, Label = "seven", Value = -7 });
            await source.ExportAsync(bundle, new BundleExportOptions { Format = format });
            before = await RowsOf(source);
        }

        await using TypesDb target = await TypesDb.OpenAsync(_folder.File("target.db"));
        bundle.Position = 0;
        BundleImportResult result = await target.ImportBundleAsync(bundle);
        Assert.Equal(s_values.Length, result.Entities.Single(e => e.Name == "AllTypes").Written);
        Assert.NotNull(result.BackupPath);

        // Every value as it was: the rows exported again are the same bytes, and they read back as equal entities.
        Assert.Equal(Encoding.UTF8.GetString(before), Encoding.UTF8.GetString(await RowsOf(target)));
        foreach (AllTypes value in s_values)
        {
            AllTypes? stored = await target.AllTypes.GetAsync(value.Id);
            Assert.NotNull(stored);
            Assert.Equal(value.Decimal, stored.Decimal);
            Assert.Equal(value.DateTime.Kind, stored.DateTime.Kind);
            Assert.Equal(value.DateTimeOffset.Offset, stored.DateTimeOffset.Offset);
            Assert.Equal(value.Guid, stored.Guid);
            Assert.Equal(value.Bytes, stored.Bytes);
            Assert.Equal(value.Color, stored.Color);
        }

        Assert.Equal("seven", (await target.Counters.GetAsync(7))!.Label);
    }

    // The "entities" of an export: every row, without the header's time or the checksum.
    private static async Task<byte[]> RowsOf(TypesDb db)
    {
        var output = new MemoryStream();
        await db.ExportAsync(output);
        return Encoding.UTF8.GetBytes(JsonDocument.Parse(output.ToArray()).RootElement.GetProperty("entities").GetRawText());
    }

    // A file with counters 1 (same as the bundle), 2 (other values, older) and 4 (only in the file); the bundle has 1, 2 (newer) and 3 (new).
    private async Task<(TypesDb Db, MemoryStream Bundle)> ConflictsAsync()
    {
        var bundle = new MemoryStream();
        await using (TypesDb other = await TypesDb.OpenAsync(_folder.File("other.db")))
        {
            await other.Counters.InsertAsync(new Counter { Id = 1, Label = "one", Value = 1 });
            await other.Counters.InsertAsync(new Counter { Id = 2, Label = "two, edited", Value = 20 });
            await other.Counters.InsertAsync(new Counter { Id = 3, Label = "three", Value = 3 });
            await other.ExportAsync(bundle, new BundleExportOptions { Entities = ["Counter"] });
        }

        TypesDb db = await TypesDb.OpenAsync(_folder.File("file.db"));
        await db.Counters.InsertAsync(new Counter { Id = 1, Label = "one", Value = 1 });
        await db.Counters.InsertAsync(new Counter { Id = 2, Label = "two", Value = 2 });
        await db.Counters.InsertAsync(new Counter { Id = 4, Label = "four", Value = 4 });
        bundle.Position = 0;
        return (db, bundle);
    }

    private static async Task<string> CountersOf(TypesDb db)
    {
        var counters = new List<string>();
        await foreach (Counter c in db.Counters.All())
        {
            counters.Add($"{c.Id}:{c.Label}:{c.Value}");
        }

        return string.Join(" ", counters);
    }

    [Fact]
    public async Task DryRun_CountsNewIdenticalAndConflictingRows_AndWritesNothing()
    {
        (TypesDb db, MemoryStream bundle) = await ConflictsAsync();
        await using (db)
        {
            BundleImportResult preview = await db.ImportBundleAsync(bundle, new BundleImportOptions { DryRun = true });
            BundleEntityImport counters = preview.Entities.Single();
            Assert.True(preview.DryRun);
            Assert.Equal(("Counter", 3L, 1L, 1L, 1L, 0L, 0L), (counters.Name, counters.Rows, counters.New, counters.Identical, counters.Conflicting, counters.Invalid, counters.Written));
            BundleImportProblem problem = Assert.Single(preview.Problems);
            Assert.Equal("2", problem.Key);
            Assert.Equal("$.entities.Counter.rows[1]", problem.Path);
            Assert.Null(preview.BackupPath);
            Assert.Equal("1:one:1 2:two:2 4:four:4", await CountersOf(db));
        }
    }

    [Fact]
    public async Task FailOnConflict_RefusesTheWholeImport_AndWritesNothing()
    {
        (TypesDb db, MemoryStream bundle) = await ConflictsAsync();
        await using (db)
        {
            BundleImportException refused = await Assert.ThrowsAsync<BundleImportException>(() => db.ImportBundleAsync(bundle));
            Assert.Contains("nothing was written", refused.Message, StringComparison.Ordinal);
            Assert.Equal(1, refused.Preview.Entities.Single().Conflicting);
            Assert.Equal("1:one:1 2:two:2 4:four:4", await CountersOf(db));
        }
    }

    [Fact]
    public async Task SkipExisting_AddsOnlyNewRows()
    {
        (TypesDb db, MemoryStream bundle) = await ConflictsAsync();
        await using (db)
        {
            BundleImportResult result = await db.ImportBundleAsync(bundle, new BundleImportOptions { Strategy = BundleImportStrategy.SkipExisting });
            Assert.Equal(1, result.Entities.Single().Written);
            Assert.Equal("1:one:1 2:two:2 3:three:3 4:four:4", await CountersOf(db));
        }
    }

    [Fact]
    public async Task Replace_LeavesExactlyTheBundlesRows()
    {
        (TypesDb db, MemoryStream bundle) = await ConflictsAsync();
        await using (db)
        {
            await db.ImportBundleAsync(bundle, new BundleImportOptions { Strategy = BundleImportStrategy.Replace });
            Assert.Equal("1:one:1 2:two, edited:20 3:three:3", await CountersOf(db));
        }
    }

    [Fact]
    public async Task Merge_TakesTheNewerRowByTheChosenProperty_AndKeepsRowsOnlyTheFileHas()
    {
        (TypesDb db, MemoryStream bundle) = await ConflictsAsync();
        await using (db)
        {
            var byValue = new Dictionary<string, string> { ["Counter"] = "Value" };
            BundleImportResult result = await db.ImportBundleAsync(bundle, new BundleImportOptions { Strategy = BundleImportStrategy.Merge, NewerBy = byValue });
            Assert.Equal(2, result.Entities.Single().Written);
            Assert.Equal("1:one:1 2:two, edited:20 3:three:3 4:four:4", await CountersOf(db));
        }

        // The other way round, the stored row is the newer and stays.
        await using TypesDb again = await TypesDb.OpenAsync(_folder.File("file.db"));
        await again.Counters.UpsertAsync(new Counter { Id = 2, Label = "two, later", Value = 99 });
        var other = new MemoryStream();
        await using (TypesDb source = await TypesDb.OpenAsync(_folder.File("other.db")))
        {
            await source.ExportAsync(other, new BundleExportOptions { Entities = ["Counter"] });
        }

        other.Position = 0;
        await again.ImportBundleAsync(other, new BundleImportOptions { Strategy = BundleImportStrategy.Merge, NewerBy = new Dictionary<string, string> { ["Counter"] = "Value" } });
        Assert.Equal("1:one:1 2:two, later:99 3:three:3 4:four:4", await CountersOf(again));
    }

    [Fact]
    public async Task Merge_WithoutAWayToTellTheNewer_IsRefusedBeforeReading()
    {
        (TypesDb db, MemoryStream bundle) = await ConflictsAsync();
        await using (db)
        {
            ArgumentException refused = await Assert.ThrowsAsync<ArgumentException>(() => db.ImportBundleAsync(bundle, new BundleImportOptions { Strategy = BundleImportStrategy.Merge }));
            Assert.Contains("NewerBy[\"Counter\"]", refused.Message, StringComparison.Ordinal);
            Assert.Equal("1:one:1 2:two:2 4:four:4", await CountersOf(db));
        }
    }

    [Fact]
    public async Task InvalidRows_AreListedWithTheirPlace_AndNothingIsWritten()
    {
        string bundle = await CounterBundleAsync(BundleFormat.Json);
        string broken = bundle.Replace("\"Label\":\"three\"", "\"Label\":null", StringComparison.Ordinal).Replace("\"Value\":3", "\"Value\":\"x\"", StringComparison.Ordinal);
        await using TypesDb db = await TypesDb.OpenAsync(_folder.File("file.db"));

        // The checksum still matches: the rows' problems are what is refused.
        BundleImportResult preview = await db.ImportBundleAsync(Resealed(broken), new BundleImportOptions { DryRun = true });
        Assert.Equal(1, preview.Entities.Single().Invalid);
        Assert.Contains(preview.Problems, p => p.Path == "$.entities.Counter.rows[2].Value");
        await Assert.ThrowsAsync<BundleImportException>(() => db.ImportBundleAsync(Resealed(broken)));
        Assert.Equal(0, await db.Counters.CountAsync());
    }

    [Fact]
    public async Task DuplicateKeys_InTheBundle_AreInvalid()
    {
        string bundle = await CounterBundleAsync(BundleFormat.Json);
        string doubled = bundle.Replace("\"Id\":3,", "\"Id\":1,", StringComparison.Ordinal);
        await using TypesDb db = await TypesDb.OpenAsync(_folder.File("file.db"));
        BundleImportResult preview = await db.ImportBundleAsync(Resealed(doubled), new BundleImportOptions { DryRun = true });
        Assert.Contains(preview.Problems, p => p.Message.Contains("comes twice", StringComparison.Ordinal) && p.Key == "1");
    }

    public static TheoryData<string, string> Hostile() => new()
    {
        { "truncated", "cut short" },
        { "wrong checksum", "checksum does not match" },
        { "format version 2", "newer version of Repos" },
        { "not a bundle", "not a Repos bundle" },
        { "count claimed", "count says 2000000000" },
        { "catalog contradicts", "cannot hold" },
        { "unknown entity", "does not list the entity" },
        { "deep nesting", "not valid" },
        { "number out of range", "$.entities.Counter.rows[0].Value" },
        { "huge value", "larger than" },
        { "newer app version", "newer version of the app" },
    };

    [Theory]
    [MemberData(nameof(Hostile))]
    public async Task HostileBundles_AreRefusedNamingThePlace_AndNothingIsWritten(string kind, string expected)
    {
        string bundle = await CounterBundleAsync(BundleFormat.Json);
        string nested = new string('[', 5000) + new string(']', 5000);
        Stream hostile = kind switch
        {
            "truncated" => Raw(bundle[..(bundle.Length / 2)]),
            "wrong checksum" => Raw(bundle.Replace("\"three\"", "\"thr3e\"", StringComparison.Ordinal)),
            "format version 2" => Raw(bundle.Replace("\"formatVersion\":1", "\"formatVersion\":2", StringComparison.Ordinal)),
            "not a bundle" => Raw("{\"hello\":1}"),
            "count claimed" => Resealed(bundle.Replace("\"count\":3", "\"count\":2000000000", StringComparison.Ordinal)),
            "catalog contradicts" => Resealed(bundle.Replace("\"name\":\"Label\",\"type\":\"string\"", "\"name\":\"Label\",\"type\":\"global::System.Guid\"", StringComparison.Ordinal)),
            "unknown entity" => Resealed(bundle.Replace("\"entities\":{\"Counter\"", "\"entities\":{\"Ghost\"", StringComparison.Ordinal)),
            "deep nesting" => Resealed(bundle.Replace("\"Value\":1", "\"Value\":" + nested, StringComparison.Ordinal)),
            "number out of range" => Resealed(bundle.Replace("\"Value\":1", "\"Value\":99999999999999999999", StringComparison.Ordinal)),
            "huge value" => Raw(bundle.Replace("\"one\"", "\"" + new string('x', 3 * 1024 * 1024) + "\"", StringComparison.Ordinal)),
            "newer app version" => Resealed(bundle.Replace("\"entities\":{\"Counter\":{\"version\":1", "\"entities\":{\"Counter\":{\"version\":1", StringComparison.Ordinal)
                .Replace("\"name\":\"Counter\",\"table\":\"Counter\",\"type\":\"Repos.Tests.Generated.Counter\",\"key\":\"Id\",\"keyKind\":\"Integer\",\"version\":1",
                    "\"name\":\"Counter\",\"table\":\"Counter\",\"type\":\"Repos.Tests.Generated.Counter\",\"key\":\"Id\",\"keyKind\":\"Integer\",\"version\":3", StringComparison.Ordinal)),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };

        await using TypesDb db = await TypesDb.OpenAsync(_folder.File("file.db"));
        await db.Counters.InsertAsync(new Counter { Id = 100, Label = "kept", Value = 0 });
        Exception refused = await Assert.ThrowsAnyAsync<ReposException>(() => db.ImportBundleAsync(hostile, new BundleImportOptions { MaxValueBytes = 1024 * 1024 }));
        Assert.True(refused is BundleFormatException or BundleImportException, refused.GetType().Name);
        Assert.Contains(expected, refused.Message, StringComparison.Ordinal);
        Assert.Contains("Nothing was written", refused.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("100:kept:0", await CountersOf(db));
    }

    [Fact]
    public async Task ABundleOfAnOlderVersion_IsBroughtUpToDateByTheAppsMigrationSteps()
    {
        var kept = new Guid("0f8fad5b-d9cb-469f-a165-70867728950e");
        var deleted = new Guid("7c9e6679-7425-40de-944b-e07fc1f90ae7");
        var bundle = new MemoryStream();
        await using (Storage.NotesDb v1 = await Storage.NotesDb.OpenAsync(_folder.File("v1.db")))
        {
            await v1.Notes.InsertAsync(new Storage.Note { Id = kept, UserId = "u1", Date = new DateOnly(2024, 5, 1), Mood = 3, Text = "hello", Tags = [new Storage.Tag("x", 1)] });
            await v1.Notes.InsertAsync(new Storage.Note { Id = deleted, UserId = "u1", Date = new DateOnly(2024, 5, 2), Mood = 1, Text = "delete me" });
            await v1.ExportAsync(bundle, new BundleExportOptions { Format = BundleFormat.NdJson });
        }

        // Version 1 to 3: Text is renamed Body and Tags removed, then the mood is scaled by ten and "delete me" deleted.
        await using Storage.NotesDbV3 v3 = await Storage.NotesDbV3.OpenAsync(_folder.File("v3.db"));
        bundle.Position = 0;
        BundleEntityImport preview = (await v3.ImportBundleAsync(bundle, new BundleImportOptions { DryRun = true })).Entities.Single();
        Assert.Equal((2L, 1L, 1L, 0L), (preview.Rows, preview.New, preview.Dropped, preview.Invalid));
        bundle.Position = 0;
        BundleImportResult result = await v3.ImportBundleAsync(bundle);
        Assert.Equal(1, result.Entities.Single().Written);
        Storage.NoteV3 note = (await v3.Notes.GetAsync(kept))!;
        Assert.Equal(("hello", 30), (note.Body, note.Mood));
        Assert.Null(await v3.Notes.GetAsync(deleted));

        // Imported again, the row is identical: it was upgraded the same way.
        bundle.Position = 0;
        Assert.Equal(1, (await v3.ImportBundleAsync(bundle, new BundleImportOptions { DryRun = true })).Entities.Single().Identical);
    }

    [Fact]
    public async Task AWriteThatFails_PartWayThroughAManyRowBundle_StopsBothThreads_AndWritesNothing()
    {
        // More rows than the queue between the reading and the writing thread holds, so the reader is waiting when the
        // writer fails: on a row whose (UserId, Date) the file holds under another key, which the unique index refuses.
        var bundle = new MemoryStream();
        var start = new DateOnly(2000, 1, 1);
        await using (JournalDb source = await JournalDb.OpenAsync(_folder.File("source.db")))
        {
            await source.JournalEntries.InsertManyAsync(Enumerable.Range(0, 6000).Select(i => new JournalEntry
            {
                Id = Guid.CreateVersion7(), UserId = "ann", Date = start.AddDays(i), Score = 5,
            }).ToList());
            await source.ExportAsync(bundle, new BundleExportOptions { Format = BundleFormat.NdJson, Entities = ["JournalEntry"] });
        }

        await using JournalDb target = await JournalDb.OpenAsync(_folder.File("target.db"));
        await target.JournalEntries.InsertAsync(new JournalEntry { Id = Guid.CreateVersion7(), UserId = "ann", Date = start.AddDays(10), Score = 1 });
        bundle.Position = 0;
        await Assert.ThrowsAsync<UniqueIndexViolationException>(() => target.ImportBundleAsync(bundle));
        Assert.Equal(1, await target.JournalEntries.CountAsync());

        // The file is still writable: the write lock and the transaction were let go.
        await target.JournalEntries.InsertAsync(new JournalEntry { Id = Guid.CreateVersion7(), UserId = "bob", Date = start, Score = 2 });
        Assert.Equal(2, await target.JournalEntries.CountAsync());
    }

    [Fact]
    public async Task AStreamThatCannotSeek_IsImportedAllTheSame()
    {
        string bundle = await CounterBundleAsync(BundleFormat.NdJson);
        await using TypesDb db = await TypesDb.OpenAsync(_folder.File("file.db"));
        await db.ImportBundleAsync(new ForwardOnly(Encoding.UTF8.GetBytes(bundle)));
        Assert.Equal("1:one:1 2:two, edited:20 3:three:3", await CountersOf(db));
    }

    private async Task<string> CounterBundleAsync(BundleFormat format)
    {
        var bundle = new MemoryStream();
        await using TypesDb other = await TypesDb.OpenAsync(_folder.File($"bundle-{format}.db"));
        if (await other.Counters.CountAsync() == 0)
        {
            await other.Counters.InsertAsync(new Counter { Id = 1, Label = "one", Value = 1 });
            await other.Counters.InsertAsync(new Counter { Id = 2, Label = "two, edited", Value = 20 });
            await other.Counters.InsertAsync(new Counter { Id = 3, Label = "three", Value = 3 });
        }

        await other.ExportAsync(bundle, new BundleExportOptions { Entities = ["Counter"], Format = format });
        return Encoding.UTF8.GetString(bundle.ToArray());
    }

    private static MemoryStream Raw(string text) => new(Encoding.UTF8.GetBytes(text));

    // The bundle with its checksum made right again, so what is refused is the change, not the checksum.
    private static MemoryStream Resealed(string bundle)
    {
        int end = bundle.LastIndexOf(",\"sha256\":", StringComparison.Ordinal);
        string content = bundle[..end];
        string sha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(content)));
        return Raw(content + ",\"sha256\":\"" + sha + "\"}\n");
    }

    private sealed class ForwardOnly(byte[] bytes) : Stream
    {
        private readonly MemoryStream _inner = new(bytes);

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, Math.Min(count, 7));

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
