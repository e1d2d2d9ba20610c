using Repos.Internal;
using Repos.Serialization;
using Repos.Storage;
using Repos.Storage.Sqlite;

namespace Repos.Tests.Storage;

public sealed class CatalogTests : IDisposable
{
    private readonly TempDirectory _folder = new();

    public void Dispose() => _folder.Dispose();

    private static ShapeDefinition Person(int version, params FieldDefinition[] fields) =>
        new(version, new TypeShape("Tests.Person", [new FieldDefinition("Id", "long"), .. fields]));

    private int[] Reconcile(ShapeDefinition definition)
    {
        using SqliteConnection connection = SqliteConnection.Open(_folder.File("catalog.db"), readOnly: false, create: true);
        connection.BeginImmediate();
        try
        {
            SerializationContext context = Catalog.Reconcile(connection, [definition]);
            connection.Commit();
            return context.GetFieldMap(definition.Shape).Ids;
        }
        catch
        {
            connection.Rollback();
            throw;
        }
    }

    private string[] StoredFields()
    {
        using SqliteConnection connection = SqliteConnection.Open(_folder.File("catalog.db"), readOnly: true, create: false);
        using SqliteStatement select = connection.PrepareOnce("SELECT id || ':' || name || ':' || clr_type FROM _repos_fields ORDER BY id");
        var rows = new List<string>();
        while (select.Step())
        {
            rows.Add(select.ColumnText(0));
        }

        return [.. rows];
    }

    [Fact]
    public void NewProperties_GetNewIds_AndReorderingChangesNothing()
    {
        Assert.Equal([1, 2, 3], Reconcile(Person(1, new FieldDefinition("Name", "string"), new FieldDefinition("Age", "int"))));
        Assert.Equal([1, 3, 2], Reconcile(Person(1, new FieldDefinition("Age", "int"), new FieldDefinition("Name", "string"))));
        Assert.Equal([1, 2, 3, 4], Reconcile(Person(1, new FieldDefinition("Name", "string"), new FieldDefinition("Age", "int"), new FieldDefinition("Email", "string"))));
    }

    [Fact]
    public void RemovedProperty_KeepsItsIdReserved_AndGetsItBackWhenItReturns()
    {
        Reconcile(Person(1, new FieldDefinition("Name", "string"), new FieldDefinition("Age", "int")));

        Assert.Equal([1, 2], Reconcile(Person(1, new FieldDefinition("Name", "string"))));
        Assert.Equal([1, 2, 4], Reconcile(Person(1, new FieldDefinition("Name", "string"), new FieldDefinition("Nickname", "string"))));
        Assert.Equal([1, 2, 3], Reconcile(Person(1, new FieldDefinition("Name", "string"), new FieldDefinition("Age", "int"))));
    }

    [Fact]
    public void FormerName_CarriesTheFieldIdToTheNewName()
    {
        Reconcile(Person(1, new FieldDefinition("Name", "string"), new FieldDefinition("Age", "int")));

        int[] ids = Reconcile(Person(1, new FieldDefinition("DisplayName", "string", "Name"), new FieldDefinition("Age", "int")));

        Assert.Equal([1, 2, 3], ids);
        Assert.Equal(["1:Id:long", "2:DisplayName:string", "3:Age:int"], StoredFields());
        Assert.Equal([1, 2, 3], Reconcile(Person(1, new FieldDefinition("DisplayName", "string", "Name"), new FieldDefinition("Age", "int"))));
    }

    [Theory]
    [InlineData("int", "long")]
    [InlineData("int", "int?")]
    [InlineData("int?", "long?")]
    [InlineData("byte", "uint")]
    [InlineData("float", "double")]
    public void WideningTypeChange_IsAccepted_AndRecorded(string before, string after)
    {
        Reconcile(Person(1, new FieldDefinition("Score", before)));

        Assert.Equal([1, 2], Reconcile(Person(1, new FieldDefinition("Score", after))));
        Assert.Contains($"2:Score:{after}", StoredFields());
    }

    [Theory]
    [InlineData("int", "string")]
    [InlineData("long", "int")]
    [InlineData("int?", "int")]
    [InlineData("System.DateTime", "System.DateOnly")]
    [InlineData("double", "float")]
    public void IncompatibleTypeChange_IsRefusedNamingTheField_AndChangesNothing(string before, string after)
    {
        Reconcile(Person(1, new FieldDefinition("Score", before)));
        string[] catalog = StoredFields();

        var e = Assert.Throws<ReposSchemaException>(() => Reconcile(Person(1, new FieldDefinition("Score", after), new FieldDefinition("Added", "int"))));

        Assert.Contains($"Tests.Person.Score is stored as {before} but the model declares {after}", e.Message, StringComparison.Ordinal);
        Assert.Contains("migration", e.Message, StringComparison.Ordinal);
        Assert.Equal(catalog, StoredFields());
    }

    [Fact]
    public void NewerVersionInTheFile_IsRefused_AnOlderOneIsMigrated()
    {
        Reconcile(Person(2, new FieldDefinition("Name", "string")));

        var newer = Assert.Throws<ReposSchemaException>(() => Reconcile(Person(1, new FieldDefinition("Name", "string"))));
        Reconcile(Person(3, new FieldDefinition("Name", "string")));   // no rows: nothing to migrate, the version moves on

        Assert.Contains("schema version 2, written by a newer version of the app; this one knows version 1", newer.Message, StringComparison.Ordinal);
        Assert.Contains("read-only", newer.Message, StringComparison.Ordinal);
        Assert.Contains("schema version 3", Assert.Throws<ReposSchemaException>(() => Reconcile(Person(2, new FieldDefinition("Name", "string")))).Message, StringComparison.Ordinal);
    }

    /// <summary>An entity definition that only has a shape: the catalog never reads or writes rows.</summary>
    private sealed class ShapeDefinition(int version, TypeShape shape)
        : EntityDefinition<object, long>("Person", "Person", version, "Id", ColumnKind.Integer, shape, [], [], [])
    {
        public override long GetKey(object entity) => throw Unused();

        public override ColumnValue GetKeyColumn(long key) => throw Unused();

        public override void GetIndexColumns(object entity, Span<ColumnValue> values) => throw Unused();

        public override void Write(ref MessagePackWriter writer, object entity, SerializationContext context) => throw Unused();

        public override object Read(ref MessagePackReader reader, SerializationContext context) => throw Unused();

        private static InvalidOperationException Unused() => new("The catalog tests store no rows.");
    }
}
