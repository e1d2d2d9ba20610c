using Repos.Backup;
using Repos.Tests.Storage;

namespace Repos.Tests.Backup;

/// <summary>
/// Retention over a hand-made calendar of 14 real backups, taken on a fake clock. "Now" is Wednesday
/// 2026-03-18 12:00 UTC; weeks start on Monday:
/// <code>
/// week of 02-09: b01 Tue 02-10 08:00
/// week of 02-16: b02 Wed 02-18 08:00, b03 Fri 02-20 20:00
/// week of 02-23: b04 Fri 02-27 08:00
/// week of 03-02: b05 Tue 03-03 08:00, b06 Sun 03-08 23:30
/// week of 03-09: b07 Tue 03-10 08:00, b08 Sat 03-14 08:00, b09 Sun 03-15 22:00
/// week of 03-16: b10 Mon 03-16 06:00, b11 Mon 03-16 18:00, b12 Tue 03-17 09:00, b13 Wed 03-18 07:00, b14 Wed 03-18 11:00
/// </code>
/// </summary>
public sealed class BackupRetentionTests : IClassFixture<BackupRetentionTests.Calendar>, IDisposable
{
    private static readonly DateTimeOffset s_now = new(2026, 3, 18, 12, 0, 0, TimeSpan.Zero);
    private readonly Calendar _calendar;
    private readonly TempDirectory _folder = new();

    public BackupRetentionTests(Calendar calendar) => _calendar = calendar;

    public void Dispose() => _folder.Dispose();

    public static TheoryData<string, int, int, int, string[]> Policies => new()
    {
        { "last 3", 3, 0, 0, ["b12", "b13", "b14"] },
        { "daily 3", 0, 3, 0, ["b11", "b12", "b14"] },
        { "daily 5", 0, 5, 0, ["b08", "b09", "b11", "b12", "b14"] },
        { "weekly 4", 0, 0, 4, ["b04", "b06", "b09", "b14"] },
        { "weekly 6", 0, 0, 6, ["b01", "b03", "b04", "b06", "b09", "b14"] },
        { "last 2 + daily 4 + weekly 5", 2, 4, 5, ["b03", "b04", "b06", "b09", "b11", "b12", "b13", "b14"] },
        { "last 20", 20, 0, 0, ["b01", "b02", "b03", "b04", "b05", "b06", "b07", "b08", "b09", "b10", "b11", "b12", "b13", "b14"] },
    };

    [Theory]
    [MemberData(nameof(Policies))]
    public async Task ApplyRetention_KeepsExactlyWhatThePolicySays(string name, int last, int daily, int weekly, string[] expected)
    {
        ReposBackups backups = _calendar.CopyTo(_folder.File("backups"), new FakeTimeProvider(s_now));

        IReadOnlyList<BackupInfo> deleted = await backups.ApplyRetentionAsync(new BackupRetention { KeepLast = last, KeepDaily = daily, KeepWeekly = weekly });

        string[] kept = (await backups.ListAsync()).Select(_calendar.Label).Order(StringComparer.Ordinal).ToArray();
        Assert.True(expected.SequenceEqual(kept), $"{name}: kept {string.Join(", ", kept)}");
        Assert.Equal(_calendar.Labels.Except(expected).Order(StringComparer.Ordinal), deleted.Select(_calendar.Label));   // oldest first
        Assert.All(deleted, b => Assert.False(File.Exists(b.Path)));
        Assert.Equal(kept.Length * 2, Directory.GetFiles(backups.Folder).Length);
    }

    [Fact]
    public async Task ApplyRetention_AfterALongPause_StillKeepsTheNewestBackup()
    {
        ReposBackups backups = _calendar.CopyTo(_folder.File("backups"), new FakeTimeProvider(new DateTimeOffset(2026, 6, 1, 0, 0, 0, TimeSpan.Zero)));

        IReadOnlyList<BackupInfo> deleted = await backups.ApplyRetentionAsync(new BackupRetention { KeepDaily = 7, KeepWeekly = 4 });

        Assert.Equal(13, deleted.Count);
        Assert.Equal("b14", _calendar.Label(Assert.Single(await backups.ListAsync())));
    }

    [Fact]
    public async Task ApplyRetention_WithAPolicyThatKeepsNothing_ThrowsAndDeletesNothing()
    {
        ReposBackups backups = _calendar.CopyTo(_folder.File("backups"), new FakeTimeProvider(s_now));

        await Assert.ThrowsAsync<InvalidOperationException>(() => backups.ApplyRetentionAsync(new BackupRetention()).AsTask());

        Assert.Equal(14, (await backups.ListAsync()).Count);
        Assert.Throws<ArgumentOutOfRangeException>(() => new BackupRetention { KeepLast = -1 });
    }

