using System.Buffers;
using System.Globalization;

namespace Repos.Sync.Server;

/// <summary>Decides whether the server takes a pushed change: null to take it, else why not (the change goes to the replica's dead letters).</summary>
/// <param name="replica">The pushing replica.</param>
/// <param name="change">The change.</param>
public delegate string? SyncChangeFilter(Guid replica, SyncChange change);

/// <summary>
/// The merge core of a sync server (docs/sync.md): takes pushed batches and merges each change into its row by the
/// rule every replica applies (per field, the higher stamp wins; a tombstone wins over what was written before it;
/// only an insert brings a row back), applies each batch once whatever the retries, and answers pulls from its
/// change feed. It works on wire messages, so the in-process transport and the HTTP server run the same code.
/// </summary>
public sealed class SyncServer
{
    private readonly ISyncServerStore _store;
    private readonly SyncChangeFilter? _filter;

    /// <summary>A server over <paramref name="store"/>, taking every well-formed change, or those <paramref name="filter"/> lets through.</summary>
    public SyncServer(ISyncServerStore store, SyncChangeFilter? filter = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
        _filter = filter;
    }

    /// <summary>Answers a push message (<see cref="SyncWire.WritePush"/>) with a push result message.</summary>
    /// <exception cref="SyncFormatException">The message is malformed; nothing of it was applied.</exception>
    public async ValueTask<byte[]> HandlePushAsync(ReadOnlyMemory<byte> message, CancellationToken cancellationToken = default)
    {
        SyncPush push = SyncWire.ReadPush(message);
        SyncPushResult result = await PushAsync(push, cancellationToken).ConfigureAwait(false);
        var output = new ArrayBufferWriter<byte>(64);
        SyncWire.WritePushResult(result, output);
        return output.WrittenSpan.ToArray();
    }

    /// <summary>Answers a pull request message (<see cref="SyncWire.WritePullRequest"/>) with a pulled batch message.</summary>
    /// <exception cref="SyncFormatException">The message is malformed.</exception>
    public async ValueTask<byte[]> HandlePullAsync(ReadOnlyMemory<byte> message, CancellationToken cancellationToken = default)
    {
        SyncPullRequest request = SyncWire.ReadPullRequest(message);
        SyncPullResult result = await PullAsync(request, cancellationToken).ConfigureAwait(false);
        var output = new ArrayBufferWriter<byte>(4096);
        SyncWire.WritePullResult(result, output);
        return output.WrittenSpan.ToArray();
    }

    /// <summary>
    /// Merges a pushed batch, once: a batch the replica pushed before merges to nothing and gets the answer it got
    /// then (docs/sync.md, <i>The engine</i>).
    /// </summary>
    public ValueTask<SyncPushResult> PushAsync(SyncPush push, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(push);
        return _store.RunAsync(async session =>
        {
            (long Batch, SyncPushResult Result)? last = await session.LastBatchAsync(push.Replica, cancellationToken).ConfigureAwait(false);
            bool seen = last is { } l && push.Batch <= l.Batch;
            var refused = new List<SyncRefusal>();
            bool changed = false;
            for (int i = 0; i < push.Changes.Count; i++)
            {
                SyncChange change = push.Changes[i];

                // A batch number the server has seen: what a retry whose answer was lost holds, the rows have (a stamp
                // is taken once), but for what was refused then, which is refused again.
                if (seen && !await HoldsNewsAsync(session, change, cancellationToken).ConfigureAwait(false))
                {
                    continue;
                }

                if (_filter?.Invoke(push.Replica, change) is { } reason)
                {
                    refused.Add(new SyncRefusal(i, reason, Permanent: true));
                    continue;
                }

                changed |= await MergeAsync(session, change, cancellationToken).ConfigureAwait(false);
            }

            if (!seen)
            {
                var result = new SyncPushResult(push.Batch, refused);
                await session.SetLastBatchAsync(push.Replica, push.Batch, result, cancellationToken).ConfigureAwait(false);
                return result;
            }

            // The retry gets the answer it got then. Changes the server did not have under a number it had seen (a
            // replica's file put back from outside the app, counter and all) are merged all the same, never dropped.
            SyncPushResult then = last!.Value.Result;
            return push.Batch == last.Value.Batch && !changed && refused.Select(r => r.Index).SequenceEqual(then.Refused.Select(r => r.Index))
                ? then
                : new SyncPushResult(push.Batch, refused);
        }, cancellationToken);
    }

