using Repos.Migrations;

namespace Repos.Internal;

/// <summary>What the migration of one entity needs from the catalog and the caller.</summary>
/// <param name="NamesById">The name of every field id the entity's type ever had.</param>
/// <param name="IdsByName">The id of every field name (renamed fields under their current name).</param>
/// <param name="Progress">Where to report progress, or null.</param>
/// <param name="BackupPath">The backup taken before migrating, for messages.</param>
internal sealed record MigrationContext(
    IReadOnlyDictionary<long, string> NamesById,
    IReadOnlyDictionary<string, int> IdsByName,
    IProgress<MigrationProgress>? Progress,
    string? BackupPath)
{
    private readonly (Dictionary<long, (string Name, int Slot)> Fields, int Names) _slots = Slots(NamesById);

    /// <summary>
    /// Every stored field id with its name and the name's slot: a number below <see cref="NameCount"/> that ids
    /// sharing a name share, so reading a row tells a repeated name without comparing strings.
    /// </summary>
    public IReadOnlyDictionary<long, (string Name, int Slot)> FieldsById => _slots.Fields;

    /// <summary>How many distinct names the stored field ids have.</summary>
    public int NameCount => _slots.Names;

    private static (Dictionary<long, (string Name, int Slot)> Fields, int Names) Slots(IReadOnlyDictionary<long, string> namesById)
    {
        var slots = new Dictionary<string, int>(StringComparer.Ordinal);
        var fields = new Dictionary<long, (string Name, int Slot)>(namesById.Count);
        foreach ((long id, string name) in namesById)
        {
            if (!slots.TryGetValue(name, out int slot))
            {
                slot = slots.Count;
                slots[name] = slot;
            }

            fields[id] = (name, slot);
        }

        return (fields, slots.Count);
    }
}
