using System.Diagnostics;

namespace SymptomTracker;

/// <summary>Runs a query several times and prints its median time, as a screen would feel it when warm.</summary>
internal sealed class QueryTimer
{
    // Enough warm-up runs for the JIT to finish optimising the query's code (it does so after 30 calls).
    private const int WarmUp = 60;
    private const int Runs = 100;

    public async Task<T> Run<T>(string name, Func<Task<T>> query)
    {
        T result = await query();
        for (int i = 0; i < WarmUp; i++)
        {
            result = await query();
        }

        await Task.Delay(200);
        var times = new double[Runs];
        for (int i = 0; i < Runs; i++)
        {
            long start = Stopwatch.GetTimestamp();
            result = await query();
            times[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }

        Array.Sort(times);
        Console.WriteLine($"{name,-52} median {times[Runs / 2],8:F3} ms   (min {times[0]:F3}, max {times[^1]:F3})");
        return result;
    }
}
