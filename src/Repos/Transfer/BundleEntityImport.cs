namespace Repos.Transfer;

/// <summary>What an import did, or on a dry run would do, with the rows of one entity.</summary>
/// <param name="Name">The entity.</param>
/// <param name="Rows">The rows the bundle holds.</param>
/// <param name="New">Rows whose keys the file does not hold.</param>
/// <param name="Identical">Rows equal to the stored ones.</param>
/// <param name="Conflicting">Rows whose keys the file holds with other values.</param>
/// <param name="Invalid">Rows that do not convert to the entity or break its validation rules.</param>
/// <param name="Written">Rows written (0 on a dry run).</param>
/// <param name="Dropped">Rows of an older version of the app that its migration steps deleted, so not imported.</param>
public sealed record BundleEntityImport(string Name, long Rows, long New, long Identical, long Conflicting, long Invalid, long Written, long Dropped = 0);
