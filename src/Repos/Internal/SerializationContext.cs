using System.ComponentModel;

namespace Repos.Internal;

/// <summary>
/// What generated serializers need from the database they write to: the field ids of each type, as that
/// file's catalog assigned them.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class SerializationContext
{
    private readonly FieldMap?[] _mapsBySlot;
    private readonly Dictionary<int, MigrationContext> _migrations = [];

    internal SerializationContext(IReadOnlyList<FieldMap> maps)
    {
        FieldMap.FindNestedUnknownFields(maps);
        int size = 0;
        foreach (FieldMap map in maps)
        {
            size = Math.Max(size, map.Shape.Slot + 1);
        }

        _mapsBySlot = new FieldMap?[size];
        foreach (FieldMap map in maps)
        {
            _mapsBySlot[map.Shape.Slot] = map;
        }
    }

    /// <summary>The field ids of every type of the model.</summary>
    internal IEnumerable<FieldMap> Maps => _mapsBySlot.OfType<FieldMap>();

    /// <summary>The file's compression dictionaries, which blobs are read with.</summary>
    internal Storage.CompressionDictionaries Dictionaries { get; set; } = new(null, null);

    /// <summary>The dictionary each entity's blobs are written with (the newest stored for it), by entity name.</summary>
    internal IReadOnlyDictionary<string, Serialization.CompressionDictionary> EntityDictionaries { get; set; } =
        new Dictionary<string, Serialization.CompressionDictionary>();

    /// <summary>The database file, for the errors reads raise.</summary>
    internal string FilePath { get; set; } = string.Empty;

    /// <summary>
    /// Whether rows stored at a newer version than the model are read as far as the model knows them: only in
    /// a read-only open of a file that a newer app wrote, as documented. Elsewhere such a row was migrated by
    /// another process after this one opened the file, and reading it as the older model would give wrong values.
    /// </summary>
    internal bool ReadsNewerRows { get; set; }

    /// <summary>What reading rows of <paramref name="shape"/> stored at older versions needs, if any were.</summary>
    internal MigrationContext? GetMigration(TypeShape shape) => _migrations.GetValueOrDefault(shape.Slot);

    internal void SetMigration(TypeShape shape, MigrationContext migration) => _migrations[shape.Slot] = migration;

    /// <summary>The field ids of <paramref name="shape"/> in this database.</summary>
    /// <exception cref="InvalidOperationException">The type is not part of this database's model.</exception>
    public FieldMap GetFieldMap(TypeShape shape)
    {
        FieldMap?[] maps = _mapsBySlot;
        int slot = shape.Slot;
        if ((uint)slot < (uint)maps.Length && maps[slot] is { } map)
        {
            return map;
        }

        return ThrowNotInModel(shape);
    }

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    private static FieldMap ThrowNotInModel(TypeShape shape) =>
        throw new InvalidOperationException($"The type '{shape.Name}' is not part of this database's model.");
}
