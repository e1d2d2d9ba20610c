using System.Text;
using System.Text.Json;
using Repos.Storage;
using Repos.Storage.Sqlite;
using Repos.Tests.Generated;
using Repos.Transfer;

namespace Repos.Tests.Transfer;

/// <summary>
/// Import of a bundle by the file's catalog alone (<see cref="ReposFile.ImportBundleAsync"/>, what <c>repos import</c>
/// runs): rows, key and index columns written as the app writes them, the strategies and the dry run, and what only the
/// app can import refused.
/// </summary>
public sealed class CatalogImportTests : IDisposable
{
    private readonly TempDirectory _folder = new();

    public void Dispose() => _folder.Dispose();

    private static readonly AllTypes[] s_values = [RoundTripTests.Minimums(), RoundTripTests.Maximums(), RoundTripTests.Typical()];

    [Theory]
    [InlineData(BundleFormat.Json)]
    [InlineData(BundleFormat.NdJson)]
    public async Task EveryType_RoundTripsExactly_IntoAnEmptyFile_WithoutTheAppsTypes(BundleFormat format)
    {
        var bundle = new MemoryStream();
        await using (TypesDb source = await TypesDb.OpenAsync(_folder.File("source.db")))
        {
            foreach (AllTypes value in s_values)
            {
                await source.AllTypes.UpsertAsync(value);
            }

            await source.Counters.InsertAsync(new Counter { Id = 7, Label = "seven", Value = -7 });
            await source.Tags.InsertAsync(new Tag("urgent", 3, new DateOnly(2024, 2, 29)));
            await source.ExportAsync(bundle, new BundleExportOptions { Format = format });
        }

        await (await TypesDb.OpenAsync(_folder.File("target.db"))).DisposeAsync();
        bundle.Position = 0;
        BundleImportResult result = await ReposFile.ImportBundleAsync(_folder.File("target.db"), bundle);
        Assert.Equal(s_values.Length, result.Entities.Single(e => e.Name == "AllTypes").Written);
        Assert.NotNull(result.BackupPath);

        // The app reads the same entities, and its tables hold the same keys, index columns and versions.
        Assert.Equal(Tables(_folder.File("source.db")), Tables(_folder.File("target.db")));
        await using TypesDb target = await TypesDb.OpenAsync(_folder.File("target.db"));
        Assert.Equal(Encoding.UTF8.GetString(await RowsOf(_folder.File("source.db"))), Encoding.UTF8.GetString(await RowsOf(target)));
        foreach (AllTypes value in s_values)
        {
            AllTypes stored = (await target.AllTypes.GetAsync(value.Id))!;
            Assert.Equal(value.Decimal, stored.Decimal);
            Assert.Equal(value.DateTime.Kind, stored.DateTime.Kind);
            Assert.Equal(value.Guid, stored.Guid);
            Assert.Equal(value.Color, stored.Color);
        }

        Assert.Equal(-7, (await target.Counters.GetAsync(7))!.Value);
        Assert.Equal(3, (await target.Tags.GetAsync("urgent"))!.Weight);
        Assert.True((await target.VerifyAsync()).IsHealthy);
    }

    [Fact]
    public async Task EveryIndexColumn_IsWrittenAsTheAppWritesIt()
    {
        int seed = FuzzSeed.Get(20261204);
        var random = new Random(seed);
        var bundle = new MemoryStream();
        await using (OrderDb source = await OrderDb.OpenAsync(_folder.File("source.db")))
        {
            await source.Samples.InsertManyAsync([.. Enumerable.Range(1, 300).Select(id => IndexOrderTests.RandomSample(random, id))]);
            await source.Accounts.InsertAsync(new Account { Id = 1, Email = "Ann@Example.com", Name = "Ann" });
            await source.ExportAsync(bundle, new BundleExportOptions { Format = BundleFormat.NdJson });
        }

        await (await OrderDb.OpenAsync(_folder.File("target.db"))).DisposeAsync();
        bundle.Position = 0;
        await ReposFile.ImportBundleAsync(_folder.File("target.db"), bundle);
        List<string> expected = Tables(_folder.File("source.db"));
        List<string> actual = Tables(_folder.File("target.db"));
        var differences = expected.Zip(actual).Where(p => p.First != p.Second).Select(p => $"{p.First}\n  is now\n{p.Second}").Take(5).ToList();
        Assert.True(expected.Count == actual.Count && differences.Count == 0, $"Seed {seed} (set REPOS_FUZZ_SEED to repeat):\n{string.Join("\n", differences)}");

        // The app's queries find the rows by their index columns, the folded one too.
        await using OrderDb target = await OrderDb.OpenAsync(_folder.File("target.db"));
        Assert.Equal("Ann", (await target.Accounts.GetByEmailAsync("ann@EXAMPLE.com"))!.Name);
        Assert.True((await target.VerifyAsync()).IsHealthy);
    }

