using System.ComponentModel;
using Repos.Internal;
using Repos.Serialization;
using Repos.Storage;
using Repos.Storage.Sqlite;

namespace Repos;

/// <summary>
/// The typed repository of one entity: get by key, insert, upsert, update, delete (one or many), count,
/// and stream all. Each generated repository derives from it and adds typed queries for the entity's indexes.
/// </summary>
/// <typeparam name="TEntity">The entity type.</typeparam>
/// <typeparam name="TKey">The type of its key.</typeparam>
/// <remarks>
/// Every write validates the entity first and writes nothing if it breaks a rule; every write is atomic
/// (many-entity writes included) and joins the flow's open <see cref="ReposTransaction"/> if there is one.
/// </remarks>
public abstract partial class Repository<TEntity, TKey> : Transfer.IBundleImportTarget
    where TEntity : class
    where TKey : notnull
{
    [ThreadStatic]
    private static ValidationErrors? t_errors;

    private readonly ReposDatabase _database;
    private readonly EntityDefinition<TEntity, TKey> _definition;
    private readonly TableSql _sql;

    // Per open database: whether this table's writes try to compress, learned from its own writes.
    private readonly CompressionGate _compression = new();
    private readonly ColumnValue[] _columns;

    // The ordinal of the row version property among the entity's stored fields, or -1 when it has none.
    private readonly int _rowVersionField;

    // Whether Repos assigns keys of new entities, and how.
    private readonly KeyGeneration _keyGeneration;

    // Whether the entity is [Synced]: its writes record their changes (Sync.SyncLog).
    private readonly bool _synced;

    /// <summary>Creates the repository of an entity in a database; generated code calls this.</summary>
    /// <param name="database">The open database.</param>
    /// <param name="definition">The entity's generated definition.</param>
    [EditorBrowsable(EditorBrowsableState.Never)]
    protected Repository(ReposDatabase database, EntityDefinition<TEntity, TKey> definition)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(definition);
        _database = database;
        _definition = definition;
        _sql = new TableSql(definition);
        _columns = new ColumnValue[definition.Columns.Count];
        _rowVersionField = RowVersionOrdinal(definition);
        _keyGeneration = definition.KeyGeneration;
        _synced = definition.IsSynced;
        if (_synced)
        {
            database.AddSynced(this);
        }

        database.BundleTargets[definition.Name] = this;
    }

    Transfer.BundleEntityImporter Transfer.IBundleImportTarget.CreateBundleImporter(Transfer.BundleImportOptions options) =>
        new Transfer.BundleEntityImporter<TEntity, TKey>(this, options);

    /// <summary>The entity's name.</summary>
    public string EntityName => _definition.Name;

    /// <summary>The database this repository belongs to.</summary>
    protected ReposDatabase Database => _database;

    /// <summary>The entity's generated definition.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    protected internal EntityDefinition<TEntity, TKey> Definition => _definition;

    internal TableSql Sql => _sql;

    /// <summary>The SQL of every index query shape this repository has run (see <see cref="Querying.QueryShape"/>).</summary>
    internal System.Collections.Concurrent.ConcurrentDictionary<Querying.QueryShape, string> QuerySql { get; } = new();

    /// <summary>The SQL that reads a row's index values for <c>After(key)</c>, by index and equality prefix length.</summary>
    internal System.Collections.Concurrent.ConcurrentDictionary<(IndexDefinition Index, int PrefixLength), string> AfterKeySql { get; } = new();

    internal ReposDatabase Owner => _database;

    /// <summary>Throws <see cref="EntityValidationException"/> listing every rule the entity breaks.</summary>
    private void Validate(TEntity entity)
    {
        ArgumentNullException.ThrowIfNull(entity);
        ValidationErrors errors = t_errors ??= new ValidationErrors();
        errors.Clear();
        _definition.Validate(entity, errors);
        ValidateKey(_definition.GetKey(entity), errors);
        if (!errors.IsEmpty)
        {
            ValidationError[] broken = [.. errors];
            errors.Clear();
            throw new EntityValidationException(_definition.Name, KeyText.Of(_definition.GetKey(entity)), broken);
        }
    }

    /// <summary>Records a key longer than <see cref="ReposLimits.MaxKeyBytes"/> as a broken rule of the key property.</summary>
    internal void ValidateKey(TKey key, ValidationErrors errors)
    {
        if (key is string && KeyText.LengthError(_definition.KeyProperty, _definition.GetKeyColumn(key)) is { } error)
        {
            errors.Add(error.Property, error.Rule, error.Message);
        }
    }

    /// <summary>
    /// The one write path of the table: every insert, upsert, update and delete, alone or in a batch,
    /// inside or outside a caller's transaction, comes through here (imports too). It does not validate.
    /// </summary>
    /// <param name="connection">The write transaction's connection.</param>
    /// <param name="kind">The change.</param>
    /// <param name="key">The row's key.</param>
    /// <param name="entity">The entity to write; for a delete, null, or the entity whose row version the delete checks.</param>
    /// <returns>The entity as written: at its new row version when it has one (<see cref="CheckRowVersion"/>); null for a delete.</returns>
    internal TEntity? Apply(SqliteConnection connection, WriteKind kind, TKey key, TEntity? entity)
    {
        // Repos stores exactly the entity type: a derived object's own values would be lost.
        if (entity is not null && kind != WriteKind.Delete && entity.GetType() != typeof(TEntity))
        {
            throw new UnsupportedDerivedTypeException(_definition.Name, typeof(TEntity), entity.GetType());
        }

        if (entity is not null && kind is WriteKind.Insert or WriteKind.Upsert && IsUnassigned(key))
        {
            return InsertWithNewKey(connection, entity);
        }

        return ApplyCore(connection, kind, key, entity);
    }

    /// <inheritdoc cref="Apply"/>
    private TEntity? ApplyCore(SqliteConnection connection, WriteKind kind, TKey key, TEntity? entity)
    {
        if (entity is null || _rowVersionField < 0)
        {
            Write(connection, kind, key, kind == WriteKind.Delete ? null : entity);
            return kind == WriteKind.Delete ? null : entity;
        }

        long version = _definition.GetRowVersion(entity);
        TEntity written = CheckRowVersion(connection, kind, key, entity, version);
        if (kind == WriteKind.Delete)
        {
            Write(connection, kind, key, null);
            return null;
        }

        try
        {
            Write(connection, kind, key, written);
        }
        catch (Exception) when (_definition.GetRowVersion(entity) != version)
        {
            // A class's row version is set in place (a record's, on a copy): a failed write gives the object its version back.
            _definition.WithRowVersion(entity, version);
            throw;
        }

        return written;
    }

    /// <summary>Runs the change's statement: binds the key, and for all but a delete the index columns and the blob.</summary>
    private void Write(SqliteConnection connection, WriteKind kind, TKey key, TEntity? entity)
    {
        string sql = kind switch
        {
            WriteKind.Insert => _sql.Insert,
            WriteKind.Upsert => _sql.Upsert,
            WriteKind.Update => _sql.Update,
            _ => _sql.Delete,
        };

        ColumnValue keyColumn = _definition.GetKeyColumn(key);
        if (kind != WriteKind.Delete)
        {
            // Every write path comes here, those that skip Validate too; a delete may remove a row stored before the limit.
            KeyText.CheckLength(_definition.Name, _definition.KeyProperty, keyColumn);
        }

        // A synced write compares what it replaces with what it writes, field by field, and sets the row's sync
        // state in the same statement (docs/sync.md, Capture).
        Sync.SyncLog? sync = _synced ? _database.SyncLog : null;
        Sync.SyncLog? merging = null;
        if (sync is { Applying: true })
        {
            // A pulled change's write records nothing (no echo); it binds the merged state the change prepared.
            (merging, sync) = (sync, null);
            sql = kind == WriteKind.Upsert ? _sql.SyncedUpsert : sql;
        }

        // An insert need not look: when the key is stored, its statement fails.
        StoredRead stored = sync is null || kind == WriteKind.Delete ? StoredRead.NotRead
            : kind == WriteKind.Insert ? StoredRead.Missing
            : ReadSyncedRow(connection, keyColumn, sync);
        if (sync is not null)
        {
            sql = kind switch
            {
                WriteKind.Delete => _sql.SyncedDelete,
                WriteKind.Update => _sql.SyncedUpdate,
                _ => stored == StoredRead.Missing ? _sql.SyncedInsert : _sql.SyncedUpdate,
            };
        }

        (long Inserted, int InsertedBy, long Pushed)? deletedState = null;
        SqliteStatement statement = connection.Prepare(sql);
        try
        {
            keyColumn.Bind(statement, 1);
            if (entity is not null)
            {
                ReadOnlySpan<byte> blob = Encode(connection, kind, key, entity, sync is null ? (_carryOverFromMerged ? true : null) : stored == StoredRead.Found, out ReadOnlySpan<byte> payload);
                _definition.GetIndexColumns(entity, _columns);
                for (int i = 0; i < _columns.Length; i++)
                {
                    _columns[i].Bind(statement, i + 2);
                }

                statement.BindInt64(_sql.SchemaParameter, _definition.Version);
                statement.BindBlob(_sql.BlobParameter, blob);
                if (sync is not null)
                {
                    if (stored == StoredRead.Found)
                    {
                        sync.StampUpdate(_database.SyncBeforeBuffer.WrittenSpan, payload);
                    }
                    else
                    {
                        sync.StampInsert(stored == StoredRead.Damaged);
                    }

                    sync.BindState(statement, _sql.SyncStateParameter);
                }
                else if (merging is not null && kind == WriteKind.Upsert)
                {
                    merging.BindState(statement, _sql.SyncStateParameter);
                }
            }

            if (statement.Step() && sync is not null && kind == WriteKind.Delete)
            {
                deletedState = (statement.ColumnInt64(0), (int)statement.ColumnInt64(1), statement.ColumnInt64(2));
                while (statement.Step())
                {
                }
            }
        }
        catch (ReposStorageException e) when (e.ResultCode == SqliteCodes.Constraint)
        {
            throw TranslateConstraint(e, key);
        }
        finally
        {
            statement.Reset();
        }

        if (kind == WriteKind.Update && connection.Changes == 0)
        {
            throw new EntityNotFoundException(_definition.Name, KeyText.Of(key));
        }

        if (sync is not null)
        {
            if (deletedState is { } state)
            {
                sync.RecordDelete(connection, _definition.Name, keyColumn, state.Inserted, state.InsertedBy, state.Pushed);
            }
            else if (kind != WriteKind.Delete && stored == StoredRead.Missing)
            {
                sync.AfterInsert(connection, _definition.Name, keyColumn);
            }

            _database.SyncEngine?.OnLocalWrite();
        }
    }

    /// <summary>What a synced write found of the row it writes.</summary>
    private enum StoredRead
    {
        /// <summary>The write did not look.</summary>
        NotRead,

        /// <summary>No row has the key.</summary>
        Missing,

        /// <summary>The row is stored, and its payload is in <see cref="ReposDatabase.SyncBeforeBuffer"/>.</summary>
        Found,

        /// <summary>The row is stored but its blob cannot be read: every field of the write counts as changed.</summary>
        Damaged,
    }

    /// <summary>
    /// Reads the stored row with the key for a synced write, in one statement: its payload, as the current version
    /// has it, into <see cref="ReposDatabase.SyncBeforeBuffer"/>, and its sync state into <paramref name="sync"/>.
    /// </summary>
    private StoredRead ReadSyncedRow(SqliteConnection connection, ColumnValue key, Sync.SyncLog sync)
    {
        SqliteStatement get = connection.Prepare(_sql.SyncedGet);
        try
        {
            key.Bind(get, 1);
            if (!get.Step())
            {
                return StoredRead.Missing;
            }

            sync.LoadState(get, 2);
            return CopyPayload(get.ColumnBlob(1), key, _database.SyncBeforeBuffer) ? StoredRead.Found : StoredRead.Damaged;
        }
        finally
        {
            get.Reset();
        }
    }

    /// <summary>Copies a stored blob's payload, as the current version has it, into <paramref name="buffer"/>; false when the blob is damaged.</summary>
    private bool CopyPayload(ReadOnlySpan<byte> blob, ColumnValue key, System.Buffers.ArrayBufferWriter<byte> buffer, System.Buffers.ArrayBufferWriter<byte>? upgrade = null)
    {
        try
        {
            using BlobPayload payload = BlobEnvelope.Read(blob, _database.Context.Dictionaries.Find);
            ReadOnlySpan<byte> stored = _definition.CurrentPayload(payload.Span, payload.SchemaVersion, key, _database.Context, upgrade ?? _database.UpgradeBuffer);
            buffer.ResetWrittenCount();
            stored.CopyTo(buffer.GetSpan(stored.Length));
            buffer.Advance(stored.Length);
            return true;
        }
        catch (ReposFormatException)
        {
            return false;
        }
    }

    /// <summary>
    /// Copies the stored payload of the row with the key, as the current version has it, into <paramref name="buffer"/>.
    /// False when there is no such row, or it is damaged (then every field of the write counts as changed).
    /// </summary>
    internal bool ReadStoredPayload(SqliteConnection connection, ColumnValue key, System.Buffers.ArrayBufferWriter<byte> buffer) =>
        ReadStoredPayload(connection, key, buffer, out _);

    /// <inheritdoc cref="ReadStoredPayload(SqliteConnection, ColumnValue, System.Buffers.ArrayBufferWriter{byte})"/>
    /// <param name="connection">The connection to read with.</param>
    /// <param name="key">The row's key.</param>
    /// <param name="buffer">Where the payload goes.</param>
    /// <param name="stored">Whether a row with the key is stored (damaged or not).</param>
    /// <param name="upgrade">
    /// Where a lazily migrated row is upgraded: a buffer of the caller's when it reads without the write lock (the
    /// database's own is the write lock's).
    /// </param>
    internal bool ReadStoredPayload(
        SqliteConnection connection, ColumnValue key, System.Buffers.ArrayBufferWriter<byte> buffer, out bool stored, System.Buffers.ArrayBufferWriter<byte>? upgrade = null)
    {
        SqliteStatement get = connection.Prepare(_sql.Get);
        try
        {
            key.Bind(get, 1);
            stored = get.Step();
            return stored && CopyPayload(get.ColumnBlob(1), key, buffer, upgrade);
        }
        finally
        {
            get.Reset();
        }
    }

    /// <summary>Whether an entity with the key is stored, as <paramref name="connection"/> sees the table.</summary>
    internal bool ContainsKey(SqliteConnection connection, TKey key)
    {
        SqliteStatement statement = connection.Prepare(_sql.Exists);
        try
        {
            _definition.GetKeyColumn(key).Bind(statement, 1);
            return statement.Step();
        }
        finally
        {
            statement.Reset();
        }
    }

    /// <summary>
    /// Encodes the entity as its blob. A rewrite of a row whose stored fields the model may not all know (the
    /// catalog says so at open) merges the stored row's unknown fields in, at every depth (<see cref="CarryOver"/>).
    /// <paramref name="storedRead"/> says whether a synced write has already read the stored payload (into
    /// <see cref="ReposDatabase.SyncBeforeBuffer"/>): true when it found one, false when there is none; null when
    /// the write did not look, so the merge reads the stored row itself.
    /// </summary>
    private ReadOnlySpan<byte> Encode(SqliteConnection connection, WriteKind kind, TKey key, TEntity entity, bool? storedRead, out ReadOnlySpan<byte> encoded)
    {
        System.Buffers.ArrayBufferWriter<byte> payload = _database.PayloadBuffer;
        System.Buffers.ArrayBufferWriter<byte> blob = _database.BlobBuffer;
        payload.ResetWrittenCount();
        var writer = new MessagePackWriter(payload);
        try
        {
            _definition.Write(ref writer, entity, _database.Context);
        }
        catch (ObjectNestingException e)
        {
            // Validation refuses deep graphs it walks; a graph it does not walk (a write that skips it) ends here.
            throw new EntityValidationException(_definition.Name, KeyText.Of(key), [new ValidationError(string.Empty, "MaxDepth", null, e.Message)]);
        }
        catch (Internal.Codecs.DerivedValueException e)
        {
            throw new UnsupportedDerivedTypeException(_definition.Name, e.DeclaredType, e.ActualType);
        }

        writer.Flush();
        encoded = payload.WrittenSpan;
        FieldMap map = _database.Context.GetFieldMap(_definition.Shape);
        if (kind != WriteKind.Insert && map.CarriesOverStoredFields
            && (storedRead is { } found ? found && Merge(encoded, _database.SyncBeforeBuffer.WrittenSpan, map) : MergeStoredRow(connection, key, encoded, map)))
        {
            encoded = _database.MergeBuffer.WrittenSpan;
        }

        blob.ResetWrittenCount();
        _compression.Write(encoded, _definition.Version, blob, DictionaryFor(connection, encoded));
        return blob.WrittenSpan;
    }

    /// <summary>
    /// Writes <paramref name="encoded"/> with the fields of the stored row that this model does not know (written
    /// by a newer app, or kept from a property this one removed) merged in, to the merge buffer.
    /// </summary>
    /// <returns>False when there is no stored row, or it is damaged: then there is nothing to carry over.</returns>
    private bool MergeStoredRow(SqliteConnection connection, TKey key, ReadOnlySpan<byte> encoded, FieldMap map)
    {
        SqliteStatement get = connection.Prepare(_sql.Get);
        try
        {
            _definition.GetKeyColumn(key).Bind(get, 1);
            if (!get.Step())
            {
                return false;
            }

            using BlobPayload payload = BlobEnvelope.Read(get.ColumnBlob(1), _database.Context.Dictionaries.Find);
            return Merge(encoded, _definition.CurrentPayload(payload.Span, payload.SchemaVersion, key, _database.Context, _database.UpgradeBuffer), map);
        }
        catch (ReposFormatException)
        {
            // The stored row is damaged: the write replaces it, and nothing can be carried over from it.
            return false;
        }
        finally
        {
            get.Reset();
        }
    }

    /// <summary>Writes <paramref name="encoded"/> with the unknown fields of <paramref name="stored"/> merged in, to the merge buffer.</summary>
    private bool Merge(ReadOnlySpan<byte> encoded, ReadOnlySpan<byte> stored, FieldMap map)
    {
        _database.StoredRowsReadForCarryOver++;
        System.Buffers.ArrayBufferWriter<byte> merged = _database.MergeBuffer;
        merged.ResetWrittenCount();
        var writer = new MessagePackWriter(merged);
        try
        {
            CarryOver.Merge(ref writer, encoded, stored, map, _database.Context);
        }
        catch (ReposFormatException)
        {
            // The stored row is damaged: the write replaces it, and nothing can be carried over from it.
            return false;
        }

        writer.Flush();
        return true;
    }

    /// <summary>Decodes the blob in column 1 of the current row (the key is in column 0).</summary>
    internal TEntity DecodeRow(SqliteStatement statement)
    {
        try
        {
            return _definition.ReadAnyVersion(statement.ColumnBlob(1), _database.Context, statement, 0);
        }
        catch (ReposFormatException e)
        {
            throw new CorruptedRowException(_definition.Name, KeyText.FromColumn(statement, 0, _definition.KeyKind), e);
        }
    }

    /// <summary>
    /// Decodes the current row like <see cref="DecodeRow"/>; when the database has an
    /// <see cref="ReposDatabaseOptions.OnCorruptedRow"/> handler, a damaged row goes to it instead and null
    /// comes back, for the caller to skip the row.
    /// </summary>
    internal TEntity? DecodeRowOrSkip(SqliteStatement statement)
    {
        try
        {
            return DecodeRow(statement);
        }
        catch (CorruptedRowException e) when (_database.Options.OnCorruptedRow is { } handler)
        {
            handler(e);
            return null;
        }
    }

    private ReposException TranslateConstraint(ReposStorageException e, TKey key)
    {
        if (e.ExtendedResultCode == SqliteCodes.ConstraintPrimaryKey)
        {
            return new DuplicateKeyException(_definition.Name, KeyText.Of(key));
        }

        if (e.ExtendedResultCode == SqliteCodes.ConstraintUnique)
        {
            string[] failed = UniqueIndexViolationException.FailedColumns(e.Message);
            foreach (IndexDefinition index in _definition.Indexes)
            {
                if (index.Unique && index.Columns.SequenceEqual(failed, StringComparer.Ordinal))
                {
                    return new UniqueIndexViolationException(_definition.Name, KeyText.Of(key), index.Name, index.Columns);
                }
            }
        }

        return e;
    }
}
