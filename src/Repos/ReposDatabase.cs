using System.Buffers;
using System.Collections.Concurrent;
using System.ComponentModel;
using Repos.Internal;
using Repos.Storage;
using Repos.Storage.Sqlite;

namespace Repos;

/// <summary>
/// An open Repos database file. A <c>[Database]</c> class derives from it: the generator adds one typed
/// repository property per entity and a static <c>OpenAsync</c>.
/// </summary>
/// <remarks>
/// <para>
/// The database is safe to use from many threads. Reads run in parallel on pooled connections; writes
/// take turns on one connection, each in its own transaction unless a
/// <see cref="BeginTransactionAsync"/> transaction is open in the calling flow, in which case they join it.
/// </para>
/// <para>Dispose the database to close the file.</para>
/// </remarks>
public abstract class ReposDatabase : IAsyncDisposable, IDisposable
{
    private readonly AsyncLocal<ReposTransaction?> _ambient = new();
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly ConcurrentBag<SqliteConnection> _readers = [];
    private readonly ArrayBufferWriter<byte> _payloadBuffer = new(4096);
    private readonly ArrayBufferWriter<byte> _blobBuffer = new(4096);
    private readonly ArrayBufferWriter<byte> _upgradeBuffer = new(256);
    private readonly ArrayBufferWriter<byte> _mergeBuffer = new(4096);
    private ReposDatabaseOptions _options = ReposDatabaseOptions.Default;
    private SqliteConnection? _writer;
    private SerializationContext? _context;
    private int _disposed;

    /// <summary>Creates the database object; <see cref="OpenCoreAsync"/> opens the file.</summary>
    protected ReposDatabase()
    {
    }

    /// <summary>The full path of the database file.</summary>
    public string Path { get; private set; } = string.Empty;

    /// <summary>The copy taken before this open migrated the file, or null when it migrated nothing.</summary>
    public string? MigrationBackupPath { get; private set; }

    /// <summary>Whether the file was opened read-only.</summary>
    public bool IsReadOnly => _options.ReadOnly;

    internal SerializationContext Context => _context ?? throw new InvalidOperationException("The database is not open.");

    internal ArrayBufferWriter<byte> PayloadBuffer => _payloadBuffer;

    internal ArrayBufferWriter<byte> BlobBuffer => _blobBuffer;

    /// <summary>A stored row of an entity that migrates lazily, upgraded to be merged into its rewrite.</summary>
    internal ArrayBufferWriter<byte> UpgradeBuffer => _upgradeBuffer;

    /// <summary>A written payload with the stored fields the model does not know merged in.</summary>
    internal ArrayBufferWriter<byte> MergeBuffer => _mergeBuffer;

    /// <summary>
    /// How many stored rows writes have read to carry over fields the model does not know (under the write lock).
    /// Stays 0 while the file's catalog has no field the model lacks.
    /// </summary>
    internal long StoredRowsReadForCarryOver { get; set; }

