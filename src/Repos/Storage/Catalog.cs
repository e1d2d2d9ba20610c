using System.Text;
using Repos.Internal;
using Repos.Storage.Sqlite;

namespace Repos.Storage;

/// <summary>
/// The catalog inside every Repos file: which entities it holds in which tables, the field ids of every
/// stored type, and the indexes. It makes the file self-describing, and it is the one source of field ids.
/// </summary>
internal static class Catalog
{
    /// <summary>The catalog layout this version of Repos writes.</summary>
    /// <remarks>
    /// Format 2 added the catalog's seal (<see cref="CatalogSeal"/>); a writable open raises a format 1 file to
    /// format 2, and versions of Repos that read only format 1 then refuse it instead of changing the catalog
    /// without sealing it.
    /// </remarks>
    public const int FormatVersion = 2;

    /// <summary>
    /// The catalog layout of a file that holds compression dictionaries (<see cref="CompressionDictionaries"/>):
    /// raised to from <see cref="FormatVersion"/> when the first one is stored, so that versions of Repos that
    /// cannot read blobs compressed with them refuse the file instead of taking those rows for damaged ones.
    /// </summary>
    public const int DictionaryFormatVersion = 3;

    /// <summary>The newest catalog layout this version of Repos reads.</summary>
    public const int NewestReadableFormat = DictionaryFormatVersion;

    /// <summary>
    /// The start of the <c>_repos_meta</c> key, followed by the entity's name, that records how Repos assigns the
    /// entity's keys (<see cref="KeyGeneration"/>: <c>Sequence</c> or <c>GuidVersion7</c>); no row when the app gives them.
    /// </summary>
    public const string KeyGenerationKey = "key_generation:";

    /// <summary>
    /// The start of the <c>_repos_meta</c> key, followed by an enum's full name, that records the enum's members as
    /// <c>Name=Value</c> pairs joined by commas in value order (<c>Mild=1,Moderate=2</c>), so tools without the app's
    /// types write enums by name. Members the model has dropped stay: stored rows may still hold their values.
    /// </summary>
    public const string EnumKey = "enum:";

    /// <summary>
    /// The start of the <c>_repos_meta</c> key, followed by an enum's full name, that records the enum's underlying
    /// type (<c>byte</c>, <c>ulong</c>, as in <c>_repos_fields.clr_type</c>), followed by <c> flags</c> for a
    /// <c>[Flags]</c> enum: so tools without the app's types write its values as the app does.
    /// </summary>
    public const string EnumTypeKey = "enum_type:";

    /// <summary>
    /// The <c>clr_type</c> of a field this file keeps from sync without knowing its type: a pulled change carried a
    /// property the model and the catalog do not have (a newer app's), and its values are stored as they travel,
    /// objects nested in them keyed by property name (docs/sync.md). An app whose model has the property takes the
    /// field in at its next writable open: the catalog then records the model's type and the stored values are
    /// converted to the file's encoding. Not a type name: <see cref="CatalogType.Parse"/> refuses it.
    /// </summary>
    public const string WireEncodedType = "?wire";

    /// <summary>The catalog's tables: copying them and the entity tables they list copies a file's whole model.</summary>
    public static readonly string[] Tables = ["_repos_meta", "_repos_entities", "_repos_fields", "_repos_field_names", "_repos_indexes"];

    private const string CreateSql = """
        CREATE TABLE IF NOT EXISTS _repos_meta(
            key TEXT PRIMARY KEY NOT NULL,
            value ANY) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS _repos_entities(
            entity TEXT PRIMARY KEY NOT NULL,
            table_name TEXT NOT NULL UNIQUE,
            type TEXT NOT NULL,
            key_property TEXT NOT NULL,
            key_kind TEXT NOT NULL,
            version INTEGER NOT NULL) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS _repos_fields(
            type TEXT NOT NULL,
            id INTEGER NOT NULL,
            name TEXT NOT NULL,
            clr_type TEXT NOT NULL,
            retired INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY(type, id)) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS _repos_migrations(
            id INTEGER PRIMARY KEY,
            applied_at TEXT NOT NULL,
            target TEXT NOT NULL,
            kind TEXT NOT NULL,
            from_version INTEGER NOT NULL,
            to_version INTEGER NOT NULL,
            rows INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS _repos_field_names(
            type TEXT NOT NULL,
            name TEXT NOT NULL,
            id INTEGER NOT NULL,
            PRIMARY KEY(type, name)) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS _repos_indexes(
            entity TEXT NOT NULL,
            name TEXT NOT NULL,
            columns TEXT NOT NULL,
            is_unique INTEGER NOT NULL,
            PRIMARY KEY(entity, name)) WITHOUT ROWID;
        """;

    /// <summary>
    /// Brings the catalog and the tables in line with the compiled model, inside the caller's transaction:
    /// creates what is missing, assigns field ids to new properties, and returns every type's field map.
    /// </summary>
    public static SerializationContext Reconcile(
        SqliteConnection connection,
        IReadOnlyList<EntityDefinition> entities,
        IProgress<Migrations.MigrationProgress>? progress = null,
        string? backupPath = null,
        CompressionDictionaries? dictionaries = null)
    {
        connection.Execute(CreateSql);
        SqliteStatement meta = connection.Prepare("INSERT INTO _repos_meta(key, value) VALUES('format', ?1) ON CONFLICT(key) DO NOTHING");
        meta.BindInt64(1, FormatVersion);
        meta.Execute();
        CheckFormat(connection);
        connection.Execute($"UPDATE _repos_meta SET value={FormatVersion} WHERE key='format' AND value<{FormatVersion}");

        // Fields kept from sync that this model has are taken in below: their values are converted from the wire's
        // encoding, which needs the catalog as it was.
        Sync.WireShapes? keptBefore = Sync.KeptFields.Exist(connection) ? Sync.WireShapes.Load(connection) : null;
        var adopted = new HashSet<string>(StringComparer.Ordinal);

        var maps = new List<FieldMap>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var existing = new List<EntityDefinition>();
        var outdated = new List<EntityDefinition>();
        var versions = new Dictionary<EntityDefinition, int>();
        foreach (EntityDefinition entity in entities)
        {
            long? storedVersion = EnsureEntity(connection, entity);
            if (storedVersion is { } version)
            {
                existing.Add(entity);
                if (version < entity.Version)
                {
                    outdated.Add(entity);
                    versions[entity] = (int)version;
                }
            }

            foreach (TypeShape shape in Shapes(entity))
            {
                if (seen.Add(shape.Name))
                {
                    maps.Add(MapFields(connection, shape, adopted));
                }
            }
        }

        // Migrations and index changes need the field ids; migrations come first, so indexes see the new rows.
        var context = new SerializationContext(maps);
        UseDictionaries(connection, context, dictionaries);
        if (keptBefore is not null && adopted.Count > 0)
        {
            Sync.KeptFields.TakeIn(connection, entities, adopted, keptBefore, context);
        }

        foreach (EntityDefinition entity in existing)
        {
            if (entity.IsLazy && entity.Version > 1 && !outdated.Contains(entity))
            {
                context.SetMigration(entity.Shape, LoadMigrationContext(connection, entity, null, null));
            }
        }

        foreach (EntityDefinition entity in outdated)
        {
            Migrate(connection, entity, versions[entity], context, progress, backupPath);
        }

        foreach (EntityDefinition entity in existing)
        {
            ReconcileIndexes(connection, entity, context);
        }

        RecordKeyGeneration(connection, entities);
        RecordEnums(connection, entities);
        return context;
    }

