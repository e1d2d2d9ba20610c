using System.Diagnostics;
using Repos.Backup;
using Repos.Sync;
using Repos.Sync.Server;
using Repos.Transfer;
using SymptomTracker;
using SymptomTracker.Model;
using SymptomTracker.Reports;

// The SymptomTracker sample: a symptom diary's data layer on Repos. It writes ten years of daily entries
// for several users into one SQLite file, then runs the queries the app's screens need, timing each, and
// ends with the PDF report a user would hand their doctor (Reports/HealthReport.cs), the same range as CSV, and the
// user's diary moved to a new phone as a bundle.
const int Users = 5;
const int Days = 3653;
var firstDay = new DateOnly(2016, 1, 1);
string path = args.Length > 0 ? args[0] : Path.Combine(Path.GetTempPath(), "repos-symptomtracker", "symptoms.db");

Console.WriteLine("Repos SymptomTracker");
foreach (string file in new[] { path, path + "-wal", path + "-shm" })
{
    if (File.Exists(file))
    {
        File.Delete(file);
    }
}

if (Directory.Exists(ReposBackups.GetDefaultFolder(path)))
{
    Directory.Delete(ReposBackups.GetDefaultFolder(path), recursive: true);
}

var total = Stopwatch.StartNew();
SampleData data = SampleData.Create(Users, firstDay, Days, seed: 42);
Console.WriteLine($"Generated {data.Entries.Count:N0} daily entries for {Users} users ({Days} days each) in {total.ElapsedMilliseconds} ms");

await using (SymptomDb db = await SymptomDb.OpenAsync(path))
{
    var write = Stopwatch.StartNew();
    JsonImportResult imported;
    await using (var tx = await db.BeginTransactionAsync())
    {
        await db.Users.InsertManyAsync(data.Users);

        // The symptom lists come from the app's earlier web version, whose localStorage was dumped as JSON.
        using var localStorage = new MemoryStream(data.SymptomsAsLocalStorage());
        imported = await db.Symptoms.ImportJsonAsync(localStorage, new JsonImportOptions { KeyPrefix = "symptom:" });
        await db.Medications.InsertManyAsync(data.Medications);
        await db.Triggers.InsertManyAsync(data.Triggers);
        await db.DailyEntries.InsertManyAsync(data.Entries);
        await db.SyncMetadata.UpsertAsync(new SyncMetadata { Key = "daily-entries", DeviceId = "sample-device", ServerVersion = 0 });
        await tx.CommitAsync();
    }

    write.Stop();
    Console.WriteLine($"Inserted everything in one transaction: {write.Elapsed.TotalMilliseconds:F0} ms ({data.Entries.Count / write.Elapsed.TotalSeconds:N0} entries/s)");
    Console.WriteLine($"    of which {imported.Inserted} symptoms came from the web version's localStorage dump (ImportJsonAsync)");
}

Console.WriteLine($"File: {path} ({new FileInfo(path).Length / 1024.0 / 1024.0:F1} MiB)");
Console.WriteLine();

// Reopen, as the app does on its next start, and run the screens' queries.
var reopen = Stopwatch.StartNew();
await using SymptomDb app = await SymptomDb.OpenAsync(path);
Console.WriteLine($"Reopened the file in {reopen.Elapsed.TotalMilliseconds:F1} ms");
const string user = "user-03";
var queries = new QueryTimer();

List<DailyEntry> month = await queries.Run("Calendar: one user's month", () =>
    app.DailyEntries.ByUserIdAndDate(user).Between(new DateOnly(2024, 3, 1), new DateOnly(2024, 3, 31)).ToListAsync().AsTask());
Console.WriteLine($"    {month.Count} entries, average health {month.Average(e => e.OverallHealth):F1}");

List<DailyEntry> quarter = await queries.Run("Trend: a 90-day range", () =>
    app.DailyEntries.ByUserIdAndDate(user).Between(new DateOnly(2025, 7, 1), new DateOnly(2025, 9, 28)).ToListAsync().AsTask());
Console.WriteLine($"    {quarter.Count} entries, average sleep {quarter.Average(e => e.SleepHours):F1} h");