    /// <summary>
    /// Opens the file at <paramref name="path"/> for <paramref name="entities"/>: creates it if needed,
    /// brings its catalog and tables in line with the model in one transaction, and loads the field ids.
    /// Generated <c>OpenAsync</c> methods call this.
    /// </summary>
    /// <param name="path">The database file; its folder is created if missing.</param>
    /// <param name="options">How to open it, or null for the defaults.</param>
    /// <param name="entities">The definitions of the database's entities.</param>
    /// <param name="cancellationToken">Cancels the open before it starts.</param>
    [EditorBrowsable(EditorBrowsableState.Never)]
    protected ValueTask OpenCoreAsync(
        string path,
        ReposDatabaseOptions? options,
        IReadOnlyList<EntityDefinition> entities,
        CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(entities);
        cancellationToken.ThrowIfCancellationRequested();
        if (_writer is not null)
        {
            throw new InvalidOperationException("The database is already open.");
        }

        _options = options ?? ReposDatabaseOptions.Default;
        Path = System.IO.Path.GetFullPath(path);
        if (_options.ReadOnly)
        {
            if (!File.Exists(Path))
            {
                throw new FileNotFoundException($"The database file '{Path}' does not exist; a read-only open cannot create it.", Path);
            }
        }
        else if (System.IO.Path.GetDirectoryName(Path) is { Length: > 0 } folder)
        {
            Directory.CreateDirectory(folder);
        }

        SqliteConnection writer = ConnectionSettings.Open(Path, _options, writer: true);
        try
        {
            SerializationContext context;
            if (_options.ReadOnly)
            {
                context = Catalog.Read(writer, entities);
            }
            else
            {
                // A copy before migrating, taken outside the transaction (VACUUM INTO needs that). Another process
                // may migrate first; the check below, under the write lock, then finds nothing to do.
                string? backup = null;
                if (_options.BackupBeforeMigration && Catalog.NeedsMigration(writer, entities))
                {
                    backup = $"{Path}.before-migration-{DateTime.UtcNow:yyyyMMdd-HHmmss-fff}.bak";
                    writer.Execute($"VACUUM INTO {Storage.SqlText.Literal(backup)}");
                    MigrationBackupPath = backup;
                }

                writer.BeginImmediate();
                try
                {
                    context = Catalog.Reconcile(writer, entities, _options.MigrationProgress, backup);
                    writer.Commit();
                }
                catch
                {
                    // A failed COMMIT may have ended the transaction already; the first error is the one to report.
                    if (writer.InTransaction)
                    {
                        writer.Rollback();
                    }

                    throw;
                }
            }

            _context = context;
            _writer = writer;
        }
        catch
        {
            writer.Dispose();
            throw;
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// Puts the copy at <paramref name="backupPath"/> (such as <see cref="MigrationBackupPath"/>, to undo a
    /// migration) in the place of the database file at <paramref name="path"/>, keeping the replaced file
    /// beside it. Close every database open on the file first.
    /// </summary>
    /// <param name="path">The database file to replace.</param>
    /// <param name="backupPath">The copy to put in its place; it must be a Repos file.</param>
    /// <param name="cancellationToken">Cancels the restore before it starts.</param>
    /// <returns>Where the replaced file was kept, or an empty string when there was none.</returns>
    /// <exception cref="FileNotFoundException">The copy does not exist.</exception>
    /// <exception cref="ReposSchemaException">The copy is not a Repos file; nothing was changed.</exception>
    public static ValueTask<string> RestoreFileAsync(string path, string backupPath, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentException.ThrowIfNullOrWhiteSpace(backupPath);
        cancellationToken.ThrowIfCancellationRequested();
        return new ValueTask<string>(FileRestore.Restore(path, backupPath));
    }

    /// <summary>
    /// Opens a transaction that every write (and read) of this database in the calling flow joins until it
    /// is committed, rolled back or disposed. Disposing it without committing rolls it back.
    /// </summary>
    /// <param name="cancellationToken">Cancels waiting for other writers to finish.</param>
    /// <returns>The open transaction.</returns>
    /// <example>
    /// <code>
    /// await using var tx = await db.BeginTransactionAsync();
    /// await db.Users.InsertAsync(user);
    /// await db.DailyEntries.InsertManyAsync(entries);
    /// await tx.CommitAsync();
    /// </code>
    /// </example>
    /// <exception cref="InvalidOperationException">A transaction is already open in this flow, or the database is read-only.</exception>
    public ValueTask<ReposTransaction> BeginTransactionAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfNotWritable();
        if (ActiveTransaction is not null)
        {
            throw new InvalidOperationException("A transaction is already open in this flow; commit or dispose it before beginning another.");
        }

        // Set here, outside any async method, so the value flows back to the caller's context.
        var transaction = new ReposTransaction(this);
        _ambient.Value = transaction;
        return transaction.StartAsync(cancellationToken);
    }

    /// <summary>The transaction this flow has open on this database, if any.</summary>
    internal ReposTransaction? ActiveTransaction => _ambient.Value is { IsActive: true } transaction ? transaction : null;

    internal SqliteConnection Writer => _writer ?? throw new ObjectDisposedException(GetType().Name);

    /// <summary>Whether <see cref="Dispose"/> has closed the file.</summary>
    internal bool IsClosed => Volatile.Read(ref _disposed) != 0;

    internal SemaphoreSlim WriteLock => _writeLock;

    internal void ClearAmbient(ReposTransaction transaction)
    {
        if (ReferenceEquals(_ambient.Value, transaction))
        {
            _ambient.Value = null;
        }
    }

    /// <summary>A connection to read with: the open transaction's, or a pooled one.</summary>
    internal ReadLease AcquireRead()
    {
        ThrowIfDisposed();
        if (ActiveTransaction is { } transaction)
        {
            transaction.EnterOperation();
            return new ReadLease(transaction.Connection, null, transaction);
        }

        if (!_readers.TryTake(out SqliteConnection? connection))
        {
            connection = ConnectionSettings.Open(Path, _options, writer: false);
        }

        return new ReadLease(connection, this, null);
    }

    internal void ReturnReader(SqliteConnection connection)
    {
        if (Volatile.Read(ref _disposed) != 0)
        {
            connection.Dispose();
            return;
        }

        _readers.Add(connection);
    }

    /// <summary>
    /// Starts a write: joins the flow's open transaction (inside a savepoint when <paramref name="atomic"/>,
    /// so a failing multi-row write leaves it as it was), or takes the write lock and begins one.
    /// </summary>
    internal async ValueTask<WriteScope> BeginWriteAsync(bool atomic, CancellationToken cancellationToken)
    {
        ThrowIfNotWritable();
        if (ActiveTransaction is { } transaction)
        {
            transaction.EnterOperation();
            try
            {
                if (atomic)
                {
                    transaction.Connection.Run("SAVEPOINT repos_write");
                }
            }
            catch
            {
                transaction.ExitOperation();
                throw;
            }

            return new WriteScope(this, transaction.Connection, transaction, savepoint: atomic);
        }

        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            SqliteConnection writer = Writer;
            writer.BeginImmediate();
            return new WriteScope(this, writer, joined: null, savepoint: false);
        }
        catch
        {
            _writeLock.Release();
            throw;
        }
    }

    private void ThrowIfNotWritable()
    {
        ThrowIfDisposed();
        if (_options.ReadOnly)
        {
            throw new InvalidOperationException($"The database '{Path}' was opened read-only.");
        }
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0 || _writer is null, this);

    /// <summary>Closes the file. An open transaction is rolled back.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        while (_readers.TryTake(out SqliteConnection? reader))
        {
            reader.Dispose();
        }

        // Closing the connection rolls back a transaction left open; the transaction object then finds the
        // database closed. The write lock is left alone: a transaction still holding it releases it later.
        _writer?.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Closes the file. An open transaction is rolled back.</summary>
    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }
}
