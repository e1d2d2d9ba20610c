namespace Repos.Transfer;

/// <summary>What an import of a bundle did, or on a dry run would do.</summary>
/// <param name="DryRun">Whether it was a dry run, which wrote nothing.</param>
/// <param name="Strategy">The strategy it ran with.</param>
/// <param name="App">The bundle's <c>app</c>: who wrote it.</param>
/// <param name="Entities">Per entity in the bundle: rows new, identical, conflicting, invalid, written.</param>
/// <param name="Problems">The first problems found (up to <see cref="BundleImportOptions.MaxProblems"/>); a dry run's preview lists them, an import refused for them throws them.</param>
/// <param name="BackupPath">The <c>BeforeImport</c> backup taken before writing, or null (a dry run, or backups off).</param>
public sealed record BundleImportResult(
    bool DryRun,
    BundleImportStrategy Strategy,
    string App,
    IReadOnlyList<BundleEntityImport> Entities,
    IReadOnlyList<BundleImportProblem> Problems,
    string? BackupPath)
{
    /// <summary>Whether the bundle can be imported with its strategy: no invalid rows, and no conflict under <see cref="BundleImportStrategy.FailOnConflict"/>.</summary>
    public bool CanImport => Problems.Count == 0;
}
