using System.Runtime.CompilerServices;
using System.Text.Json;
using Repos.Diagnostics;
using Repos.Housekeeping;
using Repos.Internal;
using Repos.Storage;
using Repos.Storage.Sqlite;
using Repos.Transfer;

namespace Repos;

/// <summary>
/// A Repos file opened by its catalog alone, read-only, without the app's types: what tools (the <c>repos</c>
/// command) read any file with. It lists the entities, decodes rows as JSON, exports bundles byte for byte as the
/// app's <see cref="ReposDatabase.ExportAsync"/> writes them, and verifies and measures the file.
/// </summary>
public sealed class ReposFile : IAsyncDisposable
{
    private readonly CatalogDatabase _database;
    private readonly BundleCatalog _catalog;

    private ReposFile(CatalogDatabase database, BundleCatalog catalog, IReadOnlyList<ReposFileEntity> entities)
    {
        _database = database;
        _catalog = catalog;
        Entities = entities;
    }

    /// <summary>The file's full path.</summary>
    public string Path => _database.Path;

    /// <summary>The database's version (<c>[Database(Version = N)]</c> of the app that wrote it).</summary>
    public int DatabaseVersion => _catalog.DatabaseVersion;

    /// <summary>The entities the catalog lists, by name.</summary>
    public IReadOnlyList<ReposFileEntity> Entities { get; }

    /// <summary>Opens <paramref name="path"/> read-only by its catalog.</summary>
    /// <exception cref="FileNotFoundException">There is no such file.</exception>
    /// <exception cref="ReposForeignDatabaseException">The file is not a Repos file.</exception>
    public static async Task<ReposFile> OpenAsync(string path, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string full = System.IO.Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            throw new FileNotFoundException($"There is no file '{full}'.", full);
        }

        int version;
        using (var connection = SqliteConnection.Open(full, readOnly: true, create: false))
        {
            try
            {
                if (!Catalog.HasMeta(connection) || !Catalog.Exists(connection))
                {
                    throw new ReposForeignDatabaseException(full, $"'{full}' is not a Repos file: it has no Repos catalog.", []);
                }
            }
            catch (ReposStorageException e) when (e.ResultCode == SQLitePCL.raw.SQLITE_NOTADB)
            {
                throw new ReposForeignDatabaseException(full, $"'{full}' is not a Repos file: it is not a SQLite database.", []);
            }

            version = Catalog.ReadDatabaseVersion(connection);
        }

