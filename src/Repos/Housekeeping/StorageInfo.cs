namespace Repos.Housekeeping;

/// <summary>
/// How much room a database takes, from <see cref="ReposDatabase.GetStorageInfoAsync"/>: the file and its
/// write-ahead log, SQLite's pages, each entity's rows and bytes, and the backups kept beside the file.
/// </summary>
/// <remarks>
/// The page figures and row counts come from one consistent read of the file. The database's size is
/// <see cref="PageCount"/> times <see cref="PageSize"/>; of that, <see cref="FreeBytes"/> are pages left empty by
/// deletes, which later writes reuse and <see cref="ReposDatabase.VacuumAsync"/> gives back to the disk.
/// </remarks>
public sealed class StorageInfo
{
    /// <summary>The full path of the database file.</summary>
    public required string DatabasePath { get; init; }

    /// <summary>The size of the database file on disk, in bytes (the write-ahead log not included).</summary>
    public long FileSizeBytes { get; init; }

    /// <summary>
    /// The size of the write-ahead log (<c>-wal</c> file) on disk, in bytes: recent commits not yet copied into the
    /// file, or 0 when there is none.
    /// </summary>
    public long WalSizeBytes { get; init; }

    /// <summary>SQLite's page size, in bytes.</summary>
    public int PageSize { get; init; }

    /// <summary>The number of pages in the database, used and free.</summary>
    public long PageCount { get; init; }

    /// <summary>The number of free pages: empty, reused by later writes, given back by a vacuum.</summary>
    public long FreePages { get; init; }

    /// <summary>The database's size in bytes (<see cref="PageCount"/> pages), which the quota limits.</summary>
    public long DatabaseSizeBytes => PageCount * PageSize;

    /// <summary>The bytes in free pages.</summary>
    public long FreeBytes => FreePages * PageSize;

    /// <summary>The bytes in pages holding data: <see cref="DatabaseSizeBytes"/> less <see cref="FreeBytes"/>.</summary>
    public long UsedBytes => DatabaseSizeBytes - FreeBytes;

    /// <summary>The size quota (<see cref="ReposDatabaseOptions.MaxSizeBytes"/>) this database was opened with, or null.</summary>
    public long? MaxSizeBytes { get; init; }

    /// <summary>Every entity the file stores, with its row count and size, in the order of their names.</summary>
    public required IReadOnlyList<EntityStorageInfo> Entities { get; init; }

    /// <summary>
    /// Whether <see cref="EntityStorageInfo.Bytes"/> are estimates. They are exact page counts when the SQLite
    /// library has the <c>dbstat</c> table; the one Repos ships with does not, so they are estimated (see
    /// <see cref="EntityStorageInfo.Bytes"/>).
    /// </summary>
    public bool EntityBytesAreEstimates { get; init; }

    /// <summary>The folder where backups of this database are kept (<c>&lt;file&gt;.backups</c>).</summary>
    public required string BackupFolderPath { get; init; }

    /// <summary>The size of every file in <see cref="BackupFolderPath"/>, in bytes, or 0 when it does not exist.</summary>
    public long BackupFolderSizeBytes { get; init; }

    /// <summary>
    /// The files that backups and restores killed part way left behind and that are still there: a backup's
    /// reserved <c>&lt;id&gt;.db</c>, its <c>&lt;id&gt;.db.partial</c> copy and lock file in the backups folder, a
    /// restore's <c>&lt;file&gt;.restoring-&lt;guid&gt;</c> copy beside the database. Files of operations still running,
    /// in this process or another, are not counted. The next writable open removes them (a backup removes those
    /// of backups, a restore those of restores), so this is normally 0.
    /// </summary>
    public int LeftoverFiles { get; init; }

    /// <summary>The bytes in <see cref="LeftoverFiles"/>.</summary>
    public long LeftoverBytes { get; init; }
}