    /// <summary>
    /// Records in the catalog which entities have their keys assigned by Repos, and how, so the file says so
    /// without the app (for tools, and sync, which cannot merge numbers two files gave); creates the counters'
    /// table when an entity's keys are numbers.
    /// </summary>
    private static void RecordKeyGeneration(SqliteConnection connection, IReadOnlyList<EntityDefinition> entities)
    {
        SqliteStatement record = connection.Prepare(
            "INSERT INTO _repos_meta(key, value) VALUES(?1, ?2) ON CONFLICT(key) DO UPDATE SET value=excluded.value WHERE value IS NOT excluded.value");
        SqliteStatement forget = connection.Prepare("DELETE FROM _repos_meta WHERE key=?1");
        foreach (EntityDefinition entity in entities)
        {
            SqliteStatement statement = entity.KeyGeneration == KeyGeneration.None ? forget : record;
            try
            {
                statement.BindText(1, KeyGenerationKey + entity.Name);
                if (entity.KeyGeneration != KeyGeneration.None)
                {
                    statement.BindText(2, entity.KeyGeneration.ToString());
                }

                statement.Execute();
            }
            finally
            {
                statement.Reset();
            }
        }

        foreach (EntityDefinition entity in entities)
        {
            if (entity.KeyGeneration == KeyGeneration.Sequence)
            {
                connection.Execute(TableSql.CreateKeySequences);
                break;
            }
        }
    }

    /// <summary>
    /// Records the members of every enum the model's entities store (<see cref="EnumKey"/>), keeping those of
    /// members the model no longer has; a row is rewritten only when it changes, so an open changes no seal.
    /// </summary>
    private static void RecordEnums(SqliteConnection connection, IReadOnlyList<EntityDefinition> entities)
    {
        Dictionary<string, SortedDictionary<long, string>> stored = LoadEnums(connection);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        SqliteStatement record = connection.Prepare(
            "INSERT INTO _repos_meta(key, value) VALUES(?1, ?2) ON CONFLICT(key) DO UPDATE SET value=excluded.value WHERE value IS NOT excluded.value");
        foreach (EntityDefinition entity in entities)
        {
            foreach (EnumShape shape in entity.Enums)
            {
                if (!seen.Add(shape.Name))
                {
                    continue;
                }

                // The model's first name for a value wins; a value only the file knows keeps its recorded name.
                var members = new SortedDictionary<long, string>();
                for (int i = 0; i < shape.Names.Count; i++)
                {
                    members.TryAdd(shape.Values[i], shape.Names[i]);
                }

                if (stored.TryGetValue(shape.Name, out SortedDictionary<long, string>? known))
                {
                    foreach ((long value, string name) in known)
                    {
                        members.TryAdd(value, name);
                    }
                }

                Record(EnumKey + shape.Name, string.Join(',', members.Select(m => m.Value + "=" + m.Key.ToString(System.Globalization.CultureInfo.InvariantCulture))));
                Record(EnumTypeKey + shape.Name, shape.UnderlyingType + (shape.IsFlags ? " flags" : string.Empty));
            }
        }

        void Record(string key, string value)
        {
            try
            {
                record.BindText(1, key);
                record.BindText(2, value);
                record.Execute();
            }
            finally
            {
                record.Reset();
            }
        }
    }

    /// <summary>The enum members the catalog records (<see cref="EnumKey"/>), by enum name; rows it cannot parse are passed over.</summary>
    public static Dictionary<string, SortedDictionary<long, string>> LoadEnums(SqliteConnection connection)
    {
        var enums = new Dictionary<string, SortedDictionary<long, string>>(StringComparer.Ordinal);
        if (!HasMeta(connection))
        {
            return enums;
        }

        // ';' follows ':' in every collation SQLite has: the range holds exactly the keys starting with "enum:".
        using SqliteStatement select = connection.PrepareOnce("SELECT key, value FROM _repos_meta WHERE key >= 'enum:' AND key < 'enum;'");
        while (select.Step())
        {
            if (select.ColumnType(1) != SQLitePCL.raw.SQLITE_TEXT)
            {
                continue;
            }

            var members = new SortedDictionary<long, string>();
            foreach (string pair in select.ColumnText(1).Split(',', StringSplitOptions.RemoveEmptyEntries))
            {
                int equals = pair.LastIndexOf('=');
                if (equals > 0 && long.TryParse(pair.AsSpan(equals + 1), System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out long value))
                {
                    members.TryAdd(value, pair[..equals]);
                }
            }

            enums[select.ColumnText(0)[EnumKey.Length..]] = members;
        }

        return enums;
    }

    private static readonly HashSet<string> s_enumUnderlying = new(StringComparer.Ordinal) { "byte", "sbyte", "short", "ushort", "int", "uint", "long", "ulong" };

