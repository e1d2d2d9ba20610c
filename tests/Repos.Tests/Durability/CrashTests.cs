using System.Diagnostics;
using Repos.Tests.Storage;

namespace Repos.Tests.Durability;

/// <summary>A writer killed with SIGKILL at random moments never loses an acknowledged transaction.</summary>
public sealed class CrashTests : IDisposable
{
    private const int Kills = 100;
    private readonly TempDirectory _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task WriterKilledAtRandomMoments_KeepsEveryAcknowledgedTransaction_AndTheFileStaysValid()
    {
        int seed = Environment.GetEnvironmentVariable("REPOS_CRASH_SEED") is { } fixedSeed ? int.Parse(fixedSeed, System.Globalization.CultureInfo.InvariantCulture) : Random.Shared.Next();
        var random = new Random(seed);
        string path = _folder.File("crash.db");
        var acknowledged = new List<(int Run, int Transaction, int Rows)>();
        for (int run = 1; run <= Kills; run++)
        {
            using Process child = ChildProgram.Start("crash-writer", path, run.ToString(System.Globalization.CultureInfo.InvariantCulture), random.Next().ToString(System.Globalization.CultureInfo.InvariantCulture));
            // Plain threads and blocking waits: the kill must land while the writer is mid-stream, whatever the
            // test framework's scheduling does with awaited continuations.
            var lines = new List<string>();
            using var firstAck = new ManualResetEventSlim();
            var reader = new Thread(() =>
            {
                while (child.StandardOutput.ReadLine() is { } line)
                {
                    lock (lines)
                    {
                        lines.Add(line);
                    }

                    firstAck.Set();
                }
            });
            reader.Start();
            Task<string> stderr = child.StandardError.ReadToEndAsync();

            // Kill it somewhere inside its stream of commits: after the first, at a random moment.
            bool acknowledgedAny = firstAck.Wait(TimeSpan.FromSeconds(60));
            if (acknowledgedAny)
            {
                Thread.Sleep(random.Next(0, 120));
            }

            child.Kill();
            child.WaitForExit();
            reader.Join();
            Assert.True(acknowledgedAny, $"run {run}: the writer acknowledged nothing (seed {seed}): {await stderr}");
            Assert.True(child.ExitCode == 137, $"run {run}: the writer ended by itself with {child.ExitCode} before it was killed (seed {seed}): {await stderr}");

            lock (lines)
            {
                foreach (string line in lines)
                {
                    string[] parts = line.Split(' ');
                    Assert.True(parts is ["ack", _, _], $"run {run}: unexpected output '{line}' (seed {seed})");
                    acknowledged.Add((run, int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture), int.Parse(parts[2], System.Globalization.CultureInfo.InvariantCulture)));
                }
            }

            await CheckAsync(path, run, acknowledged, seed);
        }
    }

    /// <summary>
    /// Opens the file as the app would after a crash, runs VerifyAsync (SQLite's integrity check, every blob's
    /// checksum and decoding, every index column), and reads every acknowledged row.
    /// </summary>
    private static async Task CheckAsync(string path, int run, List<(int Run, int Transaction, int Rows)> acknowledged, int seed)
    {
        await using NotesDb db = await NotesDb.OpenAsync(path);
        Diagnostics.VerifyReport verified = await db.VerifyAsync();
        Assert.True(verified.IsHealthy, $"run {run}: VerifyAsync after the kill (seed {seed}): {verified}");

        foreach ((int r, int transaction, int rows) in acknowledged)
        {
            for (int row = 0; row < rows; row++)
            {
                Note? note = await db.Notes.GetAsync(DurabilityWorkload.KeyOf(r, transaction, row));
                Assert.True(note is not null, $"run {r}: acknowledged transaction {transaction} lost row {row} (seed {seed})");
                Assert.Equal(transaction, note.Tags[0].Weight);
            }
        }

        int lastAcknowledged = acknowledged.Where(a => a.Run == run).Select(a => a.Transaction).DefaultIfEmpty(-1).Max();
        Note marker = (await db.Notes.GetAsync(DurabilityWorkload.MarkerOf(run)))!;
        int lastCommitted = marker.Tags[0].Weight;
        Assert.True(lastCommitted == lastAcknowledged || lastCommitted == lastAcknowledged + 1, $"run {run}: last committed {lastCommitted}, last acknowledged {lastAcknowledged} (seed {seed})");
        Assert.True(verified.RowsChecked >= acknowledged.Sum(a => a.Rows) + run, $"run {run}: {verified.RowsChecked} rows (seed {seed})");
    }
}
