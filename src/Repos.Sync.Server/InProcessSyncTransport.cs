namespace Repos.Sync.Server;

/// <summary>
/// A transport to a <see cref="SyncServer"/> in the same process: every message goes through the wire encoding both
/// ways, as it would over HTTP, so what a replica and the server exchange is exactly what the network would carry.
/// </summary>
public sealed class InProcessSyncTransport : ISyncTransport
{
    private readonly SyncServer _server;

    /// <summary>A transport to <paramref name="server"/>.</summary>
    public InProcessSyncTransport(SyncServer server)
    {
        ArgumentNullException.ThrowIfNull(server);
        _server = server;
    }

    /// <inheritdoc />
    public async ValueTask<ReadOnlyMemory<byte>> PushAsync(ReadOnlyMemory<byte> push, CancellationToken cancellationToken) =>
        await _server.HandlePushAsync(push, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public async ValueTask<ReadOnlyMemory<byte>> PullAsync(ReadOnlyMemory<byte> request, CancellationToken cancellationToken) =>
        await _server.HandlePullAsync(request, cancellationToken).ConfigureAwait(false);
}
