using System.Globalization;

namespace Repos.Tests.Sync;

/// <summary>
/// The rows the sync crash test writes, shared by the test and its child process (tests/Repos.Tests.Child): which
/// keys each writer owns, how a write is made, and the one-line text a row is logged and compared as.
/// </summary>
/// <remarks>
/// The child alone writes <see cref="ChildKeys"/>, so their final state is exactly the last write the child
/// committed to each: that is how the test knows no acknowledged write was lost. The in-process replica alone writes
/// <see cref="OtherKeys"/>, which gives the child plenty to pull and apply. Both write <see cref="SharedKeys"/>,
/// where their writes meet and the merge rule decides; those are checked for convergence only.
/// </remarks>
internal static class SyncCrashWorkload
{
    public static readonly Guid[] ChildKeys = Keys(0x0C, 24);

    public static readonly Guid[] SharedKeys = Keys(0x05, 6);

    public static readonly Guid[] OtherKeys = Keys(0x0A, 40);

    private static readonly string[] Names = ["headache", "nausea", "fatigue", "dizziness"];

    private static readonly Dictionary<string, Guid> ByName = ChildKeys.Concat(SharedKeys).Concat(OtherKeys).ToDictionary(NameOf);

    /// <summary>The key's short name in logs: its owner's letter and its number.</summary>
    public static string NameOf(Guid key)
    {
        byte[] bytes = key.ToByteArray();
        char owner = bytes[0] switch { 0x0C => 'c', 0x05 => 's', _ => 'o' };
        return $"{owner}{bytes[1]}";
    }

    /// <summary>The key a short name stands for.</summary>
    public static Guid KeyOf(string name) => ByName[name];

    /// <summary>A whole new row; <paramref name="marker"/> makes its note unique to this write.</summary>
    public static Symptom NewRow(Guid key, Random random, string marker) => new()
    {
        Id = key,
        Name = Names[random.Next(Names.Length)],
        Severity = random.Next(0, 11),
        Day = new DateOnly(2026, 11, 1).AddDays(random.Next(30)),
        Note = marker,
        Tags = [.. Enumerable.Range(0, random.Next(3)).Select(_ => $"t{random.Next(4)}")],
        Dose = random.Next(2) == 0 ? null : new Dose("paracetamol", random.Next(1, 5) * 250.5m),
    };

    /// <summary>An update of the note (to <paramref name="marker"/>, so it always changes something) and up to two other fields.</summary>
    public static Symptom Update(Symptom current, Random random, string marker)
    {
        Symptom updated = current with { Note = marker };
        for (int n = random.Next(0, 3); n > 0; n--)
        {
            updated = random.Next(5) switch
            {
                0 => updated with { Name = Names[random.Next(Names.Length)] },
                1 => updated with { Severity = random.Next(0, 11) },
                2 => updated with { Day = new DateOnly(2026, 11, 1).AddDays(random.Next(30)) },
                3 => updated with { Tags = [.. Enumerable.Range(0, random.Next(3)).Select(_ => $"t{random.Next(4)}")] },
                _ => updated with { Dose = random.Next(3) == 0 ? null : new Dose("ibuprofen", random.Next(1, 5) * 100.5m) },
            };
        }

        return updated;
    }

    /// <summary>The row as one line of space-separated fields (no field holds a space), for logs and comparisons.</summary>
    public static string Describe(Symptom s) => string.Join(
        ' ',
        s.Name,
        s.Severity.ToString(CultureInfo.InvariantCulture),
        s.Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        s.Note ?? "~",
        $"[{string.Join(',', s.Tags)}]",
        s.Dose is { } dose ? $"{dose.Medicine}:{dose.Milligrams.ToString("0.#########", CultureInfo.InvariantCulture)}" : "~");

    private static Guid[] Keys(byte owner, int count) =>
        [.. Enumerable.Range(0, count).Select(i => new Guid([owner, (byte)i, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x5C]))];
}
