using System.Buffers;
using System.Text.Json;
using Repos.Internal;
using Repos.Recovery;
using Repos.Serialization;
using Repos.Storage;
using Repos.Storage.Sqlite;

namespace Repos.Transfer;

/// <summary>The rows of one entity of a bundle, imported through its repository.</summary>
internal sealed class BundleEntityImporter<TEntity, TKey> : BundleEntityImporter
    where TEntity : class
    where TKey : notnull
{
    private const int ClearBatch = 1000;

    private readonly Repository<TEntity, TKey> _repository;
    private readonly EntityDefinition<TEntity, TKey> _definition;
    private readonly SerializationContext _context;
    private readonly BundleImportOptions _options;
    private readonly JsonImporter<TEntity, TKey> _converter;
    private readonly ArrayBufferWriter<byte> _incoming = new(1024);
    private readonly ArrayBufferWriter<byte> _stored = new(1024);
    private readonly ArrayBufferWriter<byte> _storedAgain = new(1024);
    private readonly ArrayBufferWriter<byte> _upgrade = new(256);

    // Rows of an older version are converted on the thread that reads the bundle, apart from the buffers the writer uses.
    private readonly ArrayBufferWriter<byte> _olderPayload = new(1024);
    private readonly ArrayBufferWriter<byte> _olderUpgraded = new(1024);
    private readonly HashSet<TKey> _keys = [];
    private (long Id, CatalogType Type)? _newerBy;
    private (BundleEntity Entity, BundleCatalog Catalog)? _bundle;
    private OlderVersion? _older;

    public BundleEntityImporter(Repository<TEntity, TKey> repository, BundleImportOptions options)
        : base(repository.EntityName)
    {
        _repository = repository;
        _definition = repository.Definition;
        _context = repository.Owner.Context;
        _options = options;
        _converter = JsonImporter<TEntity, TKey>.Converter(repository, new JsonImportOptions
        {
            ExactValues = true,
            DuplicateKeys = DuplicateKeyHandling.Fail,
            MaxErrors = int.MaxValue,
            MaxDocumentBytes = options.MaxValueBytes,
            MaxStringBytes = options.MaxValueBytes,
        });
    }

    public override void Open(SqliteConnection connection)
    {
        // Built before any row, while nothing else uses the connection: a row may carry an older version of its own.
        if (_bundle is { } bundle)
        {
            _older ??= OlderVersion.Build(_definition, _context, connection, bundle.Entity, bundle.Catalog);
        }
    }

    public override void Prepare()
    {
        if (_options.Strategy == BundleImportStrategy.Merge && _newerBy is null)
        {
            string property = _options.NewerBy?.GetValueOrDefault(Name) ?? _definition.RowVersionProperty
                ?? throw new ArgumentException(
                    $"A merge needs to know which of two rows of {Name} is the newer: name a property in NewerBy[\"{Name}\"], or give {Name} a [RowVersion].",
                    nameof(_options));
            _newerBy = Field(property);
        }
    }

    public override int Version => _definition.Version;

    public override string? Fits(BundleEntity entity, BundleCatalog catalog)
    {
        if (entity.KeyKind != _definition.KeyKind || entity.KeyProperty != _definition.KeyProperty)
        {
            return $"the bundle keys {Name} by {entity.KeyProperty} ({entity.KeyKind}), the app by {_definition.KeyProperty} ({_definition.KeyKind})";
        }

        if (entity.Version > _definition.Version)
        {
            return $"the bundle holds {Name} at schema version {entity.Version}, written by a newer version of the app; this one is at version {_definition.Version}";
        }

        _bundle = (entity, catalog);
        if (entity.Version < _definition.Version)
        {
            // Rows of an older version are brought up to date by the migration steps; their fields are the bundle's.
            return null;
        }

        if (catalog.Types.TryGetValue(entity.Type, out List<CatalogField>? fields))
        {
            foreach (FieldDefinition field in _definition.Shape.Fields)
            {
                CatalogField? stored = fields.Find(f => f.Name == field.Name && !f.Retired);
                if (stored is not null && !Catalog.ReadsAs(stored.ClrType, field.TypeName))
                {
                    return $"the bundle's {Name}.{field.Name} is a {stored.ClrType}, which the app's {field.TypeName} cannot hold";
                }
            }
        }

        return null;
    }

    public override object? Convert(JsonElement row, int version, long index, string path, List<BundleImportProblem> problems, int maxProblems)
    {
        Rows++;
        TEntity? entity;
        if (version < _definition.Version)
        {
            entity = ConvertOlder(row, version, index, path, problems, maxProblems, out bool deleted);
            if (deleted)
            {
                Dropped++;
                return Skip;
            }
        }
        else
        {
            entity = Convert(row, index, path, problems, maxProblems);
        }

        if (entity is null)
        {
            Invalid++;
            return null;
        }

        TKey key = _definition.GetKey(entity);
        if (!_keys.Add(key))
        {
            Invalid++;
            AddProblem(problems, maxProblems, new BundleImportProblem(Name, index, KeyText.Of(key), $"{path}.{_definition.KeyProperty}",
                $"{Name} {KeyText.Of(key)} comes twice in the bundle"));
            return null;
        }

        return new Converted(entity, key);
    }

    public override bool Store(SqliteConnection connection, object converted, long index, string path, List<BundleImportProblem> problems, int maxProblems, bool write)
    {
        if (converted == Skip)
        {
            return true;
        }

        (TEntity entity, TKey key) = (Converted)converted;
        int? comparison = Compare(connection, entity, key);
        switch (comparison)
        {
            case null:
                New++;
                break;
            case 0:
                Identical++;
                break;
            default:
                Conflicting++;
                if (_options.Strategy == BundleImportStrategy.FailOnConflict)
                {
                    AddProblem(problems, maxProblems, new BundleImportProblem(Name, index, KeyText.Of(key), path,
                        $"{Name} {KeyText.Of(key)} is stored with other values (Strategy Merge, SkipExisting or Replace would take it)"));
                    return false;
                }

                break;
        }

        if (write)
        {
            Apply(connection, entity, key, comparison);
        }

        return true;
    }

    /// <summary>A row converted and validated, to be compared with the stored one and written.</summary>
    private sealed record Converted(TEntity Entity, TKey Key);

    public override void Clear(SqliteConnection connection)
    {
        var keys = new List<TKey>(ClearBatch);
        string sql = $"SELECT key FROM {SqlText.Quote(_definition.TableName)} LIMIT {ClearBatch}";
        do
        {
            keys.Clear();
            using (SqliteStatement select = connection.PrepareOnce(sql))
            {
                while (select.Step())
                {
                    keys.Add(Repository<TEntity, TKey>.ReadKey(select, 0));
                }
            }

            foreach (TKey key in keys)
            {
                _repository.Apply(connection, WriteKind.Delete, key, null);
            }
        }
        while (keys.Count == ClearBatch);
    }

    /// <summary>Writes a checked row as the strategy says, by how it compares with the stored one (null: none is stored).</summary>
    private void Apply(SqliteConnection connection, TEntity entity, TKey key, int? comparison)
    {
        switch (comparison, _options.Strategy)
        {
            case (null, _):
                _repository.Apply(connection, WriteKind.Insert, key, entity);
                Written++;
                break;
            case (> 0, BundleImportStrategy.Merge):
                _repository.Apply(connection, WriteKind.Upsert, key, entity);
                Written++;
                break;
        }
    }

    /// <summary>
    /// A row of an older version: converted by the bundle's catalog's fields of that version, read as a stored row of
    /// it, upgraded by the app's migration steps, and validated as the entity; null with problems, or when a step
    /// deleted the row (<paramref name="deleted"/>).
    /// </summary>
    private TEntity? ConvertOlder(
        JsonElement row, int version, long index, string path, List<BundleImportProblem> problems, int maxProblems, out bool deleted)
    {
        deleted = false;
        OlderVersion older = _older!;
        _olderPayload.ResetWrittenCount();
        var writer = new MessagePackWriter(_olderPayload);
        bool fits = older.Writer.Write(ref writer, row, null);
        writer.Flush();
        if (!fits)
        {
            foreach ((JsonImportErrorKind _, string problemPath, string message) in older.Writer.Problems)
            {
                AddProblem(problems, maxProblems, new BundleImportProblem(Name, index, null, path + problemPath[1..], message));
            }

            return null;
        }

        string key = row.TryGetProperty(_definition.KeyProperty, out JsonElement keyValue) ? keyValue.ToString() : string.Empty;
        TEntity entity;
        try
        {
            var stored = Migrations.StoredRow.Read(Name, key, version, _olderPayload.WrittenMemory.ToArray(), older.Stored);
            if (!_definition.UpgradeImported(stored, older.Current, _olderUpgraded))
            {
                deleted = true;
                return null;
            }

            var reader = new MessagePackReader(_olderUpgraded.WrittenSpan);
            entity = _definition.Read(ref reader, _context);
        }
        catch (Exception e) when (e is ReposMigrationException or ReposFormatException)
        {
            AddProblem(problems, maxProblems, new BundleImportProblem(Name, index, key, path, $"the row of version {version} does not upgrade to version {_definition.Version}: {e.Message}"));
            return null;
        }

        _converter.Errors.Clear();
        bool valid = _converter.ValidateEntity(entity, row, index);
        foreach (JsonImportError error in _converter.Errors)
        {
            AddProblem(problems, maxProblems, new BundleImportProblem(Name, index, key, path + error.Path[1..], error.Message));
        }

        return valid && _converter.Errors.Count == 0 ? entity : null;
    }

    private TEntity? Convert(JsonElement row, long index, string path, List<BundleImportProblem> problems, int maxProblems)
    {
        _converter.Errors.Clear();
        TEntity? entity = _converter.Convert(row, null, index);
        foreach (JsonImportError error in _converter.Errors)
        {
            AddProblem(problems, maxProblems, new BundleImportProblem(Name, index, null, path + error.Path[1..], error.Message));
        }

        return _converter.Errors.Count == 0 ? entity : null;
    }

    /// <summary>
    /// Null when no row of the key is stored; 0 when the stored row is equal (their payloads, both written by the
    /// app's serializer, are the same bytes); otherwise positive when the incoming row is the newer (by
    /// <see cref="BundleImportOptions.NewerBy"/> or the row version), negative when not (or when merging is not asked).
    /// </summary>
    private int? Compare(SqliteConnection connection, TEntity entity, TKey key)
    {
        ColumnValue column = _definition.GetKeyColumn(key);
        if (!_repository.ReadStoredPayload(connection, column, _stored, out bool exists, _upgrade))
        {
            // A damaged stored row conflicts with any incoming one.
            return exists ? -1 : null;
        }

        Encode(entity, _incoming);
        var reader = new MessagePackReader(_stored.WrittenSpan);
        TEntity stored = _definition.Read(ref reader, _context);
        Encode(stored, _storedAgain);
        if (_incoming.WrittenSpan.SequenceEqual(_storedAgain.WrittenSpan))
        {
            return 0;
        }

        if (_newerBy is not { } newer)
        {
            return -1;
        }

        int order = FieldOrder.Compare(_incoming.WrittenSpan, _storedAgain.WrittenSpan, newer.Id, newer.Type);
        return order > 0 ? 1 : -1;
    }

    private void Encode(TEntity entity, ArrayBufferWriter<byte> output)
    {
        output.ResetWrittenCount();
        var writer = new MessagePackWriter(output);
        _definition.Write(ref writer, entity, _context);
        writer.Flush();
    }

    private (long Id, CatalogType Type) Field(string property)
    {
        IReadOnlyList<FieldDefinition> fields = _definition.Shape.Fields;
        for (int i = 0; i < fields.Count; i++)
        {
            if (fields[i].Name == property)
            {
                CatalogType type = CatalogType.Parse(fields[i].TypeName);
                if (!FieldOrder.IsOrdered(type))
                {
                    throw new ArgumentException($"NewerBy[\"{Name}\"] names {property}, a {fields[i].TypeName}, which has no order to tell the newer row by.", nameof(_options));
                }

                return (_context.GetFieldMap(_definition.Shape).Ids[i], type);
            }
        }

        throw new ArgumentException($"NewerBy[\"{Name}\"] names {property}, which is not a property of {Name}.", nameof(_options));
    }

    /// <summary>What converting rows of the bundle's older version takes: a writer by its fields, and the field names of both versions.</summary>
    private sealed record OlderVersion(JsonEntityWriter Writer, MigrationContext Stored, MigrationContext Current)
    {
        public static OlderVersion Build(
            EntityDefinition<TEntity, TKey> definition, SerializationContext context, SqliteConnection connection, BundleEntity entity, BundleCatalog catalog)
        {
            List<CatalogField> fields = catalog.Types.GetValueOrDefault(entity.Type) ?? [];
            var known = new HashSet<string>(StringComparer.Ordinal);
            foreach (TypeShape nested in definition.NestedShapes)
            {
                known.Add(nested.Name);
            }

            foreach (EnumShape shape in definition.Enums)
            {
                known.Add(shape.Name);
            }

            // The fields of the older version whose types the app still describes (a type it no longer has cannot be
            // read). Retired fields count too: a row that carries its own older version (a lazily migrated one) may hold
            // fields its entity has retired since; of two fields of one name, the one in use is taken.
            var shapeFields = new List<FieldDefinition>();
            var ids = new List<int>();
            var names = new HashSet<string>(StringComparer.Ordinal);
            foreach (CatalogField field in fields.OrderBy(f => f.Retired))
            {
                if (field.ClrType != Catalog.WireEncodedType && Describes(CatalogType.Parse(field.ClrType), known) && names.Add(field.Name))
                {
                    shapeFields.Add(new FieldDefinition(field.Name, field.ClrType));
                    ids.Add((int)field.Id);
                }
            }

            var options = new JsonImportOptions { ExactValues = true, MaxErrors = int.MaxValue };
            var plan = new JsonImportPlan(definition, context, options, new TypeShape(entity.Type, [.. shapeFields]), [.. ids]);
            var namesById = fields.ToDictionary(f => f.Id, f => f.Name);
            var idsByName = new Dictionary<string, int>(StringComparer.Ordinal);
            for (int i = 0; i < shapeFields.Count; i++)
            {
                idsByName[shapeFields[i].Name] = ids[i];
            }

            return new OlderVersion(
                new JsonEntityWriter(plan, options),
                new MigrationContext(namesById, idsByName, null, null),
                Catalog.LoadMigrationContext(connection, definition, null, null));
        }

        private static bool Describes(CatalogType type, HashSet<string> known) =>
            (type.Kind != CatalogTypeKind.Named || known.Contains(type.Name!))
            && (type.Element is null || Describes(type.Element, known))
            && (type.Key is null || Describes(type.Key, known));
    }

    private static void AddProblem(List<BundleImportProblem> problems, int maxProblems, BundleImportProblem problem)
    {
        // The thread that converts rows and the one that stores them both list problems.
        lock (problems)
        {
            if (problems.Count < maxProblems)
            {
                problems.Add(problem);
            }
        }
    }
}
