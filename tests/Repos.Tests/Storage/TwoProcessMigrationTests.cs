using Repos.Tests.Packaging;

namespace Repos.Tests.Storage;

[Collection(nameof(MigrationTests))]   // opens NoteV3, whose test switches are shared
public sealed class TwoProcessMigrationTests : IDisposable
{
    private readonly TempDirectory _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task TwoProcessesOpeningAnOldFileAtOnce_MigrateItExactlyOnce()
    {
        string path = _folder.File("notes.db");
        await using (NotesDb db = await NotesDb.OpenAsync(path))
        {
            await db.Notes.InsertManyAsync(Enumerable.Range(0, 3000).Select(i => new Note
            {
                Id = Guid.NewGuid(),
                UserId = "u",
                Date = new DateOnly(2020, 1, 1).AddDays(i),
                Mood = 1 + (i % 9),
                Text = i % 10 == 0 ? "delete me" : $"note {i}",
            }));
        }

        string child = ChildProgram.Path;
        Task<ProcessResult>[] runs =
        [
            Task.Run(() => ChildProcess.Run(ChildProcess.DotNetHost, _folder.Path, null, child, "open-v3", path)),
            Task.Run(() => ChildProcess.Run(ChildProcess.DotNetHost, _folder.Path, null, child, "open-v3", path)),
        ];
        ProcessResult[] results = await Task.WhenAll(runs);

        Assert.All(results, r => Assert.True(r.ExitCode == 0, r.ToString()));
        string[] lines = results.Select(r => r.Output.Trim()).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(["migrated=0 count=2700", "migrated=3000 count=2700"], lines);
        await using NotesDbV3 after = await NotesDbV3.OpenAsync(path);
        Assert.Null(after.MigrationBackupPath);
        Assert.Equal(2700, await after.Notes.CountAsync());
    }
}
