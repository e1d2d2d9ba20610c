using System.ComponentModel.DataAnnotations;
using Repos;

namespace SymptomTracker.Model;

/// <summary>An export of a user's data the user asked for (for a doctor, or to move apps).</summary>
[Entity]
[Index(nameof(UserId), nameof(RequestedAt))]
public partial record DataExport
{
    [Key]
    public Guid Id { get; init; }

    public required string UserId { get; init; }

    public DateTime RequestedAt { get; init; }

    public ExportFormat Format { get; init; }

    public ExportStatus Status { get; init; }

    public DateOnly From { get; init; }

    public DateOnly To { get; init; }

    public string? FilePath { get; init; }

    public long? SizeBytes { get; init; }
}

public enum ExportFormat
{
    Json,
    Csv,
    Pdf,
}

public enum ExportStatus
{
    Requested,
    Running,
    Done,
    Failed,
}
