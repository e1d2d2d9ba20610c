using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Repos.Transfer;
using Xunit.Abstractions;

namespace Repos.Tests.Transfer;

/// <summary>Large imports, and random documents written in random dump shapes and naming styles.</summary>
public sealed class JsonImportVolumeTests(ITestOutputHelper output) : IDisposable
{
    private static readonly Priority[] s_priorities = Enum.GetValues<Priority>();

    private readonly TempDirectory _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task FiftyThousandDocuments_FromALocalStorageDump_ImportInOneTransaction()
    {
        const int Count = 50_000;
        string dumpPath = _folder.File("localStorage.json");
        var random = new Random(50_000);
        Todo[] todos = Enumerable.Range(0, Count).Select(i => RandomTodo(random, i)).ToArray();
        await using (FileStream file = File.Create(dumpPath))
        {
            WriteDump(file, todos, random, Shape.LocalStorage);
        }

        long dumpBytes = new FileInfo(dumpPath).Length;
        await using TodoDb db = await TodoDb.OpenAsync(_folder.File("todo.db"));
        long allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var clock = Stopwatch.StartNew();

        JsonImportResult result;
        await using (FileStream dump = File.OpenRead(dumpPath))
        {
            result = await db.Todos.ImportJsonAsync(dump, new JsonImportOptions { KeyPrefix = "todo:" });
        }

        clock.Stop();
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;

        // For scale: the same entities written with InsertManyAsync, which skips reading and converting JSON.
        await using TodoDb other = await TodoDb.OpenAsync(_folder.File("insert-many.db"));
        var insertClock = Stopwatch.StartNew();
        await other.Todos.InsertManyAsync(todos);
        insertClock.Stop();
        output.WriteLine(
            $"Imported {Count:N0} documents ({dumpBytes / 1048576.0:F1} MiB of localStorage JSON) in {clock.ElapsedMilliseconds:N0} ms: " +
            $"{Count / clock.Elapsed.TotalSeconds:N0} documents/s, {allocated / (double)Count:N0} bytes allocated per document " +
            $"(InsertManyAsync of the same entities: {insertClock.ElapsedMilliseconds:N0} ms).");

        Assert.Equal(new JsonImportResult(Count, Count, 0, 0), result);
        Assert.Equal(Count, await db.Todos.CountAsync());
        foreach (int i in new[] { 0, 1, 24_999, Count - 1 })
        {
            Assert.Equal(Canonical(todos[i]), Canonical((await db.Todos.GetAsync(todos[i].Id))!));
        }

        // Generous for a shared two-core machine; a typical run takes a few seconds.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(120), $"the import took {clock.Elapsed}");
    }

    [Fact]
    public async Task RandomDocuments_InEveryDumpShapeAndNamingStyle_ReadBackAsWritten()
    {
        int seed = FuzzSeed.Get(20_240_601);
        var random = new Random(seed);
        for (int round = 0; round < 12; round++)
        {
            var shape = (Shape)(round % 3);
            Todo[] todos = Enumerable.Range(0, random.Next(1, 400)).Select(i => RandomTodo(random, (round * 1000) + i)).ToArray();
            var dump = new MemoryStream();
            WriteDump(dump, todos, random, shape);
            dump.Position = 0;
            string path = _folder.File($"round{round}.db");
            await using TodoDb db = await TodoDb.OpenAsync(path);

            JsonImportResult result = await db.Todos.ImportJsonAsync(dump, Options(shape));

            Assert.True(todos.Length == result.Inserted, $"seed {seed}, round {round}: inserted {result.Inserted} of {todos.Length}");
            foreach (Todo expected in todos)
            {
                Todo? actual = await db.Todos.GetAsync(expected.Id);
                Assert.True(actual is not null, $"seed {seed}, round {round}: {expected.Id} is missing");
                Assert.True(Canonical(expected) == Canonical(actual), $"seed {seed}, round {round}:\nexpected {Canonical(expected)}\nactual   {Canonical(actual)}");
            }
        }
    }

    [Fact]
    public async Task RandomDumps_WithOneBadDocument_WriteNothing_AndNameIt()
    {
        int seed = FuzzSeed.Get(7_031_990);
        var random = new Random(seed);
        for (int round = 0; round < 9; round++)
        {
            var shape = (Shape)(round % 3);
            Todo[] todos = Enumerable.Range(0, random.Next(2, 300)).Select(i => RandomTodo(random, i)).ToArray();
            int bad = random.Next(todos.Length);
            todos[bad] = todos[bad] with { Progress = 100 + random.Next(1, 1000) };
            var dump = new MemoryStream();
            WriteDump(dump, todos, random, shape);
            dump.Position = 0;
            await using TodoDb db = await TodoDb.OpenAsync(_folder.File($"bad{round}.db"));

            var e = await Assert.ThrowsAsync<JsonImportException>(() => db.Todos.ImportJsonAsync(dump, Options(shape)).AsTask());

            string context = $"seed {seed}, round {round}, bad document {bad}: {e.Message}";
            JsonImportError error = Assert.Single(e.Errors);
            Assert.True(bad == error.DocumentIndex, context);
            Assert.True(error.Path.EndsWith("rogress", StringComparison.Ordinal) && error.Kind == JsonImportErrorKind.Validation, context);
            Assert.True(await db.Todos.CountAsync() == 0, context);
        }
    }

