using System.Buffers;
using System.Diagnostics;
using Repos.Serialization;
using SymptomTracker;

// Until the generated repositories arrive, the sample shows the storage codecs every entity goes
// through: MessagePack for the entity, then the checksummed, LZ4-compressed blob envelope.
const int Users = 5;
const int Days = 3653;

Console.WriteLine("Repos SymptomTracker: storage codecs round trip");
DailyEntry[] entries = SampleData.Entries(Users, Days, seed: 42).ToArray();
Console.WriteLine($"{entries.Length:N0} daily entries ({Users} users x {Days} days)");

// The first rounds pay for JIT compilation (tiered, in the background); the last shows the steady state.
Round round = RunRound(entries);
for (int i = 0; i < 5; i++)
{
    Thread.Sleep(100);
    round = RunRound(entries);
}

int mismatches = 0;
for (int i = 0; i < entries.Length; i++)
{
    if (!entries[i].Equals(round.Decoded[i]))
    {
        mismatches++;
    }
}

double payloadBytes = round.PayloadBytes;
double blobBytes = round.BlobBytes;
Console.WriteLine($"MessagePack payloads: {payloadBytes:N0} bytes, {payloadBytes / entries.Length:F0} bytes per entry");
Console.WriteLine($"Stored blobs:         {blobBytes:N0} bytes, {blobBytes / entries.Length:F0} bytes per entry ({blobBytes / payloadBytes:P0} of the payload; {round.CompressedCount:N0} of {entries.Length:N0} compressed)");
Console.WriteLine($"Serialize:            {round.Serialize.TotalMilliseconds,8:F1} ms  {Rate(entries.Length, round.Serialize)}");
Console.WriteLine($"Envelope (LZ4+CRC):   {round.Envelope.TotalMilliseconds,8:F1} ms  {Rate(entries.Length, round.Envelope)}");
Console.WriteLine($"Read back + decode:   {round.Read.TotalMilliseconds,8:F1} ms  {Rate(entries.Length, round.Read)}");
Console.WriteLine(mismatches == 0
    ? $"All {entries.Length:N0} entries read back identical."
    : $"{mismatches:N0} entries differ after the round trip.");
return mismatches == 0 ? 0 : 1;

static string Rate(int count, TimeSpan time) => $"{count / time.TotalSeconds / 1000:N0}k entries/s";

static Round RunRound(DailyEntry[] entries)
{
    var payloads = new ArrayBufferWriter<byte>(entries.Length * 400);
    var payloadEnds = new int[entries.Length];
    var stopwatch = Stopwatch.StartNew();
    for (int i = 0; i < entries.Length; i++)
    {
        var writer = new MessagePackWriter(payloads);
        DailyEntryCodec.Write(ref writer, entries[i]);
        writer.Flush();
        payloadEnds[i] = payloads.WrittenCount;
    }
    
    TimeSpan serializeTime = stopwatch.Elapsed;
    
    var blobs = new ArrayBufferWriter<byte>(payloads.WrittenCount);
    var blobEnds = new int[entries.Length];
    int compressedCount = 0;
    stopwatch.Restart();
    for (int i = 0; i < entries.Length; i++)
    {
        int start = i == 0 ? 0 : payloadEnds[i - 1];
        BlobEnvelope.Write(payloads.WrittenSpan[start..payloadEnds[i]], schemaVersion: 1, blobs);
        blobEnds[i] = blobs.WrittenCount;
    }
    
    TimeSpan envelopeTime = stopwatch.Elapsed;
    
    var decoded = new DailyEntry[entries.Length];
    stopwatch.Restart();
    for (int i = 0; i < entries.Length; i++)
    {
        int start = i == 0 ? 0 : blobEnds[i - 1];
        using BlobPayload payload = BlobEnvelope.Read(blobs.WrittenSpan[start..blobEnds[i]]);
        compressedCount += payload.Header.IsCompressed ? 1 : 0;
        var reader = new MessagePackReader(payload.Span);
        decoded[i] = DailyEntryCodec.Read(ref reader);
    }
    
    TimeSpan readTime = stopwatch.Elapsed;
    
    int mismatches = 0;
    for (int i = 0; i < entries.Length; i++)
    {
        if (!entries[i].Equals(decoded[i]))
        {
            mismatches++;
        }
    }

    return new Round(payloads.WrittenCount, blobs.WrittenCount, compressedCount, serializeTime, envelopeTime, readTime, decoded);
}

internal sealed record Round(
    int PayloadBytes,
    int BlobBytes,
    int CompressedCount,
    TimeSpan Serialize,
    TimeSpan Envelope,
    TimeSpan Read,
    DailyEntry[] Decoded);
