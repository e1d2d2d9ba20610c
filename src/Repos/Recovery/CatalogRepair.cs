namespace Repos.Recovery;

/// <summary>
/// A record of the damaged file's catalog that <see cref="ReposRecovery.SalvageAsync"/> corrected in the new file,
/// because the catalog's sealed copy (intact by its SHA-256), or the app's model and the file's own tables
/// together, left no doubt about its value. Every row kept in an
/// entity a repair touches was still checked against the model (see <see cref="SalvageReport"/>).
/// </summary>
/// <param name="Table">The catalog table: <c>_repos_entities</c>, <c>_repos_fields</c> or <c>_repos_meta</c>.</param>
/// <param name="Type">The entity (in <c>_repos_entities</c>) or stored type (in <c>_repos_fields</c>) the record describes.</param>
/// <param name="Field">The field's name, for a record of <c>_repos_fields</c>; otherwise null.</param>
/// <param name="Column">The column corrected, or <c>*</c> when the whole record was added or removed.</param>
/// <param name="Found">The value the damaged file holds, or null when the record was missing.</param>
/// <param name="Written">The value written to the new file, or null when the record was removed.</param>
public sealed record CatalogRepair(string Table, string Type, string? Field, string Column, string? Found, string? Written);
