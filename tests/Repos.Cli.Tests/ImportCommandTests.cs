using System.Text.Json;
using Repos.Transfer;

namespace Repos.Cli.Tests;

/// <summary><c>repos import</c>, run as its own process, into files the app wrote, whose types the tool never saw.</summary>
public sealed class ImportCommandTests : IDisposable
{
    private readonly TempDirectory _folder = new();

    public void Dispose() => _folder.Dispose();

    /// <summary>The app's own export of a health log, as a file.</summary>
    private async Task<string> BundleAsync(string name, Func<HealthDb, Task>? change = null)
    {
        string source = await HealthLog.WriteAsync(_folder.File(name + ".db"));
        string bundle = _folder.File(name + ".ndjson");
        await using HealthDb db = await HealthDb.OpenAsync(source);
        if (change is not null)
        {
            await change(db);
        }

        await using FileStream output = File.Create(bundle);
        await db.ExportAsync(output, new BundleExportOptions { Format = BundleFormat.NdJson });
        return bundle;
    }

    private async Task<string> EmptyFileAsync(string name)
    {
        string path = _folder.File(name);
        await (await HealthDb.OpenAsync(path)).DisposeAsync();
        return path;
    }

    [Fact]
    public async Task Import_IntoAnEmptyFile_GivesTheAppEveryEntityBack_AfterABackup()
    {
        string bundle = await BundleAsync("device-a");
        string path = await EmptyFileAsync("device-b.db");

        ToolRun run = ReposTool.Run("import", path, bundle, "--json");

        Assert.True(run.ExitCode == 0, run.ToString());
        JsonElement result = run.Json();
        Assert.True(result.GetProperty("imported").GetBoolean());
        JsonElement entries = result.GetProperty("entities").EnumerateArray().Single(e => e.GetProperty("name").GetString() == "HealthEntry");
        Assert.Equal(HealthLog.Days * HealthLog.Users.Length, entries.GetProperty("written").GetInt32());
        Assert.True(File.Exists(result.GetProperty("backupPath").GetString()));
        await using HealthDb db = await HealthDb.OpenAsync(path);
        foreach (string user in HealthLog.Users)
        {
            for (int day = 0; day < HealthLog.Days; day++)
            {
                HealthLog.AssertSame(HealthLog.Entry(user, day), await db.HealthEntries.GetAsync(HealthLog.Id(user, day)));
            }
        }

        // The unique index was filled as the app fills it: the app finds an entry by it.
        Assert.Equal(HealthLog.Id("bob", 3), (await db.HealthEntries.GetByUserIdAndDateAsync("bob", HealthLog.Start.AddDays(3)))!.Id);
        Assert.Equal("South", (await db.Clinics.GetAsync(2))!.Name);
    }

    [Fact]
    public async Task DryRun_ShowsNewIdenticalAndConflictingRows_AndWritesNothing_ThenEachStrategy()
    {
        string bundle = await BundleAsync("other", async db =>
        {
            await db.HealthEntries.UpsertAsync(HealthLog.Entry("ann", 1) with { Note = "edited elsewhere", WeightKg = 99m });
            await db.Clinics.InsertAsync(new Clinic { Id = 3, Name = "East" });
        });
        string path = await HealthLog.WriteAsync(_folder.File("health.db"));
        byte[] before = await File.ReadAllBytesAsync(path);

        ToolRun preview = ReposTool.Run("import", path, bundle, "--dry-run", "--json");
        Assert.True(preview.ExitCode == 4, preview.ToString());
        JsonElement result = preview.Json();
        Assert.True(result.GetProperty("dryRun").GetBoolean());
        Assert.False(result.GetProperty("canImport").GetBoolean());
        JsonElement entries = result.GetProperty("entities").EnumerateArray().Single(e => e.GetProperty("name").GetString() == "HealthEntry");
        Assert.Equal((20, 0, 19, 1), (entries.GetProperty("rows").GetInt32(), entries.GetProperty("new").GetInt32(), entries.GetProperty("identical").GetInt32(), entries.GetProperty("conflicting").GetInt32()));
        JsonElement problem = Assert.Single(result.GetProperty("problems").EnumerateArray());
        Assert.Equal(HealthLog.Id("ann", 1).ToString(), problem.GetProperty("key").GetString());
        Assert.Equal(before, await File.ReadAllBytesAsync(path));

        // Without --dry-run, the conflict refuses the whole import: exit 4, the preview printed, nothing written.
        ToolRun refused = ReposTool.Run("import", path, bundle);
        Assert.True(refused.ExitCode == 4, refused.ToString());
        Assert.Contains("Conflicting", refused.Output, StringComparison.Ordinal);
        Assert.Contains("is stored with other values", refused.Output, StringComparison.Ordinal);
        Assert.StartsWith("repos: ", Assert.Single(refused.ErrorLines), StringComparison.Ordinal);

        ToolRun skip = ReposTool.Run("import", path, bundle, "--strategy", "skip", "--json");
        Assert.True(skip.ExitCode == 0, skip.ToString());
        await using (HealthDb db = await HealthDb.OpenAsync(path))
        {
            Assert.Equal("day 1", (await db.HealthEntries.GetAsync(HealthLog.Id("ann", 1)))!.Note);
            Assert.Equal("East", (await db.Clinics.GetAsync(3))!.Name);
        }

        ToolRun merge = ReposTool.Run("import", path, bundle, "--strategy", "merge", "--newer-by", "HealthEntry=WeightKg", "--newer-by", "Clinic=Id");
        Assert.False(merge.ExitCode == 0, "a decimal has no order a merge goes by: " + merge);
        Assert.Equal(1, merge.ExitCode);

        ToolRun noOrder = ReposTool.Run("import", path, bundle, "--strategy", "merge");
        Assert.True(noOrder.ExitCode == 1, noOrder.ToString());
        Assert.Contains("--newer-by", Assert.Single(noOrder.ErrorLines), StringComparison.Ordinal);

        ToolRun replace = ReposTool.Run("import", path, bundle, "--strategy", "replace");
        Assert.True(replace.ExitCode == 0, replace.ToString());
        Assert.Contains("Imported", replace.Output, StringComparison.Ordinal);
        await using (HealthDb db = await HealthDb.OpenAsync(path))
        {
            Assert.Equal("edited elsewhere", (await db.HealthEntries.GetAsync(HealthLog.Id("ann", 1)))!.Note);
        }
    }

