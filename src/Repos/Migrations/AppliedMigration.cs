namespace Repos.Migrations;

/// <summary>A migration the file went through, as its catalog records it (<see cref="ReposDatabase.GetMigrationHistoryAsync"/>).</summary>
/// <param name="Target">The entity migrated, or the database's class name for a step of the database.</param>
/// <param name="Kind">What was migrated.</param>
/// <param name="FromVersion">The version before.</param>
/// <param name="ToVersion">The version after.</param>
/// <param name="Rows">
/// The rows the migration read (for a lazy entity: the rows left to upgrade on their next read or write;
/// for a database step: the stored rows it was handed).
/// </param>
/// <param name="AppliedAt">When it ran (UTC), inside the open that committed it.</param>
public sealed record AppliedMigration(string Target, MigrationKind Kind, int FromVersion, int ToVersion, long Rows, DateTimeOffset AppliedAt);
