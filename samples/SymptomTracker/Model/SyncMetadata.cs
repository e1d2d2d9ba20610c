using System.ComponentModel.DataAnnotations;
using Repos;

namespace SymptomTracker.Model;

/// <summary>Where this device's copy stands against the server, per data set.</summary>
[Entity]
public partial record SyncMetadata
{
    [Key]
    public required string Key { get; init; }

    public string DeviceId { get; init; } = "";

    public long ServerVersion { get; init; }

    public DateTime? LastSyncedAt { get; init; }

    public Dictionary<string, long> Cursors { get; init; } = [];
}