    private enum Shape
    {
        Array,
        Map,
        LocalStorage,
    }

    private enum Naming
    {
        Pascal,
        Camel,
        Snake,
        Kebab,
    }

    private static JsonImportOptions Options(Shape shape) => shape switch
    {
        Shape.Array => new JsonImportOptions { Path = "$.export.todos" },
        Shape.Map => new JsonImportOptions(),
        _ => new JsonImportOptions { KeyPrefix = "todo:" },
    };

    private static Todo RandomTodo(Random random, int index)
    {
        DateTime created = DateTime.UnixEpoch.AddMilliseconds(random.NextInt64(0, 4_000_000_000_000));
        return new Todo
        {
            Id = $"t{index}-{RandomText(random, 0, 6)}",
            OwnerId = "user" + random.Next(50),
            Title = RandomText(random, 1, 60).Trim() is { Length: > 0 } title ? title.Replace("forbidden", "allowed", StringComparison.Ordinal) + $" #{index}" : $"#{index}",
            Notes = random.Next(3) == 0 ? null : RandomText(random, 0, 200),
            Priority = s_priorities[random.Next(s_priorities.Length)],
            Repeat = (Weekdays)random.Next(128),
            CreatedAt = created,
            DoneAt = random.Next(2) == 0 ? null : new DateTimeOffset(created.AddMinutes(random.Next(100_000)).Ticks, TimeSpan.Zero).ToOffset(TimeSpan.FromMinutes(15 * random.Next(-48, 57))),
            Due = random.Next(2) == 0 ? null : DateOnly.FromDateTime(created).AddDays(random.Next(60)),
            Progress = random.Next(101),
            Steps = Enumerable.Range(0, random.Next(4)).Select(_ => new Step(RandomText(random, 0, 30), random.Next(2) == 0, random.Next(3) == 0 ? null : random.Next(1, 601))).ToList(),
            Labels = Enumerable.Range(0, random.Next(4)).Select(_ => RandomText(random, 1, 10)).ToHashSet(),
            Extra = Enumerable.Range(0, random.Next(3)).ToDictionary(i => $"k{i}{RandomText(random, 0, 5)}", _ => RandomText(random, 0, 20)),
            Location = random.Next(3) == 0 ? null : new Place(Math.Round((random.NextDouble() * 180) - 90, 6), (random.NextDouble() * 360) - 180, random.Next(2) == 0 ? null : RandomText(random, 1, 20)),
        };
    }

    private static string RandomText(Random random, int min, int max)
    {
        const string Alphabet = "abcdefghijklmnopqrstuvwxyz ABC0123456789 \"\\/\t\n:{}[],éßü€日本語";
        int length = random.Next(min, max + 1);
        var text = new StringBuilder(length);
        for (int i = 0; i < length; i++)
        {
            text.Append(random.Next(40) == 0 ? "😀" : Alphabet[random.Next(Alphabet.Length)].ToString());
        }

        return text.ToString();
    }

