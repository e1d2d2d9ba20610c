namespace Repos.Sync.Server;

/// <summary>
/// A field as the server keeps it: its latest value and stamp, the feed position where it last changed, and the
/// schema version of the app that wrote it (a replica upgrades it through its migration steps from there).
/// </summary>
/// <param name="Stamp">The stamp of the value.</param>
/// <param name="Value">The value, in wire encoding.</param>
/// <param name="Sequence">The feed position of the change that set it.</param>
/// <param name="SchemaVersion">The writer's schema version of the entity.</param>
public sealed record ServerField(SyncStamp Stamp, byte[] Value, long Sequence, int SchemaVersion = 1);

/// <summary>
/// A row as the server keeps it: the merged state of every change pushed for it, live or not (docs/sync.md,
/// <i>The merge rule</i>), and where it is in the change feed.
/// </summary>
public sealed class ServerRow
{
    /// <summary>The entity.</summary>
    public required string Entity { get; init; }

    /// <summary>The key.</summary>
    public required SyncKey Key { get; init; }

    /// <summary>The highest insert stamp pushed.</summary>
    public SyncStamp Inserted { get; set; }

    /// <summary>The highest tombstone stamp pushed.</summary>
    public SyncStamp Deleted { get; set; }

    /// <summary>The highest schema version of the writers whose changes it holds (each field keeps its own too).</summary>
    public int SchemaVersion { get; set; } = 1;

    /// <summary>Every field that counts (written after the tombstone), by property name.</summary>
    public Dictionary<string, ServerField> Fields { get; } = new(StringComparer.Ordinal);

    /// <summary>The feed position of the row's last change: pulls after an earlier cursor get the row.</summary>
    public long Sequence { get; set; }

    /// <summary>Whether the row is live: inserted after its last tombstone.</summary>
    public bool IsLive => Inserted > Deleted;
}

/// <summary>
/// Where a sync server keeps its rows, the feed and the pushes it applied: in memory for the in-process server
/// (<see cref="InMemorySyncServerStore"/>), in PostgreSQL for the HTTP server. Every call of a
/// <see cref="RunAsync{T}"/> is one transaction: all of it is kept, or none.
/// </summary>
public interface ISyncServerStore
{
    /// <summary>Runs <paramref name="work"/> as one transaction, one at a time.</summary>
    ValueTask<T> RunAsync<T>(Func<ISyncServerSession, ValueTask<T>> work, CancellationToken cancellationToken);
}

/// <summary>One transaction of an <see cref="ISyncServerStore"/>.</summary>
public interface ISyncServerSession
{
    /// <summary>The row, or null when no change was ever pushed for it.</summary>
    ValueTask<ServerRow?> GetRowAsync(string entity, SyncKey key, CancellationToken cancellationToken);

    /// <summary>Stores the row (new or changed).</summary>
    ValueTask PutRowAsync(ServerRow row, CancellationToken cancellationToken);

    /// <summary>The next feed position: higher than every one given before.</summary>
    ValueTask<long> NextSequenceAsync(CancellationToken cancellationToken);

    /// <summary>Up to <paramref name="max"/> rows whose <see cref="ServerRow.Sequence"/> is above <paramref name="after"/>, in feed order.</summary>
    ValueTask<IReadOnlyList<ServerRow>> RowsAfterAsync(long after, int max, CancellationToken cancellationToken);

    /// <summary>The last batch applied from the replica and the answer given, or null when none was.</summary>
    ValueTask<(long Batch, SyncPushResult Result)?> LastBatchAsync(Guid replica, CancellationToken cancellationToken);

    /// <summary>Records the batch applied from the replica and the answer given.</summary>
    ValueTask SetLastBatchAsync(Guid replica, long batch, SyncPushResult result, CancellationToken cancellationToken);
}

/// <summary>A server store in memory: for the in-process server and tests. Thread-safe.</summary>
public sealed class InMemorySyncServerStore : ISyncServerStore
{
    private readonly SemaphoreSlim _lock = new(1, 1);
    private readonly Dictionary<(string Entity, SyncKey Key), ServerRow> _rows = [];
    private readonly SortedDictionary<long, ServerRow> _feed = [];
    private readonly Dictionary<Guid, (long Batch, SyncPushResult Result)> _batches = [];
    private long _sequence;

    /// <summary>How many rows the server holds, live or not.</summary>
    public int RowCount => _rows.Count;

    /// <inheritdoc />
    public async ValueTask<T> RunAsync<T>(Func<ISyncServerSession, ValueTask<T>> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var session = new Session(this);
            T result = await work(session).ConfigureAwait(false);
            session.Commit();
            return result;
        }
        finally
        {
            _lock.Release();
        }
    }

    // Changes are kept aside until the work returns, so a transaction that throws leaves the store as it was.
    private sealed class Session(InMemorySyncServerStore store) : ISyncServerSession
    {
        private readonly Dictionary<(string, SyncKey), ServerRow> _puts = [];
        private readonly Dictionary<Guid, (long, SyncPushResult)> _batches = [];
        private long _sequence = store._sequence;

        public ValueTask<ServerRow?> GetRowAsync(string entity, SyncKey key, CancellationToken cancellationToken) =>
            ValueTask.FromResult(_puts.TryGetValue((entity, key), out ServerRow? put) ? put
                : store._rows.TryGetValue((entity, key), out ServerRow? row) ? Copy(row) : null);

        public ValueTask PutRowAsync(ServerRow row, CancellationToken cancellationToken)
        {
            _puts[(row.Entity, row.Key)] = row;
            return ValueTask.CompletedTask;
        }

        public ValueTask<long> NextSequenceAsync(CancellationToken cancellationToken) => ValueTask.FromResult(++_sequence);

        public ValueTask<IReadOnlyList<ServerRow>> RowsAfterAsync(long after, int max, CancellationToken cancellationToken)
        {
            IReadOnlyList<ServerRow> rows = store._feed.Where(e => e.Key > after).Take(max).Select(e => e.Value).ToList();
            return ValueTask.FromResult(rows);
        }

        public ValueTask<(long Batch, SyncPushResult Result)?> LastBatchAsync(Guid replica, CancellationToken cancellationToken) =>
            ValueTask.FromResult<(long, SyncPushResult)?>(
                _batches.TryGetValue(replica, out (long, SyncPushResult) pending) ? pending
                : store._batches.TryGetValue(replica, out (long, SyncPushResult) last) ? last : null);

        public ValueTask SetLastBatchAsync(Guid replica, long batch, SyncPushResult result, CancellationToken cancellationToken)
        {
            _batches[replica] = (batch, result);
            return ValueTask.CompletedTask;
        }

        public void Commit()
        {
            foreach (((string, SyncKey) key, ServerRow row) in _puts)
            {
                if (store._rows.TryGetValue(key, out ServerRow? old))
                {
                    store._feed.Remove(old.Sequence);
                }

                store._rows[key] = row;
                store._feed[row.Sequence] = row;
            }

            foreach ((Guid replica, (long, SyncPushResult) batch) in _batches)
            {
                store._batches[replica] = batch;
            }

            store._sequence = _sequence;
        }

        private static ServerRow Copy(ServerRow row)
        {
            var copy = new ServerRow
            {
                Entity = row.Entity,
                Key = row.Key,
                Inserted = row.Inserted,
                Deleted = row.Deleted,
                SchemaVersion = row.SchemaVersion,
                Sequence = row.Sequence,
            };
            foreach ((string name, ServerField field) in row.Fields)
            {
                copy.Fields[name] = field;
            }

            return copy;
        }
    }
}
