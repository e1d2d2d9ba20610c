using System.Buffers;
using System.Text.Json;
using Repos.Internal;
using Repos.Recovery;
using Repos.Serialization;
using Repos.Storage;
using Repos.Storage.Sqlite;

namespace Repos.Transfer;

/// <summary>
/// The rows of one entity of a bundle, imported by the file's catalog alone, without the app's types
/// (<see cref="ReposFile.ImportBundleAsync"/>, docs/transfer.md, <i>Import without the app</i>): each row is converted
/// by the catalog's fields and enums, its key and index columns read from what it converted to, and it is written as the
/// app's write path would write it. The app's validation rules and migration steps are not here: rows must be at the
/// file's version of their entity, and are checked for their types only.
/// </summary>
internal sealed class CatalogEntityImporter : BundleEntityImporter
{
    private readonly BundleEntity _entity;
    private readonly Dictionary<string, List<CatalogField>> _fileTypes;
    private readonly BundleImportOptions _options;
    private readonly ReposDatabase _database;
    private readonly JsonEntityWriter _writer;

    // The thread that writes reads stored rows by a writer of its own: the other converts the bundle's rows meanwhile.
    private readonly JsonEntityWriter _storedWriter;
    private readonly PayloadJsonWriter _storedJson;
    private readonly CompressionDictionary? _dictionary;
    private readonly RowColumn _key;
    private readonly RowColumn[] _columns;
    private readonly string _insert;
    private readonly string _upsert;
    private readonly string _select;
    private readonly string? _refusal;
    private readonly HashSet<ColumnValue> _keys = [];
    private readonly ArrayBufferWriter<byte> _incoming = new(1024);
    private readonly ArrayBufferWriter<byte> _stored = new(1024);
    private readonly ArrayBufferWriter<byte> _storedJsonBuffer = new(1024);
    private readonly ArrayBufferWriter<byte> _blob = new(1024);
    private (long Id, CatalogType Type)? _newerBy;
    private string? _misfit;

    /// <param name="database">The file, opened without entities.</param>
    /// <param name="entity">The entity as the file's catalog lists it.</param>
    /// <param name="catalog">The file's catalog.</param>
    /// <param name="types">The file's stored types, to read its rows by.</param>
    /// <param name="synced">Whether the entity's table keeps sync state: its rows are imported only with the app, which records them for sync.</param>
    /// <param name="options">The import's options.</param>
    public CatalogEntityImporter(
        ReposDatabase database, BundleEntity entity, BundleCatalog catalog, CatalogTypes types, bool synced, BundleImportOptions options)
        : base(entity.Name)
    {
        _database = database;
        _entity = entity;
        _fileTypes = catalog.Types;
        _options = options;
        var jsonOptions = new JsonImportOptions
        {
            ExactValues = true,
            MaxErrors = int.MaxValue,
            MaxDocumentBytes = options.MaxValueBytes,
            MaxStringBytes = options.MaxValueBytes,
        };
        var plan = JsonImportPlan.ForCatalog(entity, catalog, jsonOptions);
        _writer = new JsonEntityWriter(plan, jsonOptions);
        _storedWriter = new JsonEntityWriter(plan, jsonOptions);
        _storedJson = new PayloadJsonWriter(types);
        _dictionary = database.Context.EntityDictionaries.GetValueOrDefault(entity.Name);
        Fields = catalog.Types.GetValueOrDefault(entity.Type)?.Where(f => !f.Retired && f.ClrType != Catalog.WireEncodedType).ToList() ?? [];

        _refusal = synced
            ? $"{entity.Name} is synced: import it with the app, which records its rows for sync"
            : null;
        _key = RowColumn.Of(this, entity.KeyProperty, null, ref _refusal);
        var columns = new List<RowColumn>();
        foreach (BundleIndex index in entity.Indexes)
        {
            foreach (string column in index.Columns.Split(','))
            {
                (string name, string? encoding) = column.IndexOf(':') is var colon and >= 0 ? (column[..colon], column[(colon + 1)..]) : (column, null);
                if (!columns.Exists(c => c.Name == name))
                {
                    columns.Add(RowColumn.Of(this, name, encoding, ref _refusal));
                }
            }
        }

        _columns = [.. columns];
        string table = SqlText.Quote(entity.Table);
        string names = string.Concat(_columns.Select(c => ", " + SqlText.Quote(c.Name)));
        string values = string.Concat(_columns.Select((_, i) => ", ?" + (i + 2)));
        string updates = string.Concat(_columns.Select(c => $"{SqlText.Quote(c.Name)}=excluded.{SqlText.Quote(c.Name)}, "));
        int schema = _columns.Length + 2;
        _insert = $"INSERT INTO {table}(key{names}, _schema, _blob) VALUES(?1{values}, ?{schema}, ?{schema + 1})";
        _upsert = $"{_insert} ON CONFLICT(key) DO UPDATE SET {updates}_schema=excluded._schema, _blob=excluded._blob";
        _select = $"SELECT _schema, _blob FROM {table} WHERE key=?1";
    }

