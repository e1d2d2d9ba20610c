using System.Security.Cryptography;
using Repos.Diagnostics;
using Repos.Migrations;
using Repos.Storage;
using Repos.Storage.Sqlite;
using Repos.Tests.Storage;

namespace Repos.Tests.Integrity;

// The catalog is the key to every blob: a damaged catalog row is noticed at open and by VerifyAsync, repaired
// from the sealed copy where that copy is intact, and otherwise refused before anything is read or written.
public sealed class CatalogSealTests : IDisposable
{
    private readonly TempDirectory _folder = new();

    private string DbPath => _folder.File("notes.db");

    public void Dispose() => _folder.Dispose();

    private void Damage(string sql)
    {
        // Raw SQL without the seal, as a stray tool, a bad sector or a bug would change the rows.
        using SqliteConnection connection = SqliteConnection.Open(DbPath, readOnly: false, create: false);
        connection.Execute(sql);
    }

    private byte[] Hash()
    {
        using (SqliteConnection connection = SqliteConnection.Open(DbPath, readOnly: false, create: false))
        {
            connection.Execute("PRAGMA wal_checkpoint(TRUNCATE)");
        }

        return SHA256.HashData(File.ReadAllBytes(DbPath));
    }

    private async Task AssertNotesIntact(List<Note> notes)
    {
        await using NotesDb db = await NotesDb.OpenAsync(DbPath);
        foreach (Note note in notes)
        {
            Note stored = (await db.Notes.GetAsync(note.Id))!;
            Assert.Equal(note.Text, stored.Text);
            Assert.Equal(note.Tags, stored.Tags);
        }

        VerifyReport report = await db.VerifyAsync();
        Assert.True(report.IsHealthy, report.ToString());
    }

    public static TheoryData<string, string> RowDamage => new()
    {
        { "a field deleted", "DELETE FROM _repos_fields WHERE type='Repos.Tests.Storage.Note' AND name='Text'" },
        { "a field renamed to another's name", "UPDATE _repos_fields SET name='Mood' WHERE type='Repos.Tests.Storage.Note' AND name='Text'" },
        { "two field ids swapped", "UPDATE _repos_fields SET id=-id WHERE type='Repos.Tests.Storage.Tag'; UPDATE _repos_fields SET id=3+id WHERE type='Repos.Tests.Storage.Tag'" },
        { "a field's type changed", "UPDATE _repos_fields SET clr_type='long' WHERE name='Mood'" },
        { "a field retired", "UPDATE _repos_fields SET retired=1 WHERE name='Text'" },
        { "an index deleted", "DELETE FROM _repos_indexes WHERE name='Mood'" },
        { "the entity's version changed", "UPDATE _repos_entities SET version=2" },
        { "a stray field added", "INSERT INTO _repos_fields(type, id, name, clr_type) VALUES('Repos.Tests.Storage.Note', 99, 'Ghost', 'string')" },
    };

    [Theory]
    [MemberData(nameof(RowDamage))]
    public async Task DamagedCatalogRow_IsRepairedFromTheSealedCopy_AtAWritableOpen_AndSaidSo(string what, string sql)
    {
        List<Note> notes = await VerifyTests.WriteNotesAsync(DbPath, 50);
        Damage(sql);

        await using (NotesDb db = await NotesDb.OpenAsync(DbPath))
        {
            Assert.True(db.CatalogRepair is not null, what);
            Assert.NotEmpty(db.CatalogRepair.Rows);
            IReadOnlyList<AppliedMigration> history = await db.GetMigrationHistoryAsync();
            Assert.Contains(history, m => m.Kind == MigrationKind.CatalogRepair && m.Rows == db.CatalogRepair.Rows.Count);
        }

        await AssertNotesIntact(notes);
        await using NotesDb again = await NotesDb.OpenAsync(DbPath);
        Assert.Null(again.CatalogRepair);
    }

