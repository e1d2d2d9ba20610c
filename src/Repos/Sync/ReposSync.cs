using System.Buffers;
using Repos.Internal;
using Repos.Storage;
using Repos.Storage.Sqlite;

namespace Repos.Sync;

/// <summary>
/// The sync engine of one open database (<see cref="ReposDatabase.Sync"/>): pushes the changes of its
/// <see cref="SyncedAttribute">synced</see> entities, pulls everyone else's and merges them (docs/sync.md), now
/// (<see cref="SyncNowAsync"/>) or in a background loop the app hosts (<see cref="RunAsync"/>).
/// </summary>
/// <remarks>
/// Pushes go in batches of <see cref="SyncOptions.MaxBatchChanges"/>; a batch's changes leave the outbox only when
/// the server acknowledged it, and a batch sent again after a lost answer has the same number, so the server
/// applies it once. Each pulled batch is checked whole, then applied with the cursor moved in one transaction.
/// </remarks>
public sealed class ReposSync
{
    private const string CursorKey = "cursor";
    private const string BatchKey = "push_batch";

    private readonly ReposDatabase _database;
    private readonly SyncOptions _options;
    private readonly SemaphoreSlim _running = new(1, 1);
    private readonly Lock _lock = new();
    private readonly Random _random;
    private TaskCompletionSource _wake = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _wroteLocally;
    private int _failures;
    private (long Batch, byte[] Message, List<(string Entity, ColumnValue Key, long Latest)> Rows)? _inflight;

    // The rows this sync pushed, with what the server had of each before (for telling conflicts while it pulls).
    private readonly Dictionary<(string Entity, SyncKey Key), long> _pushedBefore = [];

    internal ReposSync(ReposDatabase database, SyncOptions options)
    {
        _database = database;
        _options = options;
        _random = options.Random ?? Random.Shared;
    }

    /// <summary>What the engine is doing.</summary>
    public SyncStatus Status { get; private set; } = SyncStatus.Idle;

    /// <summary>When the last sync that pushed and pulled everything ended, or null.</summary>
    public DateTimeOffset? LastSuccess { get; private set; }

    /// <summary>Why the last attempt failed, in a sentence fit to show a user; null after a success.</summary>
    public string? LastError { get; private set; }

    /// <summary>The exception behind <see cref="LastError"/>.</summary>
    public Exception? LastException { get; private set; }

    /// <summary>When the background loop tries next after a failure, or null.</summary>
    public DateTimeOffset? NextAttempt { get; private set; }

    /// <summary>How many rows have changes the server has not acknowledged.</summary>
    public long PendingChanges => Log is { } log ? Read(log.PendingCount) : 0;

    /// <summary>The entities with changes the server has not acknowledged, for messages.</summary>
    internal IReadOnlyList<string> PendingEntities() => Log is { } log ? Read(log.PendingEntities) : [];

    /// <summary>The number of the last batch this replica pushed, or 0.</summary>
    internal long LastPushBatch => Log is { } ? Read(connection => ParseBatch(SyncLog.ReadState(connection, BatchKey))) : 0;

