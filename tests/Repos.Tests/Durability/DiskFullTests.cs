using Repos.Tests.Packaging;
using Repos.Tests.Storage;

namespace Repos.Tests.Durability;

/// <summary>
/// Writing into a size-limited file system (a tmpfs mounted for the test, which needs root, as the CI
/// machine runs) until it is full: a clear error, nothing acknowledged lost, a valid file that works again
/// once there is space.
/// </summary>
public sealed class DiskFullTests : IDisposable
{
    private readonly TempDirectory _folder = new();
    private readonly string _mount;

    public DiskFullTests()
    {
        _mount = _folder.File("small-disk");
        Directory.CreateDirectory(_mount);
        ProcessResult mount = ChildProcess.Run("mount", _folder.Path, null, "-t", "tmpfs", "-o", "size=2m", "tmpfs", _mount);
        Assert.True(mount.ExitCode == 0, $"the disk-full test mounts a 2 MiB tmpfs and needs root for it: {mount}");
    }

    public void Dispose()
    {
        ChildProcess.Run("umount", _folder.Path, null, _mount);
        _folder.Dispose();
    }

    [Fact]
    public async Task WritingUntilTheDiskIsFull_RaisesAClearError_KeepsEveryCommit_AndWorksAgainWithSpace()
    {
        const int seed = 5150;
        var random = new Random(seed);
        string path = Path.Combine(_mount, "full.db");
        var committed = new List<Guid>();
        ReposStorageFullException? full = null;
        await using (NotesDb db = await NotesDb.OpenAsync(path))
        {
            for (int transaction = 0; transaction < 10_000 && full is null; transaction++)
            {
                Note[] notes = Enumerable.Range(0, 5).Select(row => DurabilityWorkload.RowOf(1, transaction, row, random)).ToArray();
                try
                {
                    await db.Notes.InsertManyAsync(notes);
                    committed.AddRange(notes.Select(n => n.Id));
                }
                catch (ReposStorageFullException e)
                {
                    full = e;
                }
            }

            Assert.NotNull(full);
            Assert.Contains("rolled back", full.Message, StringComparison.Ordinal);
            Assert.Equal(path, full.DatabasePath);
            Assert.True(committed.Count > 20, $"only {committed.Count} rows fitted before the disk was full");

            // The open database keeps working for reads, and writes inside a transaction fail as clearly: where
            // one of them has to spill the page cache to the log, or else at the commit.
            Assert.Equal(committed.Count, await db.Notes.CountAsync());
            await using (ReposTransaction transaction = await db.BeginTransactionAsync())
            {
                await Assert.ThrowsAsync<ReposStorageFullException>(async () =>
                {
                    for (int i = 0; i < 1000; i++)
                    {
                        await db.Notes.InsertAsync(DurabilityWorkload.RowOf(2, i, 0, random));
                    }

                    await transaction.CommitAsync();
                });
            }

            Assert.Equal(committed.Count, await db.Notes.CountAsync());
        }

        await AssertIntactAsync(path);
        await using (NotesDb reopened = await NotesDb.OpenAsync(path))
        {
            foreach (Guid id in committed)
            {
                Assert.NotNull(await reopened.Notes.GetAsync(id));
            }
        }

        // Space comes back: the same file takes writes again.
        ProcessResult grow = ChildProcess.Run("mount", _folder.Path, null, "-o", "remount,size=16m", _mount);
        Assert.True(grow.ExitCode == 0, grow.ToString());
        await using (NotesDb db = await NotesDb.OpenAsync(path))
        {
            Note[] more = Enumerable.Range(0, 5).Select(row => DurabilityWorkload.RowOf(3, 0, row, random)).ToArray();
            await db.Notes.InsertManyAsync(more);
            Assert.Equal(committed.Count + 5, await db.Notes.CountAsync());
        }

        await AssertIntactAsync(path);
    }

    private static async Task AssertIntactAsync(string path)
    {
        await using NotesDb db = await NotesDb.OpenAsync(path, new ReposDatabaseOptions { ReadOnly = true });
        Diagnostics.VerifyReport verified = await db.VerifyAsync();
        Assert.True(verified.IsHealthy, verified.ToString());
    }
}
