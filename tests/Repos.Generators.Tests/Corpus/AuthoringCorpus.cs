namespace Repos.Generators.Tests.Corpus;

/// <summary>The corpus, one file per kind of shape; <see cref="All"/> gathers them.</summary>
internal static partial class AuthoringCorpus
{
    public static IEnumerable<CorpusCase> All() =>
        ValidShapes().Concat(StoredMembers()).Concat(GeneratedNames());
}