List<(string Name, int Days)> frequency = await queries.Run("Symptom frequency over 2025", async () =>
{
    var counts = new Dictionary<string, int>();
    await foreach (DailyEntry entry in app.DailyEntries.ByUserIdAndDate(user).Between(new DateOnly(2025, 1, 1), new DateOnly(2025, 12, 31)))
    {
        foreach (string name in entry.Symptoms.Select(s => s.Name).Distinct())
        {
            counts[name] = counts.GetValueOrDefault(name) + 1;
        }
    }

    return counts.OrderByDescending(c => c.Value).Select(c => (c.Key, c.Value)).ToList();
});
Console.WriteLine($"    {string.Join(", ", frequency.Take(4).Select(f => $"{f.Name} {f.Days} days"))}");

List<DailyEntry> latest = await queries.Run("Latest entries (home screen)", () =>
    app.DailyEntries.ByUserIdAndDate(user).Descending().Take(7).ToListAsync().AsTask());
Console.WriteLine($"    {string.Join(", ", latest.Select(e => $"{e.Date:MM-dd} health {e.OverallHealth}"))}");

List<Medication> active = await queries.Run("Active medications", () =>
    app.Medications.ByUserIdAndIsActive(user, true).ToListAsync().AsTask());
Console.WriteLine($"    {string.Join(", ", active.Select(m => $"{m.Name} {m.Dosage}"))}");

long badDays = await queries.Run("Bad days in 2024 (index range + in-memory filter)", async () =>
    await app.DailyEntries.ByUserIdAndDate(user).Between(new DateOnly(2024, 1, 1), new DateOnly(2024, 12, 31))
        .FilterInMemory(e => e.OverallHealth <= 3).CountAsync());
Console.WriteLine($"    {badDays} days with health 3 or lower");

long completedLastWeek = await queries.Run("Entries completed in the last week (all users)", () =>
    app.DailyEntries.ByCompletedAt().GreaterThanOrEqual(new DateTime(2025, 12, 24, 0, 0, 0, DateTimeKind.Utc)).CountAsync().AsTask());
Console.WriteLine($"    {completedLastWeek} entries");

User? byEmail = await queries.Run("User by e-mail (unique index)", () => app.Users.GetByEmailAsync("user-03@example.org").AsTask());
Console.WriteLine($"    {byEmail?.DisplayName}, reminders at {byEmail?.Reminders.DailyAt}");

// Check: what the file returns is what was written (and imported).
int mismatches = 0;
foreach (Symptom expected in data.Symptoms)
{
    if (await app.Symptoms.GetAsync(expected.Id) != expected)
    {
        mismatches++;
    }
}

foreach (DailyEntry expected in data.Entries.Where(e => e.UserId == user))
{
    DailyEntry? actual = await app.DailyEntries.GetAsync(expected.Id);
    if (actual is null || !Same(expected, actual))
    {
        mismatches++;
    }
}

// The whole file: SQLite's integrity check, then every row's checksum, decoding, key and index columns.
Repos.Diagnostics.VerifyReport verified = await app.VerifyAsync();
Console.WriteLine($"  Verify the whole file ({verified.Elapsed.TotalMilliseconds:F0} ms)");
Console.WriteLine($"    {verified.RowsChecked:N0} rows checked, {(verified.IsHealthy ? "healthy" : verified.ToString())}");

// A backup while the app is open (as a BackupSchedule would take it), and the policy that keeps the folder small.
var backupTime = Stopwatch.StartNew();
BackupInfo backup = await app.Backup.CreateAsync();
backupTime.Stop();
await app.Backup.ApplyRetentionAsync(new BackupRetention { KeepLast = 3, KeepDaily = 7, KeepWeekly = 4 });
Console.WriteLine($"  Back up the file while open ({backupTime.Elapsed.TotalMilliseconds:F0} ms)");
Console.WriteLine($"    {backup.Id}: {backup.Size / 1024.0 / 1024.0:F1} MiB, verified, in {app.Backup.Folder}; {(await app.Backup.ListAsync()).Count} kept");

