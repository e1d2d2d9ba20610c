namespace Repos;

/// <summary>How a Repos database file is opened.</summary>
public sealed class ReposDatabaseOptions
{
    private readonly long? _maxSizeBytes;
    private readonly double _storageWarningThreshold = 0.9;
    private readonly long _pageCacheSize = 64L * 1024 * 1024;
    private readonly long _memoryMapSize;

    /// <summary>
    /// Open without writing anything: no catalog changes, no table creation; every write throws. The file
    /// must exist.
    /// </summary>
    /// <remarks>
    /// A read-only open works on read-only media and in folders that cannot be written, with limits: see
    /// the README's "Read-only opens". When the file is in WAL mode and SQLite cannot create its
    /// shared-memory index (<c>-shm</c>) beside it, the file is read as immutable (SQLite's <c>immutable=1</c>)
    /// if it has no write-ahead log with commits in it: Repos then takes no locks and assumes nothing writes the
    /// file while it is open, which holds when no one can create files in its folder. With a non-empty
    /// <c>-wal</c> and no way to create the <c>-shm</c>, the open fails with <see cref="ReposStorageException"/>
    /// naming the file, as the log's commits cannot be read safely.
    /// </remarks>
    public bool ReadOnly { get; init; }

    /// <summary>
    /// Whether to add Repos to a SQLite database another program made: a file with tables, views, indexes or
    /// triggers of its own and no Repos catalog. Off by default: such a file is refused with
    /// <see cref="ReposForeignDatabaseException"/> and left exactly as it was (same bytes, same journal mode).
    /// On: Repos creates its catalog and tables beside the file's own and switches the file to WAL mode, which
    /// the other program must then be able to use; the file's own tables are never read or changed. Even then,
    /// a file whose own objects have a name Repos needs (an entity's table, one of its indexes, a <c>_repos_</c>
    /// name) is refused before anything is changed, the names listed in
    /// <see cref="ReposForeignDatabaseException.ConflictingNames"/>.
    /// </summary>
    /// <remarks>
    /// An empty file (0 bytes, or a SQLite database with no tables) is not foreign: Repos creates in it. A file
    /// that is not a SQLite database at all is refused with <see cref="ReposStorageException"/> (result code 26)
    /// whatever this says.
    /// </remarks>
    public bool AllowForeignDatabase { get; init; }

    /// <summary>
    /// How long a write waits for another process holding the file's write lock before failing
    /// (SQLite's busy timeout). The default is 10 seconds.
    /// </summary>
    public TimeSpan BusyTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// What a committed write survives: a killed process (the default) or also a power cut. See
    /// <see cref="Repos.Durability"/>.
    /// </summary>
    public Durability Durability { get; init; } = Durability.ProcessCrash;

    /// <summary>Receives the progress of migrations that run at open, or null.</summary>
    public IProgress<Migrations.MigrationProgress>? MigrationProgress { get; init; }

    /// <summary>
    /// Whether to back the file up before migrating it (on by default). The copy is a recorded backup of
    /// kind <see cref="Backup.BackupKind.BeforeMigration"/> in the backups folder
    /// (<see cref="ReposDatabase.MigrationBackupPath"/> is its file).
    /// </summary>
    public bool BackupBeforeMigration { get; init; } = true;

    /// <summary>
    /// Whether an import (<c>ImportJsonAsync</c>) backs the file up before it writes (on by default): a
    /// recorded backup of kind <see cref="Backup.BackupKind.BeforeImport"/>, to restore if the import turns
    /// out wrong.
    /// </summary>
    public bool BackupBeforeImport { get; init; } = true;

    /// <summary>
    /// What reading many rows does when it reaches a damaged one (a blob that fails its checksum or does not
    /// decode). Null, the default: <c>ToListAsync</c>, <c>await foreach</c> over a query or <c>All()</c> throw
    /// <see cref="CorruptedRowException"/> naming the entity and key when they reach it, after the rows before
    /// it (an enumerator can go on past it with the next <c>MoveNextAsync</c>). Set: the handler gets each
    /// damaged row's exception and the row is skipped, so the rest can be read (a <c>Take(n)</c> page may then
    /// come back shorter). Reading one row (<c>GetAsync</c>, <c>FirstOrDefaultAsync</c>, unique-index gets)
    /// always throws, so the damage is never mistaken for a missing row. <c>VerifyAsync</c> lists every
    /// damaged row.
    /// </summary>
    public Action<CorruptedRowException>? OnCorruptedRow { get; init; }

