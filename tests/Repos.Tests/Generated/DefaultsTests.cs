using System.Text;
using Repos.Transfer;
using V1 = Repos.Tests.Generated.DefaultsV1;
using V2 = Repos.Tests.Generated.DefaultsV2;

namespace Repos.Tests.Generated;

/// <summary>Fields a row lacks read as the initializers and parameter defaults the model declares.</summary>
public sealed class DefaultsTests : IDisposable
{
    private readonly TempDirectory _folder = new();

    public void Dispose() => _folder.Dispose();

    private string DbPath => _folder.File("chores.db");

    [Fact]
    public async Task RowsWrittenBeforeThePropertiesExisted_ReadTheirInitializers()
    {
        await using (var old = await V1.ChoreDb.OpenAsync(DbPath))
        {
            await old.Chores.InsertAsync(new V1.Chore { Id = 1, Title = "Water plants", First = new V1.Step { Name = "fill can" }, Label = new V1.Label("home") });
        }

        // The newer app's types are the same types, renamed here only because both versions live in one test assembly.
        CatalogEdit.Run(DbPath, """
            UPDATE _repos_entities SET type = replace(type, 'DefaultsV1', 'DefaultsV2');
            UPDATE _repos_fields SET type = replace(type, 'DefaultsV1', 'DefaultsV2'), clr_type = replace(clr_type, 'DefaultsV1', 'DefaultsV2');
            UPDATE _repos_field_names SET type = replace(type, 'DefaultsV1', 'DefaultsV2');
            """);

        await using var db = await V2.ChoreDb.OpenAsync(DbPath);
        V2.Chore chore = (await db.Chores.GetAsync(1))!;

        AssertDefaults(chore);
        Assert.Equal("Water plants", chore.Title);
        Assert.Equal("fill can", chore.First!.Name);
        Assert.Equal("home", chore.Label!.Text);

        // Written back, the row holds the values, and they stay when the author's initializers change.
        await db.Chores.UpdateAsync(chore with { Status = "done" });
        Assert.Equal("done", (await db.Chores.GetAsync(1))!.Status);
    }

    [Fact]
    public async Task StoredValues_WinOverInitializers_NullAndEmptyIncluded()
    {
        await using var db = await V2.ChoreDb.OpenAsync(DbPath);
        await db.Chores.InsertAsync(new V2.Chore { Id = 1, Status = "", Active = false, Tags = [], Estimate = null, Note = null, First = new V2.Step { Priority = 0 }, Label = new V2.Label("x", "red", 0) });

        V2.Chore chore = (await db.Chores.GetAsync(1))!;
        Assert.Equal("", chore.Status);
        Assert.False(chore.Active);
        Assert.Empty(chore.Tags);
        Assert.Null(chore.Estimate);
        Assert.Null(chore.Note);
        Assert.Equal(0, chore.First!.Priority);
        Assert.Equal(("red", 0), (chore.Label!.Color, chore.Label.Weight));
    }

    [Fact]
    public async Task ImportedDocumentsWithoutTheProperties_ReadTheirInitializers()
    {
        await using var db = await V2.ChoreDb.OpenAsync(DbPath);
        string json = """[{"id": 1, "title": "Water plants", "first": {"name": "fill can"}, "label": {"text": "home"}}]""";

        await db.Chores.ImportJsonAsync(new MemoryStream(Encoding.UTF8.GetBytes(json)));

        V2.Chore chore = (await db.Chores.GetAsync(1))!;
        AssertDefaults(chore);
        Assert.Equal("home", chore.Label!.Text);
    }

    private static void AssertDefaults(V2.Chore chore)
    {
        Assert.Equal("todo", chore.Status);
        Assert.True(chore.Active);
        Assert.Equal(["a"], chore.Tags);
        Assert.Equal(30, chore.Estimate);
        Assert.Equal("none", chore.Note);
        Assert.Equal("", chore.NoInitializer);
        Assert.Equal(3, chore.First!.Priority);
        Assert.Equal("blue", chore.Label!.Color);
        Assert.Equal(2, chore.Label.Weight);
    }
}