    /// <summary>
    /// Raises the push counter kept in the file at <paramref name="path"/> (a backup about to be restored) to at least
    /// <paramref name="batch"/>; a file without sync tables is left as it is.
    /// </summary>
    /// <remarks>
    /// The server answers a batch number it applied before with the answer it gave then: a restored file counting on
    /// from its backup's number would have its next pushes acknowledged and their changes dropped.
    /// </remarks>
    internal static void CarryPushBatch(string path, long batch)
    {
        using SqliteConnection connection = SqliteConnection.Open(path, readOnly: false, create: false);
        if (connection.ExecuteScalar($"SELECT count(*) FROM sqlite_schema WHERE type='table' AND name='{SyncLog.StateTable}'") == 0)
        {
            return;
        }

        if (batch > ParseBatch(SyncLog.ReadState(connection, BatchKey)))
        {
            SyncLog.WriteState(connection, BatchKey, batch.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    /// <summary>How many pulled changes are held back (clock drift, a newer app version), to be tried again at each sync.</summary>
    public long HeldBackChanges => Log is { } ? Read(c => c.ExecuteScalar($"SELECT count(*) FROM {SyncLog.HeldTable}")) : 0;

    /// <summary>Raised when <see cref="Status"/> (or the error, or the next attempt) changes.</summary>
    public event EventHandler? StatusChanged;

    /// <summary>Raised, after the pulled batch is committed, for each unpushed local value a pulled one overwrote.</summary>
    public event EventHandler<SyncConflict>? Conflict;

    private SyncLog? Log => _database.SyncLog;

    /// <summary>Pushes every pending change, then pulls until the server has no more.</summary>
    /// <exception cref="InvalidOperationException">No entity is synced, or no transport is set (<see cref="SyncOptions.Transport"/>).</exception>
    /// <exception cref="SyncTransportException">The server could not be reached; what was done before stays done.</exception>
    /// <exception cref="SyncFormatException">The server answered with a malformed message; nothing of it was applied.</exception>
    public async Task SyncNowAsync(CancellationToken cancellationToken = default)
    {
        SyncLog log = Log ?? throw new InvalidOperationException("The database has no synced entity to sync; mark entities [Synced].");
        ISyncTransport transport = _options.Transport ?? throw new InvalidOperationException("No sync transport is set: give one in ReposDatabaseOptions.Sync.");
        await _running.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            SetStatus(SyncStatus.Syncing, LastError, LastException, null);
            _pushedBefore.Clear();
            await PushAsync(log, transport, cancellationToken).ConfigureAwait(false);
            await PullAsync(log, transport, cancellationToken).ConfigureAwait(false);
            _failures = 0;
            LastSuccess = _database.Options.TimeProvider.GetUtcNow();
            SetStatus(SyncStatus.Idle, null, null, null);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Fail(e);
            throw;
        }
        catch (OperationCanceledException)
        {
            SetStatus(SyncStatus.Idle, LastError, LastException, null);
            throw;
        }
        finally
        {
            _running.Release();
        }
    }

    /// <summary>
    /// Syncs until <paramref name="cancellationToken"/> is cancelled: every <see cref="SyncOptions.Interval"/>, soon
    /// after local writes (<see cref="SyncOptions.WriteDelay"/>), at once on <see cref="NotifyOnline"/>, and after a
    /// failure when its back-off ends. Failures are reported through <see cref="Status"/>, never thrown. Host it in a
    /// background service.
    /// </summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        TimeProvider time = _database.Options.TimeProvider;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await SyncNowAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception)
            {
                // Reported through Status; the back-off below decides when to try again.
            }

            TimeSpan wait = NextAttempt is { } next ? Max(next - time.GetUtcNow(), TimeSpan.Zero) : _options.Interval;
            Task woken;
            lock (_lock)
            {
                woken = _wake.Task;
            }

            using var waiting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            try
            {
                Task delay = Task.Delay(wait, time, waiting.Token);
                if (await Task.WhenAny(delay, woken).ConfigureAwait(false) == woken)
                {
                    waiting.Cancel();
                    if (_wroteLocally)
                    {
                        // A local write: wait a little for the ones that follow it, then sync, back-off or not.
                        await Task.Delay(_options.WriteDelay, time, cancellationToken).ConfigureAwait(false);
                    }
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }

            ResetWake();
        }
    }

    /// <summary>Tells the engine the device has a connection again: the background loop syncs at once, back-off or not.</summary>
    public void NotifyOnline()
    {
        _failures = 0;
        NextAttempt = null;
        Wake(local: false);
    }

    /// <summary>The changes set aside because they can never apply: refused by the server for good, or pulled and unusable here.</summary>
    public IReadOnlyList<SyncDeadLetter> ReadDeadLetters() => Read(connection =>
    {
        var letters = new List<SyncDeadLetter>();
        SqliteStatement select = connection.Prepare($"SELECT id, direction, entity, key, reason, at FROM {SyncLog.DeadTable} ORDER BY id");
        try
        {
            while (select.Step())
            {
                letters.Add(new SyncDeadLetter(
                    select.ColumnInt64(0),
                    select.ColumnText(1) == "push" ? SyncDirection.Push : SyncDirection.Pull,
                    select.ColumnText(2),
                    select.ColumnText(3),
                    select.ColumnText(4),
                    DateTimeOffset.Parse(select.ColumnText(5), System.Globalization.CultureInfo.InvariantCulture)));
            }
        }
        finally
        {
            select.Reset();
        }

        return letters;
    });

    /// <summary>
    /// Gives a dead letter another chance: a refused push is pushed again (with the row as it is now) at the next
    /// sync; a pulled change is applied again then. The letter is removed.
    /// </summary>
    public async Task RetryDeadLetterAsync(long id, CancellationToken cancellationToken = default)
    {
        using WriteScope scope = await _database.BeginWriteAsync(atomic: false, cancellationToken).ConfigureAwait(false);
        scope.Resume();
        SqliteConnection connection = scope.Connection;
        SqliteStatement select = connection.Prepare($"SELECT direction, change FROM {SyncLog.DeadTable} WHERE id=?1");
        SyncChange change;
        string direction;
        try
        {
            select.BindInt64(1, id);
            if (!select.Step())
            {
                throw new KeyNotFoundException($"No dead letter {id}.");
            }

            direction = select.ColumnText(0);
            change = SyncWire.ReadPullResult(select.ColumnBlob(1).ToArray()).Changes[0];
        }
        finally
        {
            select.Reset();
        }

        if (direction == "push" && _database.SyncedRepositories.TryGetValue(change.Entity, out ISyncedRepository? repository)
            && SyncKeys.ToColumn(change.Key, repository.KeyKind) is { } key)
        {
            // Pending again: every change of the row is pushed anew.
            Log!.Repush(connection, change.Entity, key);
        }
        else if (direction == "pull")
        {
            SyncLog.Hold(connection, change, "retried from the dead letters", _database.Options.TimeProvider.GetUtcNow());
        }

        DeleteDeadLetter(connection, id);
        scope.Complete();
    }

    /// <summary>Drops a dead letter for good.</summary>
    public async Task DiscardDeadLetterAsync(long id, CancellationToken cancellationToken = default)
    {
        using WriteScope scope = await _database.BeginWriteAsync(atomic: false, cancellationToken).ConfigureAwait(false);
        scope.Resume();
        DeleteDeadLetter(scope.Connection, id);
        scope.Complete();
    }

    /// <summary>A local write of a synced entity: the background loop syncs after <see cref="SyncOptions.WriteDelay"/>.</summary>
    internal void OnLocalWrite() => Wake(local: true);

    private async Task PushAsync(SyncLog log, ISyncTransport transport, CancellationToken cancellationToken)
    {
        while (true)
        {
            (long Batch, byte[] Message, List<(string Entity, ColumnValue Key, long Latest)> Rows) batch =
                await NextBatchAsync(log, cancellationToken).ConfigureAwait(false);
            if (batch.Rows.Count == 0)
            {
                return;
            }

            _inflight = batch;
            ReadOnlyMemory<byte> answer = await transport.PushAsync(batch.Message, cancellationToken).ConfigureAwait(false);
            SyncPushResult result = SyncWire.ReadPushResult(answer);
            if (result.Batch != batch.Batch)
            {
                throw new SyncFormatException($"The server acknowledged batch {result.Batch}, not the batch {batch.Batch} pushed.");
            }

            bool retryLater = await AcknowledgeAsync(batch.Rows, batch.Message, result).ConfigureAwait(false);
            _inflight = null;
            if (retryLater)
            {
                throw new SyncTransportException("The server refused some changes for now; they are pushed again later.");
            }

        }
    }

    // The batch sent last but not acknowledged is sent again as it was, if none of its rows changed since.
    private async Task<(long, byte[], List<(string, ColumnValue, long)>)> NextBatchAsync(SyncLog log, CancellationToken cancellationToken)
    {
        using WriteScope scope = await _database.BeginWriteAsync(atomic: false, cancellationToken).ConfigureAwait(false);
        scope.Resume();
        SqliteConnection connection = scope.Connection;
        List<(string Entity, ColumnValue Key, SyncRowState State)> pending = log.ReadPending(connection, _options.MaxBatchChanges);
        if (_inflight is { } inflight
            && inflight.Rows.Count <= pending.Count
            && inflight.Rows.Zip(pending).All(p => p.First.Entity == p.Second.Entity && p.First.Key == p.Second.Key && p.First.Latest == p.Second.State.Latest))
        {
            scope.Complete();
            return inflight;
        }

        var changes = new List<SyncChange>(pending.Count);
        var rows = new List<(string, ColumnValue, long)>(pending.Count);
        int bytes = 0;
        foreach ((string entity, ColumnValue key, SyncRowState state) in pending)
        {
            if (!_database.SyncedRepositories.TryGetValue(entity, out ISyncedRepository? repository))
            {
                // An entity this version of the app no longer syncs: its changes stay until it syncs it again.
                continue;
            }

            SyncChange change = repository.ReadChange(connection, log, key, state);
            bytes += SyncWire.EstimateSize(change);
            if (bytes > _options.MaxBatchBytes && changes.Count > 0)
            {
                // The rest goes in the next batch.
                break;
            }

            changes.Add(change);
            rows.Add((entity, key, state.Latest));
            _pushedBefore.TryAdd((entity, SyncKeys.Of(key)), state.Pushed);
        }

        if (rows.Count == 0)
        {
            // Nothing to push: an idle sync takes no batch number, so it writes nothing.
            scope.Complete();
            return (0, [], rows);
        }

        long batch = ParseBatch(SyncLog.ReadState(connection, BatchKey)) + 1;
        SyncLog.WriteState(connection, BatchKey, batch.ToString(System.Globalization.CultureInfo.InvariantCulture));
        scope.Complete();
        var message = new ArrayBufferWriter<byte>(4096);
        SyncWire.WritePush(new SyncPush(log.Replica, batch, changes), message);
        return (batch, message.WrittenSpan.ToArray(), rows);
    }

    // Runs to the end once the server has answered: a cancellation then would leave acknowledged changes in the outbox.
    private async Task<bool> AcknowledgeAsync(List<(string Entity, ColumnValue Key, long Latest)> rows, byte[] message, SyncPushResult result)
    {
        var refused = result.Refused.ToDictionary(r => r.Index);
        SyncPush sent = refused.Count == 0 ? null! : SyncWire.ReadPush(message);
        bool retryLater = false;
        using WriteScope scope = await _database.BeginWriteAsync(atomic: false, CancellationToken.None).ConfigureAwait(false);
        scope.Resume();
        for (int i = 0; i < rows.Count; i++)
        {
            (string entity, ColumnValue key, long latest) = rows[i];
            if (refused.TryGetValue(i, out SyncRefusal? refusal))
            {
                if (!refusal.Permanent)
                {
                    retryLater = true;
                    continue;
                }

                SyncLog.AddDeadLetter(scope.Connection, "push", sent.Changes[i], refusal.Reason, _database.Options.TimeProvider.GetUtcNow());
            }

            Log!.MarkPushed(scope.Connection, entity, key, latest);
        }

        // The rows leave the outbox, so their stamps are no longer what the clock restarts from: the clock is saved.
        Log!.SaveClock(scope.Connection);
        scope.Complete();
        return retryLater;
    }

    private async Task PullAsync(SyncLog log, ISyncTransport transport, CancellationToken cancellationToken)
    {
        await RetryHeldAsync(log, cancellationToken).ConfigureAwait(false);
        while (true)
        {
            string? cursor = Read(c => SyncLog.ReadState(c, CursorKey));
            var request = new ArrayBufferWriter<byte>(64);
            SyncWire.WritePullRequest(new SyncPullRequest(log.Replica, cursor, _options.MaxBatchChanges, _options.MaxBatchBytes), request);
            ReadOnlyMemory<byte> answer = await transport.PullAsync(request.WrittenMemory, cancellationToken).ConfigureAwait(false);
            SyncPullResult batch = SyncWire.ReadPullResult(answer);
            await ApplyAsync(log, batch.Changes, batch.Cursor, held: null, cancellationToken).ConfigureAwait(false);
            if (!batch.More)
            {
                return;
            }
        }
    }

    private async Task RetryHeldAsync(SyncLog log, CancellationToken cancellationToken)
    {
        List<(long Id, SyncChange Change)> held = Read(connection =>
        {
            var changes = new List<(long, SyncChange)>();
            SqliteStatement select = connection.Prepare($"SELECT id, change FROM {SyncLog.HeldTable} ORDER BY id");
            try
            {
                while (select.Step())
                {
                    changes.Add((select.ColumnInt64(0), SyncWire.ReadPullResult(select.ColumnBlob(1).ToArray()).Changes[0]));
                }
            }
            finally
            {
                select.Reset();
            }

            return changes;
        });
        if (held.Count > 0)
        {
            await ApplyAsync(log, held.Select(h => h.Change).ToList(), cursor: null, held.Select(h => h.Id).ToList(), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Applies a checked batch and moves the cursor, in one transaction; raises the conflicts after it commits.</summary>
    private async Task ApplyAsync(SyncLog log, IReadOnlyList<SyncChange> changes, string? cursor, List<long>? held, CancellationToken cancellationToken)
    {
        try
        {
            await ApplyBatchAsync(log, changes, cursor, held, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            // Fields kept from sync that the batch added to the catalog are read again as the file has them, committed or not.
            _database.AfterSyncTransaction();
        }
    }

    private async Task ApplyBatchAsync(SyncLog log, IReadOnlyList<SyncChange> changes, string? cursor, List<long>? held, CancellationToken cancellationToken)
    {
        var conflicts = new List<SyncConflict>();
        DateTimeOffset now = _database.Options.TimeProvider.GetUtcNow();
        using (WriteScope scope = await _database.BeginWriteAsync(atomic: false, cancellationToken).ConfigureAwait(false))
        {
            scope.Resume();
            SqliteConnection connection = scope.Connection;
            try
            {
                foreach (long id in held ?? [])
                {
                    connection.Execute($"DELETE FROM {SyncLog.HeldTable} WHERE id={id}");
                }

                _anyHeld = connection.ExecuteScalar($"SELECT count(*) FROM {SyncLog.HeldTable}") > 0;

                foreach (SyncChange change in changes)
                {
                    ApplyOne(connection, log, change, conflicts, now);
                }

                if (cursor is not null)
                {
                    SyncLog.WriteState(connection, CursorKey, cursor);
                }

                log.SaveClock(connection);
                scope.Complete();
            }
            catch
            {
                log.ReloadReplicas(connection);
                throw;
            }
        }

        foreach (SyncConflict conflict in conflicts)
        {
            Conflict?.Invoke(this, conflict);
        }
    }

    private void ApplyOne(SqliteConnection connection, SyncLog log, SyncChange change, List<SyncConflict> conflicts, DateTimeOffset now)
    {
        if (!_database.SyncedRepositories.TryGetValue(change.Entity, out ISyncedRepository? repository))
        {
            SyncLog.AddDeadLetter(connection, "pull", change, $"this app has no synced entity {change.Entity}", now);
            return;
        }

        // A row's changes apply in the server's order: after one is held back, the later ones wait with it.
        SyncStamp latest = change.Latest;
        if (_anyHeld && IsHeld(connection, change))
        {
            SyncLog.Hold(connection, change, $"an earlier change of {change} is held back", now);
            return;
        }

        if (log.Clock.IsTooFarAhead(latest.Value, _options.MaxClockDrift))
        {
            SyncLog.Hold(connection, change, $"it is stamped {latest.Time:u}, more than {_options.MaxClockDrift} ahead of this device's clock ({now:u})", now);
            _anyHeld = true;
            return;
        }

        if (change.SchemaVersion > repository.SchemaVersion)
        {
            SyncLog.Hold(connection, change, $"it was written by an app with {change.Entity} at version {change.SchemaVersion}; this app has version {repository.SchemaVersion}: update the app", now);
            _anyHeld = true;
            return;
        }

        // A change that cannot apply is found out before anything of it is written (a failing statement undoes itself).
        int seen = conflicts.Count;
        try
        {
            repository.ApplyChange(connection, log, repository.UpgradeChange(change), _pushedBefore.TryGetValue((change.Entity, change.Key), out long before) ? before : null, conflicts);
        }
        catch (SyncApplyException e)
        {
            conflicts.RemoveRange(seen, conflicts.Count - seen);
            SyncLog.AddDeadLetter(connection, "pull", change, $"{change} cannot be applied here: {e.Message}", now);
        }

        log.Clock.Observe(latest.Value);
    }

    private bool _anyHeld;

    private static bool IsHeld(SqliteConnection connection, SyncChange change)
    {
        SqliteStatement select = connection.Prepare($"SELECT 1 FROM {SyncLog.HeldTable} WHERE entity=?1 AND key=?2 LIMIT 1");
        try
        {
            select.BindText(1, change.Entity);
            select.BindText(2, change.Key.ToString());
            return select.Step();
        }
        finally
        {
            select.Reset();
        }
    }

    private void Fail(Exception e)
    {
        TimeProvider time = _database.Options.TimeProvider;
        _failures++;
        TimeSpan cap = Min(_options.MaxBackoff, _options.InitialBackoff * Math.Pow(2, Math.Min(_failures - 1, 30)));
        TimeSpan wait = cap * _random.NextDouble();
        if (e is SyncTransportException { RetryAfter: { } retryAfter })
        {
            wait = Max(wait, retryAfter);
        }

        (SyncStatus status, string message) = e switch
        {
            SyncTransportException { IsOffline: true } => (SyncStatus.Offline, "No connection: changes are kept on this device and sync when it is back."),
            SyncTransportException t => (SyncStatus.BackingOff, $"The sync server could not be reached ({t.Message}); trying again shortly."),
            SyncFormatException => (SyncStatus.Error, "The sync server sent something this app cannot read; nothing of it was applied."),
            _ => (SyncStatus.Error, $"Sync failed: {e.Message}"),
        };
        SetStatus(status, message, e, time.GetUtcNow() + wait);
    }

    private void SetStatus(SyncStatus status, string? error, Exception? exception, DateTimeOffset? next)
    {
        bool changed = status != Status || error != LastError || next != NextAttempt;
        Status = status;
        LastError = error;
        LastException = exception;
        NextAttempt = next;
        if (changed)
        {
            StatusChanged?.Invoke(this, EventArgs.Empty);
        }
    }

    private void Wake(bool local)
    {
        lock (_lock)
        {
            _wroteLocally |= local;
            _wake.TrySetResult();
        }
    }

    private void ResetWake()
    {
        lock (_lock)
        {
            _wroteLocally = false;
            if (_wake.Task.IsCompleted)
            {
                _wake = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }
    }

    private T Read<T>(Func<SqliteConnection, T> read)
    {
        using ReadLease lease = _database.AcquireRead();
        return read(lease.Connection);
    }

    private static void DeleteDeadLetter(SqliteConnection connection, long id)
    {
        SqliteStatement delete = connection.Prepare($"DELETE FROM {SyncLog.DeadTable} WHERE id=?1");
        try
        {
            delete.BindInt64(1, id);
            delete.Execute();
        }
        finally
        {
            delete.Reset();
        }
    }

    private static long ParseBatch(string? value) => long.Parse(value ?? "0", System.Globalization.CultureInfo.InvariantCulture);

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}

/// <summary>Which way a dead letter was going.</summary>
public enum SyncDirection
{
    /// <summary>A local change the server refused for good.</summary>
    Push,

    /// <summary>A pulled change that can never apply here.</summary>
    Pull,
}

/// <summary>A change set aside because it can never apply (<see cref="ReposSync.ReadDeadLetters"/>).</summary>
/// <param name="Id">Its number, for <see cref="ReposSync.RetryDeadLetterAsync"/> and <see cref="ReposSync.DiscardDeadLetterAsync"/>.</param>
/// <param name="Direction">Whether it was pushed or pulled.</param>
/// <param name="Entity">The entity.</param>
/// <param name="Key">The row's key, as text.</param>
/// <param name="Reason">Why it cannot apply.</param>
/// <param name="At">When it was set aside.</param>
public sealed record SyncDeadLetter(long Id, SyncDirection Direction, string Entity, string Key, string Reason, DateTimeOffset At);
