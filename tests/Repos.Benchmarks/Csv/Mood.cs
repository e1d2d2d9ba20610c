namespace Repos.Benchmarks.Csv;

/// <summary>How a day went, stored in a health-log row by name.</summary>
internal enum Mood
{
    Awful,
    Bad,
    Okay,
    Good,
    Great,
}
