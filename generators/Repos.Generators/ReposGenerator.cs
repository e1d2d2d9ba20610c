using Microsoft.CodeAnalysis;

namespace Repos.Generators;

/// <summary>
/// The Repos incremental generator. It registers no pipelines yet: entities, repositories and
/// serializers arrive with the core (see DESIGN.md, "The generator").
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class ReposGenerator : IIncrementalGenerator
{
    /// <inheritdoc />
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
    }
}
