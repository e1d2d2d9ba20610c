using System.Buffers;
using BenchmarkDotNet.Attributes;
using Repos.Internal;
using Repos.Serialization;

namespace Repos.Benchmarks.Repository;

/// <summary>
/// The generated serializer of <see cref="DailyEntry"/> against the code a developer would write by hand for the
/// same type over the same <see cref="MessagePackWriter"/> and <see cref="MessagePackReader"/>, writing the same
/// bytes (the field ids the benchmark file assigned, as constants): 1,000 entries of <see cref="DiaryData"/>,
/// written and read. Setup checks that both write identical bytes and read equal entries.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkDotNet.Configs.BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class GeneratedSerializerBenchmarks
{
    private const int EntryCount = 1000;
    private readonly ArrayBufferWriter<byte> _buffer = new(1024);
    private DailyEntry[] _entries = [];
    private byte[][] _payloads = [];
    private DiaryDb? _db;
    private string _path = string.Empty;

    [GlobalSetup]
    public void Setup()
    {
        _entries = DiaryData.Entries.Take(EntryCount).ToArray();
        _path = BenchFiles.PathOf("generated-serializer");
        BenchFiles.Delete(_path);
        _db = DiaryDb.OpenAsync(_path).AsTask().GetAwaiter().GetResult();
        HandWrittenDailyEntrySerializer.CheckIds(_db.Context);

        _payloads = new byte[EntryCount][];
        for (int i = 0; i < EntryCount; i++)
        {
            _buffer.ResetWrittenCount();
            var writer = new MessagePackWriter(_buffer);
            DailyEntrySerializer.Write(ref writer, _entries[i], _db.Context);
            writer.Flush();
            _payloads[i] = _buffer.WrittenSpan.ToArray();

            _buffer.ResetWrittenCount();
            writer = new MessagePackWriter(_buffer);
            HandWrittenDailyEntrySerializer.Write(ref writer, _entries[i]);
            writer.Flush();
            if (!_buffer.WrittenSpan.SequenceEqual(_payloads[i]))
            {
                throw new InvalidOperationException($"Entry {i}: the hand-written serializer wrote other bytes than the generated one.");
            }

            var reader = new MessagePackReader(_payloads[i]);
            DailyEntry generated = DailyEntrySerializer.Read(ref reader, _db.Context);
            reader = new MessagePackReader(_payloads[i]);
            DailyEntry handWritten = HandWrittenDailyEntrySerializer.Read(ref reader);
            if (!Same(generated, _entries[i]) || !Same(handWritten, _entries[i]))
            {
                throw new InvalidOperationException($"Entry {i} did not read back equal.");
            }
        }

        Console.WriteLine($"// {EntryCount} entries, {_payloads.Sum(p => p.Length) / EntryCount} bytes of MessagePack on average");
    }

    private static bool Same(DailyEntry a, DailyEntry b) =>
        a with { Symptoms = [] } == b with { Symptoms = [] } && a.Symptoms.SequenceEqual(b.Symptoms);

    [GlobalCleanup]
    public void Cleanup()
    {
        _db?.Dispose();
        BenchFiles.Delete(_path);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = EntryCount)]
    [BenchmarkCategory("Write")]
    public int Write_HandWritten()
    {
        int total = 0;
        foreach (DailyEntry entry in _entries)
        {
            _buffer.ResetWrittenCount();
            var writer = new MessagePackWriter(_buffer);
            HandWrittenDailyEntrySerializer.Write(ref writer, entry);
            writer.Flush();
            total += _buffer.WrittenCount;
        }

        return total;
    }

    [Benchmark(OperationsPerInvoke = EntryCount)]
    [BenchmarkCategory("Write")]
    public int Write_Generated()
    {
        SerializationContext context = _db!.Context;
        int total = 0;
        foreach (DailyEntry entry in _entries)
        {
            _buffer.ResetWrittenCount();
            var writer = new MessagePackWriter(_buffer);
            DailyEntrySerializer.Write(ref writer, entry, context);
            writer.Flush();
            total += _buffer.WrittenCount;
        }

        return total;
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = EntryCount)]
    [BenchmarkCategory("Read")]
    public int Read_HandWritten()
    {
        int total = 0;
        foreach (byte[] payload in _payloads)
        {
            var reader = new MessagePackReader(payload);
            total += HandWrittenDailyEntrySerializer.Read(ref reader).Energy;
        }

        return total;
    }

    [Benchmark(OperationsPerInvoke = EntryCount)]
    [BenchmarkCategory("Read")]
    public int Read_Generated()
    {
        SerializationContext context = _db!.Context;
        int total = 0;
        foreach (byte[] payload in _payloads)
        {
            var reader = new MessagePackReader(payload);
            total += DailyEntrySerializer.Read(ref reader, context).Energy;
        }

        return total;
    }
}

/// <summary>
/// What a developer would write by hand for <see cref="DailyEntry"/>: the same encodings as the generated
/// serializer (docs/format.md), the field ids as constants, no depth tracking, no lookups.
/// </summary>
internal static class HandWrittenDailyEntrySerializer
{
    // The ids a new benchmark file assigns: the entity's fields first, in declaration order, then the symptom's.
    private const int Id = 1, UserId = 2, Date = 3, OverallHealth = 4, Energy = 5, SleepHours = 6, Notes = 7,
        CompletedAt = 8, IsComplete = 9, Symptoms = 10;
    private const int Name = 1, Severity = 2, DurationMinutes = 3;