    /// <summary>The underlying type of each enum the catalog records one for (<see cref="EnumTypeKey"/>), and whether it is <c>[Flags]</c>.</summary>
    public static Dictionary<string, (string Underlying, bool Flags)> LoadEnumTypes(SqliteConnection connection)
    {
        var types = new Dictionary<string, (string Underlying, bool Flags)>(StringComparer.Ordinal);
        if (!HasMeta(connection))
        {
            return types;
        }

        using SqliteStatement select = connection.PrepareOnce("SELECT key, value FROM _repos_meta WHERE key >= 'enum_type:' AND key < 'enum_type;'");
        while (select.Step())
        {
            if (select.ColumnType(1) == SQLitePCL.raw.SQLITE_TEXT)
            {
                // Only an integer type is an enum's; anything else is passed over, as if not recorded.
                string[] parts = select.ColumnText(1).Split(' ');
                if (s_enumUnderlying.Contains(parts[0]))
                {
                    types[select.ColumnText(0)[EnumTypeKey.Length..]] = (parts[0], parts.Length > 1 && parts[1] == "flags");
                }
            }
        }

        return types;
    }

    /// <summary>How the file's catalog says Repos assigns the keys of <paramref name="entityName"/>.</summary>
    public static KeyGeneration ReadKeyGeneration(SqliteConnection connection, string entityName)
    {
        SqliteStatement select = connection.Prepare("SELECT value FROM _repos_meta WHERE key=?1");
        try
        {
            select.BindText(1, KeyGenerationKey + entityName);
            return select.Step() && Enum.TryParse(select.ColumnText(0), out KeyGeneration generation) ? generation : KeyGeneration.None;
        }
        finally
        {
            select.Reset();
        }
    }

    /// <summary>Creates the catalog's tables where they are missing, writing no rows (salvage fills them).</summary>
    public static void CreateTables(SqliteConnection connection) => connection.Execute(CreateSql);

    /// <summary>Reads the field maps without changing anything (read-only files).</summary>
    public static SerializationContext Read(SqliteConnection connection, IReadOnlyList<EntityDefinition> entities, CompressionDictionaries? dictionaries = null)
    {
        CheckFormat(connection);
        var maps = new List<FieldMap>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var shapes = entities.SelectMany(Shapes).DistinctBy(s => s.Name).ToDictionary(s => s.Name, StringComparer.Ordinal);
        foreach (EntityDefinition entity in entities)
        {
            foreach (TypeShape shape in Shapes(entity))
            {
                if (seen.Add(shape.Name))
                {
                    StoredFields stored = LoadFields(connection, shape.Name, out _);
                    var ids = new int[shape.Fields.Count];
                    for (int i = 0; i < ids.Length; i++)
                    {
                        // A field the file does not have yet: no stored row has it (-1 matches no id).
                        FieldDefinition field = shape.Fields[i];
                        StoredField? known = FindStored(stored, field, out _);
                        if (known is not null && !ReadsAs(known.ClrType, field.TypeName))
                        {
                            throw new ReposSchemaException(
                                $"{shape.Name}.{field.Name} is stored as {known.ClrType} but the model declares {field.TypeName}; this file needs a newer version of the app.");
                        }

                        // A field kept from sync whose values hold objects has them keyed by property name until a
                        // writable open converts them: not read until then.
                        bool unconverted = known?.ClrType == WireEncodedType && NestedValue.Parse(field.TypeName, shapes) is not null;
                        ids[i] = unconverted ? -1 : known?.Id ?? -1;
                    }

                    maps.Add(new FieldMap(shape, ids));
                }
            }
        }

        var context = new SerializationContext(maps);
        UseDictionaries(connection, context, dictionaries);
        foreach (EntityDefinition entity in entities)
        {
            if (entity.IsLazy && entity.Version > 1)
            {
                context.SetMigration(entity.Shape, LoadMigrationContext(connection, entity, null, null));
            }
        }

        return context;
    }

    private static IEnumerable<TypeShape> Shapes(EntityDefinition entity)
    {
        yield return entity.Shape;
        foreach (TypeShape nested in entity.NestedShapes)
        {
            yield return nested;
        }
    }

    /// <summary>Gives the context the file's compression dictionaries (loaded into <paramref name="dictionaries"/>, or a set of its own).</summary>
    private static void UseDictionaries(SqliteConnection connection, SerializationContext context, CompressionDictionaries? dictionaries)
    {
        context.Dictionaries = dictionaries ?? new CompressionDictionaries(null, null);
        context.EntityDictionaries = context.Dictionaries.Load(connection);
    }

    private static void CheckFormat(SqliteConnection connection)
    {
        long tables = connection.ExecuteScalar("SELECT count(*) FROM sqlite_schema WHERE type='table' AND name='_repos_meta'");
        if (tables == 0)
        {
            throw new ReposSchemaException("The file has no Repos catalog; it was not created by Repos, or not written to yet.");
        }

        long format = connection.ExecuteScalar("SELECT value FROM _repos_meta WHERE key='format'");
        if (format > NewestReadableFormat)
        {
            throw new ReposSchemaException(
                $"The file's catalog has format {format}, written by a newer version of Repos; this version reads format {NewestReadableFormat} and older.");
        }
    }

    /// <summary>
    /// Creates the entity's table if the file has none (returns null), or checks the stored one and returns
    /// its schema version.
    /// </summary>
    private static long? EnsureEntity(SqliteConnection connection, EntityDefinition entity)
    {
        SqliteStatement find = connection.Prepare("SELECT table_name, key_kind, version FROM _repos_entities WHERE entity=?1");
        string? storedTable = null;
        string? storedKeyKind = null;
        long storedVersion = 0;
        try
        {
            find.BindText(1, entity.Name);
            if (find.Step())
            {
                storedTable = find.ColumnText(0);
                storedKeyKind = find.ColumnText(1);
                storedVersion = find.ColumnInt64(2);
            }
        }
        finally
        {
            find.Reset();
        }

        if (storedTable is null)
        {
            CreateTable(connection, entity);
            return null;
        }

        if (storedVersion > entity.Version)
        {
            throw new ReposSchemaException(
                $"The file stores {entity.Name} at schema version {storedVersion}, written by a newer version of the app; this one knows version {entity.Version}. " +
                "Nothing was changed. Update the app, or open the file read-only to read it.");
        }

        if (storedTable != entity.TableName || storedKeyKind != entity.KeyKind.ToString())
        {
            throw new ReposSchemaException(
                $"The file stores {entity.Name} in table {storedTable} with a {storedKeyKind} key; the model has table {entity.TableName} with a {entity.KeyKind} key. " +
                "Changing an entity's table or key type needs a migration. Nothing was changed.");
        }

        return storedVersion;
    }

