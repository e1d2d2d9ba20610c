using Repos.Internal;
using Repos.Serialization;

namespace Repos.Tests.Storage;

// The Note model at schema version 4: version 3 (NoteV3) plus a BodyLength field that version 4 fills in.
public sealed record NoteV4
{
    public Guid Id { get; init; }

    public required string UserId { get; init; }

    public DateOnly Date { get; init; }

    public int Mood { get; init; }

    public string? Body { get; init; }

    public int BodyLength { get; init; }
}

internal sealed class NoteV4Definition : EntityDefinition<NoteV4, Guid>
{
    public static readonly TypeShape NoteShape = new(
        "Repos.Tests.Storage.Note",
        new FieldDefinition("Id", "System.Guid"),
        new FieldDefinition("UserId", "string") { IsRequired = true },
        new FieldDefinition("Date", "System.DateOnly"),
        new FieldDefinition("Mood", "int"),
        new FieldDefinition("Body", "string") { IsNullableReference = true },
        new FieldDefinition("BodyLength", "int"));

    public static readonly NoteV4Definition Instance = new();

    private NoteV4Definition()
        : base("Note", "Note", 4, "Id", ColumnKind.Blob, NoteShape, [], NoteDefinition.DefaultColumns, NoteDefinition.DefaultIndexes)
    {
    }

    public override Guid GetKey(NoteV4 entity) => entity.Id;

    public override ColumnValue GetKeyColumn(Guid key) => ColumnValue.From(key);

    public override void GetIndexColumns(NoteV4 entity, Span<ColumnValue> values)
    {
        values[0] = ColumnValue.From(entity.UserId);
        values[1] = ColumnValue.From(entity.Date);
        values[2] = ColumnValue.From((long)entity.Mood);
    }

    public override void Write(ref MessagePackWriter writer, NoteV4 entity, SerializationContext context)
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
        writer.Write(entity.Body);
        writer.Write(ids[5]);
        writer.Write(entity.BodyLength);
    }

    protected override void Migrate(int fromVersion, Repos.Migrations.StoredRow row)
    {
        if (fromVersion < 3)
        {
            NoteV3Definition.MigrateStep(fromVersion, row);
            return;
        }

        row.Set("BodyLength", row.GetOrDefault<string?>("Body", null)?.Length ?? 0);
    }

    public override NoteV4 Read(ref MessagePackReader reader, SerializationContext context)
    {
        FieldMap map = context.GetFieldMap(NoteShape);
        Guid id = default;
        string userId = string.Empty;
        DateOnly date = default;
        int mood = 0;
        string? body = null;
        int bodyLength = 0;
        for (int count = reader.ReadMapHeader(); count > 0; count--)
        {
            switch (map.OrdinalOf(reader.ReadInt64()))
            {
                case 0: id = ValueCodec.ReadGuid(ref reader); break;
                case 1: userId = ValueCodec.ReadRequiredString(ref reader); break;
                case 2: date = ValueCodec.ReadDateOnly(ref reader); break;
                case 3: mood = reader.ReadInt32(); break;
                case 4: body = reader.ReadString(); break;
                case 5: bodyLength = reader.ReadInt32(); break;
                default: reader.Skip(); break;
            }
        }

        return new NoteV4 { Id = id, UserId = userId, Date = date, Mood = mood, Body = body, BodyLength = bodyLength };
    }
}

public sealed class NoteV4Repository : Repository<NoteV4, Guid>
{
    internal NoteV4Repository(ReposDatabase database)
        : base(database, NoteV4Definition.Instance)
    {
    }

    /// <summary>Notes with the given mood, through the Mood index.</summary>
    public Repos.Querying.IndexQuery<NoteV4, Guid> QueryMood(int mood) => QueryIndex(1, [ColumnValue.From((long)mood)]);
}

public sealed class NotesDbV4 : ReposDatabase
{
    private NotesDbV4()
    {
    }

    public NoteV4Repository Notes { get; private set; } = null!;

    public static async ValueTask<NotesDbV4> OpenAsync(string path, ReposDatabaseOptions? options = null)
    {
        var database = new NotesDbV4();
        try
        {
            await database.OpenCoreAsync(path, options, [NoteV4Definition.Instance], CancellationToken.None);
        }
        catch
        {
            database.Dispose();
            throw;
        }

        database.Notes = new NoteV4Repository(database);
        return database;
    }
}