    [Fact]
    public async Task DeletedFieldRow_IsReported_ByVerify_WhileTheDatabaseIsOpen_AndByAReadOnlyOpen()
    {
        await VerifyTests.WriteNotesAsync(DbPath, 20);
        await using (NotesDb db = await NotesDb.OpenAsync(DbPath))
        {
            Damage("DELETE FROM _repos_fields WHERE name='Text'");
            VerifyReport report = await db.VerifyAsync();
            Assert.False(report.IsHealthy);
            Assert.Contains(report.CatalogErrors, e => e.Contains("'Text'", StringComparison.Ordinal));
            Assert.Contains("catalog: ", report.ToString(), StringComparison.Ordinal);

            // The open database goes on with the field ids it read at open: its writes keep every value.
            Note note = VerifyTests.NewNote(1000);
            await db.Notes.InsertAsync(note);
            Assert.Equal(note.Text, (await db.Notes.GetAsync(note.Id))!.Text);
        }

        byte[] before = Hash();
        ReposCatalogDamagedException e = await Assert.ThrowsAsync<ReposCatalogDamagedException>(
            async () => await NotesDb.OpenAsync(DbPath, new ReposDatabaseOptions { ReadOnly = true }));
        Assert.Contains("_repos_fields", e.Message, StringComparison.Ordinal);
        Assert.Equal(before, Hash());
    }

    [Fact]
    public async Task DamagedRows_AndADamagedCopy_AreRefusedAtOpen_WithTheFileUnchanged()
    {
        await VerifyTests.WriteNotesAsync(DbPath, 20);
        Damage("DELETE FROM _repos_fields WHERE name='Text'; UPDATE _repos_meta SET value=zeroblob(40) WHERE key='catalog'");
        byte[] before = Hash();

        ReposCatalogDamagedException e = await Assert.ThrowsAsync<ReposCatalogDamagedException>(async () => await NotesDb.OpenAsync(DbPath));
        Assert.Equal(DbPath, e.Path);
        Assert.Contains("neither its digest nor its copy", e.Message, StringComparison.Ordinal);
        Assert.Equal(before, Hash());
    }

    [Fact]
    public async Task DamagedCatalog_WithNoIntactCopy_GoesToTheEmergencyHandler()
    {
        await VerifyTests.WriteNotesAsync(DbPath, 20);
        Damage("DELETE FROM _repos_fields WHERE name='Text'; DELETE FROM _repos_meta WHERE key='catalog'");
        Exception? told = null;
        var options = new ReposDatabaseOptions
        {
            OnDamagedFile = damaged =>
            {
                told = damaged.Error;
                return ValueTask.FromResult(Repos.Recovery.DamagedFileAction.StartEmpty);
            },
        };

        await using NotesDb db = await NotesDb.OpenAsync(DbPath, options);

        Assert.IsType<ReposCatalogDamagedException>(told);
        Assert.Equal(0, await db.Notes.CountAsync());
    }

    [Fact]
    public async Task DamagedSealOnly_IsSealedAgain_AndTheRowsAreKept()
    {
        List<Note> notes = await VerifyTests.WriteNotesAsync(DbPath, 20);
        Damage("UPDATE _repos_meta SET value=zeroblob(32) WHERE key='catalog_sha256'");

        await using (NotesDb db = await NotesDb.OpenAsync(DbPath))
        {
            Assert.Null(db.CatalogRepair);
        }

        await AssertNotesIntact(notes);
    }

