using Repos.Migrations;
using Repos.Serialization;
using Repos.Storage.Sqlite;

namespace Repos.Tests.Storage;

// An older app rewriting trips that a newer app wrote: the properties the newer app added to nested types
// (Vehicle.Color, Engine.Fuel, Stop.Note) and to the trip (Rating) must survive, and the older app's own
// changes must show.
public sealed class NestedCarryOverTests : IDisposable
{
    private readonly TempDirectory _folder = new();

    public void Dispose() => _folder.Dispose();

    private string DbPath => _folder.File("trips.db");

    private static Trip NewTrip(string name = "coast") => new()
    {
        Id = Guid.NewGuid(),
        Name = name,
        Rating = "five stars",
        Vehicle = new Vehicle { Make = "Volvo", Color = "red", Engine = new Engine { Power = 120, Fuel = "diesel" } },
        Stops =
        [
            new Stop { Place = "Brest", Minutes = 10, Note = "bakery" },
            new Stop { Place = "Quimper", Minutes = 20, Note = "cathedral" },
            new Stop { Place = "Lorient", Minutes = 30, Note = "harbour" },
        ],
        StopsByName = new Dictionary<string, Stop>
        {
            ["lunch"] = new Stop { Place = "Vannes", Minutes = 60, Note = "crêpes" },
            ["night"] = new Stop { Place = "Nantes", Minutes = 600, Note = "hotel" },
        },
    };

    private async Task<Trip> SeedWithNewerApp(Trip? trip = null, TripsModel? model = null)
    {
        trip ??= NewTrip();
        await using TripsDb newer = await TripsDb.OpenAsync(DbPath, model ?? TripsModel.Newer);
        await newer.Trips.InsertAsync(trip);
        return trip;
    }

    private async Task<Trip> ReadWith(TripsModel model, Guid id)
    {
        await using TripsDb db = await TripsDb.OpenAsync(DbPath, model);
        return (await db.Trips.GetAsync(id))!;
    }

    /// <summary>What the older app does to a trip: changes a known field at every level, and the trip's name.</summary>
    private static Trip EditAsTheOlderApp(Trip read) => read with
    {
        Name = "coast, edited",
        Vehicle = read.Vehicle! with { Make = "Saab", Engine = read.Vehicle.Engine! with { Power = 150 } },
        Stops = [read.Stops[0] with { Minutes = 15 }, .. read.Stops.Skip(1)],
        StopsByName = new Dictionary<string, Stop>(read.StopsByName) { ["lunch"] = read.StopsByName["lunch"] with { Minutes = 45 } },
    };

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task OlderModel_UpdatingATrip_KeepsTheNestedFieldsItDoesNotKnow_AndItsOwnChangesShow(bool upsert)
    {
        Trip written = await SeedWithNewerApp();

        await using (TripsDb older = await TripsDb.OpenAsync(DbPath, TripsModel.Older))
        {
            Trip read = (await older.Trips.GetAsync(written.Id))!;
            Assert.Null(read.Vehicle!.Color);
            Assert.Null(read.Stops[0].Note);
            Trip edited = EditAsTheOlderApp(read);
            await (upsert ? older.Trips.UpsertAsync(edited) : older.Trips.UpdateAsync(edited));
        }

        Trip after = await ReadWith(TripsModel.Newer, written.Id);
        Assert.Equal("coast, edited", after.Name);
        Assert.Equal("five stars", after.Rating);
        Assert.Equal(new Vehicle { Make = "Saab", Color = "red", Engine = new Engine { Power = 150, Fuel = "diesel" } }, after.Vehicle);
        Assert.Equal(
            [
                new Stop { Place = "Brest", Minutes = 15, Note = "bakery" },
                new Stop { Place = "Quimper", Minutes = 20, Note = "cathedral" },
                new Stop { Place = "Lorient", Minutes = 30, Note = "harbour" },
            ],
            after.Stops);
        Assert.Equal(2, after.StopsByName.Count);
        Assert.Equal(new Stop { Place = "Vannes", Minutes = 45, Note = "crêpes" }, after.StopsByName["lunch"]);
        Assert.Equal(new Stop { Place = "Nantes", Minutes = 600, Note = "hotel" }, after.StopsByName["night"]);
    }

