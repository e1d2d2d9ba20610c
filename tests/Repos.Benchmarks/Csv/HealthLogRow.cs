namespace Repos.Benchmarks.Csv;

/// <summary>
/// One row of a health-log export: the columns of <see cref="HealthLogCsv.Columns"/>, in that order. Mutable so that
/// an import can fill one instance per row.
/// </summary>
internal sealed class HealthLogRow
{
    public Guid Id { get; set; }

    public string UserId { get; set; } = "";

    public DateOnly Date { get; set; }

    public int OverallHealth { get; set; }

    public int Energy { get; set; }

    public double SleepHours { get; set; }

    public Mood Mood { get; set; }

    public string Notes { get; set; } = "";

    public DateTime CompletedAt { get; set; }

    public decimal WeightKg { get; set; }
}
