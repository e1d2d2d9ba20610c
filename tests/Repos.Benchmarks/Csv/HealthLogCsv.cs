using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace Repos.Benchmarks.Csv;

/// <summary>
/// The export's columns, their text forms (invariant culture, exactly as an export writes them), the seeded rows the
/// CSV benchmarks write and read, and what an import checks and sums of each row.
/// </summary>
internal static class HealthLogCsv
{
    public static readonly string[] Columns =
    [
        "Id", "UserId", "Date", "OverallHealth", "Energy", "SleepHours", "Mood", "Notes", "CompletedAt", "WeightKg",
    ];

    /// <summary>The names of <see cref="Mood"/>, by value: an export writes enums by name.</summary>
    public static readonly string[] MoodNames = Enum.GetNames<Mood>();

    /// <summary>The format of <see cref="HealthLogRow.Date"/>.</summary>
    public const string DateFormat = "yyyy-MM-dd";

    /// <summary>The format of <see cref="HealthLogRow.CompletedAt"/>: ISO 8601 round trip.</summary>
    public const string DateTimeFormat = "O";

    public static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    private static readonly string[] s_words =
    [
        "slept", "badly", "well", "woke", "early", "late", "headache", "after", "lunch", "walked", "the", "dog",
        "felt", "tired", "better", "than", "yesterday", "took", "medication", "with", "breakfast", "stiff", "knees",
        "in", "morning", "long", "day", "at", "work", "rested", "afternoon", "light", "dinner", "evening", "stretch",
    ];

    private static readonly string[] s_nonAsciiWords = ["café", "naïve", "½ dose", "38.5°C", "Übelkeit", "—"];

    /// <summary>
    /// <paramref name="count"/> rows from a fixed seed: notes of 0 to 200 characters, about one in five with a comma,
    /// one in twelve with quotes, one in fifteen with a line break (CRLF or LF) and one in five with non-ASCII text.
    /// </summary>
    public static HealthLogRow[] Generate(int count)
    {
        var random = new Random(20261204);
        var rows = new HealthLogRow[count];
        var users = new string[40];
        for (int u = 0; u < users.Length; u++)
        {
            users[u] = $"user-{u:D4}";
        }

        var id = new byte[16];
        var notes = new StringBuilder(256);
        var firstDay = new DateOnly(2020, 1, 1);
        for (int i = 0; i < count; i++)
        {
            random.NextBytes(id);
            id[7] = (byte)((id[7] & 0x0F) | 0x40);
            id[8] = (byte)((id[8] & 0x3F) | 0x80);
            DateOnly date = firstDay.AddDays(i / users.Length % 3650);

            int length = random.Next(0, 201);
            bool comma = random.Next(5) == 0;
            bool quote = random.Next(12) == 0;
            bool lineBreak = random.Next(15) == 0;
            bool nonAscii = random.Next(5) == 0;
            notes.Clear();
            while (notes.Length < length)
            {
                int roll = random.Next(100);
                if (comma && roll < 8)
                {
                    notes.Append(", ");
                }
                else if (quote && roll < 12)
                {
                    notes.Append("\"quoted\" ");
                }
                else if (lineBreak && roll < 15)
                {
                    notes.Append(random.Next(2) == 0 ? "\r\n" : "\n");
                }
                else if (nonAscii && roll < 20)
                {
                    notes.Append(s_nonAsciiWords[random.Next(s_nonAsciiWords.Length)]).Append(' ');
                }
                else
                {
                    notes.Append(s_words[random.Next(s_words.Length)]).Append(' ');
                }
            }

            notes.Length = Math.Min(notes.Length, length);
            rows[i] = new HealthLogRow
            {
                Id = new Guid(id),
                UserId = users[i % users.Length],
                Date = date,
                OverallHealth = random.Next(1, 11),
                Energy = random.Next(1, 11),
                SleepHours = random.Next(12, 41) * 0.25,
                Mood = (Mood)random.Next(MoodNames.Length),
                Notes = notes.ToString(),
                CompletedAt = date.ToDateTime(new TimeOnly(19, 0), DateTimeKind.Utc)
                    .AddTicks(random.NextInt64(TimeSpan.TicksPerHour * 5)),
                WeightKg = new decimal(random.Next(450, 1300), 0, 0, false, 1),
            };
        }

        return rows;
    }

    /// <summary>The text of column <paramref name="column"/> of <paramref name="row"/>, as the export writes it.</summary>
    public static string Text(HealthLogRow row, int column) => column switch
    {
        0 => row.Id.ToString("D"),
        1 => row.UserId,
        2 => row.Date.ToString(DateFormat, Invariant),
        3 => row.OverallHealth.ToString(Invariant),
        4 => row.Energy.ToString(Invariant),
        5 => row.SleepHours.ToString(Invariant),
        6 => MoodNames[(int)row.Mood],
        7 => row.Notes,
        8 => row.CompletedAt.ToString(DateTimeFormat, Invariant),
        9 => row.WeightKg.ToString(Invariant),
        _ => throw new ArgumentOutOfRangeException(nameof(column)),
    };

    public static Mood ParseMood(ReadOnlySpan<char> name)
    {
        for (int i = 0; i < MoodNames.Length; i++)
        {
            if (name.SequenceEqual(MoodNames[i]))
            {
                return (Mood)i;
            }
        }

        throw new FormatException($"'{name}' is not a {nameof(Mood)}");
    }

    public static Mood ParseMood(ReadOnlySpan<byte> utf8Name)
    {
        // The names are ASCII, so a byte compares with a char.
        for (int i = 0; i < MoodNames.Length; i++)
        {
            string name = MoodNames[i];
            if (utf8Name.Length == name.Length && Ascii.Equals(utf8Name, name))
            {
                return (Mood)i;
            }
        }

        throw new FormatException($"'{Encoding.UTF8.GetString(utf8Name)}' is not a {nameof(Mood)}");
    }

    /// <summary>
    /// What an import checks before it stores a row (the model's ranges), then a sum of every value of the row, so
    /// that each parser's result can be compared with the rows that were written.
    /// </summary>
    public static long ValidateAndSum(HealthLogRow row, long sum)
    {
        if (row.OverallHealth is < 1 or > 10 || row.Energy is < 1 or > 10 || row.SleepHours is < 0 or > 24 ||
            row.Notes.Length > 200 || row.UserId.Length == 0 || row.CompletedAt.Kind != DateTimeKind.Utc ||
            row.WeightKg <= 0)
        {
            throw new InvalidDataException($"row {row.Id} is out of the model's ranges");
        }

        Guid key = row.Id;
        ReadOnlySpan<long> id = MemoryMarshal.Cast<Guid, long>(new ReadOnlySpan<Guid>(in key));
        sum = Mix(sum, id[0]);
        sum = Mix(sum, id[1]);
        sum = Mix(sum, string.GetHashCode(row.UserId));
        sum = Mix(sum, row.Date.DayNumber);
        sum = Mix(sum, row.OverallHealth);
        sum = Mix(sum, row.Energy);
        sum = Mix(sum, BitConverter.DoubleToInt64Bits(row.SleepHours));
        sum = Mix(sum, (long)row.Mood);
        sum = Mix(sum, string.GetHashCode(row.Notes));
        sum = Mix(sum, row.CompletedAt.Ticks);
        return Mix(sum, row.WeightKg.GetHashCode() ^ ((long)row.WeightKg.Scale << 32));
    }

    private static long Mix(long sum, long value) => unchecked(((sum ^ value) * 0x100000001B3L) + (long)0x9E3779B97F4A7C15UL);
}
