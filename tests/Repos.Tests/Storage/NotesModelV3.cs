using Repos.Internal;
using Repos.Serialization;

namespace Repos.Tests.Storage;

// The Note model at schema version 3: Text was renamed Body (version 2), Mood moved to a 1-100 scale
// (version 3), and notes whose body says "delete me" are dropped. Same entity and stored type name as Note.
public sealed record NoteV3
{
    public Guid Id { get; init; }

    public required string UserId { get; init; }

    public DateOnly Date { get; init; }

    public int Mood { get; init; }

    public string? Body { get; init; }
}

internal sealed class NoteV3Definition : EntityDefinition<NoteV3, Guid>
{
    public static readonly TypeShape NoteShape = new(
        "Repos.Tests.Storage.Note",
        new FieldDefinition("Id", "System.Guid"),
        new FieldDefinition("UserId", "string") { IsRequired = true },
        new FieldDefinition("Date", "System.DateOnly"),
        new FieldDefinition("Mood", "int"),
        new FieldDefinition("Body", "string") { IsNullableReference = true });

    public static readonly NoteV3Definition Instance = new();

    private NoteV3Definition()
        : base("Note", "Note", 3, "Id", ColumnKind.Blob, NoteShape, [], NoteDefinition.DefaultColumns, NoteDefinition.DefaultIndexes)
    {
    }

    public override Guid GetKey(NoteV3 entity) => entity.Id;

    public override ColumnValue GetKeyColumn(Guid key) => ColumnValue.From(key);

    public override void GetIndexColumns(NoteV3 entity, Span<ColumnValue> values)
    {
        values[0] = ColumnValue.From(entity.UserId);
        values[1] = ColumnValue.From(entity.Date);
        values[2] = ColumnValue.From((long)entity.Mood);
    }

    public override void Write(ref MessagePackWriter writer, NoteV3 entity, SerializationContext context) =>
        WriteNote(ref writer, entity, context.GetFieldMap(NoteShape));

    /// <summary>Writes a note with the ids of <paramref name="map"/> (any shape of its five fields, in this order).</summary>
    public static void WriteNote(ref MessagePackWriter writer, NoteV3 entity, FieldMap map)
    {
        int[] ids = map.Ids;
        writer.WriteMapHeader(5);
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
    }

    /// <summary>The key the split-off copy of a note gets.</summary>
    public static Guid SplitKey(Guid id)
    {
        Span<byte> bytes = stackalloc byte[16];
        id.TryWriteBytes(bytes);
        bytes[0] ^= 0xFF;
        return new Guid(bytes);
    }

    /// <summary>When set, rows are upgraded when read instead of at open.</summary>
    public static bool Lazy { get; set; }

    protected override bool MigratesLazily => Lazy;

    /// <summary>When set, the migration from version 2 throws on the note with this body.</summary>
    public static string? FailOn { get; set; }

    protected override void Migrate(int fromVersion, Repos.Migrations.StoredRow row) => MigrateStep(fromVersion, row);

    /// <summary>The steps to version 3, shared with the version 4 model (which adds one more).</summary>
    public static void MigrateStep(int fromVersion, Repos.Migrations.StoredRow row)
    {
        switch (fromVersion)
        {
            case 1:
                row.Rename("Text", "Body");
                row.Remove("Tags");
                break;
            case 2:
                if (row.GetOrDefault<string?>("Body", null) == "delete me")
                {
                    row.Delete();
                    break;
                }

                if (FailOn is not null && row.GetOrDefault<string?>("Body", null) == FailOn)
                {
                    throw new InvalidOperationException("the test asked this row to fail");
                }

                row.Set("Mood", row.Get<int>("Mood") * 10);
                if (row.GetOrDefault<string?>("Body", null) == "split me")
                {
                    // One note becomes two: the copy gets its own key and body.
                    Repos.Migrations.StoredRow copy = row.Split();
                    copy.Set("Id", SplitKey(row.Get<Guid>("Id")));
                    copy.Set("Body", "the split-off half");
                    copy.Set("Date", row.Get<DateOnly>("Date").AddDays(10_000));
                }

                break;
        }
    }

    public override NoteV3 Read(ref MessagePackReader reader, SerializationContext context) =>
        ReadNote(ref reader, context.GetFieldMap(NoteShape));

    /// <summary>Reads a note with the ids of <paramref name="map"/>.</summary>
    public static NoteV3 ReadNote(ref MessagePackReader reader, FieldMap map)
    {
        Guid id = default;
        string userId = string.Empty;
        DateOnly date = default;
        int mood = 0;
        string? body = null;
        for (int count = reader.ReadMapHeader(); count > 0; count--)
        {
            switch (map.OrdinalOf(reader.ReadInt64()))
            {
                case 0: id = ValueCodec.ReadGuid(ref reader); break;
                case 1: userId = ValueCodec.ReadRequiredString(ref reader); break;
                case 2: date = ValueCodec.ReadDateOnly(ref reader); break;
                case 3: mood = reader.ReadInt32(); break;
                case 4: body = reader.ReadString(); break;
                default: reader.Skip(); break;
            }
        }

        return new NoteV3 { Id = id, UserId = userId, Date = date, Mood = mood, Body = body };
    }
}

public sealed class NoteV3Repository : Repository<NoteV3, Guid>
{
    internal NoteV3Repository(ReposDatabase database)
        : base(database, NoteV3Definition.Instance)
    {
    }

    /// <summary>Notes with the given mood, through the Mood index.</summary>
    public Repos.Querying.IndexQuery<NoteV3, Guid> QueryMood(int mood) => QueryIndex(1, [ColumnValue.From((long)mood)]);
}

public sealed class NotesDbV3 : ReposDatabase
{
    private NotesDbV3()
    {
    }

    public NoteV3Repository Notes { get; private set; } = null!;

    public static async ValueTask<NotesDbV3> OpenAsync(string path, ReposDatabaseOptions? options = null)
    {
        var database = new NotesDbV3();
        try
        {
            await database.OpenCoreAsync(path, options, [NoteV3Definition.Instance], CancellationToken.None);
        }
        catch
        {
            database.Dispose();
            throw;
        }

        database.Notes = new NoteV3Repository(database);
        return database;
    }
}
