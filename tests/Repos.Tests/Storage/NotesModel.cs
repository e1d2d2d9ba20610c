using Repos.Internal;
using Repos.Serialization;

namespace Repos.Tests.Storage;

// A model written by hand exactly as the generator writes it, to test the runtime on its own.
public sealed record Note
{
    public Guid Id { get; init; }

    public required string UserId { get; init; }

    public DateOnly Date { get; init; }

    public int Mood { get; init; }

    public string? Text { get; init; }

    public IReadOnlyList<Tag> Tags { get; init; } = [];
}

public sealed record Tag(string Name, int Weight);

internal static class TagSerializer
{
    public static readonly TypeShape Shape = new(
        "Repos.Tests.Storage.Tag",
        new FieldDefinition("Name", "string"),
        new FieldDefinition("Weight", "int"));

    public static void Write(ref MessagePackWriter writer, Tag value, SerializationContext context)
    {
        int[] ids = context.GetFieldMap(Shape).Ids;
        writer.WriteMapHeader(2);
        writer.Write(ids[0]);
        writer.Write(value.Name);
        writer.Write(ids[1]);
        writer.Write(value.Weight);
    }

    public static Tag Read(ref MessagePackReader reader, SerializationContext context)
    {
        FieldMap map = context.GetFieldMap(Shape);
        string name = string.Empty;
        int weight = 0;
        for (int count = reader.ReadMapHeader(); count > 0; count--)
        {
            switch (map.OrdinalOf(reader.ReadInt64()))
            {
                case 0: name = ValueCodec.ReadRequiredString(ref reader); break;
                case 1: weight = reader.ReadInt32(); break;
                default: reader.Skip(); break;
            }
        }

        return new Tag(name, weight);
    }
}

internal sealed class NoteDefinition : EntityDefinition<Note, Guid>
{
    public static readonly TypeShape NoteShape = new(
        "Repos.Tests.Storage.Note",
        new FieldDefinition("Id", "System.Guid"),
        new FieldDefinition("UserId", "string") { IsRequired = true },
        new FieldDefinition("Date", "System.DateOnly"),
        new FieldDefinition("Mood", "int"),
        new FieldDefinition("Text", "string") { IsNullableReference = true },
        new FieldDefinition("Tags", "System.Collections.Generic.IReadOnlyList<Repos.Tests.Storage.Tag>"));

    public static readonly IndexColumn[] DefaultColumns =
        [new IndexColumn("UserId", ColumnKind.Text), new IndexColumn("Date", ColumnKind.Integer), new IndexColumn("Mood", ColumnKind.Integer)];

    public static readonly IndexDefinition[] DefaultIndexes =
        [new IndexDefinition("UserId_Date", ["UserId", "Date"], Unique: true), new IndexDefinition("Mood", ["Mood"], Unique: false)];

    public static readonly NoteDefinition Instance = new(DefaultColumns, DefaultIndexes);

    /// <summary>A definition with other indexes, as a later (or earlier) version of the model would have.</summary>
    public NoteDefinition(IndexColumn[] columns, IndexDefinition[] indexes)
        : base("Note", "Note", 1, "Id", ColumnKind.Blob, NoteShape, [TagSerializer.Shape], columns, indexes)
    {
    }

    public override Guid GetKey(Note entity) => entity.Id;

    public override ColumnValue GetKeyColumn(Guid key) => ColumnValue.From(key);

    public override void GetIndexColumns(Note entity, Span<ColumnValue> values)
    {
        for (int i = 0; i < Columns.Count; i++)
        {
            values[i] = Columns[i].Name switch
            {
                "UserId" => ColumnValue.From(entity.UserId),
                "Date" => ColumnValue.From(entity.Date),
                "Mood" => ColumnValue.From((long)entity.Mood),
                "Text" => ColumnValue.From(entity.Text),
                _ => throw new InvalidOperationException($"No column {Columns[i].Name}."),
            };
        }
    }

    public override void Write(ref MessagePackWriter writer, Note entity, SerializationContext context)
    {
        int[] ids = context.GetFieldMap(Shape).Ids;
        writer.WriteMapHeader(6);
        writer.Write(ids[0]);
        ValueCodec.WriteGuid(ref writer, entity.Id);
        writer.Write(ids[1]);
        writer.Write(entity.UserId);
        writer.Write(ids[2]);
        ValueCodec.WriteDateOnly(ref writer, entity.Date);
        writer.Write(ids[3]);
        writer.Write(entity.Mood);
        writer.Write(ids[4]);
        writer.Write(entity.Text);
        writer.Write(ids[5]);
        writer.WriteArrayHeader(entity.Tags.Count);
        foreach (Tag tag in entity.Tags)
        {
            TagSerializer.Write(ref writer, tag, context);
        }
    }

    public override Note Read(ref MessagePackReader reader, SerializationContext context)
    {
        FieldMap map = context.GetFieldMap(Shape);
        Guid id = default;
        string userId = string.Empty;
        DateOnly date = default;
        int mood = 0;
        string? text = null;
        Tag[] tags = [];
        for (int count = reader.ReadMapHeader(); count > 0; count--)
        {
            switch (map.OrdinalOf(reader.ReadInt64()))
            {
                case 0: id = ValueCodec.ReadGuid(ref reader); break;
                case 1: userId = ValueCodec.ReadRequiredString(ref reader); break;
                case 2: date = ValueCodec.ReadDateOnly(ref reader); break;
                case 3: mood = reader.ReadInt32(); break;
                case 4: text = reader.ReadString(); break;
                case 5:
                    tags = new Tag[reader.ReadArrayHeader()];
                    for (int i = 0; i < tags.Length; i++)
                    {
                        tags[i] = TagSerializer.Read(ref reader, context);
                    }

                    break;
                default: reader.Skip(); break;
            }
        }

        return new Note { Id = id, UserId = userId, Date = date, Mood = mood, Text = text, Tags = tags };
    }

    public override void Validate(Note entity, ValidationErrors errors)
    {
        if (entity.Mood is < 1 or > 10)
        {
            errors.Add("Mood", "Range", "must be between 1 and 10", entity.Mood);
        }

        if (entity.Text is { Length: > 200 })
        {
            errors.Add("Text", "MaxLength", "must be at most 200 characters", entity.Text);
        }
    }
}

public sealed class NoteRepository : Repository<Note, Guid>
{
    internal NoteRepository(ReposDatabase database, NoteDefinition definition)
        : base(database, definition)
    {
    }

    /// <summary>A query on the index named <paramref name="name"/>, as generated <c>By...</c> methods make them.</summary>
    public Repos.Querying.IndexQuery<Note, Guid, TRange> ByIndex<TRange>(string name, Func<TRange, ColumnValue> encode)
    {
        int index = Definition.Indexes.Select(i => i.Name).ToList().IndexOf(name);
        return QueryIndex(index, [], encode);
    }
}

public sealed class NotesDb : ReposDatabase
{
    private NotesDb()
    {
    }

    public NoteRepository Notes { get; private set; } = null!;

    /// <summary>The model, as the generator gives every database class one.</summary>
    public static ReposModel Model { get; } = new([NoteDefinition.Instance], 1);

    internal static async ValueTask<NotesDb> OpenAsync(string path, ReposDatabaseOptions? options = null, CancellationToken cancellationToken = default, NoteDefinition? definition = null)
    {
        definition ??= NoteDefinition.Instance;
        var database = new NotesDb();
        try
        {
            await database.OpenCoreAsync(path, options, [definition], cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            database.Dispose();
            throw;
        }

        database.Notes = new NoteRepository(database, definition);
        return database;
    }
}
