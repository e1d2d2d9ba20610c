using System.Diagnostics;
using System.Security.Cryptography;
using Repos.Housekeeping;
using Repos.Tests.Integrity;
using Repos.Tests.Storage;

namespace Repos.Tests.Backup;

/// <summary>What backups and restores killed part way leave behind: found, counted, removed, never while in use.</summary>
public sealed class LeftoverFilesTests : IDisposable
{
    private readonly TempDirectory _folder = new();

    private string DbPath => _folder.File("notes.db");

    private string BackupFolder => DbPath + ".backups";

    public void Dispose() => _folder.Dispose();

    private string[] BackupFiles() => Directory.Exists(BackupFolder)
        ? Directory.GetFiles(BackupFolder).Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal).ToArray()
        : [];

    /// <summary>Leaves in the backups folder what a backup killed mid-copy leaves there (a process killed on Windows loses its lock file too).</summary>
    private (string Data, string Partial) LeaveKilledBackup(string id, bool withLockFile)
    {
        Directory.CreateDirectory(BackupFolder);
        string data = Path.Combine(BackupFolder, id + ".db");
        File.WriteAllBytes(data, []);
        File.WriteAllBytes(data + ".partial", new byte[12_288]);
        if (withLockFile)
        {
            File.WriteAllBytes(Path.Combine(BackupFolder, id + ".lock"), []);
        }

        return (data, data + ".partial");
    }

    [Fact]
    public async Task BackupKilledMidCopy_InAnotherProcess_IsLeftAloneWhileItRuns_CountedOnceKilled_AndRemovedAtTheNextOpen()
    {
        await VerifyTests.WriteNotesAsync(DbPath, 2000);
        using Process child = ChildProgram.Start("backup-hang", DbPath);
        using var copying = new ManualResetEventSlim();
        var reader = new Thread(() =>
        {
            while (child.StandardOutput.ReadLine() is { } line)
            {
                if (line == "copying")
                {
                    copying.Set();
                }
            }
        });
        reader.Start();
        Task<string> stderr = child.StandardError.ReadToEndAsync();
        try
        {
            Assert.True(copying.Wait(TimeSpan.FromSeconds(60)), $"the backup in the second process did not start copying: {(child.HasExited ? await stderr : "still running")}");
            string[] live = BackupFiles();
            Assert.Equal(3, live.Length);
            string id = live.Single(f => f.EndsWith(".lock", StringComparison.Ordinal))[..^".lock".Length];
            Assert.Equal([id + ".db", id + ".db.partial", id + ".lock"], live);

            // The backup in progress: an open, a backup and a restore of this process leave its files alone.
            await using (NotesDb db = await NotesDb.OpenAsync(DbPath))
            {
                StorageInfo info = await db.GetStorageInfoAsync();
                Assert.Equal(0, info.LeftoverFiles);
                Assert.Equal(0, info.LeftoverBytes);
                await db.Backup.CreateAsync();
            }

            Assert.Subset(BackupFiles().ToHashSet(), live.ToHashSet());
        }
        finally
        {
            child.Kill();
            child.WaitForExit();
            reader.Join();
        }

        string[] killed = BackupFiles().Where(f => f.Contains("-manual", StringComparison.Ordinal) && !f.EndsWith(".json", StringComparison.Ordinal)).ToArray();
        string killedId = killed.Single(f => f.EndsWith(".lock", StringComparison.Ordinal))[..^".lock".Length];
        long partialBytes = new FileInfo(Path.Combine(BackupFolder, killedId + ".db.partial")).Length;
        await using (NotesDb db = await NotesDb.OpenAsync(DbPath, new ReposDatabaseOptions { ReadOnly = true }))
        {
            StorageInfo info = await db.GetStorageInfoAsync();
            Assert.Equal(3, info.LeftoverFiles);
            Assert.Equal(partialBytes, info.LeftoverBytes);
        }

        await using (NotesDb db = await NotesDb.OpenAsync(DbPath))
        {
            Assert.Equal(0, (await db.GetStorageInfoAsync()).LeftoverFiles);
            Assert.Single(await db.Backup.ListAsync());
        }

        Assert.DoesNotContain(BackupFiles(), f => f.StartsWith(killedId, StringComparison.Ordinal));
        Assert.Equal(2, BackupFiles().Length);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task BackupKilledMidCopy_IsRemovedByTheNextBackup(bool withLockFile)
    {
        await VerifyTests.WriteNotesAsync(DbPath, 20);
        (string data, string partial) = LeaveKilledBackup("20260101-120000-000-scheduled", withLockFile);
        await using NotesDb db = await NotesDb.OpenAsync(DbPath, new ReposDatabaseOptions { BackupBeforeMigration = false });
        LeaveKilledBackup("20260101-120000-000-manual-2", withLockFile);
        StorageInfo before = await db.GetStorageInfoAsync();
        Assert.Equal(withLockFile ? 3 : 2, before.LeftoverFiles);
        Assert.Equal(12_288, before.LeftoverBytes);

        await db.Backup.CreateAsync();

        Assert.False(File.Exists(data));
        Assert.False(File.Exists(partial));
        Assert.Equal(2, BackupFiles().Length);
        Assert.Single(await db.Backup.ListAsync());
        Assert.Equal(0, (await db.GetStorageInfoAsync()).LeftoverFiles);
    }

    [Fact]
    public async Task TheNextOpen_LeavesRecordedBackupsAndOtherFilesInTheFolder()
    {
        await VerifyTests.WriteNotesAsync(DbPath, 20);
        await using (NotesDb db = await NotesDb.OpenAsync(DbPath))
        {
            await db.Backup.CreateAsync();
        }

        File.WriteAllText(Path.Combine(BackupFolder, "notes.db"), "someone else's file");
        File.WriteAllText(Path.Combine(BackupFolder, "readme.partial"), "someone else's file");
        string[] before = BackupFiles();

        await using (NotesDb db = await NotesDb.OpenAsync(DbPath))
        {
            Assert.Equal(0, (await db.GetStorageInfoAsync()).LeftoverFiles);
            await db.Backup.CreateAsync();
        }

        Assert.Subset(BackupFiles().ToHashSet(), before.ToHashSet());
    }

    [Fact]
    public async Task RestoreKilledAfterItsStagingCopy_IsRemovedByTheNextOpen_ButNotWhileItsLockIsHeld()
    {
        await VerifyTests.WriteNotesAsync(DbPath, 200);
        string killed = $"{DbPath}.restoring-{Guid.NewGuid():N}";
        string running = $"{DbPath}.restoring-{Guid.NewGuid():N}";
        File.Copy(DbPath, killed);
        File.WriteAllBytes(killed + ".lock", []);
        File.Copy(DbPath, running);
        byte[] runningHash = SHA256.HashData(File.ReadAllBytes(running));
        long size = new FileInfo(killed).Length;

        // The lock a restore in progress holds, as another process would hold it.
        using (var held = new FileStream(running + ".lock", FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None))
        {
            await using (NotesDb db = await NotesDb.OpenAsync(DbPath, new ReposDatabaseOptions { ReadOnly = true }))
            {
                StorageInfo info = await db.GetStorageInfoAsync();
                Assert.Equal(2, info.LeftoverFiles);
                Assert.Equal(size, info.LeftoverBytes);
            }

            await using (NotesDb db = await NotesDb.OpenAsync(DbPath))
            {
                Assert.Equal(0, (await db.GetStorageInfoAsync()).LeftoverFiles);
            }

            Assert.False(File.Exists(killed));
            Assert.False(File.Exists(killed + ".lock"));
            Assert.Equal(runningHash, SHA256.HashData(File.ReadAllBytes(running)));
            Assert.True(File.Exists(running + ".lock"));
        }

        // Its process gone (the lock released, the lock file left as a killed process leaves it): the next restore removes it.
        await using (NotesDb db = await NotesDb.OpenAsync(DbPath, new ReposDatabaseOptions { ReadOnly = true }))
        {
            Assert.Equal(2, (await db.GetStorageInfoAsync()).LeftoverFiles);
        }

        Repos.Backup.ReposBackups backups = Repos.Backup.ReposBackups.ForFile(DbPath);
        Repos.Backup.BackupInfo backup = await backups.CreateAsync();
        Assert.True(File.Exists(running));
        await backups.RestoreAsync(backup.Id);

        Assert.False(File.Exists(running));
        Assert.False(File.Exists(running + ".lock"));
        Assert.Empty(Directory.GetFiles(_folder.Path, "notes.db.restoring-*"));
    }
}
