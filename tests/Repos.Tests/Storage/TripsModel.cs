using Repos.Internal;
using Repos.Migrations;
using Repos.Serialization;

namespace Repos.Tests.Storage;

// A trip with objects nested every way Repos stores them: one object (Vehicle) holding another (Engine), a
// list of objects (Stops) and a dictionary of them (StopsByName). The records have every property any version
// of the app has; a TripsModel is one version of the app, written by hand as the generator writes it, and
// stores only the properties that version knows (TripExtras). All versions share the stored type names, so
// they share a file as an older and a newer app would.
public sealed record Trip
{
    public Guid Id { get; init; }

    public string Name { get; init; } = "";

    public Vehicle? Vehicle { get; init; }

    public List<Stop> Stops { get; init; } = [];

    public Dictionary<string, Stop> StopsByName { get; init; } = [];

    public string? Rating { get; init; }
}

public sealed record Vehicle
{
    public string Make { get; init; } = "";

    public Engine? Engine { get; init; }

    public string? Color { get; init; }
}

public sealed record Engine
{
    public int Power { get; init; }

    public string? Fuel { get; init; }
}

public sealed record Stop
{
    public string Place { get; init; } = "";

    public int Minutes { get; init; }

    public string? Note { get; init; }
}

/// <summary>The properties a newer version of the app added; an older one knows none of them.</summary>
[Flags]
public enum TripExtras
{
    None = 0,
    Rating = 1,
    VehicleColor = 2,
    EngineFuel = 4,
    StopNote = 8,
    All = Rating | VehicleColor | EngineFuel | StopNote,
}

/// <summary>One version of the app's model: the properties it knows, its schema version and its migration.</summary>
internal sealed class TripsModel
{
    public TripsModel(TripExtras extras, int version = 1, bool lazy = false, string stopsName = "Stops", Action<int, StoredRow>? migrate = null)
    {
        Extras = extras;
        Version = version;
        Lazy = lazy;
        Migrate = migrate;
        TripShape = new TypeShape(
            "Repos.Tests.Storage.Trip",
            [
                new FieldDefinition("Id", "System.Guid"),
                new FieldDefinition("Name", "string"),
                new FieldDefinition("Vehicle", "Repos.Tests.Storage.Vehicle"),
                new FieldDefinition(stopsName, "System.Collections.Generic.List<Repos.Tests.Storage.Stop>"),
                new FieldDefinition("StopsByName", "System.Collections.Generic.Dictionary<string, Repos.Tests.Storage.Stop>"),
                .. Knows(TripExtras.Rating) ? [new FieldDefinition("Rating", "string")] : Array.Empty<FieldDefinition>(),
            ]);
        VehicleShape = new TypeShape(
            "Repos.Tests.Storage.Vehicle",
            [
                new FieldDefinition("Make", "string"),
                new FieldDefinition("Engine", "Repos.Tests.Storage.Engine"),
                .. Knows(TripExtras.VehicleColor) ? [new FieldDefinition("Color", "string")] : Array.Empty<FieldDefinition>(),
            ]);
        EngineShape = new TypeShape(
            "Repos.Tests.Storage.Engine",
            [
                new FieldDefinition("Power", "int"),
                .. Knows(TripExtras.EngineFuel) ? [new FieldDefinition("Fuel", "string")] : Array.Empty<FieldDefinition>(),
            ]);
        StopShape = new TypeShape(
            "Repos.Tests.Storage.Stop",
            [
                new FieldDefinition("Place", "string"),
                new FieldDefinition("Minutes", "int"),
                .. Knows(TripExtras.StopNote) ? [new FieldDefinition("Note", "string")] : Array.Empty<FieldDefinition>(),
            ]);
    }

    /// <summary>The newest app: every property, schema version 1.</summary>
    public static TripsModel Newer { get; } = new(TripExtras.All);

    /// <summary>The oldest app: none of the added properties, schema version 1.</summary>
    public static TripsModel Older { get; } = new(TripExtras.None);

    public TripExtras Extras { get; }

    public int Version { get; }

    public bool Lazy { get; }

    public Action<int, StoredRow>? Migrate { get; }

    public TypeShape TripShape { get; }

