namespace Repos.Serialization;

/// <summary>The decoded header of a blob envelope; see docs/format.md for the byte layout.</summary>
public readonly struct BlobHeader
{
    internal BlobHeader(BlobFlags flags, int schemaVersion, uint checksum, int payloadLength, int headerLength)
    {
        Flags = flags;
        SchemaVersion = schemaVersion;
        Checksum = checksum;
        PayloadLength = payloadLength;
        HeaderLength = headerLength;
    }

    /// <summary>The envelope format; this version of Repos reads and writes <see cref="BlobEnvelope.FormatVersion"/>.</summary>
    public byte Format => BlobEnvelope.FormatVersion;

    /// <summary>How the payload is stored.</summary>
    public BlobFlags Flags { get; }

    /// <summary>Whether the payload is stored LZ4-compressed.</summary>
    public bool IsCompressed => (Flags & BlobFlags.Compressed) != 0;

    /// <summary>The schema version of the entity the payload encodes.</summary>
    public int SchemaVersion { get; }

    /// <summary>The recorded CRC-32C (over the format byte, the schema version and the uncompressed payload).</summary>
    public uint Checksum { get; }

    /// <summary>The length of the payload once decompressed: the size a destination buffer needs.</summary>
    public int PayloadLength { get; }

    /// <summary>The number of bytes before the stored payload (10 uncompressed, 14 compressed).</summary>
    public int HeaderLength { get; }
}