    // A file with counters 1 (same as the bundle), 2 (other values, older) and 4 (only in the file); the bundle has 1, 2 (newer) and 3 (new).
    private async Task<(string Path, byte[] Bundle)> ConflictsAsync()
    {
        var bundle = new MemoryStream();
        await using (TypesDb other = await TypesDb.OpenAsync(_folder.File("other.db")))
        {
            await other.Counters.InsertAsync(new Counter { Id = 1, Label = "one", Value = 1 });
            await other.Counters.InsertAsync(new Counter { Id = 2, Label = "two, edited", Value = 20 });
            await other.Counters.InsertAsync(new Counter { Id = 3, Label = "three", Value = 3 });
            await other.ExportAsync(bundle, new BundleExportOptions { Entities = ["Counter"] });
        }

        string path = _folder.File("file.db");
        await using TypesDb db = await TypesDb.OpenAsync(path);
        await db.Counters.InsertAsync(new Counter { Id = 1, Label = "one", Value = 1 });
        await db.Counters.InsertAsync(new Counter { Id = 2, Label = "two", Value = 2 });
        await db.Counters.InsertAsync(new Counter { Id = 4, Label = "four", Value = 4 });
        return (path, bundle.ToArray());
    }

    private static async Task<string> CountersOf(string path)
    {
        await using TypesDb db = await TypesDb.OpenAsync(path);
        var counters = new List<string>();
        await foreach (Counter c in db.Counters.All())
        {
            counters.Add($"{c.Id}:{c.Label}:{c.Value}");
        }

        return string.Join(" ", counters);
    }

    private static Task<BundleImportResult> Import(string path, byte[] bundle, BundleImportOptions? options = null) =>
        ReposFile.ImportBundleAsync(path, new MemoryStream(bundle), options);

    [Fact]
    public async Task DryRun_CountsNewIdenticalAndConflictingRows_AndWritesNothing()
    {
        (string path, byte[] bundle) = await ConflictsAsync();
        byte[] before = await File.ReadAllBytesAsync(path);
        BundleImportResult preview = await Import(path, bundle, new BundleImportOptions { DryRun = true });
        BundleEntityImport counters = preview.Entities.Single();
        Assert.Equal(("Counter", 3L, 1L, 1L, 1L, 0L, 0L), (counters.Name, counters.Rows, counters.New, counters.Identical, counters.Conflicting, counters.Invalid, counters.Written));
        BundleImportProblem problem = Assert.Single(preview.Problems);
        Assert.Equal(("2", "$.entities.Counter.rows[1]"), (problem.Key, problem.Path));
        Assert.Null(preview.BackupPath);
        Assert.Equal(before, await File.ReadAllBytesAsync(path));
    }

