using Repos.Storage.Sqlite;

namespace Repos.Tests.Housekeeping;

/// <summary>A sensor reading: a long key, a date index after an equality column, an instant and a nullable time.</summary>
[Entity]
[Index(nameof(DeviceId), nameof(TakenOn))]
public partial record Reading
{
    [System.ComponentModel.DataAnnotations.Key]
    public long Id { get; init; }

    public required string DeviceId { get; init; }

    public DateOnly TakenOn { get; init; }

    [Indexed]
    public DateTimeOffset RecordedAt { get; init; }

    [Indexed]
    public DateTime? ReviewedAt { get; init; }

    public double Value { get; init; }

    public string? Note { get; init; }
}

/// <summary>A setting: a string key and a DateTime index.</summary>
[Entity]
public partial record Setting
{
    [System.ComponentModel.DataAnnotations.Key]
    public required string Name { get; init; }

    public string Value { get; init; } = "";

    [Indexed]
    public DateTime ChangedAt { get; init; }
}

[Database(typeof(Reading), typeof(Setting))]
public partial class ReadingsDb;

/// <summary>Helpers the housekeeping tests share.</summary>
internal static class HousekeepingData
{
    public static Reading NewReading(long id, string device = "d1", int day = 0, int noteLength = 40, int seed = 0) => new()
    {
        Id = id,
        DeviceId = device,
        TakenOn = new DateOnly(2026, 1, 1).AddDays(day),
        RecordedAt = new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero).AddDays(day),
        Value = id * 0.5,
        Note = noteLength == 0 ? null : RandomText(noteLength, seed == 0 ? (int)id : seed),
    };

    /// <summary>Text LZ4 cannot shrink much, so row sizes follow its length.</summary>
    public static string RandomText(int length, int seed)
    {
        var random = new Random(seed);
        const string Alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        return string.Create(length, random, (span, r) =>
        {
            for (int i = 0; i < span.Length; i++)
            {
                span[i] = Alphabet[r.Next(Alphabet.Length)];
            }
        });
    }

    /// <summary>SQLite's own check of the whole file.</summary>
    public static string IntegrityCheck(string path)
    {
        using SqliteConnection connection = SqliteConnection.Open(path, readOnly: true, create: false);
        using SqliteStatement check = connection.PrepareOnce("PRAGMA integrity_check");
        Assert.True(check.Step());
        return check.ColumnText(0);
    }

    /// <summary>Runs a query returning one integer on the file, outside Repos.</summary>
    public static long Scalar(string path, string sql)
    {
        using SqliteConnection connection = SqliteConnection.Open(path, readOnly: true, create: false);
        return connection.ExecuteScalar(sql);
    }
}
