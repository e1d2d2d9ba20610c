namespace Repos.Transfer;

/// <summary>What an export wrote of one entity.</summary>
/// <param name="Name">The entity.</param>
/// <param name="Version">The schema version its rows are at in the bundle.</param>
/// <param name="Rows">How many rows were written.</param>
/// <param name="DamagedRowsSkipped">How many damaged rows were left out (only with <see cref="BundleExportOptions.SkipDamagedRows"/>).</param>
public sealed record ExportedEntity(string Name, int Version, long Rows, long DamagedRowsSkipped);