    [Fact]
    public async Task EachStrategy_DoesWhatItSays()
    {
        (string path, byte[] bundle) = await ConflictsAsync();
        BundleImportException refused = await Assert.ThrowsAsync<BundleImportException>(() => Import(path, bundle));
        Assert.Equal(1, refused.Preview.Entities.Single().Conflicting);
        Assert.Equal("1:one:1 2:two:2 4:four:4", await CountersOf(path));

        BundleImportResult skipped = await Import(path, bundle, new BundleImportOptions { Strategy = BundleImportStrategy.SkipExisting });
        Assert.Equal(1, skipped.Entities.Single().Written);
        Assert.Equal("1:one:1 2:two:2 3:three:3 4:four:4", await CountersOf(path));

        var byValue = new Dictionary<string, string> { ["Counter"] = "Value" };
        BundleImportResult merged = await Import(path, bundle, new BundleImportOptions { Strategy = BundleImportStrategy.Merge, NewerBy = byValue });
        Assert.Equal((1L, 2L, 1L), (merged.Entities.Single().Written, merged.Entities.Single().Identical, merged.Entities.Single().Conflicting));
        Assert.Equal("1:one:1 2:two, edited:20 3:three:3 4:four:4", await CountersOf(path));

        // The stored row is the newer now, and stays.
        await using (TypesDb db = await TypesDb.OpenAsync(path))
        {
            await db.Counters.UpsertAsync(new Counter { Id = 2, Label = "two, later", Value = 99 });
        }

        Assert.Equal(0, (await Import(path, bundle, new BundleImportOptions { Strategy = BundleImportStrategy.Merge, NewerBy = byValue })).Entities.Single().Written);
        Assert.Equal("1:one:1 2:two, later:99 3:three:3 4:four:4", await CountersOf(path));

        await Import(path, bundle, new BundleImportOptions { Strategy = BundleImportStrategy.Replace });
        Assert.Equal("1:one:1 2:two, edited:20 3:three:3", await CountersOf(path));

        ArgumentException noOrder = await Assert.ThrowsAsync<ArgumentException>(() => Import(path, bundle, new BundleImportOptions { Strategy = BundleImportStrategy.Merge }));
        Assert.Contains("--newer-by Counter=", noOrder.Message, StringComparison.Ordinal);
        ArgumentException unordered = await Assert.ThrowsAsync<ArgumentException>(() => Import(path, bundle, new BundleImportOptions
        {
            Strategy = BundleImportStrategy.Merge,
            NewerBy = new Dictionary<string, string> { ["Counter"] = "Nope" },
        }));
        Assert.Contains("not a property of Counter", unordered.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ManyStoredRows_AreComparedOnTheWritingThread_WhileTheReadingThreadConverts()
    {
        // More rows than the queue between the threads holds, half of them stored with other values: the writing
        // thread reads every stored row while the reading thread converts the bundle's.
        const int Count = 10_000;
        var bundle = new MemoryStream();
        await using (TypesDb source = await TypesDb.OpenAsync(_folder.File("source.db")))
        {
            await source.Counters.InsertManyAsync([.. Enumerable.Range(1, Count).Select(i => new Counter { Id = i, Label = $"counter {i}", Value = i })]);
            await source.ExportAsync(bundle, new BundleExportOptions { Format = BundleFormat.NdJson, Entities = ["Counter"] });
        }

        string path = _folder.File("file.db");
        await using (TypesDb file = await TypesDb.OpenAsync(path))
        {
            await file.Counters.InsertManyAsync([.. Enumerable.Range(1, Count).Select(i => new Counter { Id = i, Label = $"counter {i}", Value = i % 2 == 0 ? -i : i })]);
        }

        BundleImportResult result = await Import(path, bundle.ToArray(), new BundleImportOptions { Strategy = BundleImportStrategy.Merge, NewerBy = new Dictionary<string, string> { ["Counter"] = "Value" } });
        BundleEntityImport counters = result.Entities.Single();
        Assert.Equal((Count / 2L, Count / 2L, Count / 2L), (counters.Identical, counters.Conflicting, counters.Written));
        await using TypesDb after = await TypesDb.OpenAsync(path);
        Assert.Equal(Count, (await after.Counters.GetAsync(Count))!.Value);
    }

    [Fact]
    public async Task InvalidValues_UnknownEnumNames_DuplicateKeys_AndUniqueClashes_WriteNothing()
    {
        var bundle = new MemoryStream();
        await using (TypesDb other = await TypesDb.OpenAsync(_folder.File("other.db")))
        {
            await other.Counters.InsertAsync(new Counter { Id = 1, Label = "one", Value = 1 });
            await other.Counters.InsertAsync(new Counter { Id = 3, Label = "three", Value = 3 });
            await other.AllTypes.InsertAsync(new AllTypes { Id = 5, Color = Color.Green });
            await other.ExportAsync(bundle, new BundleExportOptions { Entities = ["Counter", "AllTypes"] });
        }

        string text = Encoding.UTF8.GetString(bundle.ToArray());
        string path = _folder.File("file.db");
        await (await TypesDb.OpenAsync(path)).DisposeAsync();
        byte[] before = await File.ReadAllBytesAsync(path);

        string broken = text.Replace("\"Value\":3", "\"Value\":\"x\"", StringComparison.Ordinal).Replace("\"Green\"", "\"Purple\"", StringComparison.Ordinal);
        BundleImportResult preview = await Import(path, Resealed(broken), new BundleImportOptions { DryRun = true });
        Assert.Contains(preview.Problems, p => p.Path == "$.entities.Counter.rows[1].Value");
        Assert.Contains(preview.Problems, p => p.Path == "$.entities.AllTypes.rows[0].Color" && p.Message.Contains("'Purple' is not a member of Color", StringComparison.Ordinal));
        await Assert.ThrowsAsync<BundleImportException>(() => Import(path, Resealed(broken)));

        string doubled = text.Replace("\"Id\":3,", "\"Id\":1,", StringComparison.Ordinal);
        BundleImportResult twice = await Import(path, Resealed(doubled), new BundleImportOptions { DryRun = true });
        Assert.Contains(twice.Problems, p => p.Key == "1" && p.Message.Contains("comes twice", StringComparison.Ordinal));
        Assert.Equal(0, await Counts(await ReposFile.OpenAsync(path)));

        // Two accounts whose e-mail addresses differ only in case: the unique index that ignores case refuses the second.
        var accounts = new MemoryStream();
        await using (OrderDb source = await OrderDb.OpenAsync(_folder.File("accounts.db")))
        {
            await source.Accounts.InsertAsync(new Account { Id = 1, Email = "ann@example.com" });
            await source.Accounts.InsertAsync(new Account { Id = 2, Email = "bob@example.com" });
            await source.ExportAsync(accounts, new BundleExportOptions { Entities = ["Account"] });
        }

        string clash = Encoding.UTF8.GetString(accounts.ToArray()).Replace("bob@example.com", "ANN@example.com", StringComparison.Ordinal);
        string orders = _folder.File("orders.db");
        await (await OrderDb.OpenAsync(orders)).DisposeAsync();
        UniqueIndexViolationException unique = await Assert.ThrowsAsync<UniqueIndexViolationException>(() => Import(orders, Resealed(clash)));
        Assert.Equal(("Account", "2"), (unique.EntityName, unique.Key));
        await using OrderDb after = await OrderDb.OpenAsync(orders);
        Assert.Equal(0, await after.Accounts.CountAsync());
    }

    private static async Task<long> Counts(ReposFile file)
    {
        await using (file)
        {
            return (await file.CountRowsAsync()).Values.Sum();
        }
    }

    [Fact]
    public async Task WhatOnlyTheAppCanImport_IsRefused_NamingWhy()
    {
        // A bundle of an older version needs the app's migration steps.
        var older = new MemoryStream();
        await using (Storage.NotesDb v1 = await Storage.NotesDb.OpenAsync(_folder.File("v1.db")))
        {
            await v1.Notes.InsertAsync(new Storage.Note { Id = Guid.NewGuid(), UserId = "u1", Date = new DateOnly(2024, 5, 1), Mood = 3, Text = "hello" });
            await v1.ExportAsync(older);
        }

        await (await Storage.NotesDbV3.OpenAsync(_folder.File("v3.db"))).DisposeAsync();
        BundleFormatException migrate = await Assert.ThrowsAsync<BundleFormatException>(() => Import(_folder.File("v3.db"), older.ToArray()));
        Assert.Contains("import it with the app", migrate.Message, StringComparison.Ordinal);

        // A synced entity's rows must go into the sync log, which only the app writes; its other entities import.
        var symptoms = new MemoryStream();
        var drafts = new MemoryStream();
        await using (Sync.SymptomsDb source = await Sync.SymptomsDb.OpenAsync(_folder.File("symptoms.db")))
        {
            await source.Symptoms.InsertAsync(new Sync.Symptom { Id = Guid.NewGuid(), Name = "Headache", Severity = 3 });
            await source.Drafts.InsertAsync(new Sync.Draft { Id = Guid.NewGuid(), Text = "note" });
            await source.ExportAsync(symptoms);
            await source.ExportAsync(drafts, new BundleExportOptions { Entities = ["Draft"] });
        }

        string target = _folder.File("device.db");
        await (await Sync.SymptomsDb.OpenAsync(target)).DisposeAsync();
        BundleFormatException synced = await Assert.ThrowsAsync<BundleFormatException>(() => Import(target, symptoms.ToArray()));
        Assert.Contains("Symptom is synced", synced.Message, StringComparison.Ordinal);
        Assert.Equal(1, (await Import(target, drafts.ToArray())).Entities.Single().Written);

        // A bundle whose rows hold a field the file does not store.
        string path = _folder.File("renamed.db");
        var counters = new MemoryStream();
        await using (TypesDb source = await TypesDb.OpenAsync(_folder.File("counters.db")))
        {
            await source.Counters.InsertAsync(new Counter { Id = 1, Label = "one", Value = 1 });
            await source.ExportAsync(counters, new BundleExportOptions { Entities = ["Counter"] });
        }

        await (await TypesDb.OpenAsync(path)).DisposeAsync();
        using (var connection = SqliteConnection.Open(path, readOnly: false, create: false))
        {
            connection.Execute("UPDATE _repos_fields SET name='Caption' WHERE name='Label' AND type='Repos.Tests.Generated.Counter'");
            Assert.True(CatalogSeal.Seal(connection));
        }

        BundleFormatException field = await Assert.ThrowsAsync<BundleFormatException>(() => Import(path, counters.ToArray()));
        Assert.Contains("Counter.Label is not a property the file stores", field.Message, StringComparison.Ordinal);

        await Assert.ThrowsAsync<FileNotFoundException>(() => Import(_folder.File("missing.db"), counters.ToArray()));
    }

    // Every table's rows but their blobs, as text, in key order: keys, index columns and versions.
    private static List<string> Tables(string path)
    {
        var rows = new List<string>();
        using var connection = SqliteConnection.Open(path, readOnly: true, create: false);
        var tables = new List<string>();
        using (SqliteStatement select = connection.PrepareOnce("SELECT table_name FROM _repos_entities ORDER BY entity"))
        {
            while (select.Step())
            {
                tables.Add(select.ColumnText(0));
            }
        }

        foreach (string table in tables)
        {
            var columns = new List<string>();
            using (SqliteStatement info = connection.PrepareOnce($"SELECT name FROM pragma_table_info('{table}') WHERE name <> '_blob' ORDER BY cid"))
            {
                while (info.Step())
                {
                    columns.Add(info.ColumnText(0));
                }
            }

            string list = string.Join(" || ' | ' || ", columns.Select(c => $"quote(\"{c}\")"));
            using SqliteStatement all = connection.PrepareOnce($"SELECT {list} FROM \"{table}\" ORDER BY key");
            while (all.Step())
            {
                rows.Add($"{table}: {all.ColumnText(0)}");
            }
        }

        return rows;
    }

    // The "entities" of an export: every row, without the header's time or the checksum.
    private static async Task<byte[]> RowsOf(string path)
    {
        await using TypesDb db = await TypesDb.OpenAsync(path);
        return await RowsOf(db);
    }

    private static async Task<byte[]> RowsOf(TypesDb db)
    {
        var output = new MemoryStream();
        await db.ExportAsync(output);
        return Encoding.UTF8.GetBytes(JsonDocument.Parse(output.ToArray()).RootElement.GetProperty("entities").GetRawText());
    }

    // The bundle with its checksum made right again, so what is refused is the change, not the checksum.
    private static byte[] Resealed(string bundle)
    {
        int end = bundle.LastIndexOf(",\"sha256\":", StringComparison.Ordinal);
        string content = bundle[..end];
        string sha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(content)));
        return Encoding.UTF8.GetBytes(content + ",\"sha256\":\"" + sha + "\"}\n");
    }
}
