namespace Repos.Internal;

/// <summary>
/// Decides, for one table of an open database (each repository and each migration run has its own), whether a
/// write tries to compress its blob. Every write tries while compression
/// keeps paying; after <see cref="MissesBeforeBackOff"/> tries in a row that did not save
/// <see cref="Serialization.BlobEnvelope.MinimumSavingPercent"/> percent, only one write in an interval tries,
/// the interval doubling with each such run up to <see cref="MaxInterval"/>. So an entity whose blobs do not
/// compress well stops paying the compressor's time on almost every write, and one that starts to (longer text,
/// say) is noticed within <see cref="MaxInterval"/> writes: a single success makes every write try again.
/// </summary>
/// <remarks>
/// Not synchronized: writers on several threads may make it try a little more or less often than described.
/// Each blob is correct whichever way it goes (a reader takes compressed and stored blobs alike).
/// </remarks>
internal sealed class CompressionGate
{
    /// <summary>Tries in a row that did not pay before tries become sparser.</summary>
    public const int MissesBeforeBackOff = 8;

    /// <summary>The longest interval between tries: one write in 256.</summary>
    public const int MaxInterval = 256;

    private int _misses;
    private int _interval = 1;
    private int _countdown;
    private Serialization.CompressionDictionary? _dictionary;

    /// <summary>Whether this write should try to compress.</summary>
    public bool ShouldTry()
    {
        if (_interval == 1 || --_countdown <= 0)
        {
            _countdown = _interval;
            return true;
        }

        return false;
    }

    /// <summary>Records what a try gave: <paramref name="compressed"/> when the blob was kept compressed.</summary>
    public void Record(bool compressed)
    {
        if (compressed)
        {
            _misses = 0;
            _interval = 1;
            return;
        }

        if (++_misses >= MissesBeforeBackOff)
        {
            _misses = 0;
            _interval = Math.Min(_interval * 2, MaxInterval);
            _countdown = _interval;
        }
    }

    /// <summary>
    /// Writes <paramref name="payload"/> in an envelope to <paramref name="blob"/>, compressed (with
    /// <paramref name="dictionary"/>, if any) when this gate lets it try and that pays. A new dictionary starts
    /// the gate over: what did not pay without it may with it.
    /// </summary>
    public void Write(ReadOnlySpan<byte> payload, int schemaVersion, System.Buffers.IBufferWriter<byte> blob, Serialization.CompressionDictionary? dictionary = null)
    {
        if (!ReferenceEquals(dictionary, _dictionary))
        {
            _dictionary = dictionary;
            Record(compressed: true);
        }

        bool tried = ShouldTry();
        int written = tried
            ? Serialization.BlobEnvelope.Write(payload, schemaVersion, blob, dictionary)
            : Serialization.BlobEnvelope.Write(payload, schemaVersion, blob, allowCompression: false);
        if (tried)
        {
            Record(written < Serialization.BlobEnvelope.HeaderLength + payload.Length);
        }
    }
}
