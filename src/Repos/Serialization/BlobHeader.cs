namespace Repos.Serialization;

/// <summary>The decoded header of a blob envelope; see docs/format.md for the byte layout.</summary>
public readonly struct BlobHeader
{
    internal BlobHeader(BlobFlags flags, int schemaVersion, uint checksum, int payloadLength, int headerLength, uint dictionaryId = 0)
    {
        DictionaryId = dictionaryId;
        Flags = flags;
        SchemaVersion = schemaVersion;
        Checksum = checksum;
        PayloadLength = payloadLength;
        HeaderLength = headerLength;
    }

    /// <summary>
    /// The envelope format: <see cref="BlobEnvelope.FormatVersion"/>, or <see cref="BlobEnvelope.DictionaryFormatVersion"/>
    /// for a payload compressed with a dictionary.
    /// </summary>
    public byte Format => DictionaryId == 0 ? BlobEnvelope.FormatVersion : BlobEnvelope.DictionaryFormatVersion;

    /// <summary>The <see cref="CompressionDictionary.Id"/> of the dictionary the payload was compressed with, or 0 for none.</summary>
    public uint DictionaryId { get; }

    /// <summary>How the payload is stored.</summary>
    public BlobFlags Flags { get; }

    /// <summary>Whether the payload is stored LZ4-compressed.</summary>
    public bool IsCompressed => (Flags & BlobFlags.Compressed) != 0;

    /// <summary>The schema version of the entity the payload encodes.</summary>
    public int SchemaVersion { get; }

    /// <summary>The recorded CRC-32C (over the byte 1, the schema version and the uncompressed payload, whatever the envelope's format).</summary>
    public uint Checksum { get; }

    /// <summary>The length of the payload once decompressed: the size a destination buffer needs.</summary>
    public int PayloadLength { get; }

    /// <summary>The number of bytes before the stored payload (10 uncompressed, 14 compressed, 18 compressed with a dictionary).</summary>
    public int HeaderLength { get; }
}
