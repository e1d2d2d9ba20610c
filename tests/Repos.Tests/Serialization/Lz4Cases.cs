namespace Repos.Tests.Serialization;

/// <summary>The named inputs every LZ4 interop test runs over.</summary>
internal static class Lz4Cases
{
    // 64 KB + 11 is where the reference switches from the 16-bit to the 32-bit hash table.
    private const int TableSwitch = (64 * 1024) + 11;

    private static readonly Dictionary<string, Func<byte[]>> s_cases = Build();

    public static IEnumerable<object[]> Names => s_cases.Keys.Select(name => new object[] { name });

    public static byte[] Get(string name) => s_cases[name]();

    private static Dictionary<string, Func<byte[]>> Build()
    {
        var cases = new Dictionary<string, Func<byte[]>>
        {
            ["empty"] = () => [],
            ["1 byte"] = () => [42],
            ["12 bytes"] = () => SampleData.Text(12),
            ["13 bytes"] = () => SampleData.Text(13),
            ["14 bytes"] = () => SampleData.Text(14),
            ["13 zero bytes"] = () => new byte[13],
            ["32 zero bytes"] = () => new byte[32],
            ["random 100"] = () => SampleData.Random(100),
            ["random 64KB"] = () => SampleData.Random(64 * 1024),
            ["random 1MB"] = () => SampleData.Random(1 << 20),
            ["zeros 1000"] = () => new byte[1000],
            ["zeros 64KB+11"] = () => new byte[TableSwitch],
            ["zeros 1MB"] = () => new byte[1 << 20],
            ["text 1KB"] = () => SampleData.Text(1024),
            ["text 1MiB"] = () => SampleData.Text(1 << 20),
            ["text with random holes 200KB"] = () =>
            {
                byte[] bytes = SampleData.Text(200_000, seed: 7);
                byte[] noise = SampleData.Random(200_000, seed: 8);
                for (int i = 0; i < bytes.Length; i += 5000)
                {
                    noise.AsSpan(i, 1000).CopyTo(bytes.AsSpan(i));
                }

                return bytes;
            },
            ["long match 300KB"] = () =>
            {
                // One long repeat far away: a match length needing many 255 bytes, and offsets near 64 KB.
                byte[] bytes = new byte[300_000];
                SampleData.Random(65_000, seed: 3).CopyTo(bytes, 0);
                SampleData.Random(65_000, seed: 3).CopyTo(bytes, 65_500);
                SampleData.Random(65_000, seed: 3).CopyTo(bytes, 200_000);
                return bytes;
            },
        };

        for (int period = 1; period <= 16; period++)
        {
            int p = period;
            cases[$"period {p} x 5000"] = () => SampleData.Periodic(5000, p);
        }

        foreach (int size in new[] { 16, 40, 100, 300, 600, 1000, 4096, 16_384, 65_536, 1 << 20, 4 << 20 })
        {
            int s = size;
            cases[$"entities {s}"] = () => s <= 4096 ? SampleData.Entity(s, s) : SampleData.Entities(s, seed: s);
        }

        foreach (int delta in new[] { -2, -1, 0, 1, 2 })
        {
            int d = delta;
            cases[$"entities 64KB+11{d:+0;-0;+0}"] = () => SampleData.Entities(TableSwitch + d, seed: 11);
            cases[$"text 64KB+11{d:+0;-0;+0}"] = () => SampleData.Text(TableSwitch + d, seed: 12);
        }

        return cases;
    }
}
