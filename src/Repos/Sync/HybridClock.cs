namespace Repos.Sync;

/// <summary>
/// A replica's hybrid logical clock (docs/sync.md, <i>Replica identity and the clock</i>): stamps that follow the
/// wall clock, never go backwards when it does, and come after every stamp the replica has seen.
/// </summary>
/// <remarks>
/// Thread-safe. The clock holds only the last stamp's packed value; the caller stores it with the changes it
/// stamps and gives it back at open (<see cref="HybridClock(TimeProvider, long)"/>), so stamps stay monotonic across
/// restarts whatever the wall clock did meanwhile.
/// </remarks>
internal sealed class HybridClock
{
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private long _last;

    /// <summary>A clock that goes on from <paramref name="last"/>, the latest stamp value stored or seen.</summary>
    public HybridClock(TimeProvider time, long last)
    {
        _time = time;
        _last = last;
    }

    /// <summary>The latest stamp value the clock issued or saw.</summary>
    public long Last
    {
        get
        {
            lock (_lock)
            {
                return _last;
            }
        }
    }

    /// <summary>The wall clock, in Unix milliseconds (never below 0).</summary>
    public long WallMilliseconds => Math.Max(0, _time.GetUtcNow().ToUnixTimeMilliseconds());

    /// <summary>
    /// A new stamp value for a local change: the wall clock's millisecond if it is past the last stamp's, else the
    /// last stamp's millisecond with the counter one higher (past <see cref="SyncStamp.MaxCounter"/>, the next
    /// millisecond with the counter at 0).
    /// </summary>
    /// <exception cref="InvalidOperationException">The clock has reached the largest stamp a clock can give.</exception>
    public long Next()
    {
        long wall = WallMilliseconds;
        lock (_lock)
        {
            long lastMilliseconds = _last >> SyncStamp.CounterBits;
            long next = wall > lastMilliseconds ? SyncStamp.Pack(wall, 0) : _last + 1;
            if (next >> SyncStamp.CounterBits > SyncStamp.MaxMilliseconds)
            {
                throw new InvalidOperationException("The sync clock has reached the largest stamp it can give; a remote stamp from the far future must have been let in.");
            }

            _last = next;
            return next;
        }
    }

    /// <summary>
    /// Whether a remote stamp is more than <paramref name="maxDrift"/> ahead of the wall clock, so it may not move
    /// this clock (the change that carries it is held back).
    /// </summary>
    public bool IsTooFarAhead(long remote, TimeSpan maxDrift) =>
        (remote >> SyncStamp.CounterBits) - WallMilliseconds > (long)maxDrift.TotalMilliseconds;

    /// <summary>
    /// Moves the clock up to a remote stamp it has seen (applied), so the next local stamp comes after it. The
    /// caller checks <see cref="IsTooFarAhead"/> first.
    /// </summary>
    public void Observe(long remote)
    {
        lock (_lock)
        {
            if (remote > _last)
            {
                _last = remote;
            }
        }
    }
}