    /// <summary>The entity's fields in use, as the file's catalog lists them.</summary>
    private List<CatalogField> Fields { get; }

    public override int Version => _entity.Version;

    public override void Prepare()
    {
        // Checked only for an entity the bundle holds: one its catalog merely lists does not stop the import.
        if (_misfit is not null)
        {
            throw new BundleFormatException($"$.catalog.entities.{Name}", _misfit);
        }

        if (_options.Strategy == BundleImportStrategy.Merge && _newerBy is null)
        {
            string property = _options.NewerBy?.GetValueOrDefault(Name)
                ?? throw new ArgumentException(
                    $"A merge needs to know which of two rows of {Name} is the newer: name a property in NewerBy[\"{Name}\"] (repos import --newer-by {Name}=Property).",
                    nameof(_options));
            CatalogField field = Fields.Find(f => f.Name == property)
                ?? throw new ArgumentException($"NewerBy[\"{Name}\"] names {property}, which is not a property of {Name}.", nameof(_options));
            CatalogType type = CatalogType.Parse(field.ClrType);
            if (!FieldOrder.IsOrdered(type))
            {
                throw new ArgumentException($"NewerBy[\"{Name}\"] names {property}, a {field.ClrType}, which has no order to tell the newer row by.", nameof(_options));
            }

            _newerBy = (field.Id, type);
        }
    }

    public override void Open(SqliteConnection connection)
    {
        // Everything is read from the catalog when the importer is made.
    }

    public override string? Fits(BundleEntity entity, BundleCatalog catalog)
    {
        _misfit = Misfit(entity, catalog);
        return null;
    }

    private string? Misfit(BundleEntity entity, BundleCatalog catalog)
    {
        if (_refusal is not null)
        {
            return _refusal;
        }

        if (entity.KeyKind != _entity.KeyKind || entity.KeyProperty != _entity.KeyProperty)
        {
            return $"the bundle keys {Name} by {entity.KeyProperty} ({entity.KeyKind}), the file by {_entity.KeyProperty} ({_entity.KeyKind})";
        }

        if (entity.Version != _entity.Version)
        {
            return entity.Version > _entity.Version
                ? $"the bundle holds {Name} at schema version {entity.Version}, written by a newer version of the app; the file is at version {_entity.Version}"
                : $"the bundle holds {Name} at schema version {entity.Version}, and the file is at version {_entity.Version}: only the app's migration steps bring its rows up to date, so import it with the app";
        }

        // Every field the bundle's rows may hold must be one the file stores, of a type that reads the same; the
        // types the entity holds are walked from its own.
        var pending = new Queue<string>([entity.Type]);
        var seen = new HashSet<string>(StringComparer.Ordinal) { entity.Type };
        while (pending.TryDequeue(out string? typeName))
        {
            List<CatalogField> file = _fileTypes.GetValueOrDefault(typeName) ?? [];
            foreach (CatalogField field in catalog.Types.GetValueOrDefault(typeName) ?? [])
            {
                if (field.Retired || field.ClrType == Catalog.WireEncodedType)
                {
                    continue;
                }

                CatalogField? stored = file.Find(f => f.Name == field.Name && !f.Retired);
                if (stored is null)
                {
                    return $"the bundle's {Short(typeName)}.{field.Name} is not a property the file stores; import it with the app";
                }

                if (stored.ClrType != field.ClrType && !Catalog.ReadsAs(field.ClrType, stored.ClrType))
                {
                    return $"the bundle's {Short(typeName)}.{field.Name} is a {field.ClrType}, which the file's {stored.ClrType} cannot hold";
                }

                foreach (string nested in Named(CatalogType.Parse(field.ClrType)))
                {
                    if (catalog.Types.ContainsKey(nested) && seen.Add(nested))
                    {
                        pending.Enqueue(nested);
                    }
                }
            }
        }

        return null;
    }