    /// <summary>Writes the to-dos as a dump of <paramref name="shape"/>, each document in a random naming style and value forms.</summary>
    private static void WriteDump(Stream stream, IReadOnlyList<Todo> todos, Random random, Shape shape)
    {
        using var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = random.Next(2) == 0 });
        writer.WriteStartObject();
        if (shape == Shape.Array)
        {
            writer.WriteString("app", "todos");
            writer.WriteStartObject("export");
            writer.WriteStartArray("settings");
            writer.WriteEndArray();
            writer.WriteStartArray("todos");
        }

        foreach (Todo todo in todos)
        {
            switch (shape)
            {
                case Shape.Array:
                    WriteTodo(writer, todo, random, withId: true);
                    break;
                case Shape.Map:
                    writer.WritePropertyName(todo.Id);
                    WriteTodo(writer, todo, random, withId: random.Next(2) == 0);
                    break;
                default:
                    if (random.Next(4) == 0)
                    {
                        writer.WriteString("setting:" + random.Next(), "{not json");
                    }

                    var inner = new MemoryStream();
                    using (var innerWriter = new Utf8JsonWriter(inner))
                    {
                        WriteTodo(innerWriter, todo, random, withId: random.Next(2) == 0);
                    }

                    writer.WriteString("todo:" + todo.Id, Encoding.UTF8.GetString(inner.ToArray()));
                    break;
            }
        }

        if (shape == Shape.Array)
        {
            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }

    private static void WriteTodo(Utf8JsonWriter writer, Todo todo, Random random, bool withId)
    {
        var naming = (Naming)random.Next(4);
        string Name(string pascal) => naming switch
        {
            Naming.Pascal => pascal,
            Naming.Camel => char.ToLowerInvariant(pascal[0]) + pascal[1..],
            Naming.Snake => string.Concat(pascal.Select((c, i) => i > 0 && char.IsUpper(c) ? "_" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString())),
            _ => string.Concat(pascal.Select((c, i) => i > 0 && char.IsUpper(c) ? "-" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString())),
        };

        writer.WriteStartObject();
        if (withId)
        {
            writer.WriteString(Name("Id"), todo.Id);
        }

        writer.WriteString(Name("OwnerId"), todo.OwnerId);
        writer.WriteString(Name("Title"), todo.Title);
        if (todo.Notes is not null || random.Next(2) == 0)
        {
            writer.WriteString(Name("Notes"), todo.Notes);
        }

        switch (random.Next(3))
        {
            case 0: writer.WriteString(Name("Priority"), todo.Priority.ToString()); break;
            case 1: writer.WriteString(Name("Priority"), todo.Priority.ToString().ToLowerInvariant()); break;
            default: writer.WriteNumber(Name("Priority"), (int)todo.Priority); break;
        }

        if (random.Next(2) == 0)
        {
            writer.WriteString(Name("Repeat"), todo.Repeat.ToString());
        }
        else
        {
            writer.WriteNumber(Name("Repeat"), (int)todo.Repeat);
        }

        if (random.Next(2) == 0)
        {
            writer.WriteNumber(Name("CreatedAt"), (todo.CreatedAt - DateTime.UnixEpoch).Ticks / (decimal)TimeSpan.TicksPerMillisecond);
        }
        else
        {
            writer.WriteString(Name("CreatedAt"), todo.CreatedAt.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture));
        }

        if (todo.DoneAt is { } done)
        {
            writer.WriteString(Name("DoneAt"), done.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffffzzz", CultureInfo.InvariantCulture));
        }
        else if (random.Next(2) == 0)
        {
            writer.WriteNull(Name("DoneAt"));
        }

        if (todo.Due is { } due)
        {
            writer.WriteString(Name("Due"), due.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        }

        if (random.Next(2) == 0)
        {
            writer.WriteNumber(Name("Progress"), todo.Progress);
        }
        else
        {
            writer.WriteString(Name("Progress"), todo.Progress.ToString(CultureInfo.InvariantCulture));
        }

        writer.WriteStartArray(Name("Steps"));
        foreach (Step step in todo.Steps)
        {
            writer.WriteStartObject();
            writer.WriteString(Name("Text"), step.Text);
            writer.WriteBoolean(Name("Done"), step.Done);
            if (step.Minutes is { } minutes)
            {
                writer.WriteNumber(Name("Minutes"), minutes);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteStartArray(Name("Labels"));
        foreach (string label in todo.Labels)
        {
            writer.WriteStringValue(label);
        }

        writer.WriteEndArray();
        writer.WriteStartObject(Name("Extra"));
        foreach ((string key, string value) in todo.Extra)
        {
            writer.WriteString(key, value);
        }

        writer.WriteEndObject();
        if (todo.Location is { } place)
        {
            writer.WriteStartObject(Name("Location"));
            writer.WriteNumber(Name("Latitude"), place.Latitude);
            writer.WriteNumber(Name("Longitude"), place.Longitude);
            writer.WriteString(Name("Name"), place.Name);
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }

    /// <summary>Every stored value of a to-do as text, to compare two of them.</summary>
    private static string Canonical(Todo todo) => string.Join(
        " | ",
        todo.Id,
        todo.OwnerId,
        todo.Title,
        todo.Notes ?? "<null>",
        todo.Priority,
        todo.Repeat,
        todo.CreatedAt.ToString("O", CultureInfo.InvariantCulture),
        todo.DoneAt?.ToString("O", CultureInfo.InvariantCulture) ?? "<null>",
        todo.Due?.ToString("O", CultureInfo.InvariantCulture) ?? "<null>",
        todo.Progress,
        string.Join(";", todo.Steps),
        string.Join(";", todo.Labels.Order(StringComparer.Ordinal)),
        string.Join(";", todo.Extra.OrderBy(e => e.Key, StringComparer.Ordinal)),
        todo.Location?.ToString() ?? "<null>");
}
