using Repos.Sync;
using Repos.Storage.Sqlite;

namespace Repos;

public abstract partial class Repository<TEntity, TKey>
{
    // Set while a pulled change is written: the write carries over what the model does not know from the merged
    // row (in ReposDatabase.SyncBeforeBuffer) instead of the stored one, so pulled values of such fields are kept.
    private bool _carryOverFromMerged;

    /// <summary>When a pulled change added fields kept from sync to the catalog, the database takes them in now, before the row is written.</summary>
    private void TakeInKeptFields(SqliteConnection connection, SyncLog log)
    {
        if (log.Shapes.CatalogChanged)
        {
            log.Shapes.CatalogChanged = false;
            _database.TakeInKeptFields(connection);
        }
    }

    /// <summary>The next write of this repository carries over the unknown fields of <paramref name="merged"/>, the row a pulled change makes.</summary>
    private void CarryOverFromMerged(ReadOnlySpan<byte> merged)
    {
        System.Buffers.ArrayBufferWriter<byte> buffer = _database.SyncBeforeBuffer;
        buffer.ResetWrittenCount();
        merged.CopyTo(buffer.GetSpan(merged.Length));
        buffer.Advance(merged.Length);
        _carryOverFromMerged = true;
    }
}
