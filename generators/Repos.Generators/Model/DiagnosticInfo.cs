namespace Repos.Generators.Model;

/// <summary>A diagnostic as data: the id of its descriptor, a plain location and the message arguments.</summary>
internal sealed record DiagnosticInfo(string Id, LocationInfo? Location, EquatableArray<string> Arguments)
{
    public static DiagnosticInfo Create(string id, LocationInfo? location, params string[] arguments) =>
        new(id, location, arguments.ToEquatableArray());
}
