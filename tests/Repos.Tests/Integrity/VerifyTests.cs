using Repos.Diagnostics;
using Repos.Internal;
using Repos.Serialization;
using Repos.Storage.Sqlite;
using Repos.Tests.Storage;

namespace Repos.Tests.Integrity;

public sealed class VerifyTests : IDisposable
{
    private readonly TempDirectory _folder = new();

    private string DbPath => _folder.File("notes.db");

    public void Dispose() => _folder.Dispose();

    internal static Note NewNote(int i, Random? random = null) => new()
    {
        Id = random is null ? Guid.NewGuid() : new Guid(random.GetItems<byte>(Enumerable.Range(0, 256).Select(b => (byte)b).ToArray(), 16)),
        UserId = $"user-{i % 7}",
        Date = new DateOnly(2020, 1, 1).AddDays(i),
        Mood = 1 + (i % 10),
        Text = $"note {i}: slept {i % 9} hours, walked {i % 13} km" + new string('.', i % 40),
        Tags = [new Tag("sleep", i % 5), new Tag("walk", i % 3)],
    };

    internal static async Task<List<Note>> WriteNotesAsync(string path, int count, Random? random = null)
    {
        List<Note> notes = Enumerable.Range(0, count).Select(i => NewNote(i, random)).ToList();
        await using (NotesDb db = await NotesDb.OpenAsync(path))
        {
            await db.Notes.InsertManyAsync(notes);
        }

        return notes;
    }

    [Fact]
    public async Task Verify_OfAHealthyFile_IsHealthy_ChecksEveryRow_AndReportsProgress()
    {
        await WriteNotesAsync(DbPath, 25_000);
        await using NotesDb db = await NotesDb.OpenAsync(DbPath);
        var seen = new List<VerifyProgress>();

        VerifyReport report = await db.VerifyAsync(new SynchronousProgress<VerifyProgress>(seen.Add));

        Assert.True(report.IsHealthy, report.ToString());
        Assert.Empty(report.IntegrityErrors);
        Assert.Empty(report.BadRows);
        Assert.Equal(25_000, report.RowsChecked);
        VerifiedEntity notes = Assert.Single(report.Entities);
        Assert.Equal(("Note", 25_000L, 0L, true), (notes.Entity, notes.RowsChecked, notes.BadRows, notes.InModel));
        Assert.Equal(VerifyStage.IntegrityCheck, seen[0].Stage);
        Assert.Equal(new VerifyProgress(VerifyStage.Done, null, 25_000, 25_000), seen[^1]);
        Assert.Contains(seen, p => p.Stage == VerifyStage.Rows && p.RowsChecked is > 0 and < 25_000 && p.Entity == "Note");
        Assert.True(seen.Zip(seen.Skip(1)).All(p => p.Second.RowsChecked >= p.First.RowsChecked));
    }

    [Theory]
    [InlineData(501)]
    [InlineData(502)]
    [InlineData(503)]
    public async Task Verify_AfterRandomBytesOfRandomBlobsAreOverwritten_ListsExactlyTheDamagedRows(int defaultSeed)
    {
        int seed = FuzzSeed.Get(defaultSeed);
        var random = new Random(seed);
        List<Note> notes = await WriteNotesAsync(DbPath, 2_000, random);
        Dictionary<Guid, byte[]> blobs = StoredFile.Blobs(DbPath, "Note");
        byte[] file = File.ReadAllBytes(DbPath);
        Dictionary<Guid, List<long>> offsets = StoredFile.Locate(file, blobs, seed);

        // Overwrite one to three random bytes inside each of 40 random blobs (in every copy of it the file holds).
        // A change LZ4 happens to decode to the same payload (a match offset pointing at equal bytes) leaves the
        // row intact, so it is not expected.
        var damaged = new HashSet<Guid>();
        foreach (Note note in random.GetItems(notes.ToArray(), 40).DistinctBy(n => n.Id))
        {
            byte[] blob = (byte[])blobs[note.Id].Clone();
            for (int n = random.Next(1, 4); n > 0; n--)
            {
                blob[random.Next(blob.Length)] ^= (byte)random.Next(1, 256);
            }

            foreach (long offset in offsets[note.Id])
            {
                blob.CopyTo(file, offset);
            }

            if (!Decodes(blob))
            {
                damaged.Add(note.Id);
            }
        }

        File.WriteAllBytes(DbPath, file);
        await using NotesDb db = await NotesDb.OpenAsync(DbPath);

        VerifyReport report = await db.VerifyAsync();

        Assert.False(report.IsHealthy, $"seed {seed}");
        Assert.Empty(report.IntegrityErrors);
        Assert.Equal(damaged.Select(k => k.ToString()).Order(), report.BadRows.Select(r => r.Key).Order());
        Assert.All(report.BadRows, r => Assert.True(r.Entity == "Note" && r.Kind is BadRowKind.Checksum or BadRowKind.Envelope, $"seed {seed}: {r}"));
        Assert.Equal(2_000, report.RowsChecked);

        // Reading a damaged row names it; every other row reads back as written.
        foreach (Note note in notes)
        {
            if (damaged.Contains(note.Id))
            {
                CorruptedRowException e = await Assert.ThrowsAsync<CorruptedRowException>(() => db.Notes.GetAsync(note.Id).AsTask());
                Assert.Equal(("Note", note.Id.ToString()), (e.EntityName, e.Key));
            }
            else
            {
                Note? read = await db.Notes.GetAsync(note.Id);
                Assert.True(read is not null && read.Text == note.Text && read.Tags.SequenceEqual(note.Tags), $"seed {seed}: {note.Id}");
            }
        }
    }

