using Repos.Storage.Sqlite;
using Repos.Querying;

namespace Repos.Tests.Generated;

/// <summary>Indexes that ignore case, and files whose index columns an earlier version encoded otherwise.</summary>
public sealed class IndexEncodingTests : IDisposable
{
    private readonly TempDirectory _folder = new();

    public void Dispose() => _folder.Dispose();

    private string DbPath => _folder.File("encodings.db");

    [Fact]
    public async Task IgnoreCaseUniqueIndex_FindsAnyCase_AndRefusesTheSameAddressInAnotherCase()
    {
        await using OrderDb db = await OrderDb.OpenAsync(DbPath);
        await db.Accounts.InsertAsync(new Account { Id = 1, Email = "user@example.com", Name = "Ann" });

        Assert.Equal(1, (await db.Accounts.GetByEmailAsync("USER@EXAMPLE.COM"))?.Id);
        Assert.Equal(1, (await db.Accounts.GetByEmailAsync("User@Example.Com"))?.Id);
        Assert.Null(await db.Accounts.GetByEmailAsync("user@example.org"));
        Assert.Equal(1, await db.Accounts.ByEmail().StartsWith("USER@").CountAsync());
        await Assert.ThrowsAsync<UniqueIndexViolationException>(() => db.Accounts.InsertAsync(new Account { Id = 2, Email = "USER@example.com" }).AsTask());
        Assert.Equal(1, await db.Accounts.CountAsync());
        Assert.Equal("user@example.com", (await db.Accounts.GetAsync(1))!.Email);
    }

    [Fact]
    public async Task IgnoreCase_TurnedOnOverRowsThatDifferOnlyInCase_IsRefusedAtOpen_AndChangesNothing()
    {
        await using (var old = await CaseSensitive.AccountDb.OpenAsync(DbPath))
        {
            await old.Accounts.InsertAsync(new CaseSensitive.Account { Id = 1, Email = "user@example.com" });
            await old.Accounts.InsertAsync(new CaseSensitive.Account { Id = 2, Email = "USER@example.com" });
        }

        var e = await Assert.ThrowsAsync<ReposSchemaException>(() => OrderDb.OpenAsync(DbPath).AsTask());
        Assert.Contains("unique index Email of Account cannot be created", e.Message, StringComparison.Ordinal);

        await using (var old = await CaseSensitive.AccountDb.OpenAsync(DbPath))
        {
            Assert.Equal(2, await old.Accounts.CountAsync());
            Assert.Equal(2, (await old.Accounts.GetByEmailAsync("USER@example.com"))?.Id);
            await old.Accounts.DeleteAsync(2);
        }

        await using (OrderDb db = await OrderDb.OpenAsync(DbPath))
        {
            Assert.Equal(1, (await db.Accounts.GetByEmailAsync("USER@EXAMPLE.COM"))?.Id);
        }

        // And off again: the index respects case once more.
        await using (var old = await CaseSensitive.AccountDb.OpenAsync(DbPath))
        {
            Assert.Null(await old.Accounts.GetByEmailAsync("USER@EXAMPLE.COM"));
            Assert.Equal(1, (await old.Accounts.GetByEmailAsync("user@example.com"))?.Id);
        }
    }

    [Fact]
    public void FoldCase_OnlyJoinsStringsThatOrdinalIgnoreCaseHoldsEqual()
    {
        var failures = new List<string>();
        for (int c = 0; c <= 0x10FFFF; c++)
        {
            string text = c is >= 0xD800 and <= 0xDFFF ? ((char)c).ToString() : char.ConvertFromUtf32(c);
            string folded = Repos.Internal.ColumnValue.FoldCase(text);
            if (!string.Equals(text, folded, StringComparison.OrdinalIgnoreCase) || Repos.Internal.ColumnValue.FoldCase(folded) != folded)
            {
                failures.Add($"U+{c:X4}");
            }
        }

        Assert.Empty(failures);
        Assert.Equal("STRASSE", Repos.Internal.ColumnValue.FoldCase("strasse"));
        Assert.Equal("ÉCOLE ΣΊΣΥΦΟΣ ЖУК \U00010400", Repos.Internal.ColumnValue.FoldCase("école σίσυφος жук \U00010428"));
        Assert.Equal("\u017F", Repos.Internal.ColumnValue.FoldCase("\u017F"));
    }

    [Fact]
    public async Task IndexColumnsWrittenWithAnEarlierEncoding_AreRebuiltAtOpen()
    {
        Sample[] samples =
        [
            new() { Id = 1, Huge = Huge.Small, Double = 2.0, Text = "a" },
            new() { Id = 2, Huge = Huge.Middle, Double = double.NaN, Text = "b" },
            new() { Id = 3, Huge = Huge.Largest, Double = -1.5, Text = "c" },
        ];
        await using (OrderDb db = await OrderDb.OpenAsync(DbPath))
        {
            await db.Samples.InsertManyAsync(samples);
        }

        // As the earlier encodings left the file: enums backed by ulong cast to long, floating point as REAL
        // (NaN as NULL), and the catalog's index columns without encodings.
        string table = Text("SELECT table_name FROM _repos_entities WHERE entity='Sample'");

        string t = $"\"{table}\"";
        CatalogEdit.Run(DbPath, $"""
            UPDATE _repos_indexes SET columns = replace(replace(replace(columns, ':u64', ''), ':f64', ''), ':ci', '');
            UPDATE {t} SET Huge = CASE key WHEN 1 THEN 1 WHEN 2 THEN {long.MinValue} ELSE -1 END;
            DROP INDEX "{table}_Double";
            ALTER TABLE {t} DROP COLUMN Double;
            ALTER TABLE {t} ADD COLUMN Double REAL;
            UPDATE {t} SET Double = CASE key WHEN 1 THEN 2.0 WHEN 2 THEN NULL ELSE -1.5 END;
            CREATE INDEX "{table}_Double" ON {t}(Double, key);
            """);
        Assert.Equal("REAL", Text($"SELECT type FROM pragma_table_info('{table}') WHERE name='Double'"));

        await using (OrderDb db = await OrderDb.OpenAsync(DbPath))
        {
            Assert.Equal([2, 3], (await db.Samples.ByHuge().GreaterThan(Huge.Small).ToListAsync()).Select(s => s.Id));
            Assert.Equal([2, 3, 1], (await db.Samples.ByDouble().ToListAsync()).Select(s => s.Id));
            Assert.Equal([2], (await db.Samples.ByDouble(double.NaN).ToListAsync()).Select(s => s.Id));
            Assert.Equal([2, 3], (await db.Samples.ByDouble().LessThan(0).ToListAsync()).Select(s => s.Id));
        }

        Assert.Equal("INTEGER", Text($"SELECT type FROM pragma_table_info('{table}') WHERE name='Double'"));
        Assert.Equal("Double:f64", Text("SELECT columns FROM _repos_indexes WHERE entity='Sample' AND name='Double'"));
        Assert.Equal("Huge:u64", Text("SELECT columns FROM _repos_indexes WHERE entity='Sample' AND name='Huge'"));

        await using (OrderDb db = await OrderDb.OpenAsync(DbPath))
        {
            Repos.Diagnostics.VerifyReport report = await db.VerifyAsync();
            Assert.True(report.IsHealthy, report.ToString());
        }
    }

    private string Text(string sql)
    {
        using SqliteConnection connection = SqliteConnection.Open(DbPath, readOnly: true, create: false);
        using SqliteStatement statement = connection.PrepareOnce(sql);
        Assert.True(statement.Step());
        return statement.ColumnText(0);
    }
}
