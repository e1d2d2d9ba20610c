namespace Repos.Serialization;

/// <summary>The flags byte of a blob envelope (offset 1). Bits not defined here must be zero.</summary>
[Flags]
public enum BlobFlags : byte
{
    /// <summary>The payload is stored as it is.</summary>
    None = 0,

    /// <summary>The payload is stored as one LZ4 block, preceded by its uncompressed length.</summary>
    Compressed = 1,

    /// <summary>
    /// The LZ4 block was compressed with a dictionary, named by the 4 bytes after the uncompressed length
    /// (envelope format <see cref="BlobEnvelope.DictionaryFormatVersion"/> only, always with <see cref="Compressed"/>).
    /// </summary>
    Dictionary = 2,
}