        var database = new CatalogDatabase();
        try
        {
            await database.OpenAsync(full, version, cancellationToken).ConfigureAwait(false);
            using ReadLease lease = database.AcquireRead();
            BundleCatalog catalog = BundleCatalog.Load(lease.Connection);
            var entities = catalog.Entities
                .Select(e => new ReposFileEntity(e.Name, e.Table, e.Type, e.KeyProperty, e.KeyKind.ToString(), e.Version,
                    [.. e.Indexes.Select(i => new ReposFileIndex(i.Name, [.. i.Columns.Split(',').Select(ColumnName)], i.Unique))]))
                .ToList();
            return new ReposFile(database, catalog, entities);
        }
        catch
        {
            await database.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>How many rows each entity has, by name: counted through the smallest index of each table.</summary>
    public Task<IReadOnlyDictionary<string, long>> CountRowsAsync(CancellationToken cancellationToken = default) =>
        Task.Run<IReadOnlyDictionary<string, long>>(() =>
        {
            using ReadLease lease = _database.AcquireRead();
            var counts = new Dictionary<string, long>(StringComparer.Ordinal);
            foreach (ReposFileEntity entity in Entities)
            {
                cancellationToken.ThrowIfCancellationRequested();
                counts[entity.Name] = lease.Connection.ExecuteScalar($"SELECT count(*) FROM {SqlText.Quote(entity.Table)}");
            }

            return counts;
        }, cancellationToken);

    /// <summary>Checks the file as <see cref="ReposDatabase.VerifyAsync"/> does, every row by the catalog.</summary>
    public Task<VerifyReport> VerifyAsync(IProgress<VerifyProgress>? progress = null, CancellationToken cancellationToken = default) =>
        _database.VerifyAsync(progress, cancellationToken);

    /// <summary>The file's size and each entity's share of it, as <see cref="ReposDatabase.GetStorageInfoAsync"/> measures it.</summary>
    public ValueTask<StorageInfo> GetStorageInfoAsync(CancellationToken cancellationToken = default) => _database.GetStorageInfoAsync(cancellationToken);

    /// <summary>The migrations applied to the file, oldest first.</summary>
    public ValueTask<IReadOnlyList<Migrations.AppliedMigration>> GetMigrationHistoryAsync(CancellationToken cancellationToken = default) =>
        _database.GetMigrationHistoryAsync(cancellationToken);

    /// <summary>Writes a bundle as the app's <see cref="ReposDatabase.ExportAsync"/> would (the same bytes); ranges come from <see cref="Range"/>.</summary>
    public async Task<BundleExportResult> ExportAsync(Stream output, BundleExportOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(output);
        options ??= new BundleExportOptions();
        return await _database.InSnapshotAsync(connection =>
        {
            BundleCatalog catalog = BundleCatalog.Load(connection);
            List<ExportSource> sources = ExportPlan.Sources(catalog, options, new Dictionary<string, EntityDefinition>(), _database);
            return BundleWriter.WriteAsync(
                output, connection, catalog, CatalogTypes.Load(connection, []), _database.Context.Dictionaries.Find, null, sources, options,
                options.AppName ?? System.IO.Path.GetFileNameWithoutExtension(Path), cancellationToken);
        }).ConfigureAwait(false);
    }

    /// <summary>Writes the rows of <paramref name="entity"/> as CSV, as the app's <see cref="ReposDatabase.ExportCsvAsync"/> would.</summary>
    public async Task<ExportedEntity> ExportCsvAsync(string entity, Stream output, CsvExportOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(output);
        options ??= new CsvExportOptions();
        return await _database.InSnapshotAsync(connection =>
        {
            BundleCatalog catalog = BundleCatalog.Load(connection);
            ExportSource source = ExportPlan.CsvSource(catalog, entity, options, new Dictionary<string, EntityDefinition>(), _database);
            return CsvEntityWriter.WriteAsync(output, connection, catalog, CatalogTypes.Load(connection, []), _database.Context.Dictionaries.Find, null, source, options, cancellationToken);
        }).ConfigureAwait(false);
    }

    /// <summary>
    /// The rows of <paramref name="entity"/> whose index <paramref name="index"/> is from <paramref name="from"/> to
    /// <paramref name="to"/>, both included, in index order: each bound gives the index's first columns, as text in the
    /// forms of docs/transfer.md (<c>["user-03", "2024-01-01"]</c>), or is null for no bound. A bound with fewer values
    /// than the index has columns covers every row that starts with them.
    /// </summary>
    /// <exception cref="ArgumentException">No such entity or index, or a value that is not of its column's type.</exception>
    public ExportRange Range(string entity, string index, IReadOnlyList<string>? from, IReadOnlyList<string>? to)
    {
        ReposFileEntity stored = Entity(entity);
        ReposFileIndex found = stored.Indexes.FirstOrDefault(i => string.Equals(i.Name, index, StringComparison.Ordinal))
            ?? throw new ArgumentException(
                $"{entity} has no index {index}; it has {(stored.Indexes.Count == 0 ? "none" : string.Join(", ", stored.Indexes.Select(i => i.Name)))}.", nameof(index));
        BundleIndex recorded = _catalog.Entity(entity)!.Indexes.First(i => i.Name == found.Name);
        IndexRange range = IndexRange.Parse(_catalog, _catalog.Entity(entity)!, recorded, from, to);
        return ExportRange.Of(entity, _database, range.Resolve);
    }

    /// <summary>
    /// The rows of <paramref name="entity"/> as JSON objects (the form a bundle holds them in): all of them in storage
    /// order, or those of <paramref name="range"/>, at most <paramref name="take"/>.
    /// </summary>
    public async IAsyncEnumerable<string> ReadRowsAsync(
        string entity, ExportRange? range = null, int take = int.MaxValue, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ReposFileEntity stored = Entity(entity);
        if (range is not null && (range.EntityName != stored.Name || !ReferenceEquals(range.Owner, _database)))
        {
            throw new ArgumentException($"The range is of {range.EntityName}, or of another file, not of this file's {entity}.", nameof(range));
        }

        // Read a batch at a time in one snapshot, each row written as a bundle holds it; at most take rows are read.
        using ReadLease lease = _database.AcquireRead();
        SqliteConnection connection = lease.Connection;
        connection.Execute("BEGIN");
        try
        {
            var types = CatalogTypes.Load(connection, []);
            var writer = new PayloadJsonWriter(types);
            BundleEntity source = _catalog.Entity(stored.Name)!;
            using var rows = new ExportRows(connection, new ExportSource(source, null, range?.Resolve), _database.Context.Dictionaries.Find, null, skipDamaged: false);
            var buffer = new System.Buffers.ArrayBufferWriter<byte>(4096);
            var batch = new List<string>();
            int shown = 0;
            using var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
            void Write(ReadOnlySpan<byte> payload, int? version)
            {
                buffer.ResetWrittenCount();
                json.Reset(buffer);
                writer.WriteObject(json, source.Type, payload, version);
                json.Flush();
                batch.Add(System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan));
            }

            while (shown < take)
            {
                cancellationToken.ThrowIfCancellationRequested();
                batch.Clear();
                while (shown + batch.Count < take && batch.Count < 256 && rows.Next(Write))
                {
                }

                if (batch.Count == 0)
                {
                    break;
                }

                foreach (string row in batch)
                {
                    shown++;
                    yield return row;
                }

                await Task.Yield();
            }
        }
        finally
        {
            connection.Execute("COMMIT");
        }
    }

