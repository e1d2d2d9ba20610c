using System.Diagnostics;
using System.Globalization;
using Repos.Tests.Storage;

namespace Repos.Tests.Concurrency;

/// <summary>
/// An older version of an app (version 1 notes, in a second process) keeps writing while a newer version
/// (version 3) opens the same file and migrates it, at a random moment of the older one's writes: every write
/// the older app saw acknowledged reads back right, migrated, and every write after the migration is refused.
/// </summary>
public sealed class TwoAppVersionsTests : IDisposable
{
    private const int Iterations = 20;
    private const int SeededNotes = 10;
    private readonly TempDirectory _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task NewerAppMigrating_WhileAnOlderAppWrites_LosesOrMisreadsNoAcknowledgedWrite()
    {
        int seed = FuzzSeed.Get(Random.Shared.Next());

        // Plain threads and blocking waits throughout: the migration must land while the older app is writing,
        // whatever the test framework's scheduling does with awaited continuations.
        await Task.Run(() =>
        {
            var random = new Random(seed);
            for (int iteration = 1; iteration <= Iterations; iteration++)
            {
                RunIteration(_folder.File($"shared-{iteration}.db"), random.Next(), random.Next(0, 80), $"iteration {iteration} (REPOS_FUZZ_SEED={seed})");
            }
        });
    }

    private static void RunIteration(string path, int childSeed, int acksBeforeMigration, string context)
    {
        var expected = new Dictionary<Guid, (int Mood, string Text)>();
        using (NotesDb seeding = NotesDb.OpenAsync(path).AsTask().GetAwaiter().GetResult())
        {
            for (int i = 0; i < SeededNotes; i++)
            {
                var note = new Note { Id = Guid.NewGuid(), UserId = "seed", Date = new DateOnly(1990, 1, 1).AddDays(i), Mood = 1 + (i % 9), Text = $"seed {i}" };
                seeding.Notes.InsertAsync(note).AsTask().GetAwaiter().GetResult();
                expected[note.Id] = (note.Mood, note.Text);
            }
        }

        using Process child = ChildProgram.Start("old-writer", path, childSeed.ToString(CultureInfo.InvariantCulture));
        var lines = new List<string>();
        using var enough = new ManualResetEventSlim();
        int acks = 0;
        var reader = new Thread(() =>
        {
            while (child.StandardOutput.ReadLine() is { } line)
            {
                lock (lines)
                {
                    lines.Add(line);
                }

                // The migration waits for the older app to have the file open (it would refuse a migrated file)
                // and to have acknowledged the drawn number of writes.
                bool ack = line.StartsWith("ack ", StringComparison.Ordinal);
                if ((ack && Interlocked.Increment(ref acks) >= acksBeforeMigration)
                    || (line == "opened" && acksBeforeMigration == 0)
                    || (!ack && line != "opened"))
                {
                    enough.Set();
                }
            }

            enough.Set();
        });
        reader.Start();
        Task<string> stderr = child.StandardError.ReadToEndAsync();
        try
        {
            Assert.True(enough.Wait(TimeSpan.FromSeconds(60)), $"{context}: the older app acknowledged too little");

            // The newer app opens the file mid-stream of the older app's commits and migrates it.
            using (NotesDbV3 newer = NotesDbV3.OpenAsync(path, new ReposDatabaseOptions { BackupBeforeMigration = false }).AsTask().GetAwaiter().GetResult())
            {
                Assert.Equal(3, newer.Entities[0].Version);
            }

            Assert.True(child.WaitForExit(TimeSpan.FromSeconds(90)), $"{context}: the older app did not stop");
        }
        finally
        {
            if (!child.HasExited)
            {
                child.Kill();
                child.WaitForExit();
            }

            reader.Join();
        }

        string errors = stderr.GetAwaiter().GetResult();
        Assert.True(child.ExitCode == 0, $"{context}: the older app failed ({child.ExitCode}): {errors}");
        List<string> output;
        lock (lines)
        {
            output = [.. lines];
        }

        Assert.True(output.Count >= 2 && output[^2].StartsWith("refused ReposCatalogChangedException", StringComparison.Ordinal),
            $"{context}: the older app's last writes were not refused: {string.Join(" | ", output.TakeLast(3))}");
        Assert.True(output[^1] == "read-refused", $"{context}: the older app read a migrated row as its own model: {output[^1]}");
        Assert.True(output.Count >= 3 && output[0] == "opened", $"{context}: the older app did not open the file: {string.Join(" | ", output.Take(2))}");
        foreach (string line in output.Skip(1).SkipLast(2))
        {
            string[] parts = line.Split(' ');
            Assert.True(parts is ["ack", _, _, _], $"{context}: unexpected output '{line}'");
            expected[Guid.Parse(parts[1])] = (int.Parse(parts[2], CultureInfo.InvariantCulture), parts[3]);
        }

        using NotesDbV3 check = NotesDbV3.OpenAsync(path).AsTask().GetAwaiter().GetResult();
        Diagnostics.VerifyReport verified = check.VerifyAsync().GetAwaiter().GetResult();
        Assert.True(verified.IsHealthy, $"{context}: {verified}");
        Assert.Equal(expected.Count, check.Notes.CountAsync().AsTask().GetAwaiter().GetResult());
        foreach ((Guid id, (int mood, string text)) in expected)
        {
            NoteV3? stored = check.Notes.GetAsync(id).AsTask().GetAwaiter().GetResult();
            Assert.True(stored is not null, $"{context}: acknowledged note {id} is missing");
            Assert.True(stored.Mood == mood * 10 && stored.Body == text, $"{context}: note {id} reads mood {stored.Mood}, body '{stored.Body}'; acknowledged mood {mood} (x10), text '{text}'");
        }
    }
}
