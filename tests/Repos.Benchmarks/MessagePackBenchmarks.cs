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

/// <summary>
/// The same entity against MessagePack-CSharp 2.5, the library the design names for the format. Its writer and
/// reader primitives (the baseline) run the same hand-written code as Repos' rows and produce and read the
/// very same bytes; its <c>MessagePackSerializer</c> serializes the entity through the attribute resolver
/// (<c>[MessagePackObject]</c>, keys as array indexes, the Guid as a string), as an application using it
/// would. Run with <c>dotnet run -c Release --project tests/Repos.Benchmarks -- --filter '*MessagePackCSharpBenchmarks*'</c>.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class MessagePackCSharpBenchmarks
{
    private readonly ArrayBufferWriter<byte> _buffer = new(4096);
    private DailyEntryRecord _entry = null!;
    private byte[] _messagePack = null!;
    private byte[] _serialized = null!;

    [GlobalSetup]
    public void Setup()
    {
        _entry = DailyEntryRecord.Sample();
        Repos_Write();
        _messagePack = _buffer.WrittenSpan.ToArray();
        MessagePackCSharp_Write();
        if (!_buffer.WrittenSpan.SequenceEqual(_messagePack))
        {
            throw new InvalidOperationException("MessagePack-CSharp's writer and Repos' wrote different bytes");
        }

        MessagePackSerializer_Write();
        _serialized = _buffer.WrittenSpan.ToArray();
        Console.WriteLine($"// Entity: {_messagePack.Length} bytes as Repos and the primitives write it, " +
                          $"{_serialized.Length} bytes as MessagePackSerializer does");
        if (!_entry.SameAs(Repos_Read()) || !_entry.SameAs(MessagePackCSharp_Read()) || !_entry.SameAs(MessagePackSerializer_Read()))
        {
            throw new InvalidOperationException("the readers do not round-trip the sample entity");
        }
    }

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("Write")]
    public int MessagePackCSharp_Write()
    {
        _buffer.ResetWrittenCount();
        var writer = new MessagePack.MessagePackWriter(_buffer);
        DailyEntryMessagePackCSharp.Serialize(ref writer, _entry);
        writer.Flush();
        return _buffer.WrittenCount;
    }

    [Benchmark]
    [BenchmarkCategory("Write")]
    public int Repos_Write()
    {
        _buffer.ResetWrittenCount();
        var writer = new MessagePackWriter(_buffer);
        DailyEntrySerializer.Serialize(ref writer, _entry);
        writer.Flush();
        return _buffer.WrittenCount;
    }

    [Benchmark]
    [BenchmarkCategory("Write")]
    public int MessagePackSerializer_Write()
    {
        _buffer.ResetWrittenCount();
        MessagePack.MessagePackSerializer.Serialize(_buffer, _entry, MessagePack.MessagePackSerializerOptions.Standard);
        return _buffer.WrittenCount;
    }

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("Read")]
    public DailyEntryRecord MessagePackCSharp_Read()
    {
        var reader = new MessagePack.MessagePackReader(_messagePack);
        return DailyEntryMessagePackCSharp.Deserialize(ref reader);
    }

    [Benchmark]
    [BenchmarkCategory("Read")]
    public DailyEntryRecord Repos_Read() => DailyEntrySerializer.Deserialize(_messagePack);

    [Benchmark]
    [BenchmarkCategory("Read")]
    public DailyEntryRecord MessagePackSerializer_Read() =>
        MessagePack.MessagePackSerializer.Deserialize<DailyEntryRecord>(_serialized, MessagePack.MessagePackSerializerOptions.Standard);
}

/// <summary>
/// A daily health entry, the shape of the sample app's main entity. The <c>[MessagePackObject]</c> keys are
/// for MessagePack-CSharp's own serializer (<see cref="MessagePackCSharpBenchmarks"/>); the other rows ignore them.
/// </summary>
[MessagePack.MessagePackObject]
public sealed class DailyEntryRecord
{
    [MessagePack.Key(0)]
    public Guid Id { get; set; }

    [MessagePack.Key(1)]
    public string UserId { get; set; } = "";

    [MessagePack.Key(2)]
    public DateTime Date { get; set; }

    [MessagePack.Key(3)]
    public int OverallHealth { get; set; }

    [MessagePack.Key(4)]
    public int Energy { get; set; }

    [MessagePack.Key(5)]
    public double SleepHours { get; set; }

    [MessagePack.Key(6)]
    public string Notes { get; set; } = "";

    [MessagePack.Key(7)]
    public DateTime CompletedAt { get; set; }

    [MessagePack.Key(8)]
    public bool Completed { get; set; }

    [MessagePack.Key(9)]
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
[MessagePack.MessagePackObject]
public sealed class SymptomRecord
{
    [MessagePack.Key(0)]
    public string Name { get; set; } = "";

    [MessagePack.Key(1)]
    public int Severity { get; set; }

    [MessagePack.Key(2)]
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

/// <summary><see cref="DailyEntrySerializer"/> over MessagePack-CSharp's writer and reader: the same calls, the same bytes.</summary>
internal static class DailyEntryMessagePackCSharp
{
    public static void Serialize(ref MessagePack.MessagePackWriter writer, DailyEntryRecord value)
    {
        writer.WriteMapHeader(10);
        writer.Write(0);
        // Its Write(ReadOnlySpan<byte>) does not take a stack buffer: the bytes go straight into its own span.
        writer.WriteBinHeader(16);
        value.Id.TryWriteBytes(writer.GetSpan(16));
        writer.Advance(16);
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

    public static DailyEntryRecord Deserialize(ref MessagePack.MessagePackReader reader)
    {
        var value = new DailyEntryRecord();
        var fields = reader.ReadMapHeader();
        for (var i = 0; i < fields; i++)
        {
            switch (reader.ReadInt32())
            {
                case 0:
                    var id = reader.ReadBytes() ?? default;
                    if (id.Length != 16 || !id.IsSingleSegment)
                    {
                        throw new InvalidOperationException($"Id is {id.Length} bytes, not 16");
                    }

                    value.Id = new Guid(id.FirstSpan);
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

    private static SymptomRecord DeserializeSymptom(ref MessagePack.MessagePackReader reader)
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
