using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Repos.Serialization;

namespace Repos.Benchmarks;

/// <summary>
/// One 10-field entity with three nested records, written and read by hand over
/// <see cref="MessagePackWriter"/>/<see cref="MessagePackReader"/> the way generated serializers will
/// (a map from small field ids to values, a Guid as bin 16), against System.Text.Json with a
/// source-generated context (the baseline). Run with
/// <c>dotnet run -c Release --project tests/Repos.Benchmarks -- --filter '*MessagePack*'</c>.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class MessagePackBenchmarks
{
    private readonly ArrayBufferWriter<byte> _buffer = new(4096);
    private readonly ArrayBufferWriter<byte> _jsonBuffer = new(4096);
    private Utf8JsonWriter _jsonWriter = null!;
    private DailyEntryRecord _entry = null!;
    private byte[] _messagePack = null!;
    private byte[] _json = null!;

    [GlobalSetup]
    public void Setup()
    {
        _entry = DailyEntryRecord.Sample();
        _jsonWriter = new Utf8JsonWriter(_jsonBuffer);
        MessagePack_Write();
        _messagePack = _buffer.WrittenSpan.ToArray();
        Json_Write();
        _json = _jsonBuffer.WrittenSpan.ToArray();

        // Both paths must produce the same entity, or the comparison means nothing.
        var fromMessagePack = DailyEntrySerializer.Deserialize(_messagePack);
        var fromJson = JsonSerializer.Deserialize(_json, BenchmarkJsonContext.Default.DailyEntryRecord)!;
        if (!_entry.SameAs(fromMessagePack) || !_entry.SameAs(fromJson))
        {
            throw new InvalidOperationException("the serializers do not round-trip the sample entity");
        }
    }

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("Write")]
    public int Json_Write()
    {
        _jsonBuffer.ResetWrittenCount();
        _jsonWriter.Reset(_jsonBuffer);
        JsonSerializer.Serialize(_jsonWriter, _entry, BenchmarkJsonContext.Default.DailyEntryRecord);
        return _jsonBuffer.WrittenCount;
    }

    [Benchmark]
    [BenchmarkCategory("Write")]
    public int MessagePack_Write()
    {
        _buffer.ResetWrittenCount();
        var writer = new MessagePackWriter(_buffer);
        DailyEntrySerializer.Serialize(ref writer, _entry);
        writer.Flush();
        return _buffer.WrittenCount;
    }

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("Read")]
    public DailyEntryRecord Json_Read() => JsonSerializer.Deserialize(_json, BenchmarkJsonContext.Default.DailyEntryRecord)!;

    [Benchmark]
    [BenchmarkCategory("Read")]
    public DailyEntryRecord MessagePack_Read() => DailyEntrySerializer.Deserialize(_messagePack);

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("RoundTrip")]
    public DailyEntryRecord Json_RoundTrip()
    {
        Json_Write();
        return JsonSerializer.Deserialize(_jsonBuffer.WrittenSpan, BenchmarkJsonContext.Default.DailyEntryRecord)!;
    }

    [Benchmark]
    [BenchmarkCategory("RoundTrip")]
    public DailyEntryRecord MessagePack_RoundTrip()
    {
        MessagePack_Write();
        return DailyEntrySerializer.Deserialize(_buffer.WrittenSpan);
    }
}

/// <summary>A daily health entry, the shape of the sample app's main entity.</summary>
public sealed class DailyEntryRecord
{
    public Guid Id { get; set; }

    public string UserId { get; set; } = "";

    public DateTime Date { get; set; }

    public int OverallHealth { get; set; }

    public int Energy { get; set; }

    public double SleepHours { get; set; }

    public string Notes { get; set; } = "";

    public DateTime CompletedAt { get; set; }

    public bool Completed { get; set; }

    public List<SymptomRecord> Symptoms { get; set; } = [];

    internal static DailyEntryRecord Sample() => new()
    {
        Id = Guid.Parse("5f0c3a0e-7d2b-4c51-9a77-2d1e0b9c4f11"),
        UserId = "user-7f3a9c2e",
        Date = new DateTime(2025, 3, 14, 0, 0, 0, DateTimeKind.Utc),
        OverallHealth = 7,
        Energy = 6,
        SleepHours = 7.25,
        Notes = "Slept well but woke once around 3am. Mild headache after lunch, eased by evening walk. Ate early; less caffeine today.",
        CompletedAt = new DateTime(2025, 3, 14, 21, 42, 17, DateTimeKind.Utc).AddTicks(1234567),
        Completed = true,
        Symptoms =
        [
            new() { Name = "Headache", Severity = 3, DurationMinutes = 180 },
            new() { Name = "Fatigue", Severity = 2, DurationMinutes = 45 },
            new() { Name = "Joint pain", Severity = 4, DurationMinutes = 600 },
        ],
    };

