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

    /// <summary>Merges a pushed batch, once: a batch the replica pushed before gets the answer it got then.</summary>
    public ValueTask<SyncPushResult> PushAsync(SyncPush push, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(push);
        return _store.RunAsync(async session =>
        {
            if (await session.LastBatchAsync(push.Replica, cancellationToken).ConfigureAwait(false) is { } last && push.Batch <= last.Batch)
            {
                return push.Batch == last.Batch ? last.Result : new SyncPushResult(push.Batch, []);
            }

            var refused = new List<SyncRefusal>();
            for (int i = 0; i < push.Changes.Count; i++)
            {
                SyncChange change = push.Changes[i];
                if (_filter?.Invoke(push.Replica, change) is { } reason)
                {
                    refused.Add(new SyncRefusal(i, reason, Permanent: true));
                    continue;
                }

                await MergeAsync(session, change, cancellationToken).ConfigureAwait(false);
            }

            var result = new SyncPushResult(push.Batch, refused);
            await session.SetLastBatchAsync(push.Replica, push.Batch, result, cancellationToken).ConfigureAwait(false);
            return result;
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
            bool more = rows.Count > request.MaxChanges;
            var changes = new List<SyncChange>(Math.Min(rows.Count, request.MaxChanges));
            long cursor = after;
            foreach (ServerRow row in rows.Take(request.MaxChanges))
            {
                changes.Add(ChangeOf(row));
                cursor = row.Sequence;
            }

            return new SyncPullResult(changes, cursor.ToString(CultureInfo.InvariantCulture), more);
        }, cancellationToken);
    }

    private static async ValueTask MergeAsync(ISyncServerSession session, SyncChange change, CancellationToken cancellationToken)
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
            row.Fields[field.Name] = new ServerField(field.Stamp, field.Value.ToArray(), sequence);
            changed = true;
        }

        if (!changed)
        {
            return;
        }

        row.Sequence = sequence == 0 ? await session.NextSequenceAsync(cancellationToken).ConfigureAwait(false) : sequence;
        row.SchemaVersion = Math.Max(row.SchemaVersion, change.SchemaVersion);

        await session.PutRowAsync(row, cancellationToken).ConfigureAwait(false);
    }

    private static SyncChange ChangeOf(ServerRow row)
    {
        var fields = new List<SyncFieldValue>(row.Fields.Count);
        if (row.IsLive)
        {
            foreach ((string name, ServerField field) in row.Fields)
            {
                fields.Add(new SyncFieldValue(name, field.Stamp, field.Value));
            }
        }

        return new SyncChange
        {
            Entity = row.Entity,
            SchemaVersion = row.SchemaVersion,
            Key = row.Key,
            Inserted = row.Inserted == default ? null : row.Inserted,
            Deleted = row.Deleted == default ? null : row.Deleted,
            Fields = fields,
        };
    }

    private static long ParseCursor(string? cursor) =>
        cursor is null ? 0
        : long.TryParse(cursor, NumberStyles.None, CultureInfo.InvariantCulture, out long value) ? value
        : throw new SyncFormatException($"The cursor '{cursor}' is not one this server gave.");
}
