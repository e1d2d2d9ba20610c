using Repos.Internal;
using Repos.Serialization;

namespace Repos.Tests.Sync;

// One synced entity, Card, as three versions of an app have it, all with the same entity and stored type name,
// so they share files and a server as the versions of a real app would. Written by hand as the generator
// writes them (the generator names a stored type by its C# name, which two versions in one assembly cannot share).
//  - version 1 (CardV1Definition): Id, Title, Points, Color;
//  - version 2 (CardV2Definition, [Entity(Version = 2)]): Title renamed Name, Points counted in tenths, Color gone;
//  - a newer app at version 1 (CardPlusDefinition): version 1 and two more properties, Estimate and Checklist, a
//    list of objects of a type (CheckItem) the older app has never heard of; and the newest app
//    (CardPlusDefinition.WithDue), whose CheckItem has one more property, Due.
public sealed record Card
{
    public Guid Id { get; init; }

    public string Title { get; init; } = "";

    public int Points { get; init; }

    public string? Color { get; init; }
}

public sealed record CardV2
{
    public Guid Id { get; init; }

    public string Name { get; init; } = "";

    public int Points { get; init; }
}

public sealed record CheckItem(string Text, bool Done)
{
    /// <summary>Only in the newest app (<see cref="CardPlusDefinition.WithDue"/>): a field of a nested type the newer app lacks.</summary>
    public string? Due { get; init; }
}

public sealed record CardPlus
{
    public Guid Id { get; init; }

    public string Title { get; init; } = "";

    public int Points { get; init; }

    public string? Color { get; init; }

    public int Estimate { get; init; }

    public List<CheckItem> Checklist { get; init; } = [];
}

internal abstract class CardDefinitionBase<TCard>(int version, TypeShape shape, TypeShape[] nested) :
    EntityDefinition<TCard, Guid>("Card", "Card", version, "Id", ColumnKind.Blob, shape, nested, [], [])
    where TCard : class
{
    public const string ShapeName = "Repos.Tests.Sync.Card";

    public override bool IsSynced => true;

    public override ColumnValue GetKeyColumn(Guid key) => ColumnValue.From(key);
}

internal sealed class CardV1Definition() : CardDefinitionBase<Card>(1, CardShape, [])
{
    public static readonly TypeShape CardShape = new(
        ShapeName,
        new FieldDefinition("Id", "System.Guid"),
        new FieldDefinition("Title", "string"),
        new FieldDefinition("Points", "int"),
        new FieldDefinition("Color", "string") { IsNullableReference = true });

    public static readonly CardV1Definition Instance = new();

    public override Guid GetKey(Card entity) => entity.Id;

    public override void Write(ref MessagePackWriter writer, Card entity, SerializationContext context)
    {
        int[] ids = context.GetFieldMap(Shape).Ids;
        writer.WriteMapHeader(4);
        writer.Write(ids[0]);
        ValueCodec.WriteGuid(ref writer, entity.Id);
        writer.Write(ids[1]);
        writer.Write(entity.Title);
        writer.Write(ids[2]);
        writer.Write(entity.Points);
        writer.Write(ids[3]);
        writer.Write(entity.Color);
    }

    public override Card Read(ref MessagePackReader reader, SerializationContext context)
    {
        FieldMap map = context.GetFieldMap(Shape);
        var card = new Card();
        for (int count = reader.ReadMapHeader(); count > 0; count--)
        {
            switch (map.OrdinalOf(reader.ReadInt64()))
            {
                case 0: card = card with { Id = ValueCodec.ReadGuid(ref reader) }; break;
                case 1: card = card with { Title = ValueCodec.ReadRequiredString(ref reader) }; break;
                case 2: card = card with { Points = reader.ReadInt32() }; break;
                case 3: card = card with { Color = reader.ReadString() }; break;
                default: reader.Skip(); break;
            }
        }

        return card;
    }
}

internal sealed class CardV2Definition() : CardDefinitionBase<CardV2>(2, CardShape, [])
{
    public static readonly TypeShape CardShape = new(
        ShapeName,
        new FieldDefinition("Id", "System.Guid"),
        new FieldDefinition("Name", "string"),
        new FieldDefinition("Points", "int"));

    public static readonly CardV2Definition Instance = new();

    public override Guid GetKey(CardV2 entity) => entity.Id;

    protected override void Migrate(int fromVersion, Repos.Migrations.StoredRow row)
    {
        // Version 2: Title is called Name, points are counted in tenths, colors are gone.
        if (row.Has("Title"))
        {
            if (row.Get<string>("Title") == "unmigratable")
            {
                throw new InvalidOperationException("a card titled 'unmigratable' cannot be migrated");
            }

            row.Rename("Title", "Name");
        }

        if (row.Has("Points"))
        {
            row.Set("Points", row.Get<int>("Points") * 10);
        }

        row.Remove("Color");
    }

    public override void Write(ref MessagePackWriter writer, CardV2 entity, SerializationContext context)
    {
        int[] ids = context.GetFieldMap(Shape).Ids;
        writer.WriteMapHeader(3);
        writer.Write(ids[0]);
        ValueCodec.WriteGuid(ref writer, entity.Id);
        writer.Write(ids[1]);
        writer.Write(entity.Name);
        writer.Write(ids[2]);
        writer.Write(entity.Points);
    }

