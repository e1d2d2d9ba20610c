using Repos;

namespace SymptomTracker.Model;

/// <summary>The symptom tracker's data: one file, seven entity types.</summary>
[Database(typeof(User), typeof(Symptom), typeof(Medication), typeof(Trigger), typeof(DailyEntry), typeof(DataExport), typeof(SyncMetadata))]
public partial class SymptomDb;
