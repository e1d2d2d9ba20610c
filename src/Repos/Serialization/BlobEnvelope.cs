using System.Buffers;
using System.Buffers.Binary;

namespace Repos.Serialization;

/// <summary>
/// Writes and reads the envelope every stored entity blob travels in: a format byte, flags, the schema
/// version, a CRC-32C checksum, then the payload, LZ4-compressed (with the entity's dictionary when it has one)
/// only when that saves enough. docs/format.md gives the exact byte layout.
/// </summary>
/// <remarks>
/// The readers accept any bytes: malformed input ends in <see cref="ReposFormatException"/>, a payload
/// whose checksum does not match in <see cref="ReposChecksumException"/>, and no input makes them
/// allocate more than its length can justify.
/// </remarks>
public static class BlobEnvelope
{
    /// <summary>The envelope format of a payload stored as it is or compressed without a dictionary.</summary>
    public const byte FormatVersion = 1;

    /// <summary>
    /// The envelope format of a payload compressed with a <see cref="CompressionDictionary"/>: format 1's
    /// compressed header followed by the dictionary's id. Versions of Repos before it refuse such a blob.
    /// </summary>
    public const byte DictionaryFormatVersion = 2;

    /// <summary>The header length of an envelope whose payload is stored as it is.</summary>
    public const int HeaderLength = 10;

    /// <summary>The header length of an envelope whose payload is compressed (adds the uncompressed length).</summary>
    public const int CompressedHeaderLength = HeaderLength + 4;

    /// <summary>The header length of an envelope whose payload is compressed with a dictionary (adds the dictionary's id).</summary>
    public const int DictionaryHeaderLength = CompressedHeaderLength + 4;

    /// <summary>The largest payload an envelope can hold.</summary>
    public const int MaxPayloadLength = 0x7E000000;

    // An LZ4 block turns one input byte into at most 255 output bytes (a run of 255-valued length bytes);
    // a declared length beyond that is a lie, and is refused before anything is allocated for it.
    private const int MaxExpansion = 255;

    // Below this, LZ4 cannot win back the four bytes of the length field.
    private const int MinCompressibleLength = 24;

    /// <summary>
    /// How much smaller than stored as it is, in percent, an envelope must come out compressed for
    /// <see cref="Write(ReadOnlySpan{byte}, int, Span{byte}, bool)"/> to keep it compressed: 30. Below that,
    /// the bytes saved are not worth decompressing at every read.
    /// </summary>
    public const int MinimumSavingPercent = 30;

    private const int FormatOffset = 0;
    private const int FlagsOffset = 1;
    private const int SchemaVersionOffset = 2;
    private const int ChecksumOffset = 6;
    private const int UncompressedLengthOffset = 10;
    private const int DictionaryIdOffset = 14;

    // The checksum covers what the bytes mean (format 1's payload encoding, the schema version, the payload),
    // not how they are stored: recompressing a payload, with or without a dictionary, leaves it unchanged.
    private const byte ChecksumFormat = 1;

    /// <summary>The largest envelope a payload of <paramref name="payloadLength"/> bytes can produce.</summary>
    /// <param name="payloadLength">The payload length in bytes.</param>
    /// <returns>The number of bytes <see cref="Write(ReadOnlySpan{byte}, int, Span{byte}, bool)"/> may need.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The length is negative or above <see cref="MaxPayloadLength"/>.</exception>
    public static int GetMaxLength(int payloadLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(payloadLength);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(payloadLength, MaxPayloadLength);
        return HeaderLength + payloadLength;
    }

    /// <summary>
    /// Writes <paramref name="payload"/> in an envelope to <paramref name="destination"/>, compressed when
    /// that saves at least <see cref="MinimumSavingPercent"/> percent of the stored envelope's size.
    /// </summary>
    /// <param name="payload">The bytes to store (the entity's MessagePack encoding).</param>
    /// <param name="schemaVersion">The schema version of the entity, zero or more.</param>
    /// <param name="destination">Where to write; at least <see cref="GetMaxLength(int)"/> bytes.</param>
    /// <param name="allowCompression">False to store the payload as it is, without trying LZ4.</param>
    /// <returns>The number of bytes written.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The schema version is negative or the payload too large.</exception>
    /// <exception cref="ArgumentException">The destination is shorter than <see cref="GetMaxLength(int)"/>.</exception>
    public static int Write(ReadOnlySpan<byte> payload, int schemaVersion, Span<byte> destination, bool allowCompression = true) =>
        Write(payload, schemaVersion, destination, allowCompression, null);

