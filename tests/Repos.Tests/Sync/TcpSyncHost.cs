using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Repos.Sync;
using Repos.Sync.Server;

namespace Repos.Tests.Sync;

/// <summary>
/// A <see cref="SyncServer"/> behind a loopback TCP listener (<see cref="SyncFrames"/>), for replicas in other
/// processes (<see cref="TcpSyncTransport"/>). Each connection is served on a plain thread with blocking reads; a
/// connection whose peer was killed mid-exchange just ends, keeping whatever the server merged.
/// </summary>
internal sealed class TcpSyncHost : IDisposable
{
    private readonly SyncServer _server;
    private readonly TcpListener _listener;
    private readonly Thread _accepting;
    private readonly List<TcpClient> _connections = [];
    private readonly ConcurrentQueue<Exception> _errors = new();
    private int _pushes;
    private int _pulls;

    public TcpSyncHost(SyncServer server)
    {
        _server = server;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _accepting = new Thread(Accept) { IsBackground = true, Name = "sync host listener" };
        _accepting.Start();
    }

    /// <summary>The loopback port the host listens on.</summary>
    public int Port { get; }

    /// <summary>
    /// Called on the connection's thread after the server merged a push and before its answer is sent, so a test can
    /// kill the pushing process at exactly the moment its answer would be lost.
    /// </summary>
    public Action<SyncPush>? PushApplied { get; set; }

    /// <summary>Every push the server merged, in the order it merged them.</summary>
    public ConcurrentQueue<SyncPush> Received { get; } = new();

    /// <summary>How many pushes the server answered (or would have, had the peer lived).</summary>
    public int Pushes => Volatile.Read(ref _pushes);

    /// <summary>How many pulls the server answered.</summary>
    public int Pulls => Volatile.Read(ref _pulls);

    /// <summary>What failed in the server other than a malformed request: each one is a test failure.</summary>
    public IReadOnlyCollection<Exception> Errors => _errors;

    public void Dispose()
    {
        _listener.Stop();
        lock (_connections)
        {
            foreach (TcpClient connection in _connections)
            {
                connection.Dispose();
            }
        }

        _accepting.Join();
    }

    private void Accept()
    {
        while (true)
        {
            TcpClient client;
            try
            {
                client = _listener.AcceptTcpClient();
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException or InvalidOperationException)
            {
                // The listener stopped.
                return;
            }

            client.NoDelay = true;
            lock (_connections)
            {
                _connections.Add(client);
            }

            new Thread(() => Serve(client)) { IsBackground = true, Name = "sync host connection" }.Start();
        }
    }

    private void Serve(TcpClient client)
    {
        try
        {
            NetworkStream stream = client.GetStream();
            while (SyncFrames.Read(stream) is { } request)
            {
                (byte status, byte[] answer) = Handle(request.Kind, request.Payload);
                SyncFrames.Write(stream, status, answer);
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or SocketException)
        {
            // The peer was killed (or the host stopped) mid-exchange: what the server merged stays, the answer is lost.
        }
        finally
        {
            client.Dispose();
            lock (_connections)
            {
                _connections.Remove(client);
            }
        }
    }

    private (byte Status, byte[] Answer) Handle(byte kind, byte[] payload)
    {
        try
        {
            switch (kind)
            {
                case SyncFrames.Push:
                    byte[] pushed = _server.HandlePushAsync(payload).AsTask().GetAwaiter().GetResult();
                    Interlocked.Increment(ref _pushes);
                    SyncPush push = SyncWire.ReadPush(payload);
                    Received.Enqueue(push);
                    PushApplied?.Invoke(push);
                    return (SyncFrames.Answer, pushed);
                case SyncFrames.Pull:
                    byte[] pulled = _server.HandlePullAsync(payload).AsTask().GetAwaiter().GetResult();
                    Interlocked.Increment(ref _pulls);
                    return (SyncFrames.Answer, pulled);
                default:
                    return (SyncFrames.Malformed, Encoding.UTF8.GetBytes($"no request of kind {kind}"));
            }
        }
        catch (SyncFormatException e)
        {
            return (SyncFrames.Malformed, Encoding.UTF8.GetBytes(e.Message));
        }
        catch (Exception e)
        {
            _errors.Enqueue(e);
            return (SyncFrames.Failed, Encoding.UTF8.GetBytes(e.Message));
        }
    }
}