    public static void CheckIds(SerializationContext context)
    {
        int[] entry = context.GetFieldMap(DailyEntrySerializer.Shape).Ids;
        int[] symptom = context.GetFieldMap(DailySymptomSerializer.Shape).Ids;
        if (!entry.SequenceEqual([Id, UserId, Date, OverallHealth, Energy, SleepHours, Notes, CompletedAt, IsComplete, Symptoms])
            || !symptom.SequenceEqual([Name, Severity, DurationMinutes]))
        {
            throw new InvalidOperationException(
                $"The benchmark file assigned field ids [{string.Join(", ", entry)}] and [{string.Join(", ", symptom)}]; update the constants.");
        }
    }

    public static void Write(ref MessagePackWriter writer, DailyEntry value)
    {
        writer.WriteMapHeader(10);
        writer.Write(Id);
        Span<byte> id = stackalloc byte[16];
        value.Id.TryWriteBytes(id, bigEndian: true, out _);
        writer.Write((ReadOnlySpan<byte>)id);
        writer.Write(UserId);
        writer.Write(value.UserId);
        writer.Write(Date);
        writer.Write(value.Date.DayNumber);
        writer.Write(OverallHealth);
        writer.Write(value.OverallHealth);
        writer.Write(Energy);
        writer.Write(value.Energy);
        writer.Write(SleepHours);
        writer.Write(value.SleepHours);
        writer.Write(Notes);
        writer.Write(value.Notes);
        writer.Write(CompletedAt);
        if (value.CompletedAt.Kind == DateTimeKind.Utc)
        {
            writer.Write(value.CompletedAt);
        }
        else
        {
            writer.Write(value.CompletedAt.ToBinary());
        }

        writer.Write(IsComplete);
        writer.Write(value.IsComplete);
        writer.Write(Symptoms);
        IReadOnlyList<DailySymptom> symptoms = value.Symptoms;
        writer.WriteArrayHeader(symptoms.Count);
        for (int i = 0; i < symptoms.Count; i++)
        {
            DailySymptom symptom = symptoms[i];
            writer.WriteMapHeader(3);
            writer.Write(Name);
            writer.Write(symptom.Name);
            writer.Write(Severity);
            writer.Write(symptom.Severity);
            writer.Write(DurationMinutes);
            writer.Write(symptom.DurationMinutes);
        }
    }

    public static DailyEntry Read(ref MessagePackReader reader)
    {
        Guid id = default;
        string userId = string.Empty;
        DateOnly date = default;
        int overallHealth = 0, energy = 0;
        double sleepHours = 0;
        string? notes = null;
        DateTime completedAt = default;
        bool isComplete = false;
        DailySymptom[] symptoms = [];
        for (int count = reader.ReadMapHeader(); count > 0; count--)
        {
            switch (reader.ReadInt64())
            {
                case Id:
                    ReadOnlySpan<byte> bytes = reader.ReadBinarySpan();
                    if (bytes.Length != 16)
                    {
                        throw new ReposFormatException($"A Guid is 16 bytes, found {bytes.Length}", reader.Consumed);
                    }

                    id = new Guid(bytes, bigEndian: true);
                    break;
                case UserId: userId = reader.ReadString() ?? string.Empty; break;
                case Date:
                    int day = reader.ReadInt32();
                    if ((uint)day > (uint)DateOnly.MaxValue.DayNumber)
                    {
                        throw new ReposFormatException($"Day number {day} is out of range", reader.Consumed);
                    }

                    date = DateOnly.FromDayNumber(day);
                    break;
                case OverallHealth: overallHealth = reader.ReadInt32(); break;
                case Energy: energy = reader.ReadInt32(); break;
                case SleepHours: sleepHours = reader.ReadDouble(); break;
                case Notes: notes = reader.ReadString(); break;
                case CompletedAt:
                    completedAt = reader.NextMessagePackType == MessagePackType.Integer
                        ? DateTime.FromBinary(reader.ReadInt64())
                        : reader.ReadDateTime();
                    break;
                case IsComplete: isComplete = reader.ReadBoolean(); break;
                case Symptoms:
                    if (reader.TryReadNil())
                    {
                        break;
                    }

                    symptoms = new DailySymptom[reader.ReadArrayHeader()];
                    for (int i = 0; i < symptoms.Length; i++)
                    {
                        symptoms[i] = ReadSymptom(ref reader);
                    }

                    break;
                default: reader.Skip(); break;
            }
        }

        return new DailyEntry
        {
            Id = id,
            UserId = userId,
            Date = date,
            OverallHealth = overallHealth,
            Energy = energy,
            SleepHours = sleepHours,
            Notes = notes,
            CompletedAt = completedAt,
            IsComplete = isComplete,
            Symptoms = symptoms,
        };
    }

    private static DailySymptom ReadSymptom(ref MessagePackReader reader)
    {
        string name = string.Empty;
        int severity = 0, duration = 0;
        for (int count = reader.ReadMapHeader(); count > 0; count--)
        {
            switch (reader.ReadInt64())
            {
                case Name: name = reader.ReadString() ?? string.Empty; break;
                case Severity: severity = reader.ReadInt32(); break;
                case DurationMinutes: duration = reader.ReadInt32(); break;
                default: reader.Skip(); break;
            }
        }

        return new DailySymptom(name, severity, duration);
    }
}