    /// <summary>
    /// Writes <paramref name="payload"/> in an envelope to <paramref name="destination"/>, compressed with
    /// <paramref name="dictionary"/> (or without one when it is null) when that saves at least
    /// <see cref="MinimumSavingPercent"/> percent of the stored envelope's size.
    /// </summary>
    /// <param name="payload">The bytes to store (the entity's MessagePack encoding).</param>
    /// <param name="schemaVersion">The schema version of the entity, zero or more.</param>
    /// <param name="destination">Where to write; at least <see cref="GetMaxLength(int)"/> bytes.</param>
    /// <param name="dictionary">The dictionary to compress with; readers need the same one.</param>
    /// <returns>The number of bytes written.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The schema version is negative or the payload too large.</exception>
    /// <exception cref="ArgumentException">The destination is shorter than <see cref="GetMaxLength(int)"/>.</exception>
    public static int Write(ReadOnlySpan<byte> payload, int schemaVersion, Span<byte> destination, CompressionDictionary? dictionary) =>
        Write(payload, schemaVersion, destination, allowCompression: true, dictionary);

    /// <summary>Writes <paramref name="payload"/> in an envelope to <paramref name="output"/>, compressed with <paramref name="dictionary"/> when that pays.</summary>
    /// <param name="payload">The bytes to store (the entity's MessagePack encoding).</param>
    /// <param name="schemaVersion">The schema version of the entity, zero or more.</param>
    /// <param name="output">The buffer to append the envelope to.</param>
    /// <param name="dictionary">The dictionary to compress with, or null for none.</param>
    /// <returns>The number of bytes written.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The schema version is negative or the payload too large.</exception>
    public static int Write(ReadOnlySpan<byte> payload, int schemaVersion, IBufferWriter<byte> output, CompressionDictionary? dictionary)
    {
        ArgumentNullException.ThrowIfNull(output);
        Span<byte> destination = output.GetSpan(GetMaxLength(payload.Length));
        int written = Write(payload, schemaVersion, destination, allowCompression: true, dictionary);
        output.Advance(written);
        return written;
    }

    private static int Write(ReadOnlySpan<byte> payload, int schemaVersion, Span<byte> destination, bool allowCompression, CompressionDictionary? dictionary)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(schemaVersion);
        int maxLength = GetMaxLength(payload.Length);
        if (destination.Length < maxLength)
        {
            throw new ArgumentException(
                $"The destination holds {destination.Length} bytes; an envelope of a {payload.Length}-byte payload needs up to {maxLength}.",
                nameof(destination));
        }

