namespace Repos.Sync;

/// <summary>
/// How a replica reaches its sync server: it sends wire messages (docs/sync.md, <i>Wire format</i>) and gets wire
/// messages back. The in-process transport (<c>Repos.Sync.Server.InProcessSyncTransport</c>) calls a server core in
/// the same process; an HTTP transport posts the same bytes.
/// </summary>
public interface ISyncTransport
{
    /// <summary>Sends a push message (<see cref="SyncWire.WritePush"/>) and returns the server's answer (<see cref="SyncWire.ReadPushResult"/>).</summary>
    /// <exception cref="SyncTransportException">The server could not be reached, or asked to be retried later.</exception>
    ValueTask<ReadOnlyMemory<byte>> PushAsync(ReadOnlyMemory<byte> push, CancellationToken cancellationToken);

    /// <summary>Sends a pull request (<see cref="SyncWire.WritePullRequest"/>) and returns the server's batch (<see cref="SyncWire.ReadPullResult"/>).</summary>
    /// <exception cref="SyncTransportException">The server could not be reached, or asked to be retried later.</exception>
    ValueTask<ReadOnlyMemory<byte>> PullAsync(ReadOnlyMemory<byte> request, CancellationToken cancellationToken);
}

/// <summary>A transport could not exchange a message with the server; nothing was applied locally.</summary>
public sealed class SyncTransportException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What went wrong, in a sentence fit for a user.</param>
    /// <param name="offline">Whether the device seems to have no connection (rather than the server failing).</param>
    /// <param name="retryAfter">How long the server asked to wait before the next attempt, if it did.</param>
    /// <param name="innerException">The cause.</param>
    public SyncTransportException(string message, bool offline = false, TimeSpan? retryAfter = null, Exception? innerException = null)
        : base(message, innerException)
    {
        IsOffline = offline;
        RetryAfter = retryAfter;
    }

    /// <summary>Whether the device seems to have no connection.</summary>
    public bool IsOffline { get; }

    /// <summary>How long the server asked to wait (HTTP Retry-After), if it did.</summary>
    public TimeSpan? RetryAfter { get; }
}

/// <summary>What the sync engine is doing.</summary>
public enum SyncStatus
{
    /// <summary>Nothing to do until the next sync.</summary>
    Idle,

    /// <summary>Pushing or pulling.</summary>
    Syncing,

    /// <summary>The last attempt found no connection; the next waits for <see cref="ReposSync.NotifyOnline"/> or the back-off.</summary>
    Offline,

    /// <summary>The last attempt failed; the next is at <see cref="ReposSync.NextAttempt"/>.</summary>
    BackingOff,

    /// <summary>The last attempt failed in a way retrying does not mend (a malformed answer, a full disk); see <see cref="ReposSync.LastError"/>.</summary>
    Error,
}

/// <summary>How a database syncs (<see cref="ReposDatabaseOptions.Sync"/>).</summary>
public sealed class SyncOptions
{
    /// <summary>How the replica reaches its server; null until the app gives one (then syncing throws).</summary>
    public ISyncTransport? Transport { get; init; }

    /// <summary>
    /// How far ahead of this device's clock a pulled stamp may be: a change stamped later is held back and reported
    /// (never applied or dropped) until the clocks agree. 5 minutes unless set.
    /// </summary>
    public TimeSpan MaxClockDrift { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>The default of <see cref="MaxBatchBytes"/>: 1 MiB.</summary>
    public const int DefaultMaxBatchBytes = 1 << 20;

    /// <summary>The most changes in one pushed or pulled batch: 500 unless set (at most <see cref="SyncWire.MaxChanges"/>).</summary>
    public int MaxBatchChanges { get; init; } = 500;

    /// <summary>
    /// About the most bytes of changes in one pushed or pulled batch: <see cref="DefaultMaxBatchBytes"/> (1 MiB) unless
    /// set. A batch stops before the change that would pass it, but always holds at least one row, whatever its size.
    /// </summary>
    public int MaxBatchBytes { get; init; } = DefaultMaxBatchBytes;

    /// <summary>The first wait after a failure: 1 second unless set. Each further failure doubles it, up to <see cref="MaxBackoff"/>; the wait is drawn at random below that (full jitter).</summary>
    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait between failed attempts: 5 minutes unless set.</summary>
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How often the background loop (<see cref="ReposSync.RunAsync"/>) syncs when nothing prompts it: every minute unless set.</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>How long the background loop waits after a local write for more before it syncs: 2 seconds unless set.</summary>
    public TimeSpan WriteDelay { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>The random numbers of the back-off's jitter; a seeded one in tests.</summary>
    public Random? Random { get; init; }

    /// <summary>The options used when none are given.</summary>
    public static SyncOptions Default { get; } = new();
}