    [Fact]
    public void Retention_CountsDaysInTheClocksTimeZone_AndNeverDropsTheNewestVerifiedBackup()
    {
        // 20:00 UTC on the 17th is already the 18th at UTC+10.
        TimeZoneInfo zone = TimeZoneInfo.CreateCustomTimeZone("UTC+10", TimeSpan.FromHours(10), "UTC+10", "UTC+10");
        BackupInfo[] newestFirst =
        [
            Info("newest", new DateTimeOffset(2026, 3, 18, 1, 0, 0, TimeSpan.Zero), verified: true),
            Info("late", new DateTimeOffset(2026, 3, 17, 20, 0, 0, TimeSpan.Zero), verified: true),
            Info("early", new DateTimeOffset(2026, 3, 17, 10, 0, 0, TimeSpan.Zero), verified: true),
            Info("before", new DateTimeOffset(2026, 3, 16, 10, 0, 0, TimeSpan.Zero), verified: true),
        ];
        BackupInfo[] afterRestore = [Info("replaced", new DateTimeOffset(2026, 3, 18, 2, 0, 0, TimeSpan.Zero), verified: false), .. newestFirst];

        HashSet<string> local = new BackupRetention { KeepDaily = 2 }.SelectKept(newestFirst, s_now, zone);
        HashSet<string> utc = new BackupRetention { KeepDaily = 2 }.SelectKept(newestFirst, s_now, TimeZoneInfo.Utc);
        HashSet<string> lastOne = new BackupRetention { KeepLast = 1 }.SelectKept(afterRestore, s_now, zone);

        // Local days: the 18th (newest, late) and the 17th (early); in UTC "late" is the 17th's newest.
        Assert.Equal(["early", "newest"], local.Order(StringComparer.Ordinal));
        Assert.Equal(["late", "newest"], utc.Order(StringComparer.Ordinal));
        // The newest is an unverified file a restore replaced: the newest verified one is kept too.
        Assert.Equal(["newest", "replaced"], lastOne.Order(StringComparer.Ordinal));

        static BackupInfo Info(string id, DateTimeOffset at, bool verified) =>
            new(id, id + ".db", verified ? BackupKind.Scheduled : BackupKind.BeforeRestore, at, 1, verified, 1, null);
    }

    /// <summary>A small database and the 14 backups of the calendar, taken once for the class.</summary>
    public sealed class Calendar : IDisposable
    {
        private static readonly (string Label, DateTimeOffset At)[] s_times =
        [
            ("b01", At(2, 10, 8, 0)), ("b02", At(2, 18, 8, 0)), ("b03", At(2, 20, 20, 0)), ("b04", At(2, 27, 8, 0)),
            ("b05", At(3, 3, 8, 0)), ("b06", At(3, 8, 23, 30)), ("b07", At(3, 10, 8, 0)), ("b08", At(3, 14, 8, 0)),
            ("b09", At(3, 15, 22, 0)), ("b10", At(3, 16, 6, 0)), ("b11", At(3, 16, 18, 0)), ("b12", At(3, 17, 9, 0)),
            ("b13", At(3, 18, 7, 0)), ("b14", At(3, 18, 11, 0)),
        ];

        private readonly TempDirectory _folder = new();
        private readonly Dictionary<string, string> _labels = new(StringComparer.Ordinal);

        public Calendar()
        {
            DatabasePath = _folder.File("notes.db");
            var clock = new FakeTimeProvider(s_times[0].At);
            using NotesDb db = NotesDb.OpenAsync(DatabasePath, new ReposDatabaseOptions { TimeProvider = clock }).AsTask().GetAwaiter().GetResult();
            db.Notes.InsertAsync(new Note { Id = Guid.NewGuid(), UserId = "u", Mood = 5, Text = "one" }).AsTask().GetAwaiter().GetResult();
            foreach ((string label, DateTimeOffset at) in s_times)
            {
                clock.SetUtcNow(at);
                BackupInfo backup = db.Backup.CreateAsync(BackupKind.Scheduled).AsTask().GetAwaiter().GetResult();
                _labels.Add(backup.Id, label);
            }

            Folder = db.Backup.Folder;
        }

        public string DatabasePath { get; }

        public string Folder { get; }

        public IEnumerable<string> Labels => s_times.Select(t => t.Label);

        public string Label(BackupInfo backup) => _labels[backup.Id];

        /// <summary>A copy of the backups folder for one test to delete from.</summary>
        public ReposBackups CopyTo(string folder, TimeProvider clock)
        {
            Directory.CreateDirectory(folder);
            foreach (string file in Directory.GetFiles(Folder))
            {
                File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
            }

            return ReposBackups.ForFile(DatabasePath, folder, clock);
        }

        public void Dispose() => _folder.Dispose();

        private static DateTimeOffset At(int month, int day, int hour, int minute) => new(2026, month, day, hour, minute, 0, TimeSpan.Zero);
    }
}