    [Fact]
    public async Task Verify_ReportsTamperedIndexColumns_SchemaVersions_AndKeys()
    {
        List<Note> notes = await WriteNotesAsync(DbPath, 50);
        using (SqliteConnection connection = SqliteConnection.Open(DbPath, readOnly: false, create: false))
        {
            Tamper(connection, "UPDATE Note SET Mood = 99 WHERE key = ?1", notes[3].Id);
            Tamper(connection, "UPDATE Note SET UserId = 'someone else' WHERE key = ?1", notes[4].Id);
            Tamper(connection, "UPDATE Note SET _schema = 7 WHERE key = ?1", notes[5].Id);
            Tamper(connection, $"UPDATE Note SET key = x'{Convert.ToHexString(Guid.NewGuid().ToByteArray(bigEndian: true))}' WHERE key = ?1", notes[6].Id);
        }

        await using NotesDb db = await NotesDb.OpenAsync(DbPath);

        VerifyReport report = await db.VerifyAsync();

        Assert.False(report.IsHealthy);
        Assert.Equal(4, report.BadRows.Count);
        BadRow mood = Assert.Single(report.BadRows, r => r.Key == notes[3].Id.ToString());
        Assert.Equal(BadRowKind.IndexColumn, mood.Kind);
        Assert.Contains("Mood", mood.Message, StringComparison.Ordinal);
        Assert.Contains("99", mood.Message, StringComparison.Ordinal);
        Assert.Equal(BadRowKind.IndexColumn, Assert.Single(report.BadRows, r => r.Key == notes[4].Id.ToString()).Kind);
        Assert.Equal(BadRowKind.SchemaVersion, Assert.Single(report.BadRows, r => r.Key == notes[5].Id.ToString()).Kind);
        BadRow key = Assert.Single(report.BadRows, r => r.Kind == BadRowKind.KeyMismatch);
        Assert.Contains(notes[6].Id.ToString("N").ToUpperInvariant(), key.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_OfAFileWithAZeroedLeafPage_ReportsWhatSqliteFindsWithoutThrowing()
    {
        await WriteNotesAsync(DbPath, 3_000);
        int pageSize = StoredFile.PageSize(DbPath);
        int pages = StoredFile.PageCount(DbPath);

        // A page in the middle of the file holds table or index cells; zeroing it breaks its b-tree.
        StoredFile.ZeroPage(DbPath, pages / 2, pageSize);
        await using NotesDb db = await NotesDb.OpenAsync(DbPath);

        VerifyReport report = await db.VerifyAsync();

        Assert.False(report.IsHealthy);
        Assert.NotEmpty(report.IntegrityErrors);
    }

    [Fact]
    public async Task Verify_ChecksRowsOfAnEntityOnlyTheCatalogKnows()
    {
        await WriteNotesAsync(DbPath, 20);
        using (SqliteConnection connection = SqliteConnection.Open(DbPath, readOnly: false, create: false))
        {
            // An entity a newer app added: its rows can be checked against their envelopes, not a model.
            connection.Execute("""
                CREATE TABLE "Mood"(key INTEGER PRIMARY KEY NOT NULL, _schema INTEGER NOT NULL, _blob BLOB NOT NULL);
                INSERT INTO _repos_entities VALUES('Mood', 'Mood', 'App.Mood', 'Id', 'Integer', 1);
                INSERT INTO _repos_fields VALUES('App.Mood', 1, 'Id', 'long', 0);
                """);
            Repos.Storage.CatalogSeal.Seal(connection);
            var blob = new System.Buffers.ArrayBufferWriter<byte>();
            BlobEnvelope.Write([0x81, 0x01, 0x05], 1, blob);
            using SqliteStatement insert = connection.PrepareOnce("INSERT INTO Mood VALUES(?1, 1, ?2)");
            foreach ((long key, byte[] bytes) in new[] { (5L, blob.WrittenSpan.ToArray()), (6L, [.. blob.WrittenSpan[..^1], 0x06]) })
            {
                insert.BindInt64(1, key);
                insert.BindBlob(2, bytes);
                insert.Execute();
            }
        }

        await using NotesDb db = await NotesDb.OpenAsync(DbPath);

        VerifyReport report = await db.VerifyAsync();

        VerifiedEntity mood = Assert.Single(report.Entities, e => e.Entity == "Mood");
        Assert.Equal((false, 2L, 1L), (mood.InModel, mood.RowsChecked, mood.BadRows));
        BadRow bad = Assert.Single(report.BadRows);
        Assert.Equal(("Mood", "6", BadRowKind.Checksum), (bad.Entity, bad.Key, bad.Kind));
    }

    [Fact]
    public async Task Verify_WhenCancelled_Throws()
    {
        await WriteNotesAsync(DbPath, 100);
        await using NotesDb db = await NotesDb.OpenAsync(DbPath);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => db.VerifyAsync(cancellationToken: cancelled.Token));
        Assert.True((await db.VerifyAsync()).IsHealthy);
    }

    internal static bool Decodes(byte[] blob)
    {
        try
        {
            using BlobPayload payload = BlobEnvelope.Read(blob);
            return true;
        }
        catch (ReposFormatException)
        {
            return false;
        }
    }

    private static void Tamper(SqliteConnection connection, string sql, Guid key)
    {
        using SqliteStatement update = connection.PrepareOnce(sql);
        ColumnValue.From(key).Bind(update, 1);
        update.Execute();
        Assert.Equal(1, connection.Changes);
    }
}

/// <summary>Calls the handler on the reporting thread, so a test sees every report before the call returns.</summary>
internal sealed class SynchronousProgress<T>(Action<T> handler) : IProgress<T>
{
    public void Report(T value) => handler(value);
}
