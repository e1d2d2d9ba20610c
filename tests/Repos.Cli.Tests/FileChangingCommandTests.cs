using System.Text.Json;

namespace Repos.Cli.Tests;

/// <summary>The commands that write: <c>backup</c>, <c>recover</c> and <c>vacuum</c>, and <c>verify</c> on a damaged file; each test on a file of its own.</summary>
public sealed class FileChangingCommandTests : IDisposable
{
    private readonly TempDirectory _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Backup_CreateListRestore_BringsBackADeletedRow_AndDeleteRemovesABackup()
    {
        string path = await HealthLog.WriteAsync(_folder.File("health.db"));
        Guid deleted = HealthLog.Id("bob", 4);

        ToolRun create = ReposTool.Run("backup", "create", path, "--json");
        Assert.True(create.ExitCode == 0, create.ToString());
        string id = create.Json().GetProperty("id").GetString()!;
        Assert.Equal("Manual", create.Json().GetProperty("kind").GetString());

        ToolRun list = ReposTool.Run("backup", "list", path, "--json");
        Assert.True(list.ExitCode == 0, list.ToString());
        JsonElement backup = Assert.Single(list.Json().GetProperty("backups").EnumerateArray());
        Assert.Equal(id, backup.GetProperty("id").GetString());
        Assert.True(backup.GetProperty("verified").GetBoolean());
        Assert.Equal(1, backup.GetProperty("databaseVersion").GetInt32());
        Assert.True(File.Exists(backup.GetProperty("path").GetString()));

        await using (HealthDb db = await HealthDb.OpenAsync(path))
        {
            Assert.True(await db.HealthEntries.DeleteAsync(deleted));
        }

        ToolRun restore = ReposTool.Run("backup", "restore", path, id, "--json");
        Assert.True(restore.ExitCode == 0, restore.ToString());
        Assert.Equal(id, restore.Json().GetProperty("restored").GetProperty("id").GetString());
        string replaced = restore.Json().GetProperty("replaced").GetProperty("id").GetString()!;
        await using (HealthDb db = await HealthDb.OpenAsync(path))
        {
            HealthLog.AssertSame(HealthLog.Entry("bob", 4), await db.HealthEntries.GetAsync(deleted));
        }

        ToolRun delete = ReposTool.Run("backup", "delete", path, replaced);
        Assert.True(delete.ExitCode == 0, delete.ToString());
        Assert.Contains($"Deleted backup {replaced}.", delete.Output, StringComparison.Ordinal);
        Assert.Equal([id], (await Repos.Backup.ReposBackups.ForFile(path).ListAsync()).Select(b => b.Id));
    }

    [Fact]
    public async Task Backup_Restore_OfADamagedBackup_ExitsFour_AndLeavesTheFileAsItWas()
    {
        string path = await HealthLog.WriteAsync(_folder.File("health.db"));
        Repos.Backup.BackupInfo backup = await Repos.Backup.ReposBackups.ForFile(path).CreateAsync();
        byte[] copy = await File.ReadAllBytesAsync(backup.Path);
        copy[copy.Length / 2] ^= 0xFF;
        await File.WriteAllBytesAsync(backup.Path, copy);
        byte[] before = await File.ReadAllBytesAsync(path);

        ToolRun restore = ReposTool.Run("backup", "restore", path, backup.Id);

        Assert.True(restore.ExitCode == 4, restore.ToString());
        Assert.Contains("failed verification", Assert.Single(restore.ErrorLines), StringComparison.Ordinal);
        Assert.Equal(before, await File.ReadAllBytesAsync(path));
    }

