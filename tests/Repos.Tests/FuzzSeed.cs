using System.Globalization;

namespace Repos.Tests;

/// <summary>
/// The seed of a randomised test: the test's own fixed seed, or the one in REPOS_FUZZ_SEED to reproduce
/// or widen a run. Tests print the seed in every failure message.
/// </summary>
internal static class FuzzSeed
{
    public static int Get(int defaultSeed)
    {
        string? value = Environment.GetEnvironmentVariable("REPOS_FUZZ_SEED");
        return value is not null && int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out int seed)
            ? seed
            : defaultSeed;
    }
}