    public override CardV2 Read(ref MessagePackReader reader, SerializationContext context)
    {
        FieldMap map = context.GetFieldMap(Shape);
        var card = new CardV2();
        for (int count = reader.ReadMapHeader(); count > 0; count--)
        {
            switch (map.OrdinalOf(reader.ReadInt64()))
            {
                case 0: card = card with { Id = ValueCodec.ReadGuid(ref reader) }; break;
                case 1: card = card with { Name = ValueCodec.ReadRequiredString(ref reader) }; break;
                case 2: card = card with { Points = reader.ReadInt32() }; break;
                default: reader.Skip(); break;
            }
        }

        return card;
    }
}

internal sealed class CardPlusDefinition : CardDefinitionBase<CardPlus>
{
    public static readonly TypeShape ItemShape = new(
        "Repos.Tests.Sync.CheckItem",
        new FieldDefinition("Text", "string"),
        new FieldDefinition("Done", "bool"));

    public static readonly TypeShape ItemShapeWithDue = new(
        "Repos.Tests.Sync.CheckItem",
        new FieldDefinition("Text", "string"),
        new FieldDefinition("Done", "bool"),
        new FieldDefinition("Due", "string") { IsNullableReference = true });

    public static readonly TypeShape CardShape = new(
        ShapeName,
        new FieldDefinition("Id", "System.Guid"),
        new FieldDefinition("Title", "string"),
        new FieldDefinition("Points", "int"),
        new FieldDefinition("Color", "string") { IsNullableReference = true },
        new FieldDefinition("Estimate", "int"),
        new FieldDefinition("Checklist", "System.Collections.Generic.List<Repos.Tests.Sync.CheckItem>"));

    public static readonly CardPlusDefinition Instance = new(ItemShape);

    public static readonly CardPlusDefinition WithDue = new(ItemShapeWithDue);

    private readonly TypeShape _item;

    private CardPlusDefinition(TypeShape item)
        : base(1, CardShape, [item])
    {
        _item = item;
    }

    public override Guid GetKey(CardPlus entity) => entity.Id;

    public override void Write(ref MessagePackWriter writer, CardPlus entity, SerializationContext context)
    {
        int[] ids = context.GetFieldMap(Shape).Ids;
        int[] item = context.GetFieldMap(_item).Ids;
        writer.WriteMapHeader(6);
        writer.Write(ids[0]);
        ValueCodec.WriteGuid(ref writer, entity.Id);
        writer.Write(ids[1]);
        writer.Write(entity.Title);
        writer.Write(ids[2]);
        writer.Write(entity.Points);
        writer.Write(ids[3]);
        writer.Write(entity.Color);
        writer.Write(ids[4]);
        writer.Write(entity.Estimate);
        writer.Write(ids[5]);
        writer.WriteArrayHeader(entity.Checklist.Count);
        foreach (CheckItem check in entity.Checklist)
        {
            writer.WriteMapHeader(item.Length);
            writer.Write(item[0]);
            writer.Write(check.Text);
            writer.Write(item[1]);
            writer.Write(check.Done);
            if (item.Length > 2)
            {
                writer.Write(item[2]);
                writer.Write(check.Due);
            }
        }
    }

    public override CardPlus Read(ref MessagePackReader reader, SerializationContext context)
    {
        FieldMap map = context.GetFieldMap(Shape);
        FieldMap itemMap = context.GetFieldMap(_item);
        var card = new CardPlus();
        for (int count = reader.ReadMapHeader(); count > 0; count--)
        {
            switch (map.OrdinalOf(reader.ReadInt64()))
            {
                case 0: card = card with { Id = ValueCodec.ReadGuid(ref reader) }; break;
                case 1: card = card with { Title = ValueCodec.ReadRequiredString(ref reader) }; break;
                case 2: card = card with { Points = reader.ReadInt32() }; break;
                case 3: card = card with { Color = reader.ReadString() }; break;
                case 4: card = card with { Estimate = reader.ReadInt32() }; break;
                case 5:
                    var items = new List<CheckItem>();
                    for (int n = reader.ReadArrayHeader(); n > 0; n--)
                    {
                        string text = string.Empty;
                        bool done = false;
                        string? due = null;
                        for (int fields = reader.ReadMapHeader(); fields > 0; fields--)
                        {
                            switch (itemMap.OrdinalOf(reader.ReadInt64()))
                            {
                                case 0: text = ValueCodec.ReadRequiredString(ref reader); break;
                                case 1: done = reader.ReadBoolean(); break;
                                case 2: due = reader.ReadString(); break;
                                default: reader.Skip(); break;
                            }
                        }

                        items.Add(new CheckItem(text, done) { Due = due });
                    }

                    card = card with { Checklist = items };
                    break;
                default: reader.Skip(); break;
            }
        }

        return card;
    }
}

public sealed class CardRepository<TCard> : Repository<TCard, Guid>
    where TCard : class
{
    internal CardRepository(ReposDatabase database, EntityDefinition<TCard, Guid> definition)
        : base(database, definition)
    {
    }
}

/// <summary>A database of cards as one version of the app has it (the definition says which).</summary>
public sealed class CardsDb<TCard> : ReposDatabase
    where TCard : class
{
    private CardsDb()
    {
    }

    public CardRepository<TCard> Cards { get; private set; } = null!;

    internal static async ValueTask<CardsDb<TCard>> OpenAsync(string path, EntityDefinition<TCard, Guid> definition, ReposDatabaseOptions? options = null)
    {
        var database = new CardsDb<TCard>();
        try
        {
            await database.OpenCoreAsync(path, options, [definition], CancellationToken.None);
        }
        catch
        {
            database.Dispose();
            throw;
        }

        database.Cards = new CardRepository<TCard>(database, definition);
        return database;
    }
}