// Two devices of one user, synced through a server (here in process; the same core runs behind HTTP): the phone
// and the laptop edit the same day offline, then sync, and each keeps both people's changes, field by field.
var syncTime = Stopwatch.StartNew();
var server = new SyncServer(new InMemorySyncServerStore());
string folder = Path.GetDirectoryName(path)!;
await using SymptomDb phone = await OpenDevice(Path.Combine(folder, "phone.db"), server);
await using SymptomDb laptop = await OpenDevice(Path.Combine(folder, "laptop.db"), server);
DailyEntry[] lastMonth = [.. month];
await phone.DailyEntries.InsertManyAsync(lastMonth);
await phone.Sync.SyncNowAsync();
await laptop.Sync.SyncNowAsync();
DailyEntry day = lastMonth[^1];
await phone.DailyEntries.UpdateAsync(day with { OverallHealth = 2 });
await laptop.DailyEntries.UpdateAsync(day with { Notes = "migraine after the long drive" });
await phone.Sync.SyncNowAsync();
await laptop.Sync.SyncNowAsync();
await phone.Sync.SyncNowAsync();
DailyEntry onPhone = (await phone.DailyEntries.GetAsync(day.Id))!;
DailyEntry onLaptop = (await laptop.DailyEntries.GetAsync(day.Id))!;
bool merged = onPhone.OverallHealth == 2 && onPhone.Notes == "migraine after the long drive" && Same(onPhone, onLaptop);
Console.WriteLine($"  Sync a month between a phone and a laptop, then concurrent edits of one day ({syncTime.Elapsed.TotalMilliseconds:F0} ms)");
Console.WriteLine($"    {await laptop.DailyEntries.CountAsync()} entries on the laptop; {day.Date}: health {onLaptop.OverallHealth} (phone), notes '{onLaptop.Notes}' (laptop); {(merged ? "both kept on both" : "NOT MERGED")}");
mismatches += merged ? 0 : 1;

// The report for the user's doctor: their last 90 days as a PDF beside the database, from the same index query.
var reportTime = Stopwatch.StartNew();
DateOnly reportTo = firstDay.AddDays(Days - 1);
DateOnly reportFrom = reportTo.AddDays(-89);
User patient = (await app.Users.GetAsync(user))!;
List<DailyEntry> reportEntries = await app.DailyEntries.ByUserIdAndDate(user).Between(reportFrom, reportTo).ToListAsync();
string reportPath = Path.Combine(folder, $"health-report-{user}.pdf");
await using (FileStream report = File.Create(reportPath))
{
    HealthReport.Write(report, patient, reportFrom, reportTo, reportEntries);
}

long reportSize = new FileInfo(reportPath).Length;
await app.DataExports.InsertAsync(new DataExport
{
    Id = Guid.NewGuid(),
    UserId = user,
    RequestedAt = DateTime.UtcNow,
    Format = ExportFormat.Pdf,
    Status = ExportStatus.Done,
    From = reportFrom,
    To = reportTo,
    FilePath = reportPath,
    SizeBytes = reportSize,
});
Console.WriteLine($"  Write {user}'s health report for {reportFrom:yyyy-MM-dd} to {reportTo:yyyy-MM-dd} as PDF ({reportTime.Elapsed.TotalMilliseconds:F0} ms)");
Console.WriteLine($"    {reportPath} ({reportSize / 1024.0:F0} KiB, {reportEntries.Count} entries)");

// The same range as CSV, for the user's own spreadsheet: one row per day, nested lists as JSON cells.
var csvTime = Stopwatch.StartNew();
string csvPath = Path.Combine(folder, $"entries-{user}.csv");
ExportedEntity csvRows;
await using (FileStream csv = File.Create(csvPath))
{
    csvRows = await app.ExportCsvAsync(nameof(DailyEntry), csv, new CsvExportOptions
    {
        Range = ExportRange.From(app.DailyEntries.ByUserIdAndDate(user).Between(reportFrom, reportTo)),
    });
}

Console.WriteLine($"  Export the same range as CSV ({csvTime.Elapsed.TotalMilliseconds:F0} ms)");
Console.WriteLine($"    {csvPath} ({new FileInfo(csvPath).Length / 1024.0:F0} KiB, {csvRows.Rows} rows)");
mismatches += csvRows.Rows == reportEntries.Count ? 0 : 1;