    [Fact]
    public async Task OlderModel_ThatLacksOnlyAFieldTwoLevelsDown_KeepsIt()
    {
        // The older app knows everything but Engine.Fuel: Vehicle has no unknown field of its own, but holds one that does.
        var almost = new TripsModel(TripExtras.All & ~TripExtras.EngineFuel);
        Trip written = await SeedWithNewerApp();

        await using (TripsDb older = await TripsDb.OpenAsync(DbPath, almost))
        {
            Trip read = (await older.Trips.GetAsync(written.Id))!;
            Assert.Null(read.Vehicle!.Engine!.Fuel);
            await older.Trips.UpdateAsync(read with { Vehicle = read.Vehicle with { Color = "blue", Engine = read.Vehicle.Engine with { Power = 90 } } });
        }

        Trip after = await ReadWith(TripsModel.Newer, written.Id);
        Assert.Equal("blue", after.Vehicle!.Color);
        Assert.Equal(new Engine { Power = 90, Fuel = "diesel" }, after.Vehicle.Engine);
    }

    [Fact]
    public async Task ListElements_AreMergedByPosition_AndStoredElementsPastTheNewEndAreNotBroughtBack()
    {
        Trip written = await SeedWithNewerApp();

        await using (TripsDb older = await TripsDb.OpenAsync(DbPath, TripsModel.Older))
        {
            Trip read = (await older.Trips.GetAsync(written.Id))!;
            await older.Trips.UpdateAsync(read with { Stops = read.Stops.Take(2).ToList() });
            read = (await older.Trips.GetAsync(written.Id))!;
            await older.Trips.UpdateAsync(read with { Stops = [.. read.Stops, new Stop { Place = "Lorient", Minutes = 35 }] });
        }

        Trip after = await ReadWith(TripsModel.Newer, written.Id);
        Assert.Equal(["bakery", "cathedral", null], after.Stops.Select(s => s.Note));
        Assert.Equal(35, after.Stops[2].Minutes);

        // Elements at the same index are taken to be the same element: a stop put in front takes the first note.
        await using (TripsDb older = await TripsDb.OpenAsync(DbPath, TripsModel.Older))
        {
            Trip read = (await older.Trips.GetAsync(written.Id))!;
            await older.Trips.UpdateAsync(read with { Stops = [new Stop { Place = "Roscoff", Minutes = 5 }, .. read.Stops] });
        }

        after = await ReadWith(TripsModel.Newer, written.Id);
        Assert.Equal(["Roscoff", "Brest", "Quimper", "Lorient"], after.Stops.Select(s => s.Place));
        Assert.Equal(["bakery", "cathedral", null, null], after.Stops.Select(s => s.Note));
    }

    [Fact]
    public async Task DictionaryValues_AreMergedByKey_InAnyOrder()
    {
        Trip trip = NewTrip();
        trip.StopsByName["coffee"] = new Stop { Place = "Auray", Minutes = 15, Note = "terrace" };
        Trip written = await SeedWithNewerApp(trip);

        await using (TripsDb older = await TripsDb.OpenAsync(DbPath, TripsModel.Older))
        {
            Trip read = (await older.Trips.GetAsync(written.Id))!;

            // Another order, one key dropped, one added.
            var byName = new Dictionary<string, Stop>
            {
                ["night"] = read.StopsByName["night"] with { Minutes = 540 },
                ["breakfast"] = new Stop { Place = "Nantes", Minutes = 30 },
                ["coffee"] = read.StopsByName["coffee"],
            };
            await older.Trips.UpdateAsync(read with { StopsByName = byName });
        }

        Trip after = await ReadWith(TripsModel.Newer, written.Id);
        Assert.Equal(["breakfast", "coffee", "night"], after.StopsByName.Keys.Order());
        Assert.Equal(new Stop { Place = "Nantes", Minutes = 540, Note = "hotel" }, after.StopsByName["night"]);
        Assert.Equal(new Stop { Place = "Auray", Minutes = 15, Note = "terrace" }, after.StopsByName["coffee"]);
        Assert.Null(after.StopsByName["breakfast"].Note);
    }

