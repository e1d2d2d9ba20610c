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
public abstract partial class ReposDatabase : IAsyncDisposable, IDisposable
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
    private bool _readsImmutable;

    /// <summary>Creates the database object; <c>OpenCoreAsync</c> opens the file.</summary>
    protected ReposDatabase()
    {
    }

    /// <summary>The full path of the database file.</summary>
    public string Path { get; private set; } = string.Empty;

    /// <summary>
    /// The backup file taken before this open migrated the file (a <see cref="Repos.Backup.BackupKind.BeforeMigration"/>
    /// backup in <see cref="Backup"/>), or null when it migrated nothing.
    /// </summary>
    public string? MigrationBackupPath { get; private set; }

    /// <summary>Whether the file was opened read-only.</summary>
    public bool IsReadOnly => _options.ReadOnly;

    internal SerializationContext Context => _context ?? throw new InvalidOperationException("The database is not open.");

    /// <summary>The definitions of the model's entities, as the open was given them.</summary>
    internal IReadOnlyList<EntityDefinition> Entities { get; private set; } = [];

    /// <summary>The options the file was opened with.</summary>
    internal ReposDatabaseOptions Options => _options;

    internal ArrayBufferWriter<byte> PayloadBuffer => _payloadBuffer;

    internal ArrayBufferWriter<byte> BlobBuffer => _blobBuffer;

    /// <summary>A stored row of an entity that migrates lazily, upgraded to be merged into its rewrite.</summary>
    internal ArrayBufferWriter<byte> UpgradeBuffer => _upgradeBuffer;

    /// <summary>A written payload with the stored fields the model does not know merged in.</summary>
    internal ArrayBufferWriter<byte> MergeBuffer => _mergeBuffer;

    /// <summary>What the file records for sync, or null when no entity of the model is synced (or the open is read-only).</summary>
    internal Sync.SyncLog? SyncLog { get; private set; }

    private Sync.ReposSync? _sync;

    /// <summary>
    /// The sync engine: pushes the changes of the <see cref="SyncedAttribute">synced</see> entities and pulls everyone
    /// else's (docs/sync.md), configured by <see cref="ReposDatabaseOptions.Sync"/>.
    /// </summary>
    public Sync.ReposSync Sync => _sync ??= new Sync.ReposSync(this, _options.Sync);

    internal Sync.ReposSync? SyncEngine => _sync;

    /// <summary>The repositories of the synced entities, by entity name.</summary>
    internal Dictionary<string, Sync.ISyncedRepository> SyncedRepositories { get; } = new(StringComparer.Ordinal);

    internal void AddSynced(Sync.ISyncedRepository repository) => SyncedRepositories[repository.EntityName] = repository;

    /// <summary>A copy of the stored payload a synced write replaces, to tell which fields it changed.</summary>
    internal ArrayBufferWriter<byte> SyncBeforeBuffer { get; } = new(1024);

    /// <summary>
    /// How many stored rows writes have read to carry over fields the model does not know (under the write lock).
    /// Stays 0 while the file's catalog has no field the model lacks.
    /// </summary>
    internal long StoredRowsReadForCarryOver { get; set; }

    /// <summary>
    /// Opens the file at <paramref name="path"/> for <paramref name="entities"/> at database version 1; see
    /// <see cref="OpenCoreAsync(string, ReposDatabaseOptions?, IReadOnlyList{EntityDefinition}, int, CancellationToken)"/>.
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
        CancellationToken cancellationToken) =>
        OpenCoreAsync(path, options, entities, 1, cancellationToken);

    /// <summary>
    /// Opens the file at <paramref name="path"/> for <paramref name="entities"/>: creates it if needed, and
    /// in one transaction brings its catalog and tables in line with the model, migrates the rows of entities
    /// at older versions, then runs the database's own steps up to <paramref name="version"/>
    /// (<see cref="MigrateAsync"/>). Generated <c>OpenAsync</c> methods call this.
    /// </summary>
    /// <param name="path">The database file; its folder is created if missing.</param>
    /// <param name="options">How to open it, or null for the defaults.</param>
    /// <param name="entities">The definitions of the database's entities.</param>
    /// <param name="version">The database's schema version (<see cref="DatabaseAttribute.Version"/>).</param>
    /// <param name="cancellationToken">Cancels the open; a migration stops and changes nothing.</param>
    /// <remarks>
    /// When the file is damaged and <see cref="ReposDatabaseOptions.OnDamagedFile"/> is set, the app chooses
    /// what happens instead of failing (see <see cref="DamageRecovery"/>).
    /// </remarks>
    [EditorBrowsable(EditorBrowsableState.Never)]
    protected async ValueTask OpenCoreAsync(
        string path,
        ReposDatabaseOptions? options,
        IReadOnlyList<EntityDefinition> entities,
        int version,
        CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(entities);
        ArgumentOutOfRangeException.ThrowIfLessThan(version, 1);
        cancellationToken.ThrowIfCancellationRequested();
        if (_writer is not null)
        {
            throw new InvalidOperationException("The database is already open.");
        }

        try
        {
            await OpenFileAsync(path, options, entities, version, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (IsDamageRecoverable(e, path, options))
        {
            await RecoverDamagedFileAsync(path, options!, entities, version, e, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Opens the file: the open itself, which a damaged file makes fail.</summary>
    private async ValueTask OpenFileAsync(
        string path,
        ReposDatabaseOptions? options,
        IReadOnlyList<EntityDefinition> entities,
        int version,
        CancellationToken cancellationToken)
    {
        _options = options ?? ReposDatabaseOptions.Default;
        Path = System.IO.Path.GetFullPath(path);
        Entities = entities;
        InitializeBackups();
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

        // Nothing may change the file before it is known to be one Repos may write: the switch to WAL comes
        // after the check, so a refused file keeps every byte and its journal mode.
        SqliteConnection writer = ConnectionSettings.Connect(Path, _options, writer: true);
        try
        {
            _readsImmutable = writer.IsImmutable;
            FileOpenCheck.Run(writer, Path, _options, entities);
            ConnectionSettings.Configure(writer, _options, writer: true);
            if (!_options.ReadOnly)
            {
                RemoveLeftovers();
            }

            if (_options.ReadOnly)
            {
                GuardCatalog(writer, writable: false);
                _context = Catalog.Read(writer, entities, NewDictionaries());
                _context.ReadsNewerRows = Catalog.ListEntities(writer).Exists(
                    stored => entities.Any(e => e.Name == stored.Name && stored.Version > e.Version));
                DatabaseVersion = Catalog.ReadDatabaseVersion(writer);
                if (DatabaseVersion < version)
                {
                    throw new ReposSchemaException(
                        $"The file '{Path}' is at database version {DatabaseVersion} and this app needs version {version}; open it writable once to migrate it.");
                }
            }
            else
            {
                // A recorded backup before migrating, taken before the write lock. Another process may migrate
                // first; the checks below, under the write lock, then find nothing to do.
                string? backup = null;
                if (_options.BackupBeforeMigration && Catalog.NeedsMigration(writer, entities, version))
                {
                    try
                    {
                        backup = await BackupBeforeMigrationAsync(cancellationToken).ConfigureAwait(false);
                    }
                    catch (ReposStorageFullException e) when (e.DatabasePath != Path)
                    {
                        // The copy is what did not fit; the database is what the app opened and must hear of.
                        throw new ReposStorageFullException(Path, $"the backup before migrating it does not fit in '{Backup.Folder}': {e.Message}", e.ExtendedResultCode);
                    }

                    MigrationBackupPath = backup;
                }

                writer.BeginImmediate();
                try
                {
                    bool created = !Catalog.Exists(writer);
                    GuardCatalog(writer, writable: true);
                    _context = Catalog.Reconcile(writer, entities, _options.MigrationProgress, backup, NewDictionaries());
                    _writer = writer;
                    await MigrateDatabaseAsync(entities, created, version, backup, cancellationToken).ConfigureAwait(false);
                    SyncLog = Repos.Sync.SyncLog.Prepare(writer, entities, _options.TimeProvider);
                    if (SyncLog is not null)
                    {
                        SyncLog.Shapes = Repos.Sync.WireShapes.Load(writer, _context);
                    }

                    CatalogSeal.Seal(writer);
                    RememberCatalog(writer);
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

            _writer = writer;
            _context.FilePath = Path;
        }
        catch
        {
            _writer = null;
            _context = null;
            writer.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Removes what backups and restores of this file that were killed part way left behind (see
    /// <see cref="Leftovers"/>); files of operations still running, in any process, stay. A file that cannot be
    /// removed now is left for the next open: cleaning never fails an open.
    /// </summary>
    private void RemoveLeftovers()
    {
        try
        {
            Leftovers.CleanRestores(Path);
            Leftovers.CleanBackups(Backup.Folder);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Left for the next open; GetStorageInfoAsync counts them meanwhile.
        }
    }

    /// <summary>
    /// The migrations the file went through, oldest first: entity migrations and the database's own steps,
    /// each with its versions, its row count and when it ran. Files migrated before Repos recorded them
    /// list only later migrations.
    /// </summary>
    /// <param name="cancellationToken">Cancels the read before it starts.</param>
    /// <returns>The applied migrations.</returns>
    public ValueTask<IReadOnlyList<Migrations.AppliedMigration>> GetMigrationHistoryAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using ReadLease lease = AcquireRead();
        return new ValueTask<IReadOnlyList<Migrations.AppliedMigration>>(Catalog.ReadMigrations(lease.Connection));
    }

    /// <summary>The database's schema version (<see cref="DatabaseAttribute.Version"/>) the file is at.</summary>
    public int DatabaseVersion { get; private set; }

    /// <summary>
    /// Runs one step of the database's migration: from <paramref name="fromVersion"/> to the next. The
    /// generator overrides it for a database whose version is above 1, calling the author's
    /// <c>MigrateFromVersion{N}Async</c> methods.
    /// </summary>
    /// <param name="fromVersion">The version the file is at.</param>
    /// <param name="migration">Reads and drops stored entities; the repositories write as usual.</param>
    /// <param name="cancellationToken">Cancels the migration, and with it the open.</param>
    [EditorBrowsable(EditorBrowsableState.Never)]
    protected virtual ValueTask MigrateAsync(int fromVersion, Migrations.DatabaseMigration migration, CancellationToken cancellationToken) =>
        throw new InvalidOperationException($"{GetType().Name} has no migration from database version {fromVersion}.");

    /// <summary>
    /// Brings the file's database version up to <paramref name="version"/> inside the open's transaction,
    /// with the repositories joining it. A new file starts at the model's version.
    /// </summary>
    private async ValueTask MigrateDatabaseAsync(
        IReadOnlyList<EntityDefinition> entities,
        bool created,
        int version,
        string? backup,
        CancellationToken cancellationToken)
    {
        SqliteConnection writer = Writer;
        int stored = created ? version : Catalog.ReadDatabaseVersion(writer);
        if (stored > version)
        {
            throw new ReposSchemaException(
                $"The file '{Path}' is at database version {stored}, newer than this app's version {version}; it needs a newer version of the app (it can be opened read-only).");
        }

        if (created && version > 1)
        {
            Catalog.WriteDatabaseVersion(writer, version);
        }

        var names = entities.Select(e => e.Name).ToHashSet(StringComparer.Ordinal);
        for (int from = stored; from < version; from++)
        {
            var transaction = ReposTransaction.ForOpen(this);
            var migration = new Migrations.DatabaseMigration(this, names, from, _options.MigrationProgress);
            _ambient.Value = transaction;
            try
            {
                await MigrateAsync(from, migration, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                throw new ReposMigrationException(GetType().Name, from, from + 1, migration.CurrentRow, backup, e);
            }
            finally
            {
                transaction.EndOpen();
            }

            Catalog.WriteDatabaseVersion(writer, from + 1);
            Catalog.RecordMigration(writer, GetType().Name, Migrations.MigrationKind.Database, from, from + 1, migration.RowsRead);
        }

        DatabaseVersion = version;
    }

    /// <summary>
    /// Puts the copy at <paramref name="backupPath"/> (any Repos file, such as <see cref="MigrationBackupPath"/>
    /// to undo a migration) in the place of the database file at <paramref name="path"/>, atomically, keeping
    /// the replaced file beside it as <c>&lt;file&gt;.replaced-&lt;time&gt;.bak</c>. Close every database open on the
    /// file first. To restore a recorded backup by its identifier, use <see cref="Repos.Backup.ReposBackups.RestoreAsync(string, CancellationToken)"/>.
    /// </summary>
    /// <param name="path">The database file to replace.</param>
    /// <param name="backupPath">The copy to put in its place; it must be a Repos file.</param>
    /// <param name="cancellationToken">Cancels the restore until the file is swapped.</param>
    /// <returns>Where the replaced file was kept, or an empty string when there was none.</returns>
    /// <exception cref="FileNotFoundException">The copy does not exist.</exception>
    /// <exception cref="ReposSchemaException">The copy is not a whole Repos file; nothing was changed.</exception>
    /// <exception cref="ReposStorageException">Another connection has the file open; nothing was changed.</exception>
    public static ValueTask<string> RestoreFileAsync(string path, string backupPath, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentException.ThrowIfNullOrWhiteSpace(backupPath);
        cancellationToken.ThrowIfCancellationRequested();
        return new ValueTask<string>(FileRestore.Restore(path, backupPath, ReposDatabaseOptions.Default.BusyTimeout, cancellationToken));
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

    /// <summary>The file's dictionaries, looking up those stored after the open on a pooled reader.</summary>
    private CompressionDictionaries NewDictionaries() => new(
        () => _readers.TryTake(out SqliteConnection? reader) ? reader : ConnectionSettings.Open(Path, _options, writer: false, _readsImmutable),
        ReturnReader);

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
            connection = ConnectionSettings.Open(Path, _options, writer: false, _readsImmutable);
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
            await transaction.EnterOperationAsync(cancellationToken).ConfigureAwait(false);
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
            BeginWriteTransaction(writer);
            return new WriteScope(this, writer, joined: null, savepoint: false);
        }
        catch
        {
            _writeLock.Release();
            throw;
        }
    }

    /// <summary>
    /// Begins a write transaction on the writer (under the write lock) and checks, inside it, that no other
    /// process changed the catalog in a way this one cannot follow; if one did, nothing stays begun.
    /// </summary>
    internal void BeginWriteTransaction(SqliteConnection writer)
    {
        writer.BeginImmediate();
        try
        {
            CheckCatalogForWrite(writer);
        }
        catch
        {
            writer.Rollback();
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