// Moving to a new phone: the user's diary as a bundle, previewed on the new phone (which already logged today, and
// edited yesterday), then merged in, the newer entry of a day winning by when it was completed.
var moveTime = Stopwatch.StartNew();
string bundlePath = Path.Combine(folder, "symptoms.reposbundle.ndjson");
BundleExportResult exported;
await using (FileStream bundle = File.Create(bundlePath))
{
    exported = await app.ExportAsync(bundle, new BundleExportOptions
    {
        Format = BundleFormat.NdJson,
        Ranges = [ExportRange.From(app.DailyEntries.ByUserIdAndDate(user))],
    });
}

string newPhonePath = Path.Combine(folder, "new-phone.db");
foreach (string stale in new[] { newPhonePath, newPhonePath + "-wal", newPhonePath + "-shm" })
{
    File.Delete(stale);
}

await using SymptomDb newPhone = await SymptomDb.OpenAsync(newPhonePath, new Repos.ReposDatabaseOptions { BackupBeforeMigration = false });
DailyEntry[] recent = [.. reportEntries.TakeLast(2)];
await newPhone.DailyEntries.InsertAsync(recent[^1]);
await newPhone.DailyEntries.InsertAsync(recent[0] with { Notes = "logged again on the new phone", CompletedAt = recent[0].CompletedAt.AddMinutes(-5) });
BundleImportResult preview;
BundleImportResult moved;
var mergeByCompletion = new Dictionary<string, string> { [nameof(DailyEntry)] = nameof(DailyEntry.CompletedAt) };
await using (FileStream bundle = File.OpenRead(bundlePath))
{
    preview = await newPhone.ImportBundleAsync(bundle, new BundleImportOptions { DryRun = true, Strategy = BundleImportStrategy.Merge, NewerBy = mergeByCompletion });
    bundle.Position = 0;
    moved = await newPhone.ImportBundleAsync(bundle, new BundleImportOptions { Strategy = BundleImportStrategy.Merge, NewerBy = mergeByCompletion });
}

BundleEntityImport entries = preview.Entities.Single();
Console.WriteLine($"  Move {user}'s diary to a new phone as a bundle, with a preview first ({moveTime.Elapsed.TotalMilliseconds:F0} ms)");
Console.WriteLine($"    {exported.Bytes / 1024.0 / 1024.0:F1} MiB; preview: {entries.New:N0} new, {entries.Identical} identical, {entries.Conflicting} conflicting, {entries.Invalid} invalid; {moved.Entities.Single().Written:N0} written");
bool movedAll = await newPhone.DailyEntries.CountAsync() == data.Entries.Count(e => e.UserId == user)
    && (await newPhone.DailyEntries.GetAsync(recent[0].Id))!.Notes == recent[0].Notes;
mismatches += movedAll && entries.Identical == 1 && entries.Conflicting == 1 ? 0 : 1;

Console.WriteLine();
Console.WriteLine(mismatches == 0
    ? $"All {data.Entries.Count(e => e.UserId == user):N0} entries of {user} read back identical. Total {total.Elapsed.TotalSeconds:F1} s."
    : $"{mismatches} entries of {user} or symptoms differ from what was written.");
return mismatches == 0 && verified.IsHealthy ? 0 : 1;

static async Task<SymptomDb> OpenDevice(string file, SyncServer server)
{
    foreach (string stale in new[] { file, file + "-wal", file + "-shm" })
    {
        File.Delete(stale);
    }

    return await SymptomDb.OpenAsync(file, new Repos.ReposDatabaseOptions
    {
        BackupBeforeMigration = false,
        Sync = new SyncOptions { Transport = new InProcessSyncTransport(server) },
    });
}

static bool Same(DailyEntry a, DailyEntry b) =>
    a with { Symptoms = [], Medications = [], Triggers = [] } == b with { Symptoms = [], Medications = [], Triggers = [] }
    && a.Symptoms.SequenceEqual(b.Symptoms)
    && a.Medications.SequenceEqual(b.Medications)
    && a.Triggers.SequenceEqual(b.Triggers);