    [Fact]
    public async Task NullOnEitherSide_CarriesNothing()
    {
        Trip written = await SeedWithNewerApp();
        Trip withoutVehicle = await SeedWithNewerApp(NewTrip("inland") with { Vehicle = null });

        await using (TripsDb older = await TripsDb.OpenAsync(DbPath, TripsModel.Older))
        {
            // A vehicle taken away, then another one given: the first one's color does not come back.
            Trip read = (await older.Trips.GetAsync(written.Id))!;
            await older.Trips.UpdateAsync(read with { Vehicle = null });
            await older.Trips.UpdateAsync(read with { Vehicle = new Vehicle { Make = "Fiat" } });

            // A vehicle given where the stored trip had none.
            Trip other = (await older.Trips.GetAsync(withoutVehicle.Id))!;
            await older.Trips.UpdateAsync(other with { Vehicle = new Vehicle { Make = "Renault", Engine = new Engine { Power = 70 } } });
        }

        await using TripsDb newer = await TripsDb.OpenAsync(DbPath, TripsModel.Newer);
        Trip after = (await newer.Trips.GetAsync(written.Id))!;
        Assert.Equal(new Vehicle { Make = "Fiat" }, after.Vehicle);
        Assert.Equal("cathedral", after.Stops[1].Note);
        Trip otherAfter = (await newer.Trips.GetAsync(withoutVehicle.Id))!;
        Assert.Equal("Renault", otherAfter.Vehicle!.Make);
        Assert.Null(otherAfter.Vehicle.Color);
        Assert.Null(otherAfter.Vehicle.Engine!.Fuel);
        Assert.Equal("five stars", otherAfter.Rating);
    }

    [Fact]
    public async Task Write_WhenTheCatalogHasNoFieldTheModelLacks_ReadsNoStoredRow()
    {
        Trip written = await SeedWithNewerApp();
        await using (TripsDb newer = await TripsDb.OpenAsync(DbPath, TripsModel.Newer))
        {
            for (int i = 0; i < 10; i++)
            {
                await newer.Trips.UpdateAsync(written with { Name = $"edit {i}" });
            }

            await newer.Trips.UpsertAsync(written);
            Assert.Equal(0, newer.StoredRowsReadForCarryOver);
        }

        await using TripsDb older = await TripsDb.OpenAsync(DbPath, TripsModel.Older);
        await older.Trips.InsertAsync(NewTrip("new"));
        Assert.Equal(0, older.StoredRowsReadForCarryOver);
        Trip read = (await older.Trips.GetAsync(written.Id))!;
        await older.Trips.UpdateAsync(read with { Name = "edited" });
        await older.Trips.UpsertAsync(read with { Name = "edited again" });
        Assert.Equal(2, older.StoredRowsReadForCarryOver);
    }

