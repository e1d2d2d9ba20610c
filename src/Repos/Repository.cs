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
public abstract partial class Repository<TEntity, TKey>
    where TEntity : class
    where TKey : notnull
{
    [ThreadStatic]
    private static ValidationErrors? t_errors;

    private readonly ReposDatabase _database;
    private readonly EntityDefinition<TEntity, TKey> _definition;
    private readonly TableSql _sql;
    private readonly ColumnValue[] _columns;

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
    }

    /// <summary>The entity's name.</summary>
    public string EntityName => _definition.Name;

    /// <summary>The database this repository belongs to.</summary>
    protected ReposDatabase Database => _database;

    /// <summary>The entity's generated definition.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    protected internal EntityDefinition<TEntity, TKey> Definition => _definition;

    internal TableSql Sql => _sql;

    internal ReposDatabase Owner => _database;

    /// <summary>Throws <see cref="EntityValidationException"/> listing every rule the entity breaks.</summary>
    private void Validate(TEntity entity)
    {
        ArgumentNullException.ThrowIfNull(entity);
        ValidationErrors errors = t_errors ??= new ValidationErrors();
        errors.Clear();
        _definition.Validate(entity, errors);
        if (!errors.IsEmpty)
        {
            ValidationError[] broken = [.. errors];
            errors.Clear();
            throw new EntityValidationException(_definition.Name, KeyText.Of(_definition.GetKey(entity)), broken);
        }
    }

    /// <summary>
    /// The one write path of the table: every insert, upsert, update and delete, alone or in a batch,
    /// inside or outside a caller's transaction, comes through here.
    /// </summary>
    private void Apply(SqliteConnection connection, WriteKind kind, TKey key, TEntity? entity)
    {
        string sql = kind switch
        {
            WriteKind.Insert => _sql.Insert,
            WriteKind.Upsert => _sql.Upsert,
            WriteKind.Update => _sql.Update,
            _ => _sql.Delete,
        };

        SqliteStatement statement = connection.Prepare(sql);
        try
        {
            _definition.GetKeyColumn(key).Bind(statement, 1);
            if (entity is not null)
            {
                int carried = kind != WriteKind.Insert && _database.Context.GetFieldMap(_definition.Shape).HasUnknownStoredFields
                    ? CollectUnknownFields(connection, key)
                    : 0;
                ReadOnlySpan<byte> blob = Encode(entity, carried);
                _definition.GetIndexColumns(entity, _columns);
                for (int i = 0; i < _columns.Length; i++)
                {
                    _columns[i].Bind(statement, i + 2);
                }

                statement.BindInt64(_sql.SchemaParameter, _definition.Version);
                statement.BindBlob(_sql.BlobParameter, blob);
            }

            statement.Step();
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
    }

    private ReadOnlySpan<byte> Encode(TEntity entity, int carried)
    {
        System.Buffers.ArrayBufferWriter<byte> payload = _database.PayloadBuffer;
        System.Buffers.ArrayBufferWriter<byte> blob = _database.BlobBuffer;
        payload.ResetWrittenCount();
        var writer = new MessagePackWriter(payload);
        _definition.Write(ref writer, entity, _database.Context);
        writer.Flush();
        ReadOnlySpan<byte> encoded = payload.WrittenSpan;
        if (carried > 0)
        {
            // The entity's map gets the carried-over fields appended: a new header, the entity's pairs, theirs.
            var header = new MessagePackReader(encoded);
            int fields = header.ReadMapHeader();
            System.Buffers.ArrayBufferWriter<byte> merged = _database.MergeBuffer;
            merged.ResetWrittenCount();
            var mergeWriter = new MessagePackWriter(merged);
            mergeWriter.WriteMapHeader(fields + carried);
            mergeWriter.WriteRaw(encoded[(int)header.Consumed..]);
            mergeWriter.WriteRaw(_database.CarryBuffer.WrittenSpan);
            mergeWriter.Flush();
            encoded = merged.WrittenSpan;
        }

        blob.ResetWrittenCount();
        BlobEnvelope.Write(encoded, _definition.Version, blob);
        return blob.WrittenSpan;
    }

    /// <summary>
    /// Copies the fields of the stored row that this model does not know (written by a newer app, or kept
    /// from a property this one removed) into the carry buffer, so that rewriting the row keeps them.
    /// </summary>
    /// <returns>The number of fields carried over.</returns>
    private int CollectUnknownFields(SqliteConnection connection, TKey key)
    {
        System.Buffers.ArrayBufferWriter<byte> carry = _database.CarryBuffer;
        carry.ResetWrittenCount();
        FieldMap map = _database.Context.GetFieldMap(_definition.Shape);
        SqliteStatement get = connection.Prepare(_sql.Get);
        try
        {
            _definition.GetKeyColumn(key).Bind(get, 1);
            if (!get.Step())
            {
                return 0;
            }

            using BlobPayload payload = BlobEnvelope.Read(get.ColumnBlob(1));
            var reader = new MessagePackReader(payload.Span);
            var writer = new MessagePackWriter(carry);
            int carried = 0;
            for (int count = reader.ReadMapHeader(); count > 0; count--)
            {
                long id = reader.ReadInt64();
                ReadOnlySpan<byte> value = reader.ReadRaw();
                if (map.OrdinalOf(id) < 0)
                {
                    writer.Write(id);
                    writer.WriteRaw(value);
                    carried++;
                }
            }

            writer.Flush();
            return carried;
        }
        catch (ReposFormatException)
        {
            // The stored row is damaged: the write replaces it, and nothing can be carried over from it.
            carry.ResetWrittenCount();
            return 0;
        }
        finally
        {
            get.Reset();
        }
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
            // SQLite names the columns: "UNIQUE constraint failed: Table.A, Table.B".
            int start = e.Message.IndexOf("failed: ", StringComparison.Ordinal);
            string[] failed = start < 0
                ? []
                : e.Message[(start + 8)..].Split(", ").Select(c => c[(c.IndexOf('.', StringComparison.Ordinal) + 1)..].TrimEnd(' ', ')').Split(' ')[0]).ToArray();
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