    public TypeShape VehicleShape { get; }

    public TypeShape EngineShape { get; }

    public TypeShape StopShape { get; }

    public bool Knows(TripExtras extra) => (Extras & extra) == extra;

    public void WriteTrip(ref MessagePackWriter writer, Trip value, SerializationContext context)
    {
        int[] ids = context.GetFieldMap(TripShape).Ids;
        writer.WriteMapHeader(TripShape.Fields.Count);
        writer.Write(ids[0]);
        ValueCodec.WriteGuid(ref writer, value.Id);
        writer.Write(ids[1]);
        writer.Write(value.Name);
        writer.Write(ids[2]);
        if (value.Vehicle is { } vehicle)
        {
            WriteVehicle(ref writer, vehicle, context);
        }
        else
        {
            writer.WriteNil();
        }

        writer.Write(ids[3]);
        writer.WriteArrayHeader(value.Stops.Count);
        for (int i = 0; i < value.Stops.Count; i++)
        {
            WriteStop(ref writer, value.Stops[i], context);
        }

        writer.Write(ids[4]);
        writer.WriteMapHeader(value.StopsByName.Count);
        foreach (KeyValuePair<string, Stop> entry in value.StopsByName)
        {
            writer.Write(entry.Key);
            WriteStop(ref writer, entry.Value, context);
        }

        if (Knows(TripExtras.Rating))
        {
            writer.Write(ids[5]);
            writer.Write(value.Rating);
        }
    }

    public Trip ReadTrip(ref MessagePackReader reader, SerializationContext context)
    {
        FieldMap map = context.GetFieldMap(TripShape);
        var trip = new Trip();
        for (int count = reader.ReadMapHeader(); count > 0; count--)
        {
            switch (map.OrdinalOf(reader.ReadInt64()))
            {
                case 0: trip = trip with { Id = ValueCodec.ReadGuid(ref reader) }; break;
                case 1: trip = trip with { Name = ValueCodec.ReadRequiredString(ref reader) }; break;
                case 2: trip = trip with { Vehicle = reader.TryReadNil() ? null : ReadVehicle(ref reader, context) }; break;
                case 3:
                    var stops = new List<Stop>();
                    for (int i = reader.ReadArrayHeader(); i > 0; i--)
                    {
                        stops.Add(ReadStop(ref reader, context));
                    }

                    trip = trip with { Stops = stops };
                    break;
                case 4:
                    var byName = new Dictionary<string, Stop>();
                    for (int i = reader.ReadMapHeader(); i > 0; i--)
                    {
                        string key = ValueCodec.ReadRequiredString(ref reader);
                        byName[key] = ReadStop(ref reader, context);
                    }

                    trip = trip with { StopsByName = byName };
                    break;
                case 5: trip = trip with { Rating = reader.ReadString() }; break;
                default: reader.Skip(); break;
            }
        }

        return trip;
    }

    private void WriteVehicle(ref MessagePackWriter writer, Vehicle value, SerializationContext context)
    {
        int[] ids = context.GetFieldMap(VehicleShape).Ids;
        writer.WriteMapHeader(VehicleShape.Fields.Count);
        writer.Write(ids[0]);
        writer.Write(value.Make);
        writer.Write(ids[1]);
        if (value.Engine is { } engine)
        {
            WriteEngine(ref writer, engine, context);
        }
        else
        {
            writer.WriteNil();
        }

        if (Knows(TripExtras.VehicleColor))
        {
            writer.Write(ids[2]);
            writer.Write(value.Color);
        }
    }

    private Vehicle ReadVehicle(ref MessagePackReader reader, SerializationContext context)
    {
        FieldMap map = context.GetFieldMap(VehicleShape);
        var vehicle = new Vehicle();
        for (int count = reader.ReadMapHeader(); count > 0; count--)
        {
            switch (map.OrdinalOf(reader.ReadInt64()))
            {
                case 0: vehicle = vehicle with { Make = ValueCodec.ReadRequiredString(ref reader) }; break;
                case 1: vehicle = vehicle with { Engine = reader.TryReadNil() ? null : ReadEngine(ref reader, context) }; break;
                case 2: vehicle = vehicle with { Color = reader.ReadString() }; break;
                default: reader.Skip(); break;
            }
        }

        return vehicle;
    }