    /// <summary>Runs the entity's migrations on every row below its version, then records the new version.</summary>
    private static void Migrate(
        SqliteConnection connection,
        EntityDefinition entity,
        int fromVersion,
        SerializationContext context,
        IProgress<Migrations.MigrationProgress>? progress,
        string? backupPath)
    {
        MigrationContext migration = LoadMigrationContext(connection, entity, progress, backupPath);
        long rows;
        if (entity.IsLazy)
        {
            // Rows stay as they are until read or written; only the index columns take the upgraded values now.
            context.SetMigration(entity.Shape, migration);
            if (entity.Columns.Count > 0)
            {
                entity.FillIndexColumns(connection, context);
            }

            rows = connection.ExecuteScalar($"SELECT count(*) FROM {SqlText.Quote(entity.TableName)} WHERE _schema < {entity.Version}");
        }
        else
        {
            rows = 0;
            RunWithLargeCache(connection, () => rows = entity.RunMigrations(connection, context, migration));
        }

        RecordMigration(connection, entity.Name, entity.IsLazy ? Migrations.MigrationKind.LazyEntity : Migrations.MigrationKind.Entity, fromVersion, entity.Version, rows);

        SqliteStatement version = connection.Prepare("UPDATE _repos_entities SET version=?2 WHERE entity=?1");
        version.BindText(1, entity.Name);
        version.BindInt64(2, entity.Version);
        version.Execute();
    }

    // A migration rewrites every row in one transaction: a larger page cache keeps SQLite from spilling dirty
    // pages to the log over and over (at least 32 MiB, so memory stays bounded whatever the table's size).
    private static void RunWithLargeCache(SqliteConnection connection, Action work)
    {
        using ConnectionSettings.LargeCacheScope cache = ConnectionSettings.LargeCache(connection);
        work();
    }

    /// <summary>The names and ids of every field the entity's type ever had, which reading old rows needs.</summary>
    internal static MigrationContext LoadMigrationContext(
        SqliteConnection connection,
        EntityDefinition entity,
        IProgress<Migrations.MigrationProgress>? progress,
        string? backupPath)
    {
        var idsByName = new Dictionary<string, int>(StringComparer.Ordinal);
        Dictionary<long, string> namesById = LoadFieldNames(connection, entity.Shape.Name, idsByName);
        return new MigrationContext(namesById, idsByName, progress, backupPath);
    }

    /// <summary>
    /// The name of every field id the stored type ever had, retired ones included; the ids of the fields in
    /// use go into <paramref name="idsByName"/> when given.
    /// </summary>
    internal static Dictionary<long, string> LoadFieldNames(SqliteConnection connection, string type, Dictionary<string, int>? idsByName)
    {
        var namesById = new Dictionary<long, string>();
        SqliteStatement fields = connection.Prepare("SELECT id, name, retired FROM _repos_fields WHERE type=?1");
        try
        {
            fields.BindText(1, type);
            while (fields.Step())
            {
                int id = (int)fields.ColumnInt64(0);
                string name = fields.ColumnText(1);
                namesById[id] = name;
                if (idsByName is not null && fields.ColumnInt64(2) == 0)
                {
                    idsByName[name] = id;
                }
            }
        }
        finally
        {
            fields.Reset();
        }

        return namesById;
    }

    /// <summary>Every field of every stored type the catalog records, retired ones included.</summary>
    internal static List<Recovery.CatalogField> LoadAllFields(SqliteConnection connection)
    {
        var fields = new List<Recovery.CatalogField>();
        SqliteStatement select = connection.Prepare("SELECT type, id, name, clr_type, retired FROM _repos_fields ORDER BY type, id");
        try
        {
            while (select.Step())
            {
                fields.Add(new Recovery.CatalogField(select.ColumnText(0), select.ColumnInt64(1), select.ColumnText(2), select.ColumnText(3), select.ColumnInt64(4) != 0));
            }
        }
        finally
        {
            select.Reset();
        }

        return fields;
    }

    /// <summary>
    /// Gives the stored type <paramref name="type"/> a field named <paramref name="name"/> kept from sync
    /// (<see cref="WireEncodedType"/>), inside the caller's transaction, and returns its id: the id the catalog
    /// already has for the name when another process gave it one, or else the next after every id the type ever
    /// had. The caller seals the catalog before the transaction commits.
    /// </summary>
    internal static int AddWireEncodedField(SqliteConnection connection, string type, string name)
    {
        SqliteStatement find = connection.Prepare("SELECT id FROM _repos_fields WHERE type=?1 AND name=?2 AND retired=0");
        try
        {
            find.BindText(1, type);
            find.BindText(2, name);
            if (find.Step())
            {
                return (int)find.ColumnInt64(0);
            }
        }
        finally
        {
            find.Reset();
        }

        SqliteStatement insert = connection.Prepare(
            "INSERT INTO _repos_fields(type, id, name, clr_type) SELECT ?1, coalesce(max(id), 0) + 1, ?2, ?3 FROM _repos_fields WHERE type=?1 RETURNING id");
        try
        {
            insert.BindText(1, type);
            insert.BindText(2, name);
            insert.BindText(3, WireEncodedType);
            insert.Step();
            return (int)insert.ColumnInt64(0);
        }
        finally
        {
            insert.Reset();
        }
    }

