using Repos.Tests.Generated.StoredMembers;
using Repos.Transfer;

namespace Repos.Tests.Generated;

/// <summary>
/// Properties with private or protected setters, set only by constructors, inherited or overridden, survive a
/// write and a read; a repository stores exactly its entity type, and refuses derived objects before writing.
/// </summary>
public sealed class StoredMembersTests : IDisposable
{
    private readonly TempDirectory _folder = new();

    public void Dispose() => _folder.Dispose();

    private Task<StoredMembersDb> OpenAsync() => StoredMembersDb.OpenAsync(_folder.File("members.db")).AsTask();

    [Fact]
    public async Task PropertiesOnlyTheTypeCanSet_AreStoredAndReadBack()
    {
        await using StoredMembersDb db = await OpenAsync();
        var counter = new Clicker(Guid.NewGuid()) { Priority = 7 };
        counter.Increment("ann");
        counter.Increment("bob");
        await db.Clickers.InsertAsync(counter);

        Clicker read = (await db.Clickers.GetAsync(counter.Id))!;
        Assert.Equal(counter.Id, read.Id);
        Assert.Equal(2, read.Count);
        Assert.Equal(4, read.Twice);
        Assert.Equal("counted 2", read.Label);
        Assert.Equal("bob", read.ChangedBy);
        Assert.Equal(7, read.Priority);
        Assert.Equal(2, read.Tally.Total);
        Assert.Equal(new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc), read.Tally.Last);
    }

    [Fact]
    public async Task PropertiesOnlyTheTypeCanSet_AreImportedFromJson()
    {
        await using StoredMembersDb db = await OpenAsync();
        Guid id = Guid.NewGuid();
        string json = "[{\"id\": \"" + id + "\", \"count\": 3, \"label\": \"imported\", \"changedBy\": \"ann\", \"priority\": 4, "
            + "\"tally\": {\"total\": 5, \"last\": \"2026-01-02T03:04:05Z\"}}]";

        await db.Clickers.ImportJsonAsync(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json)));

        Clicker read = (await db.Clickers.GetAsync(id))!;
        Assert.Equal((3, "imported", "ann", 4, 5), (read.Count, read.Label, read.ChangedBy, read.Priority, read.Tally.Total));
    }

    [Fact]
    public async Task PrivateInit_IsStoredAndReadBack()
    {
        await using StoredMembersDb db = await OpenAsync();
        await db.Tickets.InsertAsync(new Ticket { Id = 1, Opened = new Stamp("ann") { At = new DateTime(2026, 5, 1) } }.Close());

        Ticket read = (await db.Tickets.GetAsync(1))!;
        Assert.Equal("closed", read.State);
        Assert.Equal("ann", read.Opened.By);
        Assert.Equal(new DateTime(2026, 5, 1), read.Opened.At);
    }

    [Fact]
    public async Task RangeOnAnOverriddenBaseProperty_IsChecked()
    {
        await using StoredMembersDb db = await OpenAsync();
        var counter = new Clicker(Guid.NewGuid()) { Priority = 101 };

        EntityValidationException e = await Assert.ThrowsAsync<EntityValidationException>(() => db.Clickers.InsertAsync(counter).AsTask());
        Assert.Contains(e.Errors, error => error.Property == "Priority" && error.Rule == "Range");
    }

    [Fact]
    public async Task ADerivedEntity_IsStoredThroughItsOwnRepository()
    {
        await using StoredMembersDb db = await OpenAsync();
        await db.Dogs.InsertAsync(new Dog { Id = 1, Name = "Rex", Breed = "collie", Home = new Place { Town = "Oban" } });
        await db.Animals.InsertAsync(new Animal { Id = 1, Name = "Tom" });

        Dog dog = (await db.Dogs.GetAsync(1))!;
        Assert.Equal(("Rex", "collie", "Oban"), (dog.Name, dog.Breed, dog.Home!.Town));
        Assert.Equal("Tom", (await db.Animals.GetAsync(1))!.Name);
    }

    [Fact]
    public async Task ADerivedEntity_IsRefusedByTheBaseRepository_OnEveryWrite()
    {
        await using StoredMembersDb db = await OpenAsync();
        var dog = new Dog { Id = 2, Name = "Rex", Breed = "collie" };
        await db.Animals.InsertAsync(new Animal { Id = 2, Name = "Tom" });

        var writes = new Func<Task>[]
        {
            () => db.Animals.InsertAsync(dog).AsTask(),
            () => db.Animals.UpsertAsync(dog).AsTask(),
            () => db.Animals.UpdateAsync(dog).AsTask(),
            () => db.Animals.InsertManyAsync([new Animal { Id = 3 }, dog with { Id = 4 }]).AsTask(),
            () => db.Animals.UpsertManyAsync([new Animal { Id = 3 }, dog]).AsTask(),
            () => db.Animals.UpdateManyAsync([new Animal { Id = 2, Name = "Tim" }, dog]).AsTask(),
        };
        foreach (Func<Task> write in writes)
        {
            UnsupportedDerivedTypeException e = await Assert.ThrowsAsync<UnsupportedDerivedTypeException>(write);
            Assert.Equal("Animal", e.EntityName);
            Assert.Equal(typeof(Animal), e.DeclaredType);
            Assert.Equal(typeof(Dog), e.ActualType);
            Assert.Contains("Animal", e.Message);
            Assert.Contains(typeof(Dog).FullName!, e.Message);
        }

        // Nothing was written: the stored animal is as it was, and no other row exists.
        Assert.Equal(1, await db.Animals.CountAsync());
        Assert.Equal("Tom", (await db.Animals.GetAsync(2))!.Name);
        Assert.Equal(0, await db.Dogs.CountAsync());
    }

    [Fact]
    public async Task ADerivedEntity_IsRefusedInsideATransaction_AndTheTransactionCanGoOn()
    {
        await using StoredMembersDb db = await OpenAsync();
        await using (ReposTransaction transaction = await db.BeginTransactionAsync())
        {
            await db.Animals.InsertAsync(new Animal { Id = 1, Name = "Tom" });
            await Assert.ThrowsAsync<UnsupportedDerivedTypeException>(() => db.Animals.InsertAsync(new Dog { Id = 2 }).AsTask());
            await transaction.CommitAsync();
        }

        Assert.Equal(1, await db.Animals.CountAsync());
        Assert.Null(await db.Animals.GetAsync(2));
    }

    [Fact]
    public async Task ADerivedObjectInAStoredProperty_IsRefused_NamingTheEntityAndBothTypes()
    {
        await using StoredMembersDb db = await OpenAsync();
        var cat = new Animal { Id = 5, Name = "Tom", Home = new Kennel { Town = "Oban", Runs = 3 } };

        UnsupportedDerivedTypeException e = await Assert.ThrowsAsync<UnsupportedDerivedTypeException>(() => db.Animals.InsertAsync(cat).AsTask());
        Assert.Equal("Animal", e.EntityName);
        Assert.Equal(typeof(Place), e.DeclaredType);
        Assert.Equal(typeof(Kennel), e.ActualType);
        Assert.Contains(typeof(Kennel).FullName!, e.Message);

        await Assert.ThrowsAsync<UnsupportedDerivedTypeException>(() => db.Dogs.InsertManyAsync([new Dog { Id = 1 }, new Dog { Id = 2, Home = new Kennel() }]).AsTask());
        await Assert.ThrowsAsync<UnsupportedDerivedTypeException>(() => db.Animals.InsertAsync(new Animal { Id = 6, Visits = [new Place(), new Kennel()] }).AsTask());
        Assert.Equal(0, await db.Animals.CountAsync());
        Assert.Equal(0, await db.Dogs.CountAsync());
    }
}
