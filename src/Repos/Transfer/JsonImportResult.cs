namespace Repos.Transfer;

/// <summary>What a successful import did.</summary>
/// <param name="Documents">The number of documents read.</param>
/// <param name="Inserted">The number of entities inserted.</param>
/// <param name="Replaced">The number of stored entities replaced (<see cref="DuplicateKeyHandling.Replace"/>).</param>
/// <param name="Skipped">The number of documents skipped because their key was already stored (<see cref="DuplicateKeyHandling.Skip"/>).</param>
public sealed record JsonImportResult(long Documents, long Inserted, long Replaced, long Skipped);
