using System.ComponentModel;
using Repos.Internal;

namespace Repos;

/// <summary>
/// What a <c>[Database]</c> class stores: its entities (tables, keys, indexes, serializers) and its database
/// version. The generator gives every database class a static <c>Model</c> property; tools that work on a
/// file without opening it as that class take it, such as <see cref="Recovery.ReposRecovery"/> when a
/// damaged file's catalog is lost.
/// </summary>
public sealed class ReposModel
{
    /// <summary>Describes a database's model; generated code calls this.</summary>
    /// <param name="entities">The definitions of the database's entities.</param>
    /// <param name="version">The database's version (<see cref="DatabaseAttribute.Version"/>).</param>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public ReposModel(IReadOnlyList<EntityDefinition> entities, int version)
    {
        ArgumentNullException.ThrowIfNull(entities);
        ArgumentOutOfRangeException.ThrowIfLessThan(version, 1);
        Entities = entities;
        Version = version;
    }

    /// <summary>The database's version.</summary>
    public int Version { get; }

    /// <summary>The names of its entities.</summary>
    public IEnumerable<string> EntityNames => Entities.Select(e => e.Name);

    internal IReadOnlyList<EntityDefinition> Entities { get; }
}