    /// <summary>Records a migration that this open applied, inside its transaction.</summary>
    public static void RecordMigration(SqliteConnection connection, string target, Migrations.MigrationKind kind, int fromVersion, int toVersion, long rows)
    {
        SqliteStatement insert = connection.Prepare(
            "INSERT INTO _repos_migrations(applied_at, target, kind, from_version, to_version, rows) VALUES(?1, ?2, ?3, ?4, ?5, ?6)");
        insert.BindText(1, DateTimeOffset.UtcNow.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        insert.BindText(2, target);
        insert.BindText(3, kind.ToString());
        insert.BindInt64(4, fromVersion);
        insert.BindInt64(5, toVersion);
        insert.BindInt64(6, rows);
        insert.Execute();
    }

    /// <summary>The migrations applied to the file, oldest first (none for a file from before they were recorded).</summary>
    public static List<Migrations.AppliedMigration> ReadMigrations(SqliteConnection connection)
    {
        var applied = new List<Migrations.AppliedMigration>();
        if (connection.ExecuteScalar("SELECT count(*) FROM sqlite_schema WHERE type='table' AND name='_repos_migrations'") == 0)
        {
            return applied;
        }

        SqliteStatement select = connection.Prepare("SELECT applied_at, target, kind, from_version, to_version, rows FROM _repos_migrations ORDER BY id");
        try
        {
            while (select.Step())
            {
                applied.Add(new Migrations.AppliedMigration(
                    select.ColumnText(1),
                    Enum.Parse<Migrations.MigrationKind>(select.ColumnText(2)),
                    (int)select.ColumnInt64(3),
                    (int)select.ColumnInt64(4),
                    select.ColumnInt64(5),
                    DateTimeOffset.Parse(select.ColumnText(0), System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.RoundtripKind)));
            }
        }
        finally
        {
            select.Reset();
        }

        return applied;
    }

    /// <summary>Whether the file has the catalog's <c>_repos_meta</c> table.</summary>
    public static bool HasMeta(SqliteConnection connection) =>
        connection.ExecuteScalar("SELECT count(*) FROM sqlite_schema WHERE type='table' AND name='_repos_meta'") != 0;

    /// <summary>The catalog format the file records (0 when it records none).</summary>
    public static long ReadFormat(SqliteConnection connection) =>
        connection.ExecuteScalar("SELECT value FROM _repos_meta WHERE key='format'");

    /// <summary>
    /// Whether this model can go on writing to a file whose catalog another process changed after this one
    /// opened it: the same database and entity versions, tables, keys and indexes, and every field this model
    /// writes still under its id with a type its values read as. Then the returned context has the same field
    /// ids, and says which types now have fields the model does not know (added by a newer app), so rewrites
    /// carry them over. Otherwise the context is null and the reason says what changed.
    /// </summary>
    public static CatalogFollow Follow(
        SqliteConnection connection,
        IReadOnlyList<EntityDefinition> entities,
        SerializationContext current,
        int databaseVersion)
    {
        CompressionDictionaries dictionaries = current.Dictionaries;
        int storedDatabaseVersion = ReadDatabaseVersion(connection);
        if (storedDatabaseVersion != databaseVersion)
        {
            return new CatalogFollow(null, null, $"the database was migrated from version {databaseVersion} to version {storedDatabaseVersion}");
        }

        Dictionary<string, StoredEntity> stored = ListEntities(connection).ToDictionary(e => e.Name, StringComparer.Ordinal);
        foreach (EntityDefinition entity in entities)
        {
            if (!stored.TryGetValue(entity.Name, out StoredEntity? file))
            {
                return new CatalogFollow(null, entity.Name, $"{entity.Name} was dropped from the file");
            }

            if (file.Version != entity.Version)
            {
                return new CatalogFollow(null, entity.Name, $"{entity.Name} is now stored at schema version {file.Version}; this app writes version {entity.Version}");
            }

            if (file.TableName != entity.TableName || file.KeyKind != entity.KeyKind)
            {
                return new CatalogFollow(null, entity.Name, $"{entity.Name} is now stored in table {file.TableName} with a {file.KeyKind} key");
            }

            string wanted = string.Join("; ", entity.Indexes.Select(i => DescribeIndex(i.Name, ColumnsText(entity, i), i.Unique)).Order(StringComparer.Ordinal));
            string found = string.Join("; ", LoadIndexes(connection, entity.Name).Select(i => DescribeIndex(i.Key, i.Value.Columns, i.Value.Unique)).Order(StringComparer.Ordinal));
            if (wanted != found)
            {
                return new CatalogFollow(null, entity.Name, $"the indexes of {entity.Name} are now [{found}]; this app maintains [{wanted}]");
            }
        }

        var maps = new List<FieldMap>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (EntityDefinition entity in entities)
        {
            foreach (TypeShape shape in Shapes(entity))
            {
                if (!seen.Add(shape.Name))
                {
                    continue;
                }

                FieldMap known = current.GetFieldMap(shape);
                Dictionary<int, StoredField> byId = LoadFields(connection, shape.Name, out _).Current.Values.ToDictionary(f => f.Id);
                for (int ordinal = 0; ordinal < shape.Fields.Count; ordinal++)
                {
                    FieldDefinition field = shape.Fields[ordinal];
                    int id = known.Ids[ordinal];
                    if (!byId.TryGetValue(id, out StoredField? file))
                    {
                        return new CatalogFollow(null, entity.Name, $"{shape.Name}.{field.Name} (field {id}) is no longer in the catalog");
                    }

                    if (!ReadsAs(file.ClrType, field.TypeName))
                    {
                        return new CatalogFollow(null, entity.Name, $"{shape.Name}.{field.Name} is now stored as {file.ClrType}; this app writes {field.TypeName}");
                    }
                }

                bool unknown = byId.Keys.Any(id => Array.IndexOf(known.Ids, id) < 0);
                maps.Add(new FieldMap(shape, known.Ids) { HasUnknownStoredFields = unknown });
            }
        }

        var context = new SerializationContext(maps);
        UseDictionaries(connection, context, dictionaries);
        foreach (EntityDefinition entity in entities)
        {
            if (entity.IsLazy && entity.Version > 1)
            {
                context.SetMigration(entity.Shape, LoadMigrationContext(connection, entity, null, null));
            }
        }

        return new CatalogFollow(context, null, null);
    }

    /// <summary>The indexes the catalog records for the entity: name to columns (comma-separated) and uniqueness.</summary>
    private static Dictionary<string, (string Columns, bool Unique)> LoadIndexes(SqliteConnection connection, string entity)
    {
        var stored = new Dictionary<string, (string Columns, bool Unique)>(StringComparer.Ordinal);
        SqliteStatement list = connection.Prepare("SELECT name, columns, is_unique FROM _repos_indexes WHERE entity=?1");
        try
        {
            list.BindText(1, entity);
            while (list.Step())
            {
                stored[list.ColumnText(0)] = (list.ColumnText(1), list.ColumnInt64(2) != 0);
            }
        }
        finally
        {
            list.Reset();
        }

        return stored;
    }

    private static string DescribeIndex(string name, string columns, bool unique) => $"{name}({columns}){(unique ? " unique" : string.Empty)}";

    /// <summary>Whether the file has a catalog (false for a new, empty file).</summary>
    public static bool Exists(SqliteConnection connection) =>
        connection.ExecuteScalar("SELECT count(*) FROM sqlite_schema WHERE type='table' AND name='_repos_entities'") != 0;

    /// <summary>
    /// The database's schema version (<see cref="DatabaseAttribute.Version"/>) as the file records it: 1 for a
    /// file written before the database had a version of its own.
    /// </summary>
    public static int ReadDatabaseVersion(SqliteConnection connection)
    {
        SqliteStatement select = connection.Prepare("SELECT value FROM _repos_meta WHERE key='database_version'");
        try
        {
            return select.Step() ? (int)select.ColumnInt64(0) : 1;
        }
        finally
        {
            select.Reset();
        }
    }

    /// <summary>Records the database's schema version, inside the caller's transaction.</summary>
    public static void WriteDatabaseVersion(SqliteConnection connection, int version)
    {
        SqliteStatement upsert = connection.Prepare(
            "INSERT INTO _repos_meta(key, value) VALUES('database_version', ?1) ON CONFLICT(key) DO UPDATE SET value=excluded.value");
        upsert.BindInt64(1, version);
        upsert.Execute();
    }

    /// <summary>The entities the file's catalog lists, whether or not the model still has them.</summary>
    public static List<StoredEntity> ListEntities(SqliteConnection connection)
    {
        var entities = new List<StoredEntity>();
        SqliteStatement select = connection.Prepare("SELECT entity, table_name, type, key_kind, version FROM _repos_entities ORDER BY entity");
        try
        {
            while (select.Step())
            {
                entities.Add(new StoredEntity(
                    select.ColumnText(0),
                    select.ColumnText(1),
                    select.ColumnText(2),
                    Enum.Parse<ColumnKind>(select.ColumnText(3)),
                    (int)select.ColumnInt64(4)));
            }
        }
        finally
        {
            select.Reset();
        }

        return entities;
    }

    /// <summary>
    /// Removes an entity the model no longer has: its table, its indexes and its catalog entries, inside the
    /// caller's transaction.
    /// </summary>
    public static void DropEntity(SqliteConnection connection, StoredEntity entity)
    {
        connection.Execute($"DROP TABLE IF EXISTS {SqlText.Quote(entity.TableName)}");
        foreach (string sql in (ReadOnlySpan<string>)[
            "DELETE FROM _repos_indexes WHERE entity=?1",
            "DELETE FROM _repos_entities WHERE entity=?1"])
        {
            SqliteStatement delete = connection.Prepare(sql);
            delete.BindText(1, entity.Name);
            delete.Execute();
        }

        SqliteStatement fields = connection.Prepare("DELETE FROM _repos_fields WHERE type=?1");
        fields.BindText(1, entity.Type);
        fields.Execute();
    }

    /// <summary>
    /// Whether the file is at a lower database version than the model, or any entity of the model is stored
    /// at a lower version: opening it will migrate rows.
    /// </summary>
    public static bool NeedsMigration(SqliteConnection connection, IReadOnlyList<EntityDefinition> entities, int databaseVersion)
    {
        if (!Exists(connection))
        {
            return false;
        }

        if (ReadDatabaseVersion(connection) < databaseVersion)
        {
            return true;
        }

        SqliteStatement select = connection.Prepare("SELECT version FROM _repos_entities WHERE entity=?1");
        foreach (EntityDefinition entity in entities)
        {
            try
            {
                select.BindText(1, entity.Name);
                if (select.Step() && select.ColumnInt64(0) < entity.Version)
                {
                    return true;
                }
            }
            finally
            {
                select.Reset();
            }
        }

        return false;
    }

    private static void CreateTable(SqliteConnection connection, EntityDefinition entity)
    {
        string table = SqlText.Quote(entity.TableName);
        string keyColumn = entity.KeyKind switch
        {
            ColumnKind.Integer => "key INTEGER PRIMARY KEY NOT NULL",
            ColumnKind.Text => "key TEXT PRIMARY KEY NOT NULL",
            _ => "key BLOB PRIMARY KEY NOT NULL",
        };

        var sql = new System.Text.StringBuilder();
        sql.Append("CREATE TABLE ").Append(table).Append('(').Append(keyColumn);
        foreach (IndexColumn column in entity.Columns)
        {
            sql.Append(", ").Append(SqlText.Quote(column.Name)).Append(' ').Append(SqlType(column.Kind));
        }

        sql.Append(", _schema INTEGER NOT NULL, _blob BLOB NOT NULL);");
        foreach (IndexDefinition index in entity.Indexes)
        {
            sql.Append(CreateIndexSql(entity, index)).Append(';');
        }

        connection.Execute(sql.ToString());

        SqliteStatement insert = connection.Prepare(
            "INSERT INTO _repos_entities(entity, table_name, type, key_property, key_kind, version) VALUES(?1, ?2, ?3, ?4, ?5, ?6)");
        insert.BindText(1, entity.Name);
        insert.BindText(2, entity.TableName);
        insert.BindText(3, entity.Shape.Name);
        insert.BindText(4, entity.KeyProperty);
        insert.BindText(5, entity.KeyKind.ToString());
        insert.BindInt64(6, entity.Version);
        insert.Execute();

        SqliteStatement insertIndex = connection.Prepare(
            "INSERT INTO _repos_indexes(entity, name, columns, is_unique) VALUES(?1, ?2, ?3, ?4)");
        foreach (IndexDefinition index in entity.Indexes)
        {
            insertIndex.BindText(1, entity.Name);
            insertIndex.BindText(2, index.Name);
            insertIndex.BindText(3, ColumnsText(entity, index));
            insertIndex.BindInt64(4, index.Unique ? 1 : 0);
            insertIndex.Execute();
        }
    }

    /// <summary>
    /// Brings the entity's indexes in line with the model: drops indexes the model no longer has, adds the
    /// columns new indexes need and fills them from every row's blob, then creates new and changed indexes.
    /// </summary>
    private static void ReconcileIndexes(SqliteConnection connection, EntityDefinition entity, SerializationContext context)
    {
        Dictionary<string, (string Columns, bool Unique)> stored = LoadIndexes(connection, entity.Name);
        string table = SqlText.Quote(entity.TableName);
        var wanted = entity.Indexes.ToDictionary(i => i.Name, StringComparer.Ordinal);
        foreach ((string name, (string columns, bool unique)) in stored)
        {
            if (wanted.TryGetValue(name, out IndexDefinition? index) && ColumnsText(entity, index) == columns && index.Unique == unique)
            {
                wanted.Remove(name);
                continue;
            }

            // Gone from the model, or changed (then created again below).
            connection.Execute($"DROP INDEX IF EXISTS {SqlText.Quote(entity.TableName + "_" + name)}");
            SqliteStatement forget = connection.Prepare("DELETE FROM _repos_indexes WHERE entity=?1 AND name=?2");
            forget.BindText(1, entity.Name);
            forget.BindText(2, name);
            forget.Execute();
        }

        if (wanted.Count == 0)
        {
            return;
        }

        var present = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        using (SqliteStatement info = connection.PrepareOnce($"SELECT name, type FROM pragma_table_info({SqlText.Literal(entity.TableName)})"))
        {
            while (info.Step())
            {
                present[info.ColumnText(0)] = info.ColumnText(1);
            }
        }

        foreach (IndexColumn column in entity.Columns)
        {
            if (present.TryGetValue(column.Name, out string? declared) && !string.Equals(declared, SqlType(column.Kind), StringComparison.OrdinalIgnoreCase))
            {
                // Declared for another encoding (floating point was REAL): the column's affinity would convert the
                // new values, so it is made again. Every index on it changed with it and is dropped above.
                connection.Execute($"ALTER TABLE {table} DROP COLUMN {SqlText.Quote(column.Name)}");
                present.Remove(column.Name);
            }

            if (!present.ContainsKey(column.Name))
            {
                connection.Execute($"ALTER TABLE {table} ADD COLUMN {SqlText.Quote(column.Name)} {SqlType(column.Kind)}");
            }
        }

        // Every index column is filled again from the blobs whenever an index is created: a column the file
        // already had may hold values an older model did not keep up to date, as it did not know the index.
        entity.FillIndexColumns(connection, context);

        SqliteStatement remember = connection.Prepare("INSERT INTO _repos_indexes(entity, name, columns, is_unique) VALUES(?1, ?2, ?3, ?4)");
        foreach (IndexDefinition index in entity.Indexes.Where(i => wanted.ContainsKey(i.Name)))
        {
            try
            {
                connection.Execute(CreateIndexSql(entity, index));
            }
            catch (ReposStorageException e) when (e.ResultCode == SqliteCodes.Constraint)
            {
                throw new ReposSchemaException(
                    $"The unique index {index.Name} of {entity.Name} cannot be created: stored rows share values of ({string.Join(", ", index.Columns)}). " +
                    "Nothing was changed. Remove the duplicates with the previous version of the app, or make the index not unique.");
            }

            remember.BindText(1, entity.Name);
            remember.BindText(2, index.Name);
            remember.BindText(3, ColumnsText(entity, index));
            remember.BindInt64(4, index.Unique ? 1 : 0);
            remember.Execute();
        }
    }

    /// <summary>
    /// How the catalog records an index's columns: their names, comma-separated, each followed by <c>:</c> and its
    /// encoding when that is not its type's first one (<see cref="IndexColumn.Encoding"/>). An index whose columns
    /// changed encoding so differs from the recorded one, and is rebuilt like any changed index.
    /// </summary>
    internal static string ColumnsText(EntityDefinition entity, IndexDefinition index)
    {
        var text = new StringBuilder();
        foreach (string name in index.Columns)
        {
            if (text.Length > 0)
            {
                text.Append(',');
            }

            text.Append(name);
            foreach (IndexColumn column in entity.Columns)
            {
                if (column.Name == name && column.Encoding is { Length: > 0 } encoding)
                {
                    text.Append(':').Append(encoding);
                }
            }
        }

        return text.ToString();
    }

    /// <summary>
    /// The statement that creates an index. A non-unique index ends with the key: queries order ties by key,
    /// and with the key in the index SQLite reads them in order instead of sorting them.
    /// </summary>
    internal static string CreateIndexSql(EntityDefinition entity, IndexDefinition index)
    {
        string columns = string.Join(", ", index.Columns.Select(SqlText.Quote));
        return index.Unique
            ? $"CREATE UNIQUE INDEX {SqlText.Quote(entity.TableName + "_" + index.Name)} ON {SqlText.Quote(entity.TableName)}({columns})"
            : $"CREATE INDEX {SqlText.Quote(entity.TableName + "_" + index.Name)} ON {SqlText.Quote(entity.TableName)}({columns}, key)";
    }

    // Adds to adopted the name of each type that has a field kept from sync (WireEncodedType) the model now has.
    private static FieldMap MapFields(SqliteConnection connection, TypeShape shape, HashSet<string> adopted)
    {
        StoredFields stored = LoadFields(connection, shape.Name, out int maxId);
        var ids = new int[shape.Fields.Count];
        for (int ordinal = 0; ordinal < ids.Length; ordinal++)
        {
            FieldDefinition field = shape.Fields[ordinal];
            if (FindStored(stored, field, out bool renamedByModel) is { } known)
            {
                if (known.ClrType == WireEncodedType)
                {
                    adopted.Add(shape.Name);
                }

                CheckType(connection, shape, field, known);
                if (renamedByModel)
                {
                    // A rename: the field is stored under a name the property had before, and keeps its id. The
                    // old name is remembered, so an older app that still uses it finds the same id.
                    SqliteStatement rename = connection.Prepare("UPDATE _repos_fields SET name=?3 WHERE type=?1 AND id=?2");
                    rename.BindText(1, shape.Name);
                    rename.BindInt64(2, known.Id);
                    rename.BindText(3, field.Name);
                    rename.Execute();
                    SqliteStatement remember = connection.Prepare(
                        "INSERT INTO _repos_field_names(type, name, id) VALUES(?1, ?2, ?3) ON CONFLICT(type, name) DO UPDATE SET id=excluded.id");
                    remember.BindText(1, shape.Name);
                    remember.BindText(2, known.Name);
                    remember.BindInt64(3, known.Id);
                    remember.Execute();
                }

                ids[ordinal] = known.Id;
                continue;
            }

            // Ids are never reused: a new field takes the next id after every id ever assigned.
            int id = ++maxId;
            SqliteStatement insert = connection.Prepare("INSERT INTO _repos_fields(type, id, name, clr_type) VALUES(?1, ?2, ?3, ?4)");
            insert.BindText(1, shape.Name);
            insert.BindInt64(2, id);
            insert.BindText(3, field.Name);
            insert.BindText(4, field.TypeName);
            insert.Execute();
            ids[ordinal] = id;
        }

        return new FieldMap(shape, ids) { HasUnknownStoredFields = stored.Current.Values.Any(f => Array.IndexOf(ids, f.Id) < 0) };
    }

    /// <summary>
    /// Refuses a property whose type changed in a way stored values cannot be read as; records a widening
    /// (a bigger integer, float to double, a value type made nullable), which reads every stored value.
    /// </summary>
    private static void CheckType(SqliteConnection connection, TypeShape shape, FieldDefinition field, StoredField stored)
    {
        if (stored.ClrType == field.TypeName)
        {
            return;
        }

        if (!ReadsAs(stored.ClrType, field.TypeName))
        {
            throw new ReposSchemaException(
                $"{shape.Name}.{field.Name} is stored as {stored.ClrType} but the model declares {field.TypeName}. " +
                "A type change stored values cannot be read as needs a migration: raise the entity's [Entity(Version = ...)] " +
                "and convert the field in the migration it asks for (or add a new property and keep the old one).");
        }

        SqliteStatement update = connection.Prepare("UPDATE _repos_fields SET clr_type=?3 WHERE type=?1 AND id=?2");
        update.BindText(1, shape.Name);
        update.BindInt64(2, stored.Id);
        update.BindText(3, field.TypeName);
        update.Execute();
    }

    // Integer types a stored value of the key type can always be read as.
    private static readonly Dictionary<string, string[]> s_widenings = new(StringComparer.Ordinal)
    {
        ["sbyte"] = ["short", "int", "long"],
        ["byte"] = ["short", "ushort", "int", "uint", "long", "ulong"],
        ["short"] = ["int", "long"],
        ["ushort"] = ["int", "uint", "long", "ulong"],
        ["int"] = ["long"],
        ["uint"] = ["long", "ulong"],
        ["float"] = ["double"],
    };

    /// <summary>Whether every value stored as <paramref name="stored"/> reads correctly as <paramref name="model"/>.</summary>
    internal static bool ReadsAs(string stored, string model)
    {
        if (stored == model || stored == WireEncodedType)
        {
            // A field kept from sync holds what the app that has the property wrote: its type is the model's.
            return true;
        }

        // T reads as T? (nil is never stored for a non-nullable value type), and T? as U? when T reads as U.
        bool storedNullable = stored.EndsWith('?');
        bool modelNullable = model.EndsWith('?');
        if (storedNullable && !modelNullable)
        {
            return false;
        }

        string storedCore = storedNullable ? stored[..^1] : stored;
        string modelCore = modelNullable ? model[..^1] : model;
        return storedCore == modelCore
            || (s_widenings.TryGetValue(storedCore, out string[]? wider) && Array.IndexOf(wider, modelCore) >= 0);
    }

    private static StoredFields LoadFields(SqliteConnection connection, string type, out int maxId)
    {
        var fields = new Dictionary<string, StoredField>(StringComparer.Ordinal);
        var former = new Dictionary<string, StoredField>(StringComparer.Ordinal);
        maxId = 0;
        SqliteStatement select = connection.Prepare("SELECT id, name, retired, clr_type FROM _repos_fields WHERE type=?1");
        try
        {
            select.BindText(1, type);
            while (select.Step())
            {
                int id = (int)select.ColumnInt64(0);
                maxId = Math.Max(maxId, id);
                if (select.ColumnInt64(2) == 0)
                {
                    string name = select.ColumnText(1);
                    fields[name] = new StoredField(id, name, select.ColumnText(3));
                }
            }
        }
        finally
        {
            select.Reset();
        }

        if (connection.ExecuteScalar("SELECT count(*) FROM sqlite_schema WHERE type='table' AND name='_repos_field_names'") != 0)
        {
            var byId = fields.Values.ToDictionary(f => f.Id);
            SqliteStatement names = connection.Prepare("SELECT name, id FROM _repos_field_names WHERE type=?1");
            try
            {
                names.BindText(1, type);
                while (names.Step())
                {
                    if (byId.TryGetValue((int)names.ColumnInt64(1), out StoredField? now))
                    {
                        former[names.ColumnText(0)] = now;
                    }
                }
            }
            finally
            {
                names.Reset();
            }
        }

        return new StoredFields(fields, former);
    }

    private sealed record StoredField(int Id, string Name, string ClrType);

    /// <summary>A stored type's fields in use by their names, and by the names a newer app renamed them from.</summary>
    private sealed record StoredFields(Dictionary<string, StoredField> Current, Dictionary<string, StoredField> Former);

    /// <summary>
    /// The stored field a property is kept in: under its name, or under a name the model says it had before
    /// (<paramref name="renamedByModel"/>: the catalog row takes the model's name), or, for an older app, under
    /// the name a newer app renamed it to (the catalog remembers the name it had, and keeps the newer one).
    /// </summary>
    private static StoredField? FindStored(StoredFields stored, FieldDefinition field, out bool renamedByModel)
    {
        renamedByModel = false;
        if (stored.Current.TryGetValue(field.Name, out StoredField? known))
        {
            return known;
        }

        foreach (string formerName in field.FormerNames)
        {
            if (stored.Current.TryGetValue(formerName, out known))
            {
                renamedByModel = true;
                return known;
            }
        }

        return stored.Former.GetValueOrDefault(field.Name);
    }

    internal static string SqlType(ColumnKind kind) => kind switch
    {
        ColumnKind.Integer => "INTEGER",
        ColumnKind.Real => "REAL",
        ColumnKind.Text => "TEXT",
        ColumnKind.Blob => "BLOB",
        _ => "ANY",
    };
}

/// <summary>
/// What <see cref="Catalog.Follow"/> found: the field maps to go on with, or the entity and the reason this
/// process cannot follow the change.
/// </summary>
internal sealed record CatalogFollow(SerializationContext? Context, string? Entity, string? Reason);
