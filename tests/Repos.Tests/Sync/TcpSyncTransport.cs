using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Repos.Sync;

namespace Repos.Tests.Sync;

/// <summary>
/// The frames of the tests' TCP link to a sync server in another process: one byte of kind, four of length
/// (big-endian), then the sync wire message (docs/sync.md, <i>Wire format</i>) or, for a failure, its reason in UTF-8.
/// </summary>
internal static class SyncFrames
{
    /// <summary>A request frame holding a push message.</summary>
    public const byte Push = 1;

    /// <summary>A request frame holding a pull request.</summary>
    public const byte Pull = 2;

    /// <summary>An answer frame holding the server's wire message.</summary>
    public const byte Answer = 0;

    /// <summary>An answer frame: the server found the request malformed (its reason follows).</summary>
    public const byte Malformed = 1;

    /// <summary>An answer frame: the server failed (its reason follows).</summary>
    public const byte Failed = 2;

    private const int HeaderBytes = 5;

    /// <summary>Writes one frame and flushes it.</summary>
    public static void Write(Stream stream, byte kind, ReadOnlySpan<byte> payload)
    {
        // One write per frame, so a peer never sees half a header followed by a pause.
        byte[] frame = new byte[HeaderBytes + payload.Length];
        frame[0] = kind;
        BinaryPrimitives.WriteInt32BigEndian(frame.AsSpan(1), payload.Length);
        payload.CopyTo(frame.AsSpan(HeaderBytes));
        stream.Write(frame);
        stream.Flush();
    }

    /// <summary>Reads one frame; null when the stream ends cleanly before one starts.</summary>
    /// <exception cref="IOException">The stream ended inside a frame, or the frame is larger than a sync message can be.</exception>
    public static (byte Kind, byte[] Payload)? Read(Stream stream)
    {
        byte[] header = new byte[HeaderBytes];
        if (stream.Read(header, 0, 1) == 0)
        {
            return null;
        }

        stream.ReadExactly(header, 1, HeaderBytes - 1);
        byte[] payload = new byte[Length(header)];
        stream.ReadExactly(payload);
        return (header[0], payload);
    }

    /// <summary>Writes one frame.</summary>
    public static async ValueTask WriteAsync(Stream stream, byte kind, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        byte[] frame = new byte[HeaderBytes + payload.Length];
        frame[0] = kind;
        BinaryPrimitives.WriteInt32BigEndian(frame.AsSpan(1), payload.Length);
        payload.Span.CopyTo(frame.AsSpan(HeaderBytes));
        await stream.WriteAsync(frame, cancellationToken).ConfigureAwait(false);
        await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads one frame.</summary>
    /// <exception cref="IOException">The stream ended before or inside the frame, or the frame is too large.</exception>
    public static async ValueTask<(byte Kind, byte[] Payload)> ReadAsync(Stream stream, CancellationToken cancellationToken)
    {
        byte[] header = new byte[HeaderBytes];
        await stream.ReadExactlyAsync(header, cancellationToken).ConfigureAwait(false);
        byte[] payload = new byte[Length(header)];
        await stream.ReadExactlyAsync(payload, cancellationToken).ConfigureAwait(false);
        return (header[0], payload);
    }

    private static int Length(byte[] header)
    {
        int length = BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(1));
        return length is >= 0 and <= SyncWire.MaxMessageBytes
            ? length
            : throw new IOException($"A frame of {length} bytes; a sync message is at most {SyncWire.MaxMessageBytes:N0}.");
    }
}

/// <summary>
/// A sync transport over one loopback TCP connection (<see cref="SyncFrames"/>), to a server hosted by another
/// process: the sync crash test's child process syncs through it with the test process, so killing the child
/// leaves the server, and what it merged, untouched.
/// </summary>
internal sealed class TcpSyncTransport(int port) : ISyncTransport, IDisposable
{
    private readonly SemaphoreSlim _exchange = new(1, 1);
    private TcpClient? _client;

    public ValueTask<ReadOnlyMemory<byte>> PushAsync(ReadOnlyMemory<byte> push, CancellationToken cancellationToken) =>
        ExchangeAsync(SyncFrames.Push, push, cancellationToken);

    public ValueTask<ReadOnlyMemory<byte>> PullAsync(ReadOnlyMemory<byte> request, CancellationToken cancellationToken) =>
        ExchangeAsync(SyncFrames.Pull, request, cancellationToken);

    public void Dispose()
    {
        _client?.Dispose();
        _exchange.Dispose();
    }

    private async ValueTask<ReadOnlyMemory<byte>> ExchangeAsync(byte kind, ReadOnlyMemory<byte> message, CancellationToken cancellationToken)
    {
        await _exchange.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            (byte status, byte[] payload) = await SendAsync(kind, message, cancellationToken).ConfigureAwait(false);
            return status switch
            {
                SyncFrames.Answer => payload,
                SyncFrames.Malformed => throw new SyncFormatException($"The server refused the message: {Encoding.UTF8.GetString(payload)}"),
                _ => throw new SyncTransportException($"The server failed: {Encoding.UTF8.GetString(payload)}"),
            };
        }
        finally
        {
            _exchange.Release();
        }
    }

    private async ValueTask<(byte, byte[])> SendAsync(byte kind, ReadOnlyMemory<byte> message, CancellationToken cancellationToken)
    {
        try
        {
            if (_client is null)
            {
                var client = new TcpClient { NoDelay = true };
                try
                {
                    await client.ConnectAsync(IPAddress.Loopback, port, cancellationToken).ConfigureAwait(false);
                }
                catch
                {
                    client.Dispose();
                    throw;
                }

                _client = client;
            }

            NetworkStream stream = _client.GetStream();
            await SyncFrames.WriteAsync(stream, kind, message, cancellationToken).ConfigureAwait(false);
            return await SyncFrames.ReadAsync(stream, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            // Whatever broke the exchange, the connection is in an unknown state: the next one starts afresh.
            _client?.Dispose();
            _client = null;
            if (e is IOException or SocketException)
            {
                throw new SyncTransportException($"The sync server could not be reached: {e.Message}", offline: e is SocketException, innerException: e);
            }

            throw;
        }
    }
}
