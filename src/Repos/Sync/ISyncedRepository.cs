using Repos.Internal;
using Repos.Storage.Sqlite;

namespace Repos.Sync;

/// <summary>What the sync engine needs from the repository of a synced entity; every call runs in the engine's transaction.</summary>
internal interface ISyncedRepository
{
    string EntityName { get; }

    int SchemaVersion { get; }

    ColumnKind KeyKind { get; }

    /// <summary>The row's changes the server has not acknowledged, as a wire change.</summary>
    SyncChange ReadChange(SqliteConnection connection, SyncLog log, ColumnValue key, SyncRowState state);

    /// <summary>
    /// A pulled change made by an app at an older schema version of the entity, upgraded through the entity's
    /// migration steps (docs/sync.md, <i>Migrations, imports and restores</i>); any other change as it is.
    /// </summary>
    /// <exception cref="SyncApplyException">A step fails on the change's fields, or deletes or splits the row.</exception>
    SyncChange UpgradeChange(SyncChange change);

    /// <summary>
    /// Merges a pulled change into the row through the write path (validation, index columns, carry-over), recording
    /// no change of its own, and adds to <paramref name="conflicts"/> each unpushed local value it overwrote.
    /// </summary>
    /// <exception cref="SyncApplyException">The change can never apply here; nothing of it was written.</exception>
    /// <remarks>
    /// <c>pushedBefore</c> is, for a row this sync pushed, what the server had acknowledged of it before: a local value
    /// stamped later had not reached the server when the sync began, so a pulled value that overwrites it is a conflict.
    /// </remarks>
    void ApplyChange(SqliteConnection connection, SyncLog log, SyncChange change, long? pushedBefore, List<SyncConflict> conflicts);
}

/// <summary>A pulled change can never apply to this replica (its values do not read as the model, break a rule, ...).</summary>
internal sealed class SyncApplyException(string reason) : Exception(reason);

/// <summary>Keys between the file's columns and the wire.</summary>
internal static class SyncKeys
{
    public static SyncKey Of(ColumnValue key) => key.Kind switch
    {
        ColumnKind.Integer => SyncKey.From(key.Integer),
        ColumnKind.Text => SyncKey.From(key.Text!),
        _ => key.AsGuid is { } guid ? SyncKey.From(guid) : SyncKey.From(key.Bytes!),
    };

    /// <summary>The column value of a wire key for a table whose keys are <paramref name="kind"/>, or null when it cannot be one.</summary>
    public static ColumnValue? ToColumn(SyncKey key, ColumnKind kind) => kind switch
    {
        ColumnKind.Integer when key.IsInteger => ColumnValue.From(key.Integer),
        ColumnKind.Text when key.Text is { } text => ColumnValue.From(text),
        ColumnKind.Blob when key.Bytes is { Length: 16 } bytes => ColumnValue.From(new Guid(bytes, bigEndian: true)),
        ColumnKind.Blob when key.Bytes is { } bytes => ColumnValue.From(bytes),
        _ => null,
    };
}
