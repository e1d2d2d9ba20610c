namespace Repos.Transfer;

/// <summary>A row of a bundle that cannot be imported as it is.</summary>
/// <param name="Entity">The row's entity.</param>
/// <param name="Row">The row's place among its entity's rows, from 0.</param>
/// <param name="Key">The row's key as text, when it has one.</param>
/// <param name="Path">The JSON path in the bundle of the value at fault.</param>
/// <param name="Message">What is wrong.</param>
public sealed record BundleImportProblem(string Entity, long Row, string? Key, string Path, string Message)
{
    /// <inheritdoc/>
    public override string ToString() => $"{Path}: {Message}";
}