    private void WriteEngine(ref MessagePackWriter writer, Engine value, SerializationContext context)
    {
        int[] ids = context.GetFieldMap(EngineShape).Ids;
        writer.WriteMapHeader(EngineShape.Fields.Count);
        writer.Write(ids[0]);
        writer.Write(value.Power);
        if (Knows(TripExtras.EngineFuel))
        {
            writer.Write(ids[1]);
            writer.Write(value.Fuel);
        }
    }

    private Engine ReadEngine(ref MessagePackReader reader, SerializationContext context)
    {
        FieldMap map = context.GetFieldMap(EngineShape);
        var engine = new Engine();
        for (int count = reader.ReadMapHeader(); count > 0; count--)
        {
            switch (map.OrdinalOf(reader.ReadInt64()))
            {
                case 0: engine = engine with { Power = reader.ReadInt32() }; break;
                case 1: engine = engine with { Fuel = reader.ReadString() }; break;
                default: reader.Skip(); break;
            }
        }

        return engine;
    }

    private void WriteStop(ref MessagePackWriter writer, Stop value, SerializationContext context)
    {
        int[] ids = context.GetFieldMap(StopShape).Ids;
        writer.WriteMapHeader(StopShape.Fields.Count);
        writer.Write(ids[0]);
        writer.Write(value.Place);
        writer.Write(ids[1]);
        writer.Write(value.Minutes);
        if (Knows(TripExtras.StopNote))
        {
            writer.Write(ids[2]);
            writer.Write(value.Note);
        }
    }

    private Stop ReadStop(ref MessagePackReader reader, SerializationContext context)
    {
        FieldMap map = context.GetFieldMap(StopShape);
        var stop = new Stop();
        for (int count = reader.ReadMapHeader(); count > 0; count--)
        {
            switch (map.OrdinalOf(reader.ReadInt64()))
            {
                case 0: stop = stop with { Place = ValueCodec.ReadRequiredString(ref reader) }; break;
                case 1: stop = stop with { Minutes = reader.ReadInt32() }; break;
                case 2: stop = stop with { Note = reader.ReadString() }; break;
                default: reader.Skip(); break;
            }
        }

        return stop;
    }
}

internal sealed class TripDefinition : EntityDefinition<Trip, Guid>
{
    private readonly TripsModel _model;

    public TripDefinition(TripsModel model)
        : base("Trip", "Trip", model.Version, "Id", ColumnKind.Blob, model.TripShape, [model.VehicleShape, model.EngineShape, model.StopShape], [], [])
    {
        _model = model;
    }

    protected override bool MigratesLazily => _model.Lazy;

    public override Guid GetKey(Trip entity) => entity.Id;

    public override ColumnValue GetKeyColumn(Guid key) => ColumnValue.From(key);

    public override void GetIndexColumns(Trip entity, Span<ColumnValue> values)
    {
    }

    public override void Write(ref MessagePackWriter writer, Trip entity, SerializationContext context) => _model.WriteTrip(ref writer, entity, context);

    public override Trip Read(ref MessagePackReader reader, SerializationContext context) => _model.ReadTrip(ref reader, context);

    protected override void Migrate(int fromVersion, StoredRow row)
    {
        if (_model.Migrate is null)
        {
            base.Migrate(fromVersion, row);
            return;
        }

        _model.Migrate(fromVersion, row);
    }
}

public sealed class TripRepository : Repository<Trip, Guid>
{
    internal TripRepository(ReposDatabase database, TripDefinition definition)
        : base(database, definition)
    {
    }
}

public sealed class TripsDb : ReposDatabase
{
    private TripsDb()
    {
    }

    public TripRepository Trips { get; private set; } = null!;

    internal static async ValueTask<TripsDb> OpenAsync(string path, TripsModel model, ReposDatabaseOptions? options = null)
    {
        var definition = new TripDefinition(model);
        var database = new TripsDb();
        try
        {
            await database.OpenCoreAsync(path, options, [definition], CancellationToken.None);
        }
        catch
        {
            database.Dispose();
            throw;
        }

        database.Trips = new TripRepository(database, definition);
        return database;
    }
}
