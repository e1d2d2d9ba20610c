using System.Buffers;

namespace Repos.Serialization;

/// <summary>
/// A verified payload read from a blob envelope. Dispose it when done: a compressed payload is
/// decompressed into a pooled buffer that disposing returns.
/// </summary>
/// <remarks>
/// For an uncompressed envelope, <see cref="Span"/> is a slice of the envelope itself, so it is valid only
/// while that memory is.
/// </remarks>
public readonly ref struct BlobPayload
{
    private readonly byte[]? _rented;

    internal BlobPayload(ReadOnlySpan<byte> span, BlobHeader header, byte[]? rented)
    {
        Span = span;
        Header = header;
        _rented = rented;
    }

    /// <summary>The uncompressed payload (a MessagePack value for entity blobs).</summary>
    public ReadOnlySpan<byte> Span { get; }

    /// <summary>The envelope's header.</summary>
    public BlobHeader Header { get; }

    /// <summary>The schema version of the entity the payload encodes.</summary>
    public int SchemaVersion => Header.SchemaVersion;

    /// <summary>Returns the pooled buffer, if one was used. The payload must not be used afterwards.</summary>
    public void Dispose()
    {
        if (_rented is not null)
        {
            ArrayPool<byte>.Shared.Return(_rented);
        }
    }
}