    [Fact]
    public async Task DamagedStoredRow_DoesNotBlockTheWrite()
    {
        Trip written = await SeedWithNewerApp();
        using (SqliteConnection connection = SqliteConnection.Open(DbPath, readOnly: false, create: false))
        {
            // Flip a byte inside the stored blob: its checksum no longer matches.
            using SqliteStatement update = connection.PrepareOnce("UPDATE Trip SET _blob = substr(_blob, 1, 20) || x'FF' || substr(_blob, 22) WHERE key = ?1");
            Repos.Internal.ColumnValue.From(written.Id).Bind(update, 1);
            update.Execute();
        }

        await using (TripsDb older = await TripsDb.OpenAsync(DbPath, TripsModel.Older))
        {
            await Assert.ThrowsAsync<CorruptedRowException>(() => older.Trips.GetAsync(written.Id).AsTask());
            await older.Trips.UpsertAsync(EditAsTheOlderApp(written));
        }

        // The damaged row could not give anything: the newer app reads what the older one wrote.
        Trip after = await ReadWith(TripsModel.Newer, written.Id);
        Assert.Equal("coast, edited", after.Name);
        Assert.Equal(150, after.Vehicle!.Engine!.Power);
        Assert.Null(after.Vehicle.Engine.Fuel);
        Assert.Null(after.Rating);
    }

    [Fact]
    public async Task EagerMigration_ByAModelThatLacksNestedFields_KeepsThem()
    {
        static void Step(int from, StoredRow row) => row.Set("Name", row.Get<string>("Name").ToUpperInvariant());
        Trip written = await SeedWithNewerApp();
        Trip untouched = await SeedWithNewerApp(NewTrip("untouched"));

        await using (TripsDb older = await TripsDb.OpenAsync(DbPath, new TripsModel(TripExtras.None, version: 2, migrate: Step)))
        {
            Trip read = (await older.Trips.GetAsync(written.Id))!;
            Assert.Equal("COAST", read.Name);
            await older.Trips.UpdateAsync(EditAsTheOlderApp(read));
        }

        await using TripsDb newer = await TripsDb.OpenAsync(DbPath, new TripsModel(TripExtras.All, version: 2, migrate: Step));
        Trip after = (await newer.Trips.GetAsync(written.Id))!;
        Assert.Equal("coast, edited", after.Name);
        Assert.Equal(new Engine { Power = 150, Fuel = "diesel" }, after.Vehicle!.Engine);
        Assert.Equal("red", after.Vehicle.Color);
        Assert.Equal(new Stop { Place = "Brest", Minutes = 15, Note = "bakery" }, after.Stops[0]);
        Assert.Equal(new Stop { Place = "Vannes", Minutes = 45, Note = "crêpes" }, after.StopsByName["lunch"]);
        Assert.Equal("five stars", after.Rating);
        AssertSameNested(untouched with { Name = "UNTOUCHED" }, (await newer.Trips.GetAsync(untouched.Id))!);
    }

    [Fact]
    public async Task LazyMigration_ByAModelThatLacksNestedFields_KeepsThemWhenTheRowIsWrittenAgain()
    {
        // Version 2 renames Stops to Legs: the rewrite must merge with the stored row as upgraded, where the
        // stops (and their notes) are under Legs, and must not keep the old Stops field beside it.
        static void Step(int from, StoredRow row) => row.Rename("Stops", "Legs");
        Trip written = await SeedWithNewerApp();
        Trip untouched = await SeedWithNewerApp(NewTrip("untouched"));

        await using (TripsDb older = await TripsDb.OpenAsync(DbPath, new TripsModel(TripExtras.None, version: 2, lazy: true, stopsName: "Legs", migrate: Step)))
        {
            Trip read = (await older.Trips.GetAsync(written.Id))!;
            Assert.Equal(["Brest", "Quimper", "Lorient"], read.Stops.Select(s => s.Place));
            await older.Trips.UpdateAsync(EditAsTheOlderApp(read));
        }

        Assert.Equal(["Id", "Legs", "Name", "Rating", "StopsByName", "Vehicle"], StoredFieldNames(written.Id));
        Assert.Equal(2, StoredVersion(written.Id));
        Assert.Equal(1, StoredVersion(untouched.Id));

        await using TripsDb newer = await TripsDb.OpenAsync(DbPath, new TripsModel(TripExtras.All, version: 2, lazy: true, stopsName: "Legs", migrate: Step));
        Trip after = (await newer.Trips.GetAsync(written.Id))!;
        Assert.Equal("coast, edited", after.Name);
        Assert.Equal(new Engine { Power = 150, Fuel = "diesel" }, after.Vehicle!.Engine);
        Assert.Equal("red", after.Vehicle.Color);
        Assert.Equal(["bakery", "cathedral", "harbour"], after.Stops.Select(s => s.Note));
        Assert.Equal(15, after.Stops[0].Minutes);
        Assert.Equal(new Stop { Place = "Vannes", Minutes = 45, Note = "crêpes" }, after.StopsByName["lunch"]);
        Assert.Equal("five stars", after.Rating);
        AssertSameNested(untouched, (await newer.Trips.GetAsync(untouched.Id))!);
    }

