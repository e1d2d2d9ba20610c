using Repos.Serialization;
using Repos.Storage;
using Repos.Storage.Sqlite;

namespace Repos;

public abstract partial class Repository<TEntity, TKey>
{
    // The write numbers (in this open) at which a dictionary is trained, while there is none: the first write
    // learns from stored rows, later ones from this open's writes as well.
    private static readonly int[] s_trainingAttempts = [1, 64, 128, 256, 512];

    // The dictionary this repository's writes compress with, once it has one.
    private CompressionDictionary? _dictionary;

    // A dictionary stored by a write whose transaction has not been seen to commit yet, and that transaction.
    private CompressionDictionary? _pendingDictionary;
    private long _pendingTransaction;
    private long _pendingCheckedOperation;

    // Samples for training: copies of this open's payloads, bounded, and stored rows read at the first attempt.
    private List<ReadOnlyMemory<byte>>? _samples = [];
    private int _sampleBytes;
    private int _writesWithoutDictionary;
    private int _trainingAttempt;

    /// <summary>The samples kept for training at most: 512 payloads, 1 MiB.</summary>
    private const int MaxSamples = 512;

    private const int MaxSampleBytes = 1 << 20;

    /// <summary>Samples a dictionary is trained from at least.</summary>
    private const int MinSamples = 256;

    /// <summary>
    /// The dictionary to compress <paramref name="payload"/> with, training and storing one (in this write's
    /// transaction) when the entity has none and enough samples have been seen
    /// (<see cref="ReposDatabaseOptions.CompressionDictionaries"/>).
    /// </summary>
    private CompressionDictionary? DictionaryFor(SqliteConnection connection, ReadOnlySpan<byte> payload)
    {
        if (_pendingDictionary is not null && connection.WriteOperationSerial != _pendingCheckedOperation)
        {
            ConfirmPendingDictionary(connection);
        }

        // One stored at open or by another process (taken in when the catalog was followed) is committed.
        if (_dictionary is null && _database.Context.EntityDictionaries.GetValueOrDefault(_definition.Name) is { } stored)
        {
            _dictionary = stored;
            _samples = null;
        }

        if (_dictionary is not null || _samples is null || !_database.Options.CompressionDictionaries)
        {
            return _dictionary;
        }

        if (_samples.Count < MaxSamples && _sampleBytes + payload.Length <= MaxSampleBytes)
        {
            _samples.Add(payload.ToArray());
            _sampleBytes += payload.Length;
        }

        if (++_writesWithoutDictionary == s_trainingAttempts[_trainingAttempt])
        {
            TrainDictionary(connection);
        }

        return _dictionary;
    }

    /// <summary>
    /// A dictionary stored in a transaction that may still roll back must not name rows written after it did:
    /// at each later write operation while its transaction runs, check that its row is still there (the operation
    /// that stored it may have failed and been rolled back to its savepoint, or the transaction rolled back); once a
    /// later transaction sees it, it was committed. Within the operation that stored it, no check is needed: if
    /// that operation fails, none of its rows stay either.
    /// </summary>
    private void ConfirmPendingDictionary(SqliteConnection connection)
    {
        if (!CompressionDictionaries.IsStored(connection, _pendingDictionary!.Id))
        {
            _pendingDictionary = null;
            _dictionary = null;
            _samples = [];
            _sampleBytes = 0;
            _writesWithoutDictionary = 0;
            _trainingAttempt = 0;
            return;
        }

        _pendingCheckedOperation = connection.WriteOperationSerial;
        if (connection.TransactionSerial != _pendingTransaction)
        {
            _pendingDictionary = null;
        }
    }

    private void TrainDictionary(SqliteConnection connection)
    {
        List<ReadOnlyMemory<byte>> samples = _trainingAttempt == 0 ? [.. _samples!, .. StoredSamples(connection)] : _samples!;
        _trainingAttempt++;
        bool lastAttempt = _trainingAttempt == s_trainingAttempts.Length;
        if (samples.Count >= MinSamples && CompressionDictionary.Train(samples) is { } dictionary && PaysOnMostRows(dictionary, samples)
            && _database.Context.Dictionaries.Store(connection, _definition.Name, dictionary))
        {
            _dictionary = dictionary;
            _pendingDictionary = dictionary;
            _pendingTransaction = connection.TransactionSerial;
            _pendingCheckedOperation = connection.WriteOperationSerial;
            lastAttempt = true;
        }

        if (lastAttempt)
        {
            _samples = null;
        }
    }

    /// <summary>The payloads of the most recent stored rows, as many as samples are kept; rows that do not read are passed over.</summary>
    private List<ReadOnlyMemory<byte>> StoredSamples(SqliteConnection connection)
    {
        var samples = new List<ReadOnlyMemory<byte>>();
        int bytes = 0;
        using SqliteStatement select = connection.PrepareOnce(
            $"SELECT _blob FROM {SqlText.Quote(_definition.TableName)} ORDER BY rowid DESC LIMIT {MaxSamples}");
        while (select.Step() && bytes < MaxSampleBytes)
        {
            try
            {
                using BlobPayload payload = BlobEnvelope.Read(select.ColumnBlob(0), _database.Context.Dictionaries.Find);
                samples.Add(payload.Span.ToArray());
                bytes += payload.Span.Length;
            }
            catch (ReposException)
            {
                // A damaged row is verify's to report; it is simply no sample.
            }
        }

        return samples;
    }

    /// <summary>Whether at least half the samples come out of the envelope compressed with the dictionary (saving 30%).</summary>
    private static bool PaysOnMostRows(CompressionDictionary dictionary, List<ReadOnlyMemory<byte>> samples)
    {
        int paying = 0;
        byte[] blob = [];
        foreach (ReadOnlyMemory<byte> sample in samples)
        {
            int length = BlobEnvelope.GetMaxLength(sample.Length);
            if (blob.Length < length)
            {
                blob = new byte[length];
            }

            BlobEnvelope.Write(sample.Span, 0, blob, dictionary);
            if (blob[0] == BlobEnvelope.DictionaryFormatVersion)
            {
                paying++;
            }
        }

        return paying * 2 >= samples.Count;
    }
}
