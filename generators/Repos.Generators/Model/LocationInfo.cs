namespace Repos.Generators.Model;

/// <summary>
/// A source location as plain numbers, so models hold no Roslyn objects; Diagnostics/ turns it back into
/// a Roslyn location only when a diagnostic is reported.
/// </summary>
internal sealed record LocationInfo(
    string FilePath,
    int Start,
    int Length,
    int StartLine,
    int StartCharacter,
    int EndLine,
    int EndCharacter);