    public override object? Convert(JsonElement row, int version, long index, string path, List<BundleImportProblem> problems, int maxProblems)
    {
        Rows++;
        if (version != _entity.Version)
        {
            Invalid++;
            AddProblem(problems, maxProblems, new BundleImportProblem(Name, index, null, path,
                $"the row is of {Name} at schema version {version}; only the app's migration steps bring it to version {_entity.Version}, so import it with the app"));
            return null;
        }

        var output = new ArrayBufferWriter<byte>(256);
        var writer = new MessagePackWriter(output);
        bool fits = _writer.Write(ref writer, row, null);
        writer.Flush();
        if (!fits)
        {
            Invalid++;
            foreach ((JsonImportErrorKind _, string problemPath, string message) in _writer.Problems)
            {
                AddProblem(problems, maxProblems, new BundleImportProblem(Name, index, null, path + problemPath[1..], message));
            }

            return null;
        }

        byte[] payload = output.WrittenSpan.ToArray();
        ColumnValue key = _key.Read(payload);
        string keyText = KeyText.FromValue(key);
        string? problem = key.IsNull ? $"the key property {_entity.KeyProperty} is null"
            : KeyText.LengthError(_entity.KeyProperty, key) is { } tooLong ? tooLong.Message
            : !_keys.Add(key) ? $"{Name} {keyText} comes twice in the bundle"
            : null;
        if (problem is not null)
        {
            Invalid++;
            AddProblem(problems, maxProblems, new BundleImportProblem(Name, index, key.IsNull ? null : keyText, $"{path}.{_entity.KeyProperty}", problem));
            return null;
        }

        var columns = new ColumnValue[_columns.Length];
        for (int i = 0; i < columns.Length; i++)
        {
            columns[i] = _columns[i].Read(payload);
        }

        return new Converted(payload, key, keyText, columns);
    }

    public override bool Store(SqliteConnection connection, object converted, long index, string path, List<BundleImportProblem> problems, int maxProblems, bool write)
    {
        var row = (Converted)converted;
        int? comparison = Compare(connection, row);
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
                    AddProblem(problems, maxProblems, new BundleImportProblem(Name, index, row.KeyText, path,
                        $"{Name} {row.KeyText} is stored with other values (Strategy Merge, SkipExisting or Replace would take it)"));
                    return false;
                }

