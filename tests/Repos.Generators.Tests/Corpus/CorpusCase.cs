namespace Repos.Generators.Tests.Corpus;

/// <summary>
/// One shape a model author might write, compiled on its own. <see cref="Source"/> marks each span a
/// diagnostic must point at with <c>[|...|]</c>; <see cref="ExpectedIds"/> gives their ids in source order.
/// A case with no ids must build with no error and no warning (warnings are errors in the corpus).
/// </summary>
/// <param name="Name">A unique name, shown by the test runner.</param>
/// <param name="Source">The test source, with the diagnostic spans marked.</param>
/// <param name="ExpectedIds">The <c>REPOS</c> ids, one per marked span, in source order.</param>
public sealed record CorpusCase(string Name, string Source, params string[] ExpectedIds)
{
    /// <summary>More sources compiled beside <see cref="Source"/> (no markers in them).</summary>
    public string[] OtherSources { get; init; } = [];

    /// <summary>Sources compiled first into an assembly of their own that the case references (a library's types).</summary>
    public string[] ReferencedSources { get; init; } = [];

    /// <inheritdoc/>
    public override string ToString() => Name;
}
