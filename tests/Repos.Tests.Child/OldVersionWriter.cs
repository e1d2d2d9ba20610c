using System.Globalization;
using Repos;
using Repos.Tests.Storage;

/// <summary>
/// The older version of an app (the version 1 Note model) writing to a file that a newer version may migrate
/// while it runs: prints "opened" once it has the file open, then inserts and updates notes, printing "ack &lt;id&gt; &lt;mood&gt; &lt;text&gt;" after each commit
/// returns, until a write is refused ("refused &lt;exception&gt;"), then reads a note it wrote and prints whether
/// that read was refused too ("read-refused" or "read-ok").
/// </summary>
internal static class OldVersionWriter
{
    public static async Task<int> RunAsync(string path, int seed)
    {
        var random = new Random(seed);
        var written = new List<Guid>();
        await using NotesDb db = await NotesDb.OpenAsync(path, new ReposDatabaseOptions { BackupBeforeMigration = false });
        Console.WriteLine("opened");
        var deadline = DateTime.UtcNow.AddSeconds(60);
        for (int n = 0; DateTime.UtcNow < deadline; n++)
        {
            bool update = written.Count > 0 && random.Next(3) == 0;
            Guid id = update ? written[random.Next(written.Count)] : Guid.NewGuid();
            int mood = 1 + random.Next(9);
            string text = string.Create(CultureInfo.InvariantCulture, $"old-{seed}-{n}");
            try
            {
                if (update)
                {
                    Note stored = (await db.Notes.GetAsync(id))!;
                    await db.Notes.UpdateAsync(stored with { Mood = mood, Text = text });
                }
                else
                {
                    await db.Notes.InsertAsync(new Note
                    {
                        Id = id,
                        UserId = "old",
                        Date = new DateOnly(2001, 1, 1).AddDays(n),
                        Mood = mood,
                        Text = text,
                        Tags = [new Tag("old", n)],
                    });
                    written.Add(id);
                }
            }
            catch (ReposCatalogChangedException e)
            {
                Console.WriteLine($"refused {e.GetType().Name}");
                try
                {
                    await foreach (Note stored in db.Notes.All())
                    {
                        break;
                    }

                    Console.WriteLine("read-ok");
                }
                catch (ReposCatalogChangedException)
                {
                    Console.WriteLine("read-refused");
                }

                return 0;
            }

            Console.WriteLine($"ack {id} {mood} {text}");
        }

        Console.Error.WriteLine("no write was refused within 60 s");
        return 1;
    }
}
