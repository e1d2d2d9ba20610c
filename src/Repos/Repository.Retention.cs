using Repos.Housekeeping;
using Repos.Internal;
using Repos.Querying;
using Repos.Storage;
using Repos.Storage.Sqlite;

namespace Repos;

public abstract partial class Repository<TEntity, TKey>
{
    private const int DeleteBatch = 1000;

    /// <summary>
    /// Deletes the entities an index query finds, in one transaction (the flow's, if one is open), each through the
    /// table's one write path. Keys are read in batches, so memory stays flat however many rows go.
    /// </summary>
    internal async ValueTask<int> DeleteMatchingAsync(QueryState<TEntity, TKey> state, CancellationToken cancellationToken)
    {
        using WriteScope scope = await _database.BeginWriteAsync(atomic: true, cancellationToken).ConfigureAwait(false);
        scope.Resume();
        SqliteConnection connection = scope.Connection;
        var keys = new List<TKey>(DeleteBatch);
        bool limited = state.Take != int.MaxValue;
        long remaining = state.Take;
        int deleted = 0;
        while (!limited || remaining > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();

            // Deleted rows drop out of the query, so running it again finds the next batch (rows it skips stay).
            int take = limited ? (int)Math.Min(DeleteBatch, remaining) : DeleteBatch;
            keys.Clear();
            (string sql, ColumnValue[] parameters) = QueryRunner<TEntity, TKey>.Resolve(state with { Take = take }, connection, paged: true, select: "SELECT key");
            SqliteStatement select = connection.Prepare(sql);
            try
            {
                QueryRunner<TEntity, TKey>.Bind(select, parameters);
                while (select.Step())
                {
                    keys.Add(ReadKey(select, 0));
                }
            }
            finally
            {
                select.Reset();
            }

            foreach (TKey key in keys)
            {
                Apply(connection, WriteKind.Delete, key, null);
                deleted += connection.Changes;
            }

            remaining -= keys.Count;
            if (keys.Count < take)
            {
                break;
            }
        }

        scope.Complete();
        return deleted;
    }

    /// <summary>
    /// Moves the entities an index query finds into the Repos file at <paramref name="archivePath"/>: copies their
    /// rows as stored, commits and reads back the archive, then deletes them here through the one write path, in
    /// one transaction that held this file's write lock throughout, so no row changes between copy and delete.
    /// </summary>
    internal async ValueTask<int> ArchiveMatchingAsync(QueryState<TEntity, TKey> state, string archivePath, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(archivePath);
        cancellationToken.ThrowIfCancellationRequested();
        if (_database.IsReadOnly)
        {
            throw new InvalidOperationException($"The database '{_database.Path}' was opened read-only.");
        }

        if (_database.ActiveTransaction is not null)
        {
            throw new InvalidOperationException(
                "ArchiveAsync cannot run inside a transaction: it commits the archive before it deletes the rows here. Commit or dispose the transaction first.");
        }

        string target = System.IO.Path.GetFullPath(archivePath);
        if (string.Equals(target, _database.Path, OperatingSystem.IsLinux() ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException("The archive must be another file than the database.", nameof(archivePath));
        }

        await using ArchiveDatabase archive = await ArchiveDatabase.OpenAsync(_database, target, cancellationToken).ConfigureAwait(false);
        using WriteScope scope = await _database.BeginWriteAsync(atomic: false, cancellationToken).ConfigureAwait(false);
        scope.Resume();
        SqliteConnection connection = scope.Connection;
        string columns = string.Concat(_definition.Columns.Select(c => ", " + SqlText.Quote(c.Name)));
        int count = _definition.Columns.Count + 3;
        var keys = new List<TKey>();

        SqliteConnection writer = archive.BeginCopy(connection);
        try
        {
            (string sql, ColumnValue[] parameters) = QueryRunner<TEntity, TKey>.Resolve(state, connection, paged: true, select: $"SELECT key{columns}, _schema, _blob");
            using SqliteStatement select = connection.PrepareOnce(sql);
            QueryRunner<TEntity, TKey>.Bind(select, parameters);
            SqliteStatement insert = writer.Prepare(_sql.Upsert);
            while (select.Step())
            {
                if ((keys.Count & 255) == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }

                // A row stored before keys had a limit stays here: the archive takes no key a write would refuse.
                if (_definition.KeyKind == ColumnKind.Text && select.ColumnTextUtf8(0).Length is var keyLength && keyLength > ReposLimits.MaxKeyBytes)
                {
                    throw new EntityValidationException(
                        _definition.Name,
                        KeyText.FromColumn(select, 0, ColumnKind.Text),
                        [new ValidationError(_definition.KeyProperty, "MaxKeyLength", null, $"{KeyText.LengthMessage(keyLength)}, so it cannot go into the archive; nothing was archived or deleted")]);
                }

                // The select's columns are in the order of the upsert's parameters: key, index columns, _schema, _blob.
                RowCopy.Bind(select, insert, count);
                try
                {
                    insert.Step();
                }
                catch (ReposStorageException e) when (e.ResultCode == SqliteCodes.Constraint)
                {
                    throw new ReposStorageException(
                        $"{_definition.Name} {KeyText.FromColumn(select, 0, _definition.KeyKind)} cannot go into the archive '{target}': {e.Message}. Nothing was deleted.",
                        e.ResultCode,
                        e.ExtendedResultCode);
                }
                finally
                {
                    insert.Reset();
                }

                keys.Add(ReadKey(select, 0));
            }

            archive.CommitCopy();
        }
        catch
        {
            archive.AbandonCopy();
            throw;
        }

        // Only rows the archive holds, byte for byte, as a new connection reads them back, are deleted here.
        string get = $"SELECT key{columns}, _schema, _blob FROM {_sql.Table} WHERE key=?1";
        using (SqliteConnection check = SqliteConnection.Open(target, readOnly: true, create: false))
        {
            SqliteStatement original = connection.Prepare(get);
            SqliteStatement copy = check.Prepare(get);
            foreach (TKey key in keys)
            {
                ColumnValue column = _definition.GetKeyColumn(key);
                column.Bind(original, 1);
                column.Bind(copy, 1);
                try
                {
                    if (!original.Step() || !copy.Step() || !RowCopy.Same(original, copy, count))
                    {
                        throw new ReposStorageException(
                            $"{_definition.Name} {KeyText.Of(key)} reads back differently from the archive '{target}'; nothing was deleted.", 0, 0);
                    }
                }
                finally
                {
                    original.Reset();
                    copy.Reset();
                }
            }
        }

        foreach (TKey key in keys)
        {
            Apply(connection, WriteKind.Delete, key, null);
        }

        scope.Complete();
        return keys.Count;
    }

    /// <summary>The key in column <paramref name="index"/> of the current row, as the key type (Guid, string, int or long).</summary>
    internal static TKey ReadKey(SqliteStatement statement, int index)
    {
        if (typeof(TKey) == typeof(Guid))
        {
            return (TKey)(object)new Guid(statement.ColumnBlob(index), bigEndian: true);
        }

        if (typeof(TKey) == typeof(string))
        {
            return (TKey)(object)statement.ColumnText(index);
        }

        if (typeof(TKey) == typeof(long))
        {
            return (TKey)(object)statement.ColumnInt64(index);
        }

        if (typeof(TKey) == typeof(int))
        {
            return (TKey)(object)checked((int)statement.ColumnInt64(index));
        }

        throw new NotSupportedException($"{typeof(TKey).Name} keys cannot be read back from a query.");
    }
}