    internal bool SameAs(DailyEntryRecord other) =>
        Id == other.Id && UserId == other.UserId && Date == other.Date && OverallHealth == other.OverallHealth
        && Energy == other.Energy && SleepHours.Equals(other.SleepHours) && Notes == other.Notes
        && CompletedAt == other.CompletedAt && Completed == other.Completed
        && Symptoms.Count == other.Symptoms.Count
        && Symptoms.Zip(other.Symptoms).All(p => p.First.Name == p.Second.Name && p.First.Severity == p.Second.Severity && p.First.DurationMinutes == p.Second.DurationMinutes);
}

/// <summary>One symptom of a <see cref="DailyEntryRecord"/>.</summary>
public sealed class SymptomRecord
{
    public string Name { get; set; } = "";

    public int Severity { get; set; }

    public int DurationMinutes { get; set; }
}

[JsonSerializable(typeof(DailyEntryRecord))]
internal sealed partial class BenchmarkJsonContext : JsonSerializerContext;

/// <summary>What the generator will emit for <see cref="DailyEntryRecord"/>: a map of field ids to values.</summary>
internal static class DailyEntrySerializer
{
    public static void Serialize(ref MessagePackWriter writer, DailyEntryRecord value)
    {
        writer.WriteMapHeader(10);
        writer.Write(0);
        Span<byte> id = stackalloc byte[16];
        value.Id.TryWriteBytes(id);
        writer.Write((ReadOnlySpan<byte>)id);
        writer.Write(1);
        writer.Write(value.UserId);
        writer.Write(2);
        writer.Write(value.Date);
        writer.Write(3);
        writer.Write(value.OverallHealth);
        writer.Write(4);
        writer.Write(value.Energy);
        writer.Write(5);
        writer.Write(value.SleepHours);
        writer.Write(6);
        writer.Write(value.Notes);
        writer.Write(7);
        writer.Write(value.CompletedAt);
        writer.Write(8);
        writer.Write(value.Completed);
        writer.Write(9);
        var symptoms = value.Symptoms;
        writer.WriteArrayHeader(symptoms.Count);
        foreach (var symptom in symptoms)
        {
            writer.WriteMapHeader(3);
            writer.Write(0);
            writer.Write(symptom.Name);
            writer.Write(1);
            writer.Write(symptom.Severity);
            writer.Write(2);
            writer.Write(symptom.DurationMinutes);
        }
    }

    public static DailyEntryRecord Deserialize(ReadOnlySpan<byte> bytes)
    {
        var reader = new MessagePackReader(bytes);
        return Deserialize(ref reader);
    }

    public static DailyEntryRecord Deserialize(ref MessagePackReader reader)
    {
        var value = new DailyEntryRecord();
        var fields = reader.ReadMapHeader();
        for (var i = 0; i < fields; i++)
        {
            switch (reader.ReadInt32())
            {
                case 0:
                    var id = reader.ReadBinarySpan();
                    if (id.Length != 16)
                    {
                        throw new ReposFormatException($"Id is {id.Length} bytes, not 16", reader.Consumed);
                    }

                    value.Id = new Guid(id);
                    break;
                case 1: value.UserId = reader.ReadString() ?? ""; break;
                case 2: value.Date = reader.ReadDateTime(); break;
                case 3: value.OverallHealth = reader.ReadInt32(); break;
                case 4: value.Energy = reader.ReadInt32(); break;
                case 5: value.SleepHours = reader.ReadDouble(); break;
                case 6: value.Notes = reader.ReadString() ?? ""; break;
                case 7: value.CompletedAt = reader.ReadDateTime(); break;
                case 8: value.Completed = reader.ReadBoolean(); break;
                case 9:
                    var count = reader.ReadArrayHeader();
                    var symptoms = new List<SymptomRecord>(count);
                    for (var s = 0; s < count; s++)
                    {
                        symptoms.Add(DeserializeSymptom(ref reader));
                    }

                    value.Symptoms = symptoms;
                    break;
                default: reader.Skip(); break;
            }
        }

        return value;
    }

    private static SymptomRecord DeserializeSymptom(ref MessagePackReader reader)
    {
        var value = new SymptomRecord();
        var fields = reader.ReadMapHeader();
        for (var i = 0; i < fields; i++)
        {
            switch (reader.ReadInt32())
            {
                case 0: value.Name = reader.ReadString() ?? ""; break;
                case 1: value.Severity = reader.ReadInt32(); break;
                case 2: value.DurationMinutes = reader.ReadInt32(); break;
                default: reader.Skip(); break;
            }
        }

        return value;
    }
}