    [Fact]
    public async Task Verify_DamagedRow_ExitsThree_AndNamesTheRow_AndAnExportFailsWithThree()
    {
        string path = await HealthLog.WriteAsync(_folder.File("health.db"));
        RawFile.DamageBlob(path, "HealthEntry", row: 3);

        ToolRun run = ReposTool.Run("verify", path, "--json");
        string bundle = _folder.File("health.reposbundle.json");
        ToolRun export = ReposTool.Run("export", path, "-o", bundle);

        Assert.True(run.ExitCode == 3, run.ToString());
        JsonElement report = run.Json();
        Assert.False(report.GetProperty("healthy").GetBoolean());
        JsonElement bad = Assert.Single(report.GetProperty("badRows").EnumerateArray());
        Assert.Equal("HealthEntry", bad.GetProperty("entity").GetString());
        Assert.Equal("Checksum", bad.GetProperty("kind").GetString());
        Guid key = Guid.Parse(bad.GetProperty("key").GetString()!);
        Assert.Contains(key, HealthLog.Users.SelectMany(u => Enumerable.Range(0, HealthLog.Days).Select(d => HealthLog.Id(u, d))));
        JsonElement entity = report.GetProperty("entities").EnumerateArray().Single(e => e.GetProperty("name").GetString() == "HealthEntry");
        Assert.Equal(1, entity.GetProperty("badRows").GetInt64());

        // A bundle that silently lacked the row would be no backup: the export stops, and leaves no file behind.
        Assert.True(export.ExitCode == 3, export.ToString());
        Assert.Single(export.ErrorLines);
        Assert.Equal(["health.db"], Directory.GetFiles(_folder.Path).Select(System.IO.Path.GetFileName).Where(n => !n!.StartsWith("health.db-", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Recover_DamagedFile_WritesEveryIntactRow_ListsTheLostOne_AndExitsThree()
    {
        string path = await HealthLog.WriteAsync(_folder.File("health.db"));
        RawFile.DamageBlob(path, "HealthEntry", row: 5);
        string salvaged = _folder.File("salvaged.db");

        ToolRun run = ReposTool.Run("recover", path, "-o", salvaged);

        Assert.True(run.ExitCode == 3, run.ToString());
        Assert.StartsWith("partial: 21 rows recovered into", run.Output, StringComparison.Ordinal);
        Assert.Matches(@"│ HealthEntry +│ +19 │ +0 │ +1 │", run.Output);
        await using HealthDb db = await HealthDb.OpenAsync(salvaged);
        Assert.Equal(19, await db.HealthEntries.CountAsync());
        Assert.Equal(2, await db.Clinics.CountAsync());
        Assert.True((await db.VerifyAsync()).IsHealthy);
    }

    [Fact]
    public async Task Recover_HealthyFile_IsComplete_AndExitsZero()
    {
        string path = await HealthLog.WriteAsync(_folder.File("health.db"));
        string salvaged = _folder.File("salvaged.db");

        ToolRun run = ReposTool.Run("recover", path, "-o", salvaged, "--json");

        Assert.True(run.ExitCode == 0, run.ToString());
        JsonElement report = run.Json();
        Assert.True(report.GetProperty("complete").GetBoolean());
        Assert.Equal(22, report.GetProperty("rowsRecovered").GetInt64());
        Assert.Equal(0, report.GetProperty("rowsLost").GetInt64());
        Assert.True(File.Exists(salvaged));
    }

    [Fact]
    public async Task Vacuum_AfterDeletes_GivesTheRoomBack_AndKeepsEveryRow()
    {
        string path = _folder.File("health.db");
        await using (HealthDb db = await HealthDb.OpenAsync(path))
        {
            // Rows big enough that deleting them leaves whole pages free.
            await db.HealthEntries.InsertManyAsync(Enumerable.Range(0, 200).Select(i =>
                HealthLog.Entry("ann", 0) with { Id = Guid.NewGuid(), Date = HealthLog.Start.AddDays(i), Note = Convert.ToBase64String(Guid.NewGuid().ToByteArray()) + new string('x', 3000) }));

            await db.HealthEntries.InsertAsync(HealthLog.Entry("bob", 1));
            Assert.Equal(200, await db.HealthEntries.ByUserIdAndDate("ann").DeleteAsync());
        }

        ToolRun run = ReposTool.Run("vacuum", path, "--json");

        Assert.True(run.ExitCode == 0, run.ToString());
        JsonElement result = run.Json();
        Assert.True(result.GetProperty("reclaimedBytes").GetInt64() > 0, run.ToString());
        Assert.Equal(new FileInfo(path).Length, result.GetProperty("sizeAfterBytes").GetInt64());
        await using HealthDb reopened = await HealthDb.OpenAsync(path);
        HealthLog.AssertSame(HealthLog.Entry("bob", 1), Assert.Single(await reopened.HealthEntries.All().ToListAsync()));
    }
}