    [Fact]
    public async Task Merge_ByADate_TakesTheNewerRows()
    {
        string bundle = await BundleAsync("other", async db => await db.HealthEntries.UpsertAsync(HealthLog.Entry("ann", 1) with { Date = HealthLog.Start.AddDays(40), Note = "moved" }));
        string path = await HealthLog.WriteAsync(_folder.File("health.db"));

        ToolRun merge = ReposTool.Run("import", path, bundle, "--strategy", "merge", "--newer-by", "HealthEntry=Date", "--newer-by", "Clinic=Name", "--json");

        Assert.True(merge.ExitCode == 0, merge.ToString());
        JsonElement entries = merge.Json().GetProperty("entities").EnumerateArray().Single(e => e.GetProperty("name").GetString() == "HealthEntry");
        Assert.Equal(1, entries.GetProperty("written").GetInt32());
        await using HealthDb db = await HealthDb.OpenAsync(path);
        Assert.Equal("moved", (await db.HealthEntries.GetByUserIdAndDateAsync("ann", HealthLog.Start.AddDays(40)))!.Note);
    }

    [Fact]
    public async Task HostileBundles_AreRefused_WithOneLine_AndTheFileUnchanged()
    {
        string bundle = await BundleAsync("source");
        string path = await EmptyFileAsync("target.db");
        byte[] before = await File.ReadAllBytesAsync(path);
        string text = await File.ReadAllTextAsync(bundle);

        string truncated = _folder.File("truncated.ndjson");
        await File.WriteAllTextAsync(truncated, text[..(text.Length / 2)]);
        ToolRun cut = ReposTool.Run("import", path, truncated);
        Assert.True(cut.ExitCode == 4, cut.ToString());
        Assert.Single(cut.ErrorLines);
        Assert.DoesNotContain("   at ", cut.Error, StringComparison.Ordinal);

        string tampered = _folder.File("tampered.ndjson");
        await File.WriteAllTextAsync(tampered, text.Replace("ibuprofen", "ibuprofeN", StringComparison.Ordinal));
        ToolRun checksum = ReposTool.Run("import", path, tampered, "--json");
        Assert.True(checksum.ExitCode == 4, checksum.ToString());
        Assert.Contains("checksum", checksum.Json().GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);

        ToolRun missing = ReposTool.Run("import", path, _folder.File("nope.ndjson"));
        Assert.True(missing.ExitCode == 1, missing.ToString());
        ToolRun noFile = ReposTool.Run("import", _folder.File("nope.db"), bundle);
        Assert.True(noFile.ExitCode == 2, noFile.ToString());

        Assert.Equal(before, await File.ReadAllBytesAsync(path));
        Assert.Empty(Directory.GetFiles(_folder.Path, "*.partial"));
    }
}