        destination[FormatOffset] = FormatVersion;
        BinaryPrimitives.WriteUInt32LittleEndian(destination[SchemaVersionOffset..], (uint)schemaVersion);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[ChecksumOffset..], ComputeChecksum(schemaVersion, payload));

        // Compressed, the envelope must come out at least MinimumSavingPercent shorter than stored as it is: the
        // compressor gets exactly that much room and gives up as soon as its output would not fit.
        if (dictionary is not null && allowCompression && payload.Length >= MinCompressibleLength && Lz4.UsesDictionary(dictionary, payload.Length))
        {
            int dictionaryRoom = CompressedRoom(payload.Length, DictionaryHeaderLength);
            if (dictionaryRoom > 0
                && Lz4.TryCompress(payload, destination.Slice(DictionaryHeaderLength, dictionaryRoom), dictionary, out int length))
            {
                destination[FormatOffset] = DictionaryFormatVersion;
                destination[FlagsOffset] = (byte)(BlobFlags.Compressed | BlobFlags.Dictionary);
                BinaryPrimitives.WriteUInt32LittleEndian(destination[UncompressedLengthOffset..], (uint)payload.Length);
                BinaryPrimitives.WriteUInt32LittleEndian(destination[DictionaryIdOffset..], dictionary.Id);
                return DictionaryHeaderLength + length;
            }

            // What the dictionary could not shrink enough, LZ4 alone will not either.
            allowCompression = false;
        }

        int room = CompressedRoom(payload.Length, CompressedHeaderLength);
        if (allowCompression && payload.Length >= MinCompressibleLength && room > 0)
        {
            if (Lz4.TryCompress(payload, destination.Slice(CompressedHeaderLength, room), out int compressedLength))
            {
                destination[FlagsOffset] = (byte)BlobFlags.Compressed;
                BinaryPrimitives.WriteUInt32LittleEndian(destination[UncompressedLengthOffset..], (uint)payload.Length);
                return CompressedHeaderLength + compressedLength;
            }
        }

        destination[FlagsOffset] = (byte)BlobFlags.None;
        payload.CopyTo(destination[HeaderLength..]);
        return HeaderLength + payload.Length;
    }

    /// <summary>The longest LZ4 block a payload of <paramref name="payloadLength"/> bytes is kept compressed with.</summary>
    private static int CompressedRoom(int payloadLength, int headerLength) =>
        (int)((HeaderLength + (long)payloadLength) * (100 - MinimumSavingPercent) / 100) - headerLength;

    /// <summary>Writes <paramref name="payload"/> in an envelope to <paramref name="output"/>.</summary>
    /// <param name="payload">The bytes to store (the entity's MessagePack encoding).</param>
    /// <param name="schemaVersion">The schema version of the entity, zero or more.</param>
    /// <param name="output">The buffer to append the envelope to.</param>
    /// <param name="allowCompression">False to store the payload as it is, without trying LZ4.</param>
    /// <returns>The number of bytes written.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The schema version is negative or the payload too large.</exception>
    public static int Write(ReadOnlySpan<byte> payload, int schemaVersion, IBufferWriter<byte> output, bool allowCompression = true)
    {
        ArgumentNullException.ThrowIfNull(output);
        Span<byte> destination = output.GetSpan(GetMaxLength(payload.Length));
        int written = Write(payload, schemaVersion, destination, allowCompression);
        output.Advance(written);
        return written;
    }

    /// <summary>Reads and checks an envelope's header without touching its payload.</summary>
    /// <param name="blob">The whole envelope.</param>
    /// <returns>The header.</returns>
    /// <exception cref="ReposFormatException">The header is truncated, of an unknown format or inconsistent.</exception>
    public static BlobHeader ReadHeader(ReadOnlySpan<byte> blob)
    {
        if (blob.Length < HeaderLength)
        {
            throw new ReposFormatException(
                $"Blob of {blob.Length} bytes is shorter than the {HeaderLength}-byte envelope header", blob.Length);
        }

        byte format = blob[FormatOffset];
        if (format is not FormatVersion and not DictionaryFormatVersion)
        {
            throw new ReposFormatException(
                $"Unknown blob envelope format 0x{format:X2}; this version of Repos reads formats {FormatVersion} and {DictionaryFormatVersion}", FormatOffset);
        }

        var flags = (BlobFlags)blob[FlagsOffset];
        BlobFlags expected = format == DictionaryFormatVersion ? BlobFlags.Compressed | BlobFlags.Dictionary : BlobFlags.Compressed;
        if ((flags & ~expected) != 0 || (format == DictionaryFormatVersion && flags != expected))
        {
            throw new ReposFormatException($"Blob envelope flags 0x{(byte)flags:X2} are not valid in envelope format {format}", FlagsOffset);
        }

        uint schemaVersion = BinaryPrimitives.ReadUInt32LittleEndian(blob[SchemaVersionOffset..]);
        if (schemaVersion > int.MaxValue)
        {
            throw new ReposFormatException($"Schema version {schemaVersion} is out of range", SchemaVersionOffset);
        }

        uint checksum = BinaryPrimitives.ReadUInt32LittleEndian(blob[ChecksumOffset..]);
        if ((flags & BlobFlags.Compressed) == 0)
        {
            return new BlobHeader(flags, (int)schemaVersion, checksum, blob.Length - HeaderLength, HeaderLength);
        }

        int headerLength = format == DictionaryFormatVersion ? DictionaryHeaderLength : CompressedHeaderLength;
        if (blob.Length < headerLength + 1)
        {
            throw new ReposFormatException(
                $"Compressed blob of {blob.Length} bytes is too short for its {headerLength}-byte header and an LZ4 block", blob.Length);
        }

        uint payloadLength = BinaryPrimitives.ReadUInt32LittleEndian(blob[UncompressedLengthOffset..]);
        long compressedLength = blob.Length - headerLength;
        if (payloadLength > MaxPayloadLength || payloadLength > compressedLength * MaxExpansion)
        {
            throw new ReposFormatException(
                $"Compressed blob declares {payloadLength} uncompressed bytes, more than its {compressedLength} compressed bytes can hold",
                UncompressedLengthOffset);
        }

        uint dictionaryId = 0;
        if (format == DictionaryFormatVersion)
        {
            dictionaryId = BinaryPrimitives.ReadUInt32LittleEndian(blob[DictionaryIdOffset..]);
            if (dictionaryId == 0)
            {
                throw new ReposFormatException("Blob names dictionary 0, which means no dictionary", DictionaryIdOffset);
            }
        }

        return new BlobHeader(flags, (int)schemaVersion, checksum, (int)payloadLength, headerLength, dictionaryId);
    }

    /// <summary>
    /// Reads an envelope's payload into <paramref name="destination"/>, decompressing it if needed and
    /// verifying its checksum.
    /// </summary>
    /// <param name="blob">The whole envelope.</param>
    /// <param name="destination">Where to put the payload; at least <see cref="BlobHeader.PayloadLength"/> bytes.</param>
    /// <param name="header">The envelope's header.</param>
    /// <returns>The payload length.</returns>
    /// <exception cref="ReposFormatException">The envelope is malformed.</exception>
    /// <exception cref="ReposChecksumException">The payload does not match its checksum.</exception>
    /// <exception cref="ArgumentException">The destination is shorter than the payload.</exception>
    public static int Read(ReadOnlySpan<byte> blob, Span<byte> destination, out BlobHeader header) =>
        Read(blob, destination, null, out header);

    /// <summary>
    /// Reads an envelope's payload into <paramref name="destination"/>, decompressing it (with the dictionary
    /// <paramref name="dictionaries"/> gives for its id, if it names one) and verifying its checksum.
    /// </summary>
    /// <param name="blob">The whole envelope.</param>
    /// <param name="destination">Where to put the payload; at least <see cref="BlobHeader.PayloadLength"/> bytes.</param>
    /// <param name="dictionaries">The dictionary of an id (<see cref="CompressionDictionary.Id"/>), or null when unknown.</param>
    /// <param name="header">The envelope's header.</param>
    /// <returns>The payload length.</returns>
    /// <exception cref="ReposFormatException">The envelope is malformed, or names a dictionary that is not given.</exception>
    /// <exception cref="ReposChecksumException">The payload does not match its checksum.</exception>
    /// <exception cref="ArgumentException">The destination is shorter than the payload.</exception>
    public static int Read(ReadOnlySpan<byte> blob, Span<byte> destination, Func<uint, CompressionDictionary?>? dictionaries, out BlobHeader header)
    {
        header = ReadHeader(blob);
        if (destination.Length < header.PayloadLength)
        {
            throw new ArgumentException(
                $"The destination holds {destination.Length} bytes; the payload has {header.PayloadLength}.", nameof(destination));
        }

        Span<byte> payload = destination[..header.PayloadLength];
        if (header.IsCompressed)
        {
            Decompress(blob, payload, header, dictionaries);
        }
        else
        {
            blob[HeaderLength..].CopyTo(payload);
        }

        VerifyChecksum(header, payload);
        return header.PayloadLength;
    }

    /// <summary>
    /// Reads an envelope's payload, decompressing it into a pooled buffer if needed and verifying its
    /// checksum. Dispose the result to return the buffer.
    /// </summary>
    /// <param name="blob">The whole envelope.</param>
    /// <returns>The verified payload.</returns>
    /// <exception cref="ReposFormatException">The envelope is malformed.</exception>
    /// <exception cref="ReposChecksumException">The payload does not match its checksum.</exception>
    public static BlobPayload Read(ReadOnlySpan<byte> blob) => Read(blob, null);

    /// <summary>
    /// Reads an envelope's payload, decompressing it into a pooled buffer if needed (with the dictionary
    /// <paramref name="dictionaries"/> gives for its id, if it names one) and verifying its checksum. Dispose
    /// the result to return the buffer.
    /// </summary>
    /// <param name="blob">The whole envelope.</param>
    /// <param name="dictionaries">The dictionary of an id (<see cref="CompressionDictionary.Id"/>), or null when unknown.</param>
    /// <returns>The verified payload.</returns>
    /// <exception cref="ReposFormatException">The envelope is malformed, or names a dictionary that is not given.</exception>
    /// <exception cref="ReposChecksumException">The payload does not match its checksum.</exception>
    public static BlobPayload Read(ReadOnlySpan<byte> blob, Func<uint, CompressionDictionary?>? dictionaries)
    {
        BlobHeader header = ReadHeader(blob);
        if (!header.IsCompressed)
        {
            ReadOnlySpan<byte> stored = blob[HeaderLength..];
            VerifyChecksum(header, stored);
            return new BlobPayload(stored, header, rented: null);
        }

        byte[] rented = ArrayPool<byte>.Shared.Rent(header.PayloadLength);
        try
        {
            Span<byte> payload = rented.AsSpan(0, header.PayloadLength);
            Decompress(blob, payload, header, dictionaries);
            VerifyChecksum(header, payload);
            return new BlobPayload(payload, header, rented);
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(rented);
            throw;
        }
    }

    private static void Decompress(ReadOnlySpan<byte> blob, Span<byte> payload, in BlobHeader header, Func<uint, CompressionDictionary?>? dictionaries)
    {
        CompressionDictionary? dictionary = null;
        if (header.DictionaryId != 0)
        {
            dictionary = dictionaries?.Invoke(header.DictionaryId);
            if (dictionary is null)
            {
                throw new ReposFormatException(
                    dictionaries is null
                        ? $"Blob is compressed with dictionary {header.DictionaryId:X8}, and the reader was given no dictionaries"
                        : $"Blob is compressed with dictionary {header.DictionaryId:X8}, which the file does not hold",
                    DictionaryIdOffset);
            }

            if (dictionary.Id != header.DictionaryId)
            {
                throw new ArgumentException($"Asked for dictionary {header.DictionaryId:X8}, the resolver gave dictionary {dictionary.Id:X8}.", nameof(dictionaries));
            }
        }

        int written;
        try
        {
            ReadOnlySpan<byte> block = blob[header.HeaderLength..];
            written = dictionary is null ? Lz4.Decompress(block, payload) : Lz4.Decompress(block, payload, dictionary);
        }
        catch (ReposFormatException e)
        {
            throw new ReposFormatException(
                $"Compressed payload is damaged: {e.Reason}", e.Offset < 0 ? -1 : header.HeaderLength + e.Offset, e);
        }

        if (written != payload.Length)
        {
            throw new ReposFormatException(
                $"Compressed payload decodes to {written} bytes but the envelope declares {payload.Length}", UncompressedLengthOffset);
        }
    }

    private static void VerifyChecksum(BlobHeader header, ReadOnlySpan<byte> payload)
    {
        uint actual = ComputeChecksum(header.SchemaVersion, payload);
        if (actual != header.Checksum)
        {
            throw new ReposChecksumException(header.Checksum, actual, ChecksumOffset);
        }
    }

    private static uint ComputeChecksum(int schemaVersion, ReadOnlySpan<byte> payload)
    {
        Span<byte> prefix = stackalloc byte[5];
        prefix[0] = ChecksumFormat;
        BinaryPrimitives.WriteUInt32LittleEndian(prefix[1..], (uint)schemaVersion);
        return Crc32C.Append(Crc32C.Compute(prefix), payload);
    }
}