    /// <summary>
    /// The changes after the request's cursor, in feed order: each row that changed, whole (its insert and tombstone
    /// stamps and every field that counts). A row moves to the end of the feed when it changes, so a replica whose
    /// cursor passed where the row was before may never have seen its older fields: sending it whole is what makes a
    /// cursor safe.
    /// </summary>
    /// <exception cref="SyncFormatException">The cursor is not one this server gave.</exception>
    public ValueTask<SyncPullResult> PullAsync(SyncPullRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        long after = ParseCursor(request.Cursor);
        return _store.RunAsync(async session =>
        {
            IReadOnlyList<ServerRow> rows = await session.RowsAfterAsync(after, request.MaxChanges + 1, cancellationToken).ConfigureAwait(false);
            var changes = new List<SyncChange>(Math.Min(rows.Count, request.MaxChanges));
            long cursor = after;
            int taken = 0;
            int bytes = 0;
            foreach (ServerRow row in rows)
            {
                List<SyncChange> rowChanges = ChangesOf(row);
                bytes += rowChanges.Sum(SyncWire.EstimateSize);

                // A row's changes go in one batch, within the replica's limits (a first row always goes, whole).
                if ((changes.Count + rowChanges.Count > request.MaxChanges || bytes > request.MaxBytes) && changes.Count > 0)
                {
                    break;
                }

                changes.AddRange(rowChanges);
                cursor = row.Sequence;
                taken++;
            }

            return new SyncPullResult(changes, cursor.ToString(CultureInfo.InvariantCulture), taken < rows.Count);
        }, cancellationToken);
    }

    /// <summary>Whether merging the change would change its row: false for a change merged before, or one every stamp of which lost.</summary>
    private static async ValueTask<bool> HoldsNewsAsync(ISyncServerSession session, SyncChange change, CancellationToken cancellationToken)
    {
        if (await session.GetRowAsync(change.Entity, change.Key, cancellationToken).ConfigureAwait(false) is not { } row)
        {
            return true;
        }

        SyncStamp deleted = change.Deleted is { } d && d > row.Deleted ? d : row.Deleted;
        return change.Inserted > row.Inserted
            || change.Deleted > row.Deleted
            || change.Fields.Any(f => f.Stamp > deleted && (!row.Fields.TryGetValue(f.Name, out ServerField? held) || f.Stamp > held.Stamp));
    }

    /// <summary>Merges a change into its row; false when it holds nothing the row did not have (a change merged before).</summary>
    private static async ValueTask<bool> MergeAsync(ISyncServerSession session, SyncChange change, CancellationToken cancellationToken)
    {
        ServerRow row = await session.GetRowAsync(change.Entity, change.Key, cancellationToken).ConfigureAwait(false)
            ?? new ServerRow { Entity = change.Entity, Key = change.Key };
        bool changed = false;
        if (change.Inserted is { } inserted && inserted > row.Inserted)
        {
            row.Inserted = inserted;
            changed = true;
        }

        if (change.Deleted is { } deleted && deleted > row.Deleted)
        {
            row.Deleted = deleted;
            changed = true;

            // A field written before the tombstone never counts again.
            foreach (string name in row.Fields.Where(f => f.Value.Stamp < deleted).Select(f => f.Key).ToList())
            {
                row.Fields.Remove(name);
            }
        }

        long sequence = 0;
        foreach (SyncFieldValue field in change.Fields)
        {
            if (field.Stamp <= row.Deleted || (row.Fields.TryGetValue(field.Name, out ServerField? held) && field.Stamp <= held.Stamp))
            {
                continue;
            }

            sequence = sequence == 0 ? await session.NextSequenceAsync(cancellationToken).ConfigureAwait(false) : sequence;
            row.Fields[field.Name] = new ServerField(field.Stamp, field.Value.ToArray(), sequence, change.SchemaVersion);
            changed = true;
        }

        if (!changed)
        {
            return false;
        }

        row.Sequence = sequence == 0 ? await session.NextSequenceAsync(cancellationToken).ConfigureAwait(false) : sequence;
        row.SchemaVersion = Math.Max(row.SchemaVersion, change.SchemaVersion);

        await session.PutRowAsync(row, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>
    /// The row as pulled changes: one per schema version its live fields were written at, oldest first, so a replica
    /// upgrades each field from the version of the app that wrote it; a row without fields is one change. Each
    /// carries the row's insert and tombstone stamps (merging them twice changes nothing).
    /// </summary>
    private static List<SyncChange> ChangesOf(ServerRow row)
    {
        IEnumerable<KeyValuePair<string, ServerField>> live = row.IsLive ? row.Fields : [];
        var versions = live.Select(f => f.Value.SchemaVersion).Distinct().Order().ToList();
        if (versions.Count == 0)
        {
            versions.Add(row.SchemaVersion);
        }

        var changes = new List<SyncChange>(versions.Count);
        foreach (int version in versions)
        {
            // Most rows were written at one version: then this is every live field, in one change.
            var fields = new List<SyncFieldValue>(row.Fields.Count);
            foreach ((string name, ServerField field) in live)
            {
                if (field.SchemaVersion == version)
                {
                    fields.Add(new SyncFieldValue(name, field.Stamp, field.Value));
                }
            }

            changes.Add(new SyncChange
            {
                Entity = row.Entity,
                SchemaVersion = version,
                Key = row.Key,
                Inserted = row.Inserted == default ? null : row.Inserted,
                Deleted = row.Deleted == default ? null : row.Deleted,
                Fields = fields,
            });
        }

        return changes;
    }

    private static long ParseCursor(string? cursor) =>
        cursor is null ? 0
        : long.TryParse(cursor, NumberStyles.None, CultureInfo.InvariantCulture, out long value) ? value
        : throw new SyncFormatException($"The cursor '{cursor}' is not one this server gave.");
}