    /// <summary>
    /// Emergency mode: called when the file cannot be opened because it is damaged (SQLite finds it malformed
    /// or not a database, or a row the open must read is damaged), to choose what to do instead of failing:
    /// restore the latest backup, salvage what can be read, start empty, or fail. Whatever is chosen, the
    /// damaged file is kept beside it as <c>&lt;file&gt;.damaged-&lt;time&gt;</c>, and
    /// <see cref="ReposDatabase.DamageRecovery"/> tells what was done. If the chosen way fails (no backup opens
    /// and verifies), the damaged file is put back and the open throws <see cref="ReposRecoveryException"/>.
    /// Null (the default): the open throws. Not used for read-only opens.
    /// </summary>
    /// <example>
    /// <code>
    /// var options = new ReposDatabaseOptions
    /// {
    ///     OnDamagedFile = damaged => ValueTask.FromResult(damaged.Backups.Count > 0 ? DamagedFileAction.RestoreLatestBackup : DamagedFileAction.Salvage),
    /// };
    /// </code>
    /// </example>
    public Func<Recovery.DamagedFile, ValueTask<Recovery.DamagedFileAction>>? OnDamagedFile { get; init; }

    /// <summary>
    /// The most the database file may hold, in bytes, or null (the default) for no limit but the disk's. A write
    /// that would grow the file past it fails with <see cref="ReposStorageFullException"/> (whose
    /// <see cref="ReposStorageFullException.MaxSizeBytes"/> is set) and is rolled back; the file stays intact and
    /// every earlier commit is kept. Deleting rows makes room again (their pages are reused); so does opening with
    /// a larger limit.
    /// </summary>
    /// <remarks>
    /// The limit is SQLite's <c>max_page_count</c> on this database's writing connection, rounded down to whole
    /// pages. It applies to the database itself, that is to the main file once the write-ahead log is folded back
    /// into it: the <c>-wal</c> file beside it holds recent commits on top, normally a few megabytes (see
    /// <see cref="Housekeeping.StorageInfo.WalSizeBytes"/>). A file already larger than the limit can be opened
    /// and read, and written where that does not grow it. Other processes enforce the limit they open with.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException">The value is not positive.</exception>
    public long? MaxSizeBytes
    {
        get => _maxSizeBytes;
        init
        {
            if (value is { } bytes)
            {
                ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bytes, nameof(MaxSizeBytes));
            }

            _maxSizeBytes = value;
        }
    }

    /// <summary>
    /// The most memory each of the database's SQLite connections may keep as its page cache, in bytes; the default
    /// is 64 MiB. Reads served from the cache skip the file system entirely, which is most of a point read's time
    /// once the file is larger than SQLite's own default of 2 MiB.
    /// </summary>
    /// <remarks>
    /// The cache holds only pages that were read or written, so a connection never holds more than the file:
    /// a 5 MB database costs at most 5 MB per connection whatever this says. Repos keeps one writing connection
    /// and one reading connection for each read that ran at the same time as another, so the worst case is this
    /// size times the number of concurrent reads plus one. A transaction keeps the pages it changes in the writer's
    /// cache until it commits, spilling them to the log only beyond this size: so a full disk is then reported
    /// by the commit rather than by the write that needed the space. Rounded down to whole KiB; at least 64 KiB.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException">The value is below 64 KiB.</exception>
    public long PageCacheSize
    {
        get => _pageCacheSize;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 64L * 1024, nameof(PageCacheSize));
            _pageCacheSize = value;
        }
    }

    /// <summary>
    /// Whether each entity's blobs are compressed with a dictionary trained from its own rows (true, the default).
    /// Entity-sized payloads have too little of themselves to repeat for LZ4 alone to save much; a dictionary of
    /// the field ids, strings and values that recur from row to row typically halves them.
    /// </summary>
    /// <remarks>
    /// <para>
    /// The dictionary of an entity (8 KB at most) is trained once, in the write that finds enough samples: the
    /// first write of an open, from the most recent 512 stored rows, or else from the open's own writes after
    /// 64, 128, 256 and 512 of them; training takes a few milliseconds and keeps at most 512 samples (1 MiB) in
    /// memory meanwhile. It is stored in the catalog (<c>_repos_dictionaries</c>) in the same transaction, kept
    /// twice and checksummed by the catalog's seal, and carried by every backup and by salvage; rows written
    /// earlier keep reading as they are. A dictionary that would not save at least 30% on most rows is not stored.
    /// </para>
    /// <para>
    /// The first dictionary raises the file's catalog to format 3: versions of Repos before dictionaries then
    /// refuse the file. An app whose older versions must keep opening the same file sets this to false.
    /// Reading never depends on it: rows compressed with a dictionary read whatever it is set to.
    /// </para>
    /// </remarks>
    public bool CompressionDictionaries { get; init; } = true;

    /// <summary>
    /// How much of the file, in bytes, SQLite may read through memory-mapped I/O instead of read calls; 0, the
    /// default, turns memory mapping off. Mapping makes reads that miss the page cache cheaper (no copy from the
    /// operating system's cache), at a risk that is why it is off by default.
    /// </summary>
    /// <remarks>
    /// <para>
    /// With memory-mapped I/O, an I/O error while reading the file (a failing disk, a removable or network drive
    /// that goes away, a file truncated by another program) is no longer a SQLite error that Repos turns into a
    /// <see cref="ReposStorageException"/>: the operating system delivers it as a signal (<c>SIGBUS</c>) or an
    /// access violation, and the process ends. Writes still go through the write-ahead log with ordinary write
    /// calls, so what is committed is as durable as without mapping. Turn it on for files on a local, healthy
    /// disk where read speed matters more than surviving such an error; a value around the file's size (for
    /// example 256 MiB) maps all of a typical app's database.
    /// </para>
    /// <para>
    /// The mapping uses address space, not memory: the pages it touches are the operating system's file cache,
    /// shared by every connection, and it never maps more than the file. SQLite may map less than asked (its
    /// compile-time maximum).
    /// </para>
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public long MemoryMapSize
    {
        get => _memoryMapSize;
        init
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value, nameof(MemoryMapSize));
            _memoryMapSize = value;
        }
    }

    /// <summary>
    /// The share of <see cref="MaxSizeBytes"/> in use at which <see cref="ReposDatabase.StorageWarning"/> is raised,
    /// between 0 and 1; the default is 0.9 (90%).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not above 0, or above 1.</exception>
    public double StorageWarningThreshold
    {
        get => _storageWarningThreshold;
        init
        {
            if (!(value > 0 && value <= 1))
            {
                throw new ArgumentOutOfRangeException(nameof(StorageWarningThreshold), value, "The threshold must be above 0 and at most 1.");
            }

            _storageWarningThreshold = value;
        }
    }

    /// <summary>
    /// The folder backups are kept in (<see cref="ReposDatabase.Backup"/>), or null for a folder beside the
    /// database file named after it: <c>symptoms.db</c> → <c>symptoms.db.backups</c>.
    /// </summary>
    public string? BackupFolder { get; init; }

    /// <summary>
    /// The clock backups are stamped with, and that retention policies and backup schedules go by; the
    /// system clock unless set (tests set a fake one).
    /// </summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>How the file's <see cref="SyncedAttribute">synced</see> entities sync (<see cref="ReposDatabase.Sync"/>): the transport, limits and back-off.</summary>
    public Sync.SyncOptions Sync { get; init; } = Repos.Sync.SyncOptions.Default;

    /// <summary>The options used when none are given.</summary>
    public static ReposDatabaseOptions Default { get; } = new();
}
