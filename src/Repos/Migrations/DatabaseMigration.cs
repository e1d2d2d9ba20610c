using System.Runtime.CompilerServices;
using Repos.Internal;
using Repos.Serialization;
using Repos.Storage;
using Repos.Storage.Sqlite;

namespace Repos.Migrations;

/// <summary>
/// One step of a database migration (<see cref="DatabaseAttribute.Version"/>), handed to the database's
/// <c>MigrateFromVersion{N}Async</c> method. It reads the stored rows of any entity in the file, including
/// entities the model no longer has, and drops entities the model no longer needs.
/// </summary>
/// <remarks>
/// The step runs inside the transaction of the open: the database's repositories work as usual and join it,
/// and if the step throws, nothing it did (or anything else the open did) is kept. Entity migrations have
/// already run, so every entity of the model is at its current version.
/// </remarks>
public sealed class DatabaseMigration
{
    private const int BatchSize = 1000;

    private readonly ReposDatabase _database;
    private readonly IReadOnlyCollection<string> _modelEntities;
    private readonly IProgress<MigrationProgress>? _progress;
    private List<StoredEntity>? _stored;

    internal DatabaseMigration(
        ReposDatabase database,
        IReadOnlyCollection<string> modelEntities,
        int fromVersion,
        IProgress<MigrationProgress>? progress)
    {
        _database = database;
        _modelEntities = modelEntities;
        _progress = progress;
        FromVersion = fromVersion;
    }

    /// <summary>The version the database is at before this step.</summary>
    public int FromVersion { get; }

    /// <summary>The version the step brings the database to.</summary>
    public int ToVersion => FromVersion + 1;

    /// <summary>The names of the entities the file holds, whether or not the model still has them.</summary>
    public IReadOnlyList<string> StoredEntities => Stored().Select(e => e.Name).ToArray();

    /// <summary>How many stored rows the step was handed, for the catalog's record of the migration.</summary>
    internal long RowsRead { get; private set; }

    /// <summary>The stored row the step was handed last, named in the error if the step fails.</summary>
    internal StoredRow? CurrentRow { get; private set; }

    /// <summary>Whether the file holds the entity <paramref name="entityName"/>.</summary>
    public bool HasEntity(string entityName) => Find(entityName) is not null;

    /// <summary>Counts the stored rows of an entity, for progress.</summary>
    /// <param name="entityName">The entity's name, as the catalog records it (its type name).</param>
    /// <param name="cancellationToken">Cancels the count.</param>
    /// <exception cref="KeyNotFoundException">The file has no such entity.</exception>
    public ValueTask<long> CountStoredRowsAsync(string entityName, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        StoredEntity entity = Require(entityName);
        return new ValueTask<long>(Connection.ExecuteScalar($"SELECT count(*) FROM {SqlText.Quote(entity.TableName)}"));
    }

    /// <summary>
    /// Streams the stored rows of an entity, in the order they were stored, as <see cref="StoredRow"/>s: fields
    /// by name, read with <see cref="StoredRow.Get{T}"/> and <see cref="StoredRow.GetList{T}"/>. Rows are read
    /// in batches, so the step may write to other entities between rows.
    /// </summary>
    /// <param name="entityName">The entity's name, as the catalog records it (its type name).</param>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <exception cref="KeyNotFoundException">The file has no such entity.</exception>
    /// <exception cref="CorruptedRowException">A stored row cannot be decoded.</exception>
    public async IAsyncEnumerable<StoredRow> ReadStoredRowsAsync(
        string entityName,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        StoredEntity entity = Require(entityName);
        var names = new MigrationContext(Catalog.LoadFieldNames(Connection, entity.Type, null), new Dictionary<string, int>(), null, null);
        string sql = $"SELECT rowid, key, _schema, _blob FROM {SqlText.Quote(entity.TableName)} WHERE rowid > ?1 ORDER BY rowid LIMIT {BatchSize}";
        long after = long.MinValue;
        var batch = new List<StoredRow>(BatchSize);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            batch.Clear();
            after = ReadBatch(sql, after, entity, names, batch);
            foreach (StoredRow row in batch)
            {
                cancellationToken.ThrowIfCancellationRequested();
                CurrentRow = row;
                RowsRead++;
                yield return row;
            }

            if (batch.Count < BatchSize)
            {
                CurrentRow = null;
                yield break;
            }

            await Task.Yield();
        }
    }

    /// <summary>
    /// Removes an entity the model no longer has, with all its rows: its table and its catalog entries. Move
    /// the rows that matter elsewhere first; the copy of the file taken before the migration keeps them all.
    /// </summary>
    /// <param name="entityName">The entity's name, as the catalog records it (its type name).</param>
    /// <param name="cancellationToken">Cancels the drop before it starts.</param>
    /// <exception cref="KeyNotFoundException">The file has no such entity.</exception>
    /// <exception cref="InvalidOperationException">The model still has the entity.</exception>
    public ValueTask DropEntityAsync(string entityName, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        StoredEntity entity = Require(entityName);
        if (_modelEntities.Contains(entity.Name))
        {
            throw new InvalidOperationException($"{entity.Name} is part of the model, so it cannot be dropped; remove it from the [Database] first.");
        }

        Catalog.DropEntity(Connection, entity);
        _stored = null;
        return ValueTask.CompletedTask;
    }

    /// <summary>Reports how far the step has got, through <see cref="ReposDatabaseOptions.MigrationProgress"/>.</summary>
    /// <param name="entityName">What the step is working on.</param>
    /// <param name="rowsDone">Rows done so far.</param>
    /// <param name="rowsTotal">Rows in all.</param>
    public void ReportProgress(string entityName, long rowsDone, long rowsTotal) =>
        _progress?.Report(new MigrationProgress(entityName, ToVersion, rowsDone, rowsTotal));

    private SqliteConnection Connection => _database.Writer;

    private long ReadBatch(string sql, long after, StoredEntity entity, MigrationContext names, List<StoredRow> batch)
    {
        SqliteStatement select = Connection.Prepare(sql);
        try
        {
            select.BindInt64(1, after);
            while (select.Step())
            {
                after = select.ColumnInt64(0);
                string key = KeyText.FromColumn(select, 1, entity.KeyKind);
                try
                {
                    using BlobPayload payload = BlobEnvelope.Read(select.ColumnBlob(3), _database.Context.Dictionaries.Find);
                    batch.Add(StoredRow.Read(entity.Name, key, (int)select.ColumnInt64(2), payload.Span.ToArray(), names));
                }
                catch (ReposFormatException e)
                {
                    throw new CorruptedRowException(entity.Name, key, e);
                }
            }
        }
        finally
        {
            select.Reset();
        }

        return after;
    }

    private List<StoredEntity> Stored() => _stored ??= Catalog.ListEntities(Connection);

    private StoredEntity? Find(string entityName)
    {
        ArgumentNullException.ThrowIfNull(entityName);
        foreach (StoredEntity entity in Stored())
        {
            if (entity.Name == entityName)
            {
                return entity;
            }
        }

        return null;
    }

    private StoredEntity Require(string entityName) =>
        Find(entityName) ?? throw new KeyNotFoundException($"The file holds no entity named {entityName}.");
}
