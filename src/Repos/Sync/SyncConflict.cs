namespace Repos.Sync;

/// <summary>
/// A pulled value overwrote a local value that had not been pushed yet (docs/sync.md, <i>Conflicts</i>). The merge
/// rule chose the winner; the event is for telling the user, for instance "your change to Severity on the laptop
/// was replaced by a later one from the phone".
/// </summary>
/// <param name="Entity">The entity.</param>
/// <param name="Key">The row's key.</param>
/// <param name="Field">The property.</param>
/// <param name="LocalValue">The local value that was overwritten, in wire encoding (MessagePack, objects keyed by property name).</param>
/// <param name="RemoteValue">The value that replaced it, in the same encoding.</param>
/// <param name="LocalStamp">When the local value was written.</param>
/// <param name="RemoteStamp">When the remote value was written: the later, so the winner.</param>
public sealed record SyncConflict(
    string Entity,
    SyncKey Key,
    string Field,
    ReadOnlyMemory<byte> LocalValue,
    ReadOnlyMemory<byte> RemoteValue,
    SyncStamp LocalStamp,
    SyncStamp RemoteStamp)
{
    /// <summary>The stamp that won: always the remote one, as a remote value that loses overwrites nothing.</summary>
    public SyncStamp Winner => RemoteStamp;
}
