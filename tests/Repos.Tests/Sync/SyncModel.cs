using System.ComponentModel.DataAnnotations;

// A symptom tracker's model as two devices share it: symptoms are synced, drafts stay on the device.
namespace Repos.Tests.Sync
{
    [Entity, Synced]
    [Index(nameof(Day))]
    public partial record Symptom
    {
        [Key] public Guid Id { get; init; }

        [Required, MaxLength(100)] public string Name { get; init; } = "";

        [Range(0, 10)] public int Severity { get; init; }

        public DateOnly Day { get; init; }

        public string? Note { get; init; }

        public List<string> Tags { get; init; } = [];

        public Dose? Dose { get; init; }
    }

    public sealed record Dose(string Medicine, decimal Milligrams);

    [Entity]
    public partial record Draft
    {
        [Key] public Guid Id { get; init; }

        public string Text { get; init; } = "";
    }

    [Database(typeof(Symptom), typeof(Draft))]
    public partial class SymptomsDb;

    [Entity]
    public partial record Memo
    {
        [Key] public Guid Id { get; init; }

        public string Text { get; init; } = "";
    }

    [Database(typeof(Memo))]
    public partial class MemosDb;

    // A synced entity with a row version: each file counts the writes to its own copy of a row.
    [Entity, Synced]
    public partial record Chore
    {
        [Key] public Guid Id { get; init; }

        public string Title { get; init; } = "";

        public int Minutes { get; init; }

        [ConcurrencyCheck] public long Version { get; init; }
    }

    [Database(typeof(Chore))]
    public partial class ChoresDb;
}