                break;
        }

        if (write && (comparison is null || (comparison > 0 && _options.Strategy == BundleImportStrategy.Merge)))
        {
            Write(connection, comparison is null ? _insert : _upsert, row);
            Written++;
        }

        return true;
    }

    public override void Clear(SqliteConnection connection) =>
        connection.Execute($"DELETE FROM {SqlText.Quote(_entity.Table)}");

    /// <summary>A row converted: its payload, key and index columns.</summary>
    private sealed record Converted(byte[] Payload, ColumnValue Key, string KeyText, ColumnValue[] Columns);

    /// <summary>
    /// Null when no row of the key is stored; 0 when the stored row holds the same values (both payloads written
    /// again by the catalog, so that encodings of one value compare equal); otherwise positive when the incoming row
    /// is the newer by <see cref="BundleImportOptions.NewerBy"/>, negative when not. A stored row at another version
    /// (an entity that migrates lazily) or one that cannot be read is never equal.
    /// </summary>
    private int? Compare(SqliteConnection connection, Converted row)
    {
        SqliteStatement select = connection.Prepare(_select);
        bool same;
        try
        {
            row.Key.Bind(select, 1);
            if (!select.Step())
            {
                return null;
            }

            bool current = select.ColumnInt64(0) == _entity.Version;
            same = current && Canonical(select.ColumnBlob(1)) && _stored.WrittenSpan.SequenceEqual(row.Payload);
        }
        finally
        {
            select.Reset();
        }

        if (same)
        {
            return 0;
        }

        if (_newerBy is not { } newer || _stored.WrittenCount == 0)
        {
            return -1;
        }

        return FieldOrder.Compare(row.Payload, _stored.WrittenSpan, newer.Id, newer.Type) > 0 ? 1 : -1;
    }

    /// <summary>Writes the stored row's payload again by the catalog into <see cref="_stored"/>; false (and nothing there) when it cannot be read.</summary>
    private bool Canonical(ReadOnlySpan<byte> blob)
    {
        _stored.ResetWrittenCount();
        try
        {
            _storedJsonBuffer.ResetWrittenCount();
            using (BlobPayload payload = BlobEnvelope.Read(blob, _database.Context.Dictionaries.Find))
            using (var json = new Utf8JsonWriter(_storedJsonBuffer))
            {
                _storedJson.WriteObject(json, _entity.Type, payload.Span);
            }

            using JsonDocument document = JsonDocument.Parse(_storedJsonBuffer.WrittenMemory);
            var writer = new MessagePackWriter(_stored);
            bool fits = _storedWriter.Write(ref writer, document.RootElement, null);
            writer.Flush();
            if (fits)
            {
                return true;
            }
        }
        catch (Exception e) when (e is ReposFormatException or JsonException)
        {
            // A damaged stored row conflicts with any incoming one.
        }

        _stored.ResetWrittenCount();
        return false;
    }

    private void Write(SqliteConnection connection, string sql, Converted row)
    {
        _blob.ResetWrittenCount();
        BlobEnvelope.Write(row.Payload, _entity.Version, _blob, _dictionary);
        SqliteStatement statement = connection.Prepare(sql);
        try
        {
            row.Key.Bind(statement, 1);
            for (int i = 0; i < row.Columns.Length; i++)
            {
                row.Columns[i].Bind(statement, i + 2);
            }

            statement.BindInt64(row.Columns.Length + 2, _entity.Version);
            statement.BindBlob(row.Columns.Length + 3, _blob.WrittenSpan);
            statement.Execute();
        }
        catch (ReposStorageException e) when (e.ExtendedResultCode == SqliteCodes.ConstraintUnique)
        {
            string[] failed = UniqueIndexViolationException.FailedColumns(e.Message);
            BundleIndex? index = _entity.Indexes.Find(i => i.Unique && i.Columns.Split(',').Select(c => c.Split(':')[0]).SequenceEqual(failed, StringComparer.Ordinal));
            if (index is null)
            {
                throw;
            }

            throw new UniqueIndexViolationException(Name, row.KeyText, index.Name, [.. index.Columns.Split(',').Select(c => c.Split(':')[0])]);
        }
        finally
        {
            statement.Reset();
        }
    }

    private static IEnumerable<string> Named(CatalogType type)
    {
        if (type.Kind == CatalogTypeKind.Named)
        {
            yield return type.Name!;
        }

        foreach (CatalogType? inner in new[] { type.Element, type.Key })
        {
            if (inner is not null)
            {
                foreach (string name in Named(inner))
                {
                    yield return name;
                }
            }
        }
    }

    private static string Short(string typeName) => typeName[(typeName.LastIndexOf('.') + 1)..];

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

    /// <summary>
    /// A key or index column read from a row's payload by its field's catalog type, encoded as the app's generated
    /// code encodes it (docs/format.md, <i>Tables</i>).
    /// </summary>
    private sealed class RowColumn(string name, long id, CatalogType type, string? encoding)
    {
        public string Name { get; } = name;

        public static RowColumn Of(CatalogEntityImporter importer, string name, string? encoding, ref string? refusal)
        {
            CatalogField? field = importer.Fields.Find(f => f.Name == name);
            if (field is null)
            {
                refusal ??= $"the file's catalog gives {importer.Name}'s column {name} no stored field: open the file with the app once, then import";
                return new RowColumn(name, -1, CatalogType.Parse("long"), encoding);
            }

            CatalogType type = CatalogType.Parse(field.ClrType);
            CatalogTypeKind kind = (type.Kind == CatalogTypeKind.Nullable ? type.Element! : type).Kind;

            // Files written before the u64 and f64 encodings record the bare name; the app rebuilds such an index at open.
            if (encoding is null && kind is CatalogTypeKind.UInt64 or CatalogTypeKind.Single or CatalogTypeKind.Double)
            {
                refusal ??= $"{importer.Name}'s index column {name} is in an older encoding: open the file with the app once, then import";
            }

            return new RowColumn(name, field.Id, type, encoding);
        }

        /// <summary>The column's value in <paramref name="payload"/>: NULL when the field is missing or nil.</summary>
        public ColumnValue Read(ReadOnlySpan<byte> payload)
        {
            var reader = new MessagePackReader(payload);
            for (int count = reader.ReadMapHeader(); count > 0; count--)
            {
                if (reader.ReadInt64() != id)
                {
                    reader.Skip();
                    continue;
                }

                return reader.TryReadNil() ? ColumnValue.Null : Value(ref reader);
            }

            return ColumnValue.Null;
        }

        private ColumnValue Value(ref MessagePackReader reader)
        {
            CatalogType inner = type.Kind == CatalogTypeKind.Nullable ? type.Element! : type;
            return inner.Kind switch
            {
                CatalogTypeKind.Boolean => ColumnValue.From(reader.ReadBoolean()),
                CatalogTypeKind.UInt64 => ColumnValue.FromUInt64(reader.ReadUInt64()),
                CatalogTypeKind.Single => ColumnValue.FromOrdered(reader.ReadSingle()),
                CatalogTypeKind.Double => ColumnValue.FromOrdered(reader.ReadDouble()),
                CatalogTypeKind.Char => ColumnValue.From(ValueCodec.ReadChar(ref reader)),
                CatalogTypeKind.String when encoding == "ci" => ColumnValue.FromIgnoreCase(reader.ReadString()),
                CatalogTypeKind.String => ColumnValue.From(reader.ReadString()),
                CatalogTypeKind.Guid => ColumnValue.From(ValueCodec.ReadGuid(ref reader)),
                CatalogTypeKind.Bytes => ColumnValue.From(reader.ReadBinarySpan().ToArray()),
                CatalogTypeKind.DateTime => ColumnValue.From(ValueCodec.ReadDateTime(ref reader)),
                CatalogTypeKind.DateTimeOffset => ColumnValue.From(ValueCodec.ReadDateTimeOffset(ref reader)),
                CatalogTypeKind.DateOnly => ColumnValue.From(ValueCodec.ReadDateOnly(ref reader)),
                CatalogTypeKind.TimeOnly => ColumnValue.From(ValueCodec.ReadTimeOnly(ref reader)),
                CatalogTypeKind.TimeSpan => ColumnValue.From(ValueCodec.ReadTimeSpan(ref reader)),
                CatalogTypeKind.Named when encoding == "u64" => ColumnValue.FromUInt64(reader.ReadUInt64()),
                _ => ColumnValue.From(reader.ReadInt64()),
            };
        }
    }
}
