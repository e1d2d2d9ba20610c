using System.Security.Cryptography;
using Repos.Tests.Integrity;
using Repos.Tests.Packaging;
using Repos.Tests.Storage;

namespace Repos.Tests.Durability;

/// <summary>
/// Read-only opens of a file on read-only media (a tmpfs remounted read-only for the test, which needs root,
/// as the CI machine runs): nothing can be created beside the file, not even SQLite's <c>-shm</c> index.
/// </summary>
public sealed class ReadOnlyMediaTests : IDisposable
{
    private readonly TempDirectory _folder = new();
    private readonly string _mount;

    public ReadOnlyMediaTests()
    {
        _mount = _folder.File("read-only-media");
        Directory.CreateDirectory(_mount);
        ProcessResult mount = ChildProcess.Run("mount", _folder.Path, null, "-t", "tmpfs", "-o", "size=16m", "tmpfs", _mount);
        Assert.True(mount.ExitCode == 0, $"the read-only media test mounts a tmpfs and needs root for it: {mount}");
    }

    public void Dispose()
    {
        ChildProcess.Run("umount", _folder.Path, null, _mount);
        _folder.Dispose();
    }

    private void MakeReadOnly()
    {
        ProcessResult remount = ChildProcess.Run("mount", _folder.Path, null, "-o", "remount,ro", _mount);
        Assert.True(remount.ExitCode == 0, remount.ToString());
        Assert.ThrowsAny<IOException>(() => File.WriteAllText(Path.Combine(_mount, "probe"), "x"));
    }

    [Fact]
    public async Task ReadOnlyOpen_OnReadOnlyMedia_ReadsEveryRow_AndCreatesNothingBesideTheFile()
    {
        string source = _folder.File("notes.db");
        List<Note> notes = await VerifyTests.WriteNotesAsync(source, 300);
        string path = Path.Combine(_mount, "notes.db");
        File.Copy(source, path);
        MakeReadOnly();
        byte[] before = SHA256.HashData(File.ReadAllBytes(path));

        await using (NotesDb db = await NotesDb.OpenAsync(path, new ReposDatabaseOptions { ReadOnly = true }))
        {
            Assert.True(db.IsReadOnly);
            Assert.Equal(notes.Count, await db.Notes.CountAsync());
            foreach (Note note in notes)
            {
                Assert.Equal(note.Text, (await db.Notes.GetAsync(note.Id))!.Text);
            }

            // Pooled readers, several at once, read the same way.
            int[] counts = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(async () => (int)await db.Notes.CountAsync())));
            Assert.All(counts, count => Assert.Equal(notes.Count, count));
            Diagnostics.VerifyReport report = await db.VerifyAsync();
            Assert.True(report.IsHealthy, report.ToString());
        }

        Assert.Equal([path], Directory.GetFiles(_mount));
        Assert.Equal(before, SHA256.HashData(File.ReadAllBytes(path)));
    }

    [Fact]
    public async Task ReadOnlyOpen_OnReadOnlyMedia_OfAFileWithCommitsInItsLog_ThrowsNamingTheFile_AndChangesNothing()
    {
        string source = _folder.File("notes.db");
        string path = Path.Combine(_mount, "notes.db");
        await using (NotesDb writer = await NotesDb.OpenAsync(source))
        {
            // Commits stay in the log while the file is open: copied now, the copy's -wal holds them.
            writer.Writer.Execute("PRAGMA wal_autocheckpoint=0");
            await writer.Notes.InsertManyAsync(Enumerable.Range(0, 50).Select(i => VerifyTests.NewNote(i, null)));
            Assert.True(new FileInfo(source + "-wal").Length > 0);
            File.Copy(source, path);
            File.Copy(source + "-wal", path + "-wal");
        }

        MakeReadOnly();
        byte[] before = SHA256.HashData(File.ReadAllBytes(path));

        ReposStorageException e = await Assert.ThrowsAsync<ReposStorageException>(
            () => NotesDb.OpenAsync(path, new ReposDatabaseOptions { ReadOnly = true }).AsTask());

        Assert.Contains(path, e.Message, StringComparison.Ordinal);
        Assert.Contains("-wal", e.Message, StringComparison.Ordinal);
        Assert.Equal(before, SHA256.HashData(File.ReadAllBytes(path)));
        Assert.Equal([path, path + "-wal"], Directory.GetFiles(_mount).Order(StringComparer.Ordinal));
    }
}
