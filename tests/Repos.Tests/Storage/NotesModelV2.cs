using Repos.Internal;
using Repos.Serialization;

namespace Repos.Tests.Storage;

// The Note model as a newer version of the app has it: one more property, Color. Same entity, same stored
// type name, so the two models share a file as an old and a new app would.
public sealed record NoteV2
{
    public Guid Id { get; init; }

    public required string UserId { get; init; }

    public DateOnly Date { get; init; }

    public int Mood { get; init; }

    public string? Text { get; init; }

    public string? Color { get; init; }
}

internal sealed class NoteV2Definition : EntityDefinition<NoteV2, Guid>
{
    public static readonly TypeShape NoteShape = new(
        "Repos.Tests.Storage.Note",
        new FieldDefinition("Id", "System.Guid"),
        new FieldDefinition("UserId", "string") { IsRequired = true },
        new FieldDefinition("Date", "System.DateOnly"),
        new FieldDefinition("Mood", "int"),
        new FieldDefinition("Text", "string") { IsNullableReference = true },
        new FieldDefinition("Color", "string") { IsNullableReference = true });

    public static readonly NoteV2Definition Instance = new();

    private NoteV2Definition()
        : base("Note", "Note", 1, "Id", ColumnKind.Blob, NoteShape, [], NoteDefinition.DefaultColumns, NoteDefinition.DefaultIndexes)
    {
    }

    public override Guid GetKey(NoteV2 entity) => entity.Id;

    public override ColumnValue GetKeyColumn(Guid key) => ColumnValue.From(key);

    public override void GetIndexColumns(NoteV2 entity, Span<ColumnValue> values)
    {
        values[0] = ColumnValue.From(entity.UserId);
        values[1] = ColumnValue.From(entity.Date);
        values[2] = ColumnValue.From((long)entity.Mood);
    }

    public override void Write(ref MessagePackWriter writer, NoteV2 entity, SerializationContext context)
    {
        int[] ids = context.GetFieldMap(NoteShape).Ids;
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
        writer.Write(entity.Color);
    }

    public override NoteV2 Read(ref MessagePackReader reader, SerializationContext context)
    {
        FieldMap map = context.GetFieldMap(NoteShape);
        Guid id = default;
        string userId = string.Empty;
        DateOnly date = default;
        int mood = 0;
        string? text = null;
        string? color = null;
        for (int count = reader.ReadMapHeader(); count > 0; count--)
        {
            switch (map.OrdinalOf(reader.ReadInt64()))
            {
                case 0: id = ValueCodec.ReadGuid(ref reader); break;
                case 1: userId = ValueCodec.ReadRequiredString(ref reader); break;
                case 2: date = ValueCodec.ReadDateOnly(ref reader); break;
                case 3: mood = reader.ReadInt32(); break;
                case 4: text = reader.ReadString(); break;
                case 5: color = reader.ReadString(); break;
                default: reader.Skip(); break;
            }
        }

        return new NoteV2 { Id = id, UserId = userId, Date = date, Mood = mood, Text = text, Color = color };
    }
}

public sealed class NoteV2Repository : Repository<NoteV2, Guid>
{
    internal NoteV2Repository(ReposDatabase database)
        : base(database, NoteV2Definition.Instance)
    {
    }
}

public sealed class NotesDbV2 : ReposDatabase
{
    private NotesDbV2()
    {
    }

    public NoteV2Repository Notes { get; private set; } = null!;

    public static async ValueTask<NotesDbV2> OpenAsync(string path)
    {
        var database = new NotesDbV2();
        await database.OpenCoreAsync(path, null, [NoteV2Definition.Instance], CancellationToken.None);
        database.Notes = new NoteV2Repository(database);
        return database;
    }
}
