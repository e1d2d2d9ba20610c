using System.ComponentModel;
using Repos.Serialization;
using Repos.Storage;
using Repos.Storage.Sqlite;

namespace Repos.Internal;

/// <summary>
/// The generated part of an entity the runtime calls on every write and read: key, index column values,
/// serializer and validator.
/// </summary>
/// <typeparam name="TEntity">The entity type.</typeparam>
/// <typeparam name="TKey">The key type.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public abstract partial class EntityDefinition<TEntity, TKey> : EntityDefinition
    where TEntity : class
    where TKey : notnull
{
    /// <inheritdoc />
    protected EntityDefinition(
        string name,
        string tableName,
        int version,
        string keyProperty,
        ColumnKind keyKind,
        TypeShape shape,
        TypeShape[] nestedShapes,
        IndexColumn[] columns,
        IndexDefinition[] indexes,
        EnumShape[]? enums = null)
        : base(name, tableName, version, keyProperty, keyKind, shape, nestedShapes, columns, indexes, enums)
    {
    }

    /// <summary>The entity's key.</summary>
    public abstract TKey GetKey(TEntity entity);

    /// <summary>The key as stored in the key column.</summary>
    public abstract ColumnValue GetKeyColumn(TKey key);

    /// <summary>Fills <paramref name="values"/> with the entity's index column values, in <see cref="EntityDefinition.Columns"/> order.</summary>
    public virtual void GetIndexColumns(TEntity entity, Span<ColumnValue> values)
    {
    }

    /// <summary>Writes the entity as a MessagePack map of field ids to values.</summary>
    public abstract void Write(ref MessagePackWriter writer, TEntity entity, SerializationContext context);

    /// <summary>Reads an entity written by <see cref="Write"/> (or by any earlier shape of the type).</summary>
    public abstract TEntity Read(ref MessagePackReader reader, SerializationContext context);

    /// <summary>The entity's row version (<see cref="EntityDefinition.RowVersionProperty"/>); 0 for an entity without one.</summary>
    public virtual long GetRowVersion(TEntity entity) => 0;

    /// <summary>
    /// The entity at row version <paramref name="version"/>: a copy (<c>with</c>) for a record, the same
    /// object with the property set for a class. An entity without a row version is returned as it is.
    /// </summary>
    public virtual TEntity WithRowVersion(TEntity entity, long version) => entity;

    /// <summary>
    /// The entity with the key Repos assigned it (<see cref="EntityDefinition.KeyGeneration"/>): a copy (<c>with</c>)
    /// for a record, the same object with the property set for a class.
    /// </summary>
    public virtual TEntity WithKey(TEntity entity, TKey key) =>
        throw new InvalidOperationException($"{Name} does not have its keys assigned by Repos.");

    /// <inheritdoc />
    internal sealed override void FillIndexColumns(SqliteConnection connection, SerializationContext context)
    {
        const int Batch = 1000;
        string table = SqlText.Quote(TableName);
        string assignments = string.Join(", ", Columns.Select((c, i) => $"{SqlText.Quote(c.Name)}=?{i + 2}"));
        SqliteStatement update = connection.Prepare($"UPDATE {table} SET {assignments} WHERE rowid=?1");
        using SqliteStatement select = connection.PrepareOnce($"SELECT rowid, key, _blob FROM {table} WHERE rowid > ?1 ORDER BY rowid LIMIT {Batch}");
        var rowids = new long[Batch];
        var values = new ColumnValue[Batch * Columns.Count];
        long last = long.MinValue;
        while (true)
        {
            // Read a batch, then write it: the rows are not changed while a statement is reading them.
            int count = 0;
            select.BindInt64(1, last);
            while (select.Step())
            {
                TEntity entity;
                try
                {
                    entity = ReadAnyVersion(select.ColumnBlob(2), context, select, 1);
                }
                catch (ReposFormatException e)
                {
                    string key = KeyText.FromColumn(select, 1, KeyKind);
                    select.Reset();
                    throw new CorruptedRowException(Name, key, e);
                }

                rowids[count] = select.ColumnInt64(0);
                GetIndexColumns(entity, values.AsSpan(count * Columns.Count, Columns.Count));
                count++;
            }

            select.Reset();
            for (int row = 0; row < count; row++)
            {
                update.BindInt64(1, rowids[row]);
                for (int column = 0; column < Columns.Count; column++)
                {
                    values[(row * Columns.Count) + column].Bind(update, column + 2);
                }

                update.Execute();
            }

            if (count < Batch)
            {
                return;
            }

            last = rowids[count - 1];
        }
    }

    /// <inheritdoc />
    internal sealed override long RunMigrations(SqliteConnection connection, SerializationContext context, MigrationContext migration)
    {
        string table = SqlText.Quote(TableName);
        var sql = new TableSql(this);
        long total = connection.ExecuteScalar($"SELECT count(*) FROM {table} WHERE _schema < {Version}");
        long done = 0;
        migration.Progress?.Report(new Migrations.MigrationProgress(Name, Version, 0, total));
        string columnList = string.Concat(Columns.Select(c => ", " + SqlText.Quote(c.Name)));
        using SqliteStatement select = connection.PrepareOnce(
            $"SELECT rowid, key, _schema, _blob{columnList} FROM {table} WHERE _schema < {Version} AND rowid > ?1 ORDER BY rowid");
        SqliteStatement delete = connection.Prepare($"DELETE FROM {table} WHERE rowid=?1");
        SqliteStatement insert = connection.Prepare(sql.Insert);
        var changed = new List<int>(Columns.Count);
        var updates = new Dictionary<ulong, string>();
        var batch = new MigrationBatch(Columns.Count);
        var columns = new ColumnValue[Columns.Count];
        var payload = new System.Buffers.ArrayBufferWriter<byte>(1024);
        var blob = new System.Buffers.ArrayBufferWriter<byte>(1024);
        var compression = new CompressionGate();
        var columnChanges = new int[Columns.Count];
        List<IndexDefinition>? dropped = null;
        long last = long.MinValue;

        // Inserts the row just encoded into blob, with the index values in columns.
        void Insert(ColumnValue key)
        {
            // A row under a new key is a new row: held to the key limit like any insert (a kept key stays as stored).
            KeyText.CheckLength(Name, KeyProperty, key);
            key.Bind(insert, 1);
            for (int i = 0; i < columns.Length; i++)
            {
                columns[i].Bind(insert, i + 2);
            }

            insert.BindInt64(sql.SchemaParameter, Version);
            insert.BindBlob(sql.BlobParameter, blob.WrittenSpan);
            insert.Execute();
        }

        while (true)
        {
            // Read a batch (rows already migrated are at the new version, so they are not read again), then write it.
            batch.Clear();
            select.BindInt64(1, last);
            bool more = false;
            while (batch.HasRoom && (more = select.Step()))
            {
                try
                {
                    batch.Add(select, context);
                }
                catch (ReposFormatException e)
                {
                    throw new CorruptedRowException(Name, KeyText.FromColumn(select, 1, KeyKind), e);
                }
            }

            select.Reset();
            for (int index = 0; index < batch.Count; index++)
            {
                long rowId = batch.RowId(index);
                ColumnValue oldKey = batch.Key(index);
                var row = Migrations.StoredRow.Read(Name, oldKey, batch.Version(index), batch.Payload(index), migration);
                int from = row.Version;
                try
                {
                    IReadOnlyList<Migrations.StoredRow> added = Upgrade(row);

                    // Rows a step split off are new rows: inserted, under the keys the step gave them.
                    foreach (Migrations.StoredRow extra in added)
                    {
                        extra.Version = Version;
                        TEntity split = Encode(extra, migration, context, payload, blob, compression);
                        GetIndexColumns(split, columns);
                        Insert(GetKeyColumn(GetKey(split)));
                    }

                    if (row.IsDeleted)
                    {
                        delete.BindInt64(1, rowId);
                        delete.Execute();
                        continue;
                    }

                    row.Version = Version;
                    TEntity entity = Encode(row, migration, context, payload, blob, compression);
                    ColumnValue key = GetKeyColumn(GetKey(entity));
                    GetIndexColumns(entity, columns);
                    if (key == oldKey)
                    {
                        // Same key: the row is updated where it is, setting only the index columns whose values
                        // changed, so SQLite touches only the indexes that hold them.
                        changed.Clear();
                        ulong mask = 0;
                        for (int i = 0; i < columns.Length; i++)
                        {
                            if (!batch.Holds(index, i, columns[i]))
                            {
                                changed.Add(i);
                                mask |= 1UL << (i & 63);
                                columnChanges[i]++;
                            }
                        }

                        if (!updates.TryGetValue(mask, out string? updateSql))
                        {
                            string assignments = string.Concat(changed.Select((c, n) => $"{SqlText.Quote(Columns[c].Name)}=?{n + 4}, "));
                            updateSql = $"UPDATE {table} SET {assignments}_schema=?2, _blob=?3 WHERE rowid=?1";
                            updates[mask] = updateSql;
                        }

                        SqliteStatement update = connection.Prepare(updateSql);
                        update.BindInt64(1, rowId);
                        update.BindInt64(2, Version);
                        update.BindBlob(3, blob.WrittenSpan);
                        for (int n = 0; n < changed.Count; n++)
                        {
                            columns[changed[n]].Bind(update, n + 4);
                        }

                        update.Execute();
                        continue;
                    }

                    delete.BindInt64(1, rowId);
                    delete.Execute();
                    Insert(key);
                }
                catch (Exception e) when (e is not ReposMigrationException)
                {
                    throw new ReposMigrationException(Name, from, Version, row.Key, migration.BackupPath, e);
                }
            }

            done += batch.Count;
            migration.Progress?.Report(new Migrations.MigrationProgress(Name, Version, done, total));
            if (!more)
            {
                // Indexes dropped for the migration are built again, from the migrated rows.
                foreach (IndexDefinition index in dropped ?? [])
                {
                    connection.Execute(Catalog.CreateIndexSql(this, index));
                }

                return done;
            }

            // A migration that changes an indexed value on most rows would move index entries all over the index,
            // rewriting its pages again and again; building it once at the end, sorted, is much cheaper. Decided
            // on the first batch; unique indexes stay, so a duplicate is still caught on its row.
            dropped ??= DropIndexesMostRowsChange(connection, columnChanges, batch.Count);
            last = batch.RowId(batch.Count - 1);
        }
    }

    private List<IndexDefinition> DropIndexesMostRowsChange(SqliteConnection connection, int[] columnChanges, int rows)
    {
        var dropped = new List<IndexDefinition>();
        foreach (IndexDefinition index in Indexes)
        {
            if (index.Unique)
            {
                continue;
            }

            foreach (string column in index.Columns)
            {
                int ordinal = ColumnOrdinal(column);
                if (ordinal >= 0 && columnChanges[ordinal] * 4 >= rows)
                {
                    connection.Execute($"DROP INDEX {SqlText.Quote(TableName + "_" + index.Name)}");
                    dropped.Add(index);
                    break;
                }
            }
        }

        return dropped;
    }

    private int ColumnOrdinal(string name)
    {
        for (int i = 0; i < Columns.Count; i++)
        {
            if (Columns[i].Name == name)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>
    /// Decodes a stored envelope as the current model: directly when the row is at the current version, or,
    /// for an entity that migrates lazily, by running the migrations on it in memory first.
    /// </summary>
    internal TEntity ReadAnyVersion(ReadOnlySpan<byte> envelope, SerializationContext context, SqliteStatement statement, int keyColumn)
    {
        using BlobPayload payload = BlobEnvelope.Read(envelope, context.Dictionaries.Find);
        return ReadPayload(payload, envelope.Length, context, statement, keyColumn, null);
    }

    /// <summary>
    /// Decodes a verified payload as the current model (see <see cref="ReadAnyVersion"/>). The key, needed only
    /// to upgrade a lazily migrated row, is <paramref name="keyText"/> or else read from the statement.
    /// </summary>
    private TEntity ReadPayload(
        scoped in BlobPayload payload,
        int envelopeLength,
        SerializationContext context,
        SqliteStatement? statement,
        int keyColumn,
        string? keyText)
    {
        if (payload.SchemaVersion > Version && !context.ReadsNewerRows)
        {
            string stored = keyText ?? KeyText.FromColumn(statement!, keyColumn, KeyKind);
            throw new ReposCatalogChangedException(
                context.FilePath,
                Name,
                $"the row {stored} of {Name} is stored at schema version {payload.SchemaVersion}, newer than this app's version {Version}");
        }

        if (payload.SchemaVersion >= Version || context.GetMigration(Shape) is not { } migration)
        {
            var reader = new MessagePackReader(payload.Span);
            return Read(ref reader, context);
        }

        string key = keyText ?? KeyText.FromColumn(statement!, keyColumn, KeyKind);
        var row = Migrations.StoredRow.Read(Name, key, payload.SchemaVersion, payload.Span.ToArray(), migration);
        int from = row.Version;
        try
        {
            UpgradeLazily(row);
            return Encode(row, migration, context, new System.Buffers.ArrayBufferWriter<byte>(envelopeLength * 2), new System.Buffers.ArrayBufferWriter<byte>(envelopeLength * 2), compression: null);
        }
        catch (Exception e) when (e is not ReposMigrationException and not ReposFormatException)
        {
            throw new ReposMigrationException(Name, from, Version, key, null, e);
        }
    }

    /// <summary>
    /// A stored payload as the current version has it, for a rewrite of the row to carry over what the model
    /// does not know: the payload itself when it is at the current version, or, for an entity that migrates
    /// lazily, the row upgraded by the migrations, written to <paramref name="upgraded"/> (the fields an eager
    /// migration would have stored, so a field a step moved or removed is not carried over from where it was).
    /// </summary>
    internal ReadOnlySpan<byte> CurrentPayload(
        ReadOnlySpan<byte> payload,
        int schemaVersion,
        TKey key,
        SerializationContext context,
        System.Buffers.ArrayBufferWriter<byte> upgraded) =>
        CurrentPayload(payload, schemaVersion, GetKeyColumn(key), context, upgraded);

    /// <inheritdoc cref="CurrentPayload(ReadOnlySpan{byte}, int, TKey, SerializationContext, System.Buffers.ArrayBufferWriter{byte})"/>
    internal override ReadOnlySpan<byte> CurrentPayload(
        ReadOnlySpan<byte> payload,
        int schemaVersion,
        ColumnValue key,
        SerializationContext context,
        System.Buffers.ArrayBufferWriter<byte> upgraded)
    {
        if (schemaVersion >= Version || context.GetMigration(Shape) is not { } migration)
        {
            return payload;
        }

        string keyText = KeyText.FromValue(key);
        var row = Migrations.StoredRow.Read(Name, keyText, schemaVersion, payload.ToArray(), migration);
        try
        {
            UpgradeLazily(row);
            upgraded.ResetWrittenCount();
            WriteFields(row, migration, upgraded);
            return upgraded.WrittenSpan;
        }
        catch (Exception e) when (e is not ReposMigrationException and not ReposFormatException)
        {
            throw new ReposMigrationException(Name, schemaVersion, Version, keyText, null, e);
        }
    }

    /// <summary>Runs the steps on a row read lazily, which may change it but not delete or split it.</summary>
    private void UpgradeLazily(Migrations.StoredRow row)
    {
        if (Upgrade(row).Count > 0 || row.IsDeleted)
        {
            throw new InvalidOperationException($"{Name} migrates lazily, so its migrations may change rows but not delete or split them.");
        }

        row.Version = Version;
    }

    /// <summary>
    /// Runs every step from the row's version up on the row, and on the rows steps split off (each from the
    /// version it was split at). Returns the split-off rows that were not deleted.
    /// </summary>
    private IReadOnlyList<Migrations.StoredRow> Upgrade(Migrations.StoredRow row)
    {
        // Most rows split nothing: the queue and the list are made only for a row that does.
        Queue<Migrations.StoredRow>? pending = null;
        List<Migrations.StoredRow>? added = null;
        for (Migrations.StoredRow? current = row; current is not null; current = pending is { Count: > 0 } ? pending.Dequeue() : null)
        {
            int seen = current.Added.Count;
            for (int version = current.Version; version < Version && !current.IsDeleted; version++)
            {
                current.Version = version;
                MigrateRow(version, current);

                // A row split off at this step continues from the next version.
                for (; seen < current.Added.Count; seen++)
                {
                    Migrations.StoredRow split = current.Added[seen];
                    split.Version = version + 1;
                    (pending ??= new Queue<Migrations.StoredRow>()).Enqueue(split);
                    (added ??= []).Add(split);
                }
            }
        }

        if (added is null)
        {
            return [];
        }

        added.RemoveAll(r => r.IsDeleted);
        return added;
    }

    /// <summary>
    /// Encodes a migrated row as the current model stores it, and reads it back with the model to check it. The
    /// blob is compressed as <paramref name="compression"/> decides, or not at all without one (a row migrated
    /// as it is read, whose blob is not stored).
    /// </summary>
    private TEntity Encode(
        Migrations.StoredRow row,
        MigrationContext migration,
        SerializationContext context,
        System.Buffers.ArrayBufferWriter<byte> payload,
        System.Buffers.ArrayBufferWriter<byte> blob,
        CompressionGate? compression)
    {
        payload.ResetWrittenCount();
        WriteFields(row, migration, payload);
        var reader = new MessagePackReader(payload.WrittenSpan);
        TEntity entity = Read(ref reader, context);
        blob.ResetWrittenCount();
        if (compression is null)
        {
            BlobEnvelope.Write(payload.WrittenSpan, Version, blob, allowCompression: false);
        }
        else
        {
            compression.Write(payload.WrittenSpan, Version, blob, context.EntityDictionaries.GetValueOrDefault(Name));
        }

        return entity;
    }

    /// <summary>
    /// Brings a row of an older schema version, from an imported bundle, to the current one through the migration
    /// steps, and writes its fields with <paramref name="current"/>'s ids into <paramref name="payload"/>; a field the
    /// current model has no property for is left out, as an import leaves out properties it does not know.
    /// </summary>
    /// <returns>False when a step deleted the row.</returns>
    /// <exception cref="ReposMigrationException">A step failed, or split the row (which an import cannot follow).</exception>
    internal bool UpgradeImported(Migrations.StoredRow row, MigrationContext current, System.Buffers.ArrayBufferWriter<byte> payload)
    {
        int from = row.Version;
        try
        {
            if (Upgrade(row).Count > 0)
            {
                throw new InvalidOperationException($"{Name}'s migration steps split rows, which an import of an older bundle cannot follow.");
            }
        }
        catch (Exception e) when (e is not ReposMigrationException and not ReposFormatException)
        {
            throw new ReposMigrationException(Name, from, Version, row.Key, null, e);
        }

        if (row.IsDeleted)
        {
            return false;
        }

        row.Version = Version;
        int known = 0;
        foreach ((string name, _) in row.Fields)
        {
            known += current.IdsByName.ContainsKey(name) ? 1 : 0;
        }

        payload.ResetWrittenCount();
        var writer = new MessagePackWriter(payload);
        writer.WriteMapHeader(known);
        foreach ((string name, ReadOnlyMemory<byte> value) in row.Fields)
        {
            if (current.IdsByName.TryGetValue(name, out int id))
            {
                writer.Write(id);
                writer.WriteRaw(value.Span);
            }
        }

        writer.Flush();
        return true;
    }

    /// <summary>Writes a row's fields as a map of the catalog's field ids to their values.</summary>
    private void WriteFields(Migrations.StoredRow row, MigrationContext migration, System.Buffers.ArrayBufferWriter<byte> payload)
    {
        var writer = new MessagePackWriter(payload);
        writer.WriteMapHeader(row.Fields.Length);
        foreach ((string name, ReadOnlyMemory<byte> value) in row.Fields)
        {
            if (!migration.IdsByName.TryGetValue(name, out int id))
            {
                throw new InvalidOperationException($"The migration set the field {name}, which {Name} does not have.");
            }

            writer.Write(id);
            writer.WriteRaw(value.Span);
        }

        writer.Flush();
    }

    /// <summary>Adds every rule the entity breaks to <paramref name="errors"/>.</summary>
    public virtual void Validate(TEntity entity, ValidationErrors errors)
    {
    }
}
