using Repos.Sync;

namespace Repos;

public abstract partial class Repository<TEntity, TKey>
{
    /// <inheritdoc />
    SyncChange ISyncedRepository.UpgradeChange(SyncChange change)
    {
        if (change.SchemaVersion >= _definition.Version || change.Fields.Count == 0)
        {
            // At this version already, or a tombstone alone: nothing for the steps to change.
            return change;
        }

        var fields = new List<(string Name, ReadOnlyMemory<byte> Value)>(change.Fields.Count);
        SyncStamp newest = default;
        foreach (SyncFieldValue field in change.Fields)
        {
            fields.Add((field.Name, field.Value));
            newest = Max(newest, field.Stamp);
        }

        List<(string Name, ReadOnlyMemory<byte> Value, int Source)> upgraded;
        try
        {
            upgraded = _definition.UpgradeFields(change.SchemaVersion, change.Key.ToString(), fields);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The steps run on the fields the change carries, which may not be the whole row.
            throw new SyncApplyException(
                $"it is at version {change.SchemaVersion} of {_definition.Name} and the migration to version {_definition.Version} fails on its fields " +
                $"({string.Join(", ", fields.Select(f => f.Name))}): {e.Message}");
        }

        // A field keeps the stamp of the field it came from: a migration reshapes data, it does not edit it.
        var result = new List<SyncFieldValue>(upgraded.Count);
        foreach ((string name, ReadOnlyMemory<byte> value, int source) in upgraded)
        {
            result.Add(new SyncFieldValue(name, source < 0 ? newest : change.Fields[source].Stamp, value.ToArray()));
        }

        return new SyncChange
        {
            Entity = change.Entity,
            SchemaVersion = _definition.Version,
            Key = change.Key,
            Inserted = change.Inserted,
            Deleted = change.Deleted,
            Fields = result,
        };
    }
}
