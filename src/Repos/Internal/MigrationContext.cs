using Repos.Migrations;

namespace Repos.Internal;

/// <summary>What the migration of one entity needs from the catalog and the caller.</summary>
/// <param name="NamesById">The name of every field id the entity's type ever had.</param>
/// <param name="IdsByName">The id of every field name (renamed fields under their current name).</param>
/// <param name="Progress">Where to report progress, or null.</param>
/// <param name="BackupPath">The backup taken before migrating, for messages.</param>
internal sealed record MigrationContext(
    IReadOnlyDictionary<long, string> NamesById,
    IReadOnlyDictionary<string, int> IdsByName,
    IProgress<MigrationProgress>? Progress,
    string? BackupPath);
