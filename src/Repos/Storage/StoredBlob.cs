using Repos.Diagnostics;
using Repos.Serialization;

namespace Repos.Storage;

/// <summary>Checks of a stored blob that need no model: what can be said of a row only the catalog knows.</summary>
internal static class StoredBlob
{
    /// <summary>
    /// Whether <paramref name="envelope"/> is a valid envelope whose payload passes its checksum and is a
    /// well-formed MessagePack map keyed by integer field ids, as every stored entity is.
    /// </summary>
    /// <returns>What is wrong, or null; <paramref name="message"/> says more.</returns>
    public static BadRowKind? Check(ReadOnlySpan<byte> envelope, Func<uint, Serialization.CompressionDictionary?>? dictionaries, out int schemaVersion, out string? message)
    {
        schemaVersion = 0;
        BlobPayload payload;
        try
        {
            payload = BlobEnvelope.Read(envelope, dictionaries);
        }
        catch (ReposChecksumException e)
        {
            message = e.Message;
            return BadRowKind.Checksum;
        }
        catch (ReposFormatException e)
        {
            message = e.Message;
            return BadRowKind.Envelope;
        }

        using (payload)
        {
            schemaVersion = payload.SchemaVersion;
            message = CheckMap(payload.Span);
            return message is null ? null : BadRowKind.Payload;
        }
    }

    /// <summary>Null when <paramref name="payload"/> is one MessagePack map of integer keys, else what is wrong.</summary>
    public static string? CheckMap(ReadOnlySpan<byte> payload)
    {
        try
        {
            var reader = new MessagePackReader(payload);
            for (int count = reader.ReadMapHeader(); count > 0; count--)
            {
                reader.ReadInt64();
                reader.Skip();
            }

            return reader.End ? null : $"The payload has {reader.Remaining} bytes after its map.";
        }
        catch (ReposFormatException e)
        {
            return $"The payload is not a map of field ids: {e.Message}";
        }
    }
}