    [Fact]
    public async Task FormatOneFile_WithoutASeal_OpensAsItIs_AndIsSealed()
    {
        List<Note> notes = await VerifyTests.WriteNotesAsync(DbPath, 20);
        // As Repos wrote format 1: no seal, no table of former field names.
        Damage($"DELETE FROM _repos_meta WHERE key IN ('catalog', 'catalog_sha256', 'generation'); UPDATE _repos_meta SET value=1 WHERE key='format'; DROP TABLE _repos_field_names");

        await using (NotesDb readOnly = await NotesDb.OpenAsync(DbPath, new ReposDatabaseOptions { ReadOnly = true }))
        {
            Assert.Equal(20, await readOnly.Notes.CountAsync());
        }

        await using (NotesDb db = await NotesDb.OpenAsync(DbPath))
        {
            Assert.Null(db.CatalogRepair);
        }

        using (SqliteConnection connection = SqliteConnection.Open(DbPath, readOnly: true, create: false))
        {
            Assert.Equal(Catalog.FormatVersion, connection.ExecuteScalar("SELECT value FROM _repos_meta WHERE key='format'"));
            Assert.Equal(CatalogState.Intact, CatalogSeal.Check(connection, Catalog.FormatVersion).State);
        }

        await AssertNotesIntact(notes);
    }

    [Fact]
    public async Task FormatOneFile_ThatLostAField_IsReportedByVerify_RowByRow()
    {
        // No seal to compare with: the blobs themselves show field ids the catalog no longer names.
        await VerifyTests.WriteNotesAsync(DbPath, 20);
        Damage("DELETE FROM _repos_meta WHERE key IN ('catalog', 'catalog_sha256', 'generation'); UPDATE _repos_meta SET value=1 WHERE key='format'; DROP TABLE _repos_field_names; DELETE FROM _repos_fields WHERE name='Text'");

        await using NotesDb db = await NotesDb.OpenAsync(DbPath, new ReposDatabaseOptions { ReadOnly = true });
        VerifyReport report = await db.VerifyAsync();

        Assert.False(report.IsHealthy);
        Assert.Equal(20, report.BadRows.Count);
        Assert.All(report.BadRows, row => Assert.Equal(BadRowKind.UnknownField, row.Kind));
    }

    [Fact]
    public async Task FormatOneFile_ThatLostAField_IsRefusedAtItsFirstWritableOpen_AndSalvageGivesTheFieldBack()
    {
        List<Note> notes = await VerifyTests.WriteNotesAsync(DbPath, 20);
        Damage("DELETE FROM _repos_meta WHERE key IN ('catalog', 'catalog_sha256', 'generation'); UPDATE _repos_meta SET value=1 WHERE key='format'; DROP TABLE _repos_field_names; DELETE FROM _repos_fields WHERE name='Text'");
        byte[] before = Hash();

        // Sealing this catalog would make the loss permanent: the next rewrite of each note would drop its text.
        ReposCatalogDamagedException e = await Assert.ThrowsAsync<ReposCatalogDamagedException>(async () => await NotesDb.OpenAsync(DbPath));
        Assert.Contains("rows of Note hold field ids", e.Message, StringComparison.Ordinal);
        Assert.Equal(before, Hash());

        var options = new ReposDatabaseOptions { OnDamagedFile = _ => ValueTask.FromResult(Repos.Recovery.DamagedFileAction.Salvage) };
        await using (NotesDb db = await NotesDb.OpenAsync(DbPath, options))
        {
            Assert.NotNull(db.DamageRecovery);
        }

        await AssertNotesIntact(notes);
    }

    [Fact]
    public async Task EveryChangeToTheCatalog_RaisesItsGeneration_AndAnOpenThatChangesNothing_DoesNot()
    {
        await VerifyTests.WriteNotesAsync(DbPath, 5);
        long Generation()
        {
            using SqliteConnection connection = SqliteConnection.Open(DbPath, readOnly: true, create: false);
            return CatalogSeal.ReadGeneration(connection)!.Value;
        }

        long first = Generation();
        await using (await NotesDb.OpenAsync(DbPath))
        {
        }

        Assert.Equal(first, Generation());
        await using (await NotesDb.OpenAsync(DbPath, definition: new NoteDefinition(NoteDefinition.DefaultColumns, [NoteDefinition.DefaultIndexes[0]])))
        {
        }

        Assert.Equal(first + 1, Generation());
    }
}