    [Fact]
    public async Task LazyMigration_RewritingARowItsStepFailsOn_FailsAndNamesTheRow()
    {
        // The rewrite merges with the stored row as upgraded, as a read sees it: a step failing on it fails the write.
        static void Step(int from, StoredRow row)
        {
            if (row.Get<string>("Name") == "fails")
            {
                throw new InvalidOperationException("the test asked this row to fail");
            }
        }

        Trip failing = await SeedWithNewerApp(NewTrip("fails"));
        await using TripsDb older = await TripsDb.OpenAsync(DbPath, new TripsModel(TripExtras.None, version: 2, lazy: true, migrate: Step));

        var e = await Assert.ThrowsAsync<ReposMigrationException>(() => older.Trips.UpsertAsync(failing with { Name = "fixed" }).AsTask());

        Assert.Equal("Trip", e.EntityName);
        Assert.Equal(failing.Id.ToString(), e.Key);
        Assert.Equal(1, e.FromVersion);
        Assert.Equal(2, e.ToVersion);
        Assert.Equal(1, StoredVersion(failing.Id));
    }

    private static void AssertSameNested(Trip expected, Trip actual)
    {
        Assert.Equal(expected.Name, actual.Name);
        Assert.Equal(expected.Rating, actual.Rating);
        Assert.Equal(expected.Vehicle, actual.Vehicle);
        Assert.Equal(expected.Stops, actual.Stops);
        Assert.Equal(expected.StopsByName.OrderBy(e => e.Key), actual.StopsByName.OrderBy(e => e.Key));
    }

    /// <summary>The catalog names of the top-level fields stored in a trip's blob, sorted.</summary>
    private List<string> StoredFieldNames(Guid id)
    {
        using SqliteConnection connection = SqliteConnection.Open(DbPath, readOnly: true, create: false);
        var names = new Dictionary<long, string>();
        using (SqliteStatement fields = connection.PrepareOnce("SELECT id, name FROM _repos_fields WHERE type = 'Repos.Tests.Storage.Trip'"))
        {
            while (fields.Step())
            {
                names[fields.ColumnInt64(0)] = fields.ColumnText(1);
            }
        }

        using SqliteStatement select = connection.PrepareOnce("SELECT _blob FROM Trip WHERE key = ?1");
        Repos.Internal.ColumnValue.From(id).Bind(select, 1);
        Assert.True(select.Step());
        using BlobPayload payload = BlobEnvelope.Read(select.ColumnBlob(0));
        var reader = new MessagePackReader(payload.Span);
        var stored = new List<string>();
        for (int count = reader.ReadMapHeader(); count > 0; count--)
        {
            stored.Add(names[reader.ReadInt64()]);
            reader.Skip();
        }

        stored.Sort(StringComparer.Ordinal);
        return stored;
    }

    private long StoredVersion(Guid id)
    {
        using SqliteConnection connection = SqliteConnection.Open(DbPath, readOnly: true, create: false);
        using SqliteStatement select = connection.PrepareOnce("SELECT _schema FROM Trip WHERE key = ?1");
        Repos.Internal.ColumnValue.From(id).Bind(select, 1);
        Assert.True(select.Step());
        return select.ColumnInt64(0);
    }
}
