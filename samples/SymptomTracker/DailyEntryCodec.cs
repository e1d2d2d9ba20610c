using Repos.Serialization;

namespace SymptomTracker;

/// <summary>
/// Writes and reads a <see cref="DailyEntry"/> as a MessagePack map of field ids to values: the shape the
/// Repos generator will emit for entities, written here by hand until it does.
/// </summary>
internal static class DailyEntryCodec
{
    private const int IdField = 1;
    private const int UserIdField = 2;
    private const int DateField = 3;
    private const int OverallHealthField = 4;
    private const int EnergyField = 5;
    private const int SleepHoursField = 6;
    private const int SymptomsField = 7;
    private const int NotesField = 8;
    private const int CompletedAtField = 9;
    private const int IsCompleteField = 10;

    public static void Write(ref MessagePackWriter writer, DailyEntry entry)
    {
        writer.WriteMapHeader(10);
        writer.Write(IdField);
        Span<byte> guid = stackalloc byte[16];
        entry.Id.TryWriteBytes(guid);
        writer.Write(guid);
        writer.Write(UserIdField);
        writer.Write(entry.UserId);
        writer.Write(DateField);
        writer.Write(entry.Date);
        writer.Write(OverallHealthField);
        writer.Write(entry.OverallHealth);
        writer.Write(EnergyField);
        writer.Write(entry.Energy);
        writer.Write(SleepHoursField);
        writer.Write(entry.SleepHours);
        writer.Write(SymptomsField);
        writer.WriteArrayHeader(entry.Symptoms.Count);
        foreach (DailySymptom symptom in entry.Symptoms)
        {
            writer.WriteArrayHeader(3);
            writer.Write(symptom.Name);
            writer.Write(symptom.Severity);
            writer.Write(symptom.DurationMinutes);
        }

        writer.Write(NotesField);
        writer.Write(entry.Notes);
        writer.Write(CompletedAtField);
        writer.Write(entry.CompletedAt);
        writer.Write(IsCompleteField);
        writer.Write(entry.IsComplete);
    }

    public static DailyEntry Read(ref MessagePackReader reader)
    {
        Guid id = default;
        string userId = "";
        DateTime date = default;
        DateTime completedAt = default;
        int overallHealth = 0;
        int energy = 0;
        double sleepHours = 0;
        bool isComplete = false;
        string? notes = null;
        DailySymptom[] symptoms = [];

        int fields = reader.ReadMapHeader();
        for (int i = 0; i < fields; i++)
        {
            switch (reader.ReadInt32())
            {
                case IdField:
                    id = new Guid(reader.ReadBytes() ?? throw new InvalidDataException("DailyEntry.Id is nil"));
                    break;
                case UserIdField:
                    userId = reader.ReadString() ?? "";
                    break;
                case DateField:
                    date = reader.ReadDateTime();
                    break;
                case OverallHealthField:
                    overallHealth = reader.ReadInt32();
                    break;
                case EnergyField:
                    energy = reader.ReadInt32();
                    break;
                case SleepHoursField:
                    sleepHours = reader.ReadDouble();
                    break;
                case SymptomsField:
                    symptoms = new DailySymptom[reader.ReadArrayHeader()];
                    for (int s = 0; s < symptoms.Length; s++)
                    {
                        reader.ReadArrayHeader();
                        symptoms[s] = new DailySymptom(reader.ReadString() ?? "", reader.ReadInt32(), reader.ReadInt32());
                    }

                    break;
                case NotesField:
                    notes = reader.ReadString();
                    break;
                case CompletedAtField:
                    completedAt = reader.ReadDateTime();
                    break;
                case IsCompleteField:
                    isComplete = reader.ReadBoolean();
                    break;
                default:
                    // A field this version does not know: keep reading the rest.
                    reader.Skip();
                    break;
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
            Symptoms = symptoms,
            Notes = notes,
            CompletedAt = completedAt,
            IsComplete = isComplete,
        };
    }
}