    /// <summary>The row of <paramref name="entity"/> with key <paramref name="key"/> (as text: a number, a Guid, a string), as JSON, or null.</summary>
    public async Task<string?> GetRowAsync(string entity, string key, CancellationToken cancellationToken = default)
    {
        ReposFileEntity stored = Entity(entity);
        IndexRange range = IndexRange.ForKey(_catalog, _catalog.Entity(entity)!, key);
        await foreach (string row in ReadRowsAsync(stored.Name, ExportRange.Of(entity, _database, range.Resolve), 1, cancellationToken).ConfigureAwait(false))
        {
            return row;
        }

        return null;
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => _database.DisposeAsync();

    private ReposFileEntity Entity(string name) =>
        Entities.FirstOrDefault(e => string.Equals(e.Name, name, StringComparison.Ordinal))
        ?? throw new ArgumentException($"The file has no entity {name}; it has {string.Join(", ", Entities.Select(e => e.Name))}.", nameof(name));

    private static string ColumnName(string column) => column.IndexOf(':') is var colon and >= 0 ? column[..colon] : column;

    /// <summary>
    /// Rebuilds the file at <paramref name="path"/> without its free pages, as <see cref="ReposDatabase.VacuumAsync"/>
    /// does, without the app's types: the file is opened for writing with no entities, which changes none of them.
    /// </summary>
    /// <exception cref="FileNotFoundException">There is no such file.</exception>
    /// <exception cref="ReposForeignDatabaseException">The file is not a Repos file.</exception>
    public static async Task<VacuumResult> VacuumAsync(string path, CancellationToken cancellationToken = default)
    {
        int version;
        await using (ReposFile file = await OpenAsync(path, cancellationToken).ConfigureAwait(false))
        {
            version = file.DatabaseVersion;
        }

        var database = new CatalogDatabase();
        await using (database.ConfigureAwait(false))
        {
            await database.OpenAsync(System.IO.Path.GetFullPath(path), version, cancellationToken, readOnly: false).ConfigureAwait(false);
            return await database.VacuumAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Imports a bundle into the file at <paramref name="path"/> by its catalog alone, without the app's types, as
    /// <see cref="ReposDatabase.ImportBundleAsync"/> does (docs/transfer.md, <i>Import without the app</i>): the whole
    /// bundle is read and checked before anything is written, after a <c>BeforeImport</c> backup, in one transaction, with
    /// the same strategies and dry run. Rows are checked against the catalog's types (every value must fit its field,
    /// enums by their recorded members) but not against the app's validation rules, which only the app has; a bundle or a
    /// row at an older schema version than the file's, and a <c>[Synced]</c> entity, are refused: import those with the
    /// app, whose migration steps and sync log they need. A merge names its order in <see cref="BundleImportOptions.NewerBy"/>.
    /// </summary>
    /// <param name="path">The file, which the app created.</param>
    /// <param name="input">The bundle, JSON or NDJSON.</param>
    /// <param name="options">The strategy, a dry run, limits; null for the defaults.</param>
    /// <param name="cancellationToken">Stops the import; nothing is written then.</param>
    /// <exception cref="FileNotFoundException">There is no such file.</exception>
    /// <exception cref="ReposForeignDatabaseException">The file is not a Repos file.</exception>
    /// <exception cref="BundleFormatException">The bundle is malformed, cut short, of another format, fails its checksum, or its catalog does not fit the file's.</exception>
    /// <exception cref="BundleImportException">Rows are invalid, or conflict under <see cref="BundleImportStrategy.FailOnConflict"/>; <see cref="BundleImportException.Preview"/> lists them.</exception>
    /// <exception cref="UniqueIndexViolationException">A row has the same unique index values as another; nothing was written.</exception>
    public static async Task<BundleImportResult> ImportBundleAsync(
        string path, Stream input, BundleImportOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        options ??= new BundleImportOptions();
        int version;
        await using (ReposFile file = await OpenAsync(path, cancellationToken).ConfigureAwait(false))
        {
            version = file.DatabaseVersion;
        }

        var database = new CatalogDatabase();
        await using (database.ConfigureAwait(false))
        {
            await database.OpenAsync(System.IO.Path.GetFullPath(path), version, cancellationToken, readOnly: options.DryRun).ConfigureAwait(false);
            using (ReadLease lease = database.AcquireRead())
            {
                BundleCatalog catalog = BundleCatalog.Load(lease.Connection);
                CatalogTypes types = CatalogTypes.Load(lease.Connection, []);
                foreach (BundleEntity entity in catalog.Entities)
                {
                    bool synced = lease.Connection.ExecuteScalar(
                        $"SELECT count(*) FROM pragma_table_info({SqlText.Literal(entity.Table)}) WHERE name='_sync_inserted'") > 0;
                    database.BundleTargets[entity.Name] = new CatalogTarget(entity.Name, o => new CatalogEntityImporter(database, entity, catalog, types, synced, o));
                }
            }

            return await database.ImportBundleAsync(input, options, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>An entity of the file, imported by its catalog.</summary>
    private sealed class CatalogTarget(string name, Func<BundleImportOptions, BundleEntityImporter> create) : IBundleImportTarget
    {
        public string EntityName => name;

        public BundleEntityImporter CreateBundleImporter(BundleImportOptions options) => create(options);
    }

    /// <summary>A database of no entities: the catalog's tables are read, and no entity is reconciled or migrated.</summary>
    private sealed class CatalogDatabase : ReposDatabase
    {
        public ValueTask OpenAsync(string path, int version, CancellationToken cancellationToken, bool readOnly = true) =>
            OpenCoreAsync(path, new ReposDatabaseOptions { ReadOnly = readOnly }, [], version, cancellationToken);
    }
}

/// <summary>An entity as a file's catalog lists it.</summary>
/// <param name="Name">The entity's name.</param>
/// <param name="Table">Its table.</param>
/// <param name="Type">The stored type its rows are (a .NET type name).</param>
/// <param name="KeyProperty">Its key property.</param>
/// <param name="KeyKind">How its key is stored: <c>Integer</c>, <c>Text</c> or <c>Blob</c> (a Guid).</param>
/// <param name="Version">The schema version of its rows.</param>
/// <param name="Indexes">Its indexes.</param>
public sealed record ReposFileEntity(string Name, string Table, string Type, string KeyProperty, string KeyKind, int Version, IReadOnlyList<ReposFileIndex> Indexes);

/// <summary>An index as a file's catalog lists it.</summary>
/// <param name="Name">The index's name.</param>
/// <param name="Columns">Its columns (property names), in order.</param>
/// <param name="Unique">Whether it is unique.</param>
public sealed record ReposFileIndex(string Name, IReadOnlyList<string> Columns, bool Unique);
