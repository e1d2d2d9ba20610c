namespace Repos.Cli.Tests;

/// <summary>The app's side: a health log file written through the generated <see cref="HealthDb"/>.</summary>
internal static class HealthLog
{
    public const int Days = 10;

    public static readonly string[] Users = ["ann", "bob"];

    public static readonly DateOnly Start = new(2024, 1, 1);

    /// <summary>The key of <paramref name="user"/>'s entry of day <paramref name="day"/>.</summary>
    public static Guid Id(string user, int day) => new(day, 0, 0, [0, 0, 0, 0, 0, 0, 0, (byte)user[0]]);

    /// <summary>The entry the file holds for <paramref name="user"/> on day <paramref name="day"/>.</summary>
    public static HealthEntry Entry(string user, int day) => new()
    {
        Id = Id(user, day),
        UserId = user,
        Date = Start.AddDays(day),
        Feeling = (Feeling)(1 + (day % 3)),
        WeightKg = 60.50m + day,
        Note = day switch
        {
            0 => null,
            2 => "Καλή μέρα",
            _ => $"day {day}",
        },
        Doses = day % 2 == 0 ? [new Dose("ibuprofen", 200m), new Dose("paracetamol", 500.0m)] : [],
    };

    /// <summary>Asserts that <paramref name="actual"/> has the values of <paramref name="expected"/> (records compare lists by reference).</summary>
    public static void AssertSame(HealthEntry expected, HealthEntry? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected with { Doses = [] }, actual with { Doses = [] });
        Assert.Equal(expected.Doses, actual.Doses);
    }

    /// <summary>Writes <see cref="Days"/> entries for each of <see cref="Users"/> and two clinics to a new file.</summary>
    public static async Task<string> WriteAsync(string path)
    {
        await using HealthDb db = await HealthDb.OpenAsync(path);
        foreach (string user in Users)
        {
            for (int day = 0; day < Days; day++)
            {
                await db.HealthEntries.InsertAsync(Entry(user, day));
            }
        }

        await db.Clinics.InsertAsync(new Clinic { Id = 1, Name = "North" });
        await db.Clinics.InsertAsync(new Clinic { Id = 2, Name = "South" });
        return path;
    }
}

/// <summary>One health log file for the tests that only read it.</summary>
public sealed class HealthFileFixture : IAsyncLifetime, IDisposable
{
    private readonly TempDirectory _folder = new();

    public string Path { get; private set; } = "";

    public string Folder => _folder.Path;

    public async Task InitializeAsync() => Path = await HealthLog.WriteAsync(_folder.File("health.db"));

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _folder.Dispose();
}
