using Repos.Recovery;
using Repos.Storage.Sqlite;

namespace Repos.Tests.Recovery;

public sealed class SalvageCatalogTests : IDisposable
{
    private readonly TempDirectory _folder = new();

    private string DbPath => _folder.File("store.db");

    private string NewPath => _folder.File("salvaged.db");

    public void Dispose() => _folder.Dispose();

    private async Task<List<Crate>> WriteCratesAsync()
    {
        var crates = Enumerable.Range(1, 200).Select(i => new Crate { Id = i, Name = $"crate {i}", Count = i % 7, Origin = $"o{i % 3}", Labels = [$"l{i}"] }).ToList();
        await using SalvageFuzzDb db = await SalvageFuzzDb.OpenAsync(DbPath);
        await db.Crates.InsertManyAsync(crates);
        await db.Parcels.InsertManyAsync(Enumerable.Range(1, 50).Select(i => new Parcel { Id = i, Name = $"parcel {i}", Count = i }));
        return crates;
    }

    private void Execute(string sql)
    {
        using SqliteConnection connection = SqliteConnection.Open(DbPath, readOnly: false, create: false);
        connection.Execute(sql);
    }

    private async Task<Dictionary<long, Crate>> ReadCratesAsync()
    {
        await using SalvageFuzzDb db = await SalvageFuzzDb.OpenAsync(NewPath);
        var crates = new Dictionary<long, Crate>();
        await foreach (Crate crate in db.Crates.All())
        {
            crates.Add(crate.Id, crate);
        }

        return crates;
    }

    [Fact]
    public async Task Salvage_WhenTheCatalogLostAFieldRecord_GivesTheIdBack_AndListsTheRepair()
    {
        List<Crate> crates = await WriteCratesAsync();
        Execute("DELETE FROM _repos_fields WHERE type = 'Repos.Tests.Recovery.Crate' AND name = 'Origin'");

        SalvageReport report = await ReposRecovery.SalvageAsync(DbPath, NewPath, SalvageFuzzDb.Model);

        CatalogRepair repair = Assert.Single(report.CatalogRepairs);
        Assert.Equal(("_repos_fields", "Repos.Tests.Recovery.Crate", "Origin", "*"), (repair.Table, repair.Type, repair.Field, repair.Column));
        Assert.Null(repair.Found);
        Dictionary<long, Crate> salvaged = await ReadCratesAsync();
        Assert.Equal(crates.Count, salvaged.Count);
        Assert.All(crates, c => Assert.Equal(c.Origin, salvaged[c.Id].Origin));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Salvage_WhenTheCatalogLostSeveralFieldRecords_PutsThemBackFromTheSealedCopy(bool withModel)
    {
        List<Crate> crates = await WriteCratesAsync();
        Execute("DELETE FROM _repos_fields WHERE type = 'Repos.Tests.Recovery.Crate' AND name IN ('Origin', 'Count')");

        SalvageReport report = await ReposRecovery.SalvageAsync(DbPath, NewPath, withModel ? SalvageFuzzDb.Model : null);

        Assert.Equal(
            ["Count", "Origin"],
            report.CatalogRepairs.Where(r => r.Table == "_repos_fields").Select(r => r.Field).Order(StringComparer.Ordinal));
        Assert.Equal(250, report.RowsRecovered);
        Dictionary<long, Crate> salvaged = await ReadCratesAsync();
        Assert.Equal(crates.Count, salvaged.Count);
        Assert.All(crates, c => Assert.Equal((c.Origin, c.Count), (salvaged[c.Id].Origin, salvaged[c.Id].Count)));
    }

    [Fact]
    public async Task Salvage_WhenTheCatalogGivesAFieldAnotherId_LosesTheRowsWithTheReason_InsteadOfReadingDefaults()
    {
        await WriteCratesAsync();
        Execute("UPDATE _repos_fields SET id = 9 WHERE type = 'Repos.Tests.Recovery.Crate' AND name = 'Origin'");

        SalvageReport report = await ReposRecovery.SalvageAsync(DbPath, NewPath, SalvageFuzzDb.Model);

        SalvagedEntity crates = report.Entities.Single(e => e.Entity == "Crate");
        Assert.Equal(0, crates.RowsRecovered);
        Assert.Equal(200, crates.RowsLost);
        Assert.Contains("with the app's model", crates.Lost[0].Reason, StringComparison.Ordinal);
        Assert.Empty(await ReadCratesAsync());
        Assert.Equal(50, report.Entities.Single(e => e.Entity == "Parcel").RowsRecovered);
    }

    [Fact]
    public async Task Salvage_OfARowWhoseFieldsAreASubsetOfAnotherEntitys_DoesNotKeepItInTheOther()
    {
        await WriteCratesAsync();

        // Point Crate's table at Parcel's root: its tree now leads to Parcel rows, which Crate's field ids cover.
        long parcelRoot;
        using (SqliteConnection connection = SqliteConnection.Open(DbPath, readOnly: true, create: false))
        {
            parcelRoot = connection.ExecuteScalar("SELECT rootpage FROM sqlite_schema WHERE name = 'Parcel'");
        }

        Execute($"PRAGMA writable_schema = ON; UPDATE sqlite_schema SET rootpage = {parcelRoot} WHERE name = 'Crate'");

        SalvageReport report = await ReposRecovery.SalvageAsync(DbPath, NewPath, SalvageFuzzDb.Model);

        Dictionary<long, Crate> salvaged = await ReadCratesAsync();
        Assert.All(salvaged.Values, c => Assert.StartsWith("crate ", c.Name, StringComparison.Ordinal));
        await using SalvageFuzzDb db = await SalvageFuzzDb.OpenAsync(NewPath);
        Assert.Equal(50, await db.Parcels.CountAsync());
        Assert.Equal(report.RowsRecovered, salvaged.Count + 50);
    }
}
