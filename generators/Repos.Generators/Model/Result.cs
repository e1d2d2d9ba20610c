namespace Repos.Generators.Model;

/// <summary>A parsed value (null when parsing failed) with the diagnostics found on the way.</summary>
internal sealed record Result<T>(T? Value, EquatableArray<DiagnosticInfo> Diagnostics)
    where T : class;
