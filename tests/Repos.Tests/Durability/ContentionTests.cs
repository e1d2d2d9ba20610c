using System.Diagnostics;
using Repos.Tests.Storage;

namespace Repos.Tests.Durability;

/// <summary>Two processes of four threads each share one file: nothing is lost and no lock error surfaces.</summary>
public sealed class ContentionTests : IDisposable
{
    private const int Seconds = 30;
    private const int Threads = 4;
    private readonly TempDirectory _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task TwoProcessesOfFourThreads_For30Seconds_LoseNoUpdate_AndSurfaceNoLockError()
    {
        string path = _folder.File("shared.db");
        await using (NotesDb db = await NotesDb.OpenAsync(path))
        {
            await db.Notes.InsertAsync(new Note
            {
                Id = DurabilityWorkload.CounterId,
                UserId = "counter",
                Date = new DateOnly(1990, 1, 1),
                Mood = 1,
                Tags = [new Tag("count", 0)],
            });
        }

        string seconds = Seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        string threads = Threads.ToString(System.Globalization.CultureInfo.InvariantCulture);
        using Process first = ChildProgram.Start("contend", path, seconds, threads, "a");
        using Process second = ChildProgram.Start("contend", path, seconds, threads, "b");
        Task<string>[] outputs = [first.StandardOutput.ReadToEndAsync(), second.StandardOutput.ReadToEndAsync()];
        Task<string>[] errors = [first.StandardError.ReadToEndAsync(), second.StandardError.ReadToEndAsync()];
        await Task.WhenAll(first.WaitForExitAsync(), second.WaitForExitAsync()).WaitAsync(TimeSpan.FromSeconds(Seconds * 4));

        long increments = 0;
        for (int i = 0; i < 2; i++)
        {
            Process process = i == 0 ? first : second;
            string error = await errors[i];
            Assert.True(process.ExitCode == 0, $"process {i} failed ({process.ExitCode}): {error}");
            Assert.DoesNotContain("locked", error, StringComparison.OrdinalIgnoreCase);
            string[] parts = (await outputs[i]).Trim().Split(' ');
            Assert.True(parts is ["increments", _, "reads", _], $"process {i} printed '{await outputs[i]}'");
            long mine = long.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(mine > 0, $"process {i} made no increment");
            increments += mine;
        }

        await using NotesDb after = await NotesDb.OpenAsync(path);
        Note counter = (await after.Notes.GetAsync(DurabilityWorkload.CounterId))!;
        Assert.Equal(increments, counter.Tags[0].Weight);
        Assert.Equal(increments + 1, await after.Notes.CountAsync());
    }
}
