// Two versions of one app's model, side by side, for MigrationBenchmarks.
using System.ComponentModel.DataAnnotations;
using Repos.Migrations;

namespace Repos.Benchmarks.Repository.MigrationV1
{
    /// <summary>Version 1: mood on a 1-10 scale.</summary>
    [Entity]
    [Index(nameof(UserId), nameof(Date))]
    public partial record Reading
    {
        [Key] public Guid Id { get; init; }

        public required string UserId { get; init; }

        public DateOnly Date { get; init; }

        [Indexed] public int Mood { get; init; }

        public string Text { get; init; } = "";
    }

    [Database(typeof(Reading))]
    public partial class ReadingsDb;
}

namespace Repos.Benchmarks.Repository.MigrationV2
{
    /// <summary>Version 2: mood on a 1-100 scale.</summary>
    [Entity(Version = 2)]
    [Index(nameof(UserId), nameof(Date))]
    public partial record Reading
    {
        [Key] public Guid Id { get; init; }

        public required string UserId { get; init; }

        public DateOnly Date { get; init; }

        [Indexed] [Range(1, 100)] public int Mood { get; init; }

        public string Text { get; init; } = "";

        internal static partial void MigrateFromVersion1(StoredRow row) => row.Set("Mood", row.Get<int>("Mood") * 10);
    }

    [Database(typeof(Reading))]
    public partial class ReadingsDb;
}
