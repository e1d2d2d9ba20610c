using System.Buffers;
using BenchmarkDotNet.Attributes;
using Repos.Internal;
using Repos.Serialization;

namespace Repos.Benchmarks.Repository;

/// <summary>
/// What encoding one benchmark entry as its stored blob costs (the generated serializer, then the envelope with
/// its checksum and, when it pays, LZ4), over 1,000 entries of <see cref="DiaryData"/>: the serializer alone,
/// the envelope with compression tried on every write, with the repositories' <see cref="CompressionGate"/>,
/// never compressed, and compressed with a dictionary trained on 512 other entries, as a repository does
/// once it has one (<see cref="ReposDatabaseOptions.CompressionDictionaries"/>).
/// </summary>
[MemoryDiagnoser]
public class StoredBlobBenchmarks
{
    private const int EntryCount = 1000;
    private readonly ArrayBufferWriter<byte> _payload = new();
    private readonly ArrayBufferWriter<byte> _blob = new();
    private readonly CompressionGate _gate = new();
    private DailyEntry[] _entries = [];
    private DiaryDb? _db;
    private CompressionDictionary? _dictionary;
    private string _path = string.Empty;

    [GlobalSetup]
    public void Setup()
    {
        _entries = DiaryData.Entries.Take(EntryCount).ToArray();
        _path = BenchFiles.PathOf("stored-blob");
        BenchFiles.Delete(_path);
        _db = DiaryDb.OpenAsync(_path).AsTask().GetAwaiter().GetResult();

        _dictionary = CompressionDictionary.Train(
            DiaryData.Entries.Skip(EntryCount).Take(512).Select(e => (ReadOnlyMemory<byte>)Payload(e).ToArray()).ToList())
            ?? throw new InvalidOperationException("No dictionary trained for the benchmark entries.");
        long payloadBytes = 0, blobBytes = 0, compressed = 0, dictionaryBytes = 0, withDictionary = 0;
        foreach (DailyEntry entry in _entries)
        {
            ReadOnlySpan<byte> payload = Payload(entry);
            payloadBytes += payload.Length;
            _blob.ResetWrittenCount();
            BlobEnvelope.Write(payload, 1, _blob);
            blobBytes += _blob.WrittenCount;
            compressed += BlobEnvelope.ReadHeader(_blob.WrittenSpan).IsCompressed ? 1 : 0;
            _blob.ResetWrittenCount();
            BlobEnvelope.Write(payload, 1, _blob, _dictionary);
            dictionaryBytes += _blob.WrittenCount;
            withDictionary += BlobEnvelope.ReadHeader(_blob.WrittenSpan).DictionaryId != 0 ? 1 : 0;
        }

        Console.WriteLine($"// with a {_dictionary.Length}-byte dictionary: blob {dictionaryBytes / EntryCount} bytes on average; {withDictionary} compressed with it");

        Console.WriteLine($"// {EntryCount} entries: payload {payloadBytes / EntryCount} bytes on average, blob {blobBytes / EntryCount}; {compressed} kept compressed (at least {BlobEnvelope.MinimumSavingPercent}% saved)");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _db?.Dispose();
        BenchFiles.Delete(_path);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = EntryCount)]
    public int Serializer()
    {
        int total = 0;
        foreach (DailyEntry entry in _entries)
        {
            total += Payload(entry).Length;
        }

        return total;
    }

    [Benchmark(OperationsPerInvoke = EntryCount)]
    public int Blob_CompressionTriedEveryWrite() => Blobs(static (payload, blob, _) => BlobEnvelope.Write(payload, 1, blob));

    [Benchmark(OperationsPerInvoke = EntryCount)]
    public int Blob_CompressionGate() => Blobs(static (payload, blob, gate) => gate.Write(payload, 1, blob));

    [Benchmark(OperationsPerInvoke = EntryCount)]
    public int Blob_NeverCompressed() => Blobs(static (payload, blob, _) => BlobEnvelope.Write(payload, 1, blob, allowCompression: false));

    [Benchmark(OperationsPerInvoke = EntryCount)]
    public int Blob_WithDictionary()
    {
        int total = 0;
        foreach (DailyEntry entry in _entries)
        {
            ReadOnlySpan<byte> payload = Payload(entry);
            _blob.ResetWrittenCount();
            _gate.Write(payload, 1, _blob, _dictionary);
            total += _blob.WrittenCount;
        }

        return total;
    }

    private delegate void Envelope(ReadOnlySpan<byte> payload, ArrayBufferWriter<byte> blob, CompressionGate gate);

    private int Blobs(Envelope envelope)
    {
        int total = 0;
        foreach (DailyEntry entry in _entries)
        {
            ReadOnlySpan<byte> payload = Payload(entry);
            _blob.ResetWrittenCount();
            envelope(payload, _blob, _gate);
            total += _blob.WrittenCount;
        }

        return total;
    }

    private ReadOnlySpan<byte> Payload(DailyEntry entry)
    {
        _payload.ResetWrittenCount();
        var writer = new MessagePackWriter(_payload);
        DailyEntrySerializer.Write(ref writer, entry, _db!.Context);
        writer.Flush();
        return _payload.WrittenSpan;
    }
}
