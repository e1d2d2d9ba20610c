namespace Repos.Transfer;

/// <summary>What an export wrote.</summary>
/// <param name="Entities">Each entity exported, in the bundle's order.</param>
/// <param name="Bytes">The bundle's length in bytes.</param>
/// <param name="Sha256">The checksum the bundle ends with (lowercase hex).</param>
public sealed record BundleExportResult(IReadOnlyList<ExportedEntity> Entities, long Bytes, string Sha256);
