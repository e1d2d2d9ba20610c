namespace Repos.Migrations;

/// <summary>How far the migration of one entity's rows has come.</summary>
/// <param name="Entity">The entity being migrated.</param>
/// <param name="ToVersion">The schema version its rows are brought to.</param>
/// <param name="RowsDone">Rows migrated so far.</param>
/// <param name="RowsTotal">Rows to migrate in all.</param>
public readonly record struct MigrationProgress(string Entity, int ToVersion, long RowsDone, long RowsTotal);
