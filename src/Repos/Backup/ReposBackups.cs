using System.Globalization;
using Repos.Storage;

namespace Repos.Backup;

/// <summary>
/// The backups of one database file: take one while the app keeps writing, list them, restore one, delete
/// them, and keep only what a <see cref="BackupRetention"/> policy says. An open database has one as
/// <see cref="ReposDatabase.Backup"/>; <see cref="ForFile"/> gives one for a file that is closed, or too damaged
/// to open.
/// </summary>
/// <remarks>
/// <para>
/// Backups live in a folder of their own, by default <c>&lt;database folder&gt;/&lt;database file name&gt;.backups/</c>
/// (<see cref="ReposDatabaseOptions.BackupFolder"/> changes it). Each backup is two files named after its
/// <see cref="BackupInfo.Id"/>: <c>&lt;id&gt;.db</c>, a complete Repos database file, and <c>&lt;id&gt;.json</c>, a small
/// manifest (kind, time, size, checksum, database version). Listing reads only the manifests, so it works
/// when the database itself cannot be opened.
/// </para>
/// <para>
/// A new backup is a snapshot of the database as of one moment, copied page by page through SQLite's
/// online backup while writers carry on, written under a temporary name, flushed to the disk, checked
/// (SQLite's <c>quick_check</c> and the Repos catalog), and only then renamed into place and recorded.
/// </para>
/// <para>
/// A backup or restore killed part way leaves files behind (a backup's <c>&lt;id&gt;.db</c> and
/// <c>&lt;id&gt;.db.partial</c>, a restore's <c>&lt;file&gt;.restoring-&lt;guid&gt;</c>). Each operation holds a lock file
/// (<c>&lt;id&gt;.lock</c>, <c>&lt;file&gt;.restoring-&lt;guid&gt;.lock</c>, opened with <see cref="FileShare.None"/>) while its
/// files exist; the next backup removes what killed backups left, the next restore what killed restores left,
/// and the next writable open both, never the files of an operation still running in any process.
/// <see cref="Housekeeping.StorageInfo.LeftoverFiles"/> counts what is left meanwhile.
/// </para>
/// </remarks>
/// <example>
/// <code>
/// BackupInfo backup = await db.Backup.CreateAsync();
/// IReadOnlyList&lt;BackupInfo&gt; all = await db.Backup.ListAsync();        // newest first
/// await db.Backup.ApplyRetentionAsync(new BackupRetention { KeepLast = 5, KeepDaily = 7, KeepWeekly = 8 });
///
/// // The database cannot be opened: restore the newest backup without opening it.
/// ReposBackups backups = ReposBackups.ForFile("symptoms.db");
/// BackupInfo latest = (await backups.ListAsync())[0];
/// await backups.RestoreAsync(latest.Id);
/// </code>
/// </example>
public sealed partial class ReposBackups
{
    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan _busyTimeout;
    private readonly ReposDatabase? _database;

    internal ReposBackups(string databasePath, string? folder, TimeProvider? timeProvider, TimeSpan busyTimeout, ReposDatabase? database)
    {
        DatabasePath = Path.GetFullPath(databasePath);
        Folder = folder is null ? GetDefaultFolder(DatabasePath) : Path.GetFullPath(folder);
        _timeProvider = timeProvider ?? TimeProvider.System;
        _busyTimeout = busyTimeout;
        _database = database;
    }

    /// <summary>The database file the backups are of.</summary>
    public string DatabasePath { get; }

    /// <summary>The folder the backups are kept in.</summary>
    public string Folder { get; }

    /// <summary>The clock that stamps backups and that retention and schedules go by.</summary>
    internal TimeProvider TimeProvider => _timeProvider;

    /// <summary>How much of the database one step of a backup copies (tests make it small to take many steps).</summary>
    internal int BytesPerStep { get; set; } = SnapshotCopy.DefaultBytesPerStep;

    /// <summary>Whether the database these backups belong to was closed (never, for <see cref="ForFile"/>).</summary>
    internal bool IsClosed => _database is { IsClosed: true };

    /// <summary>
    /// The backups of a database file that is not open in this process, such as one too damaged to open:
    /// list them, restore one, or take one (the file must then be a readable database).
    /// </summary>
    /// <param name="databasePath">The database file.</param>
    /// <param name="folder">The backups folder, or null for <see cref="GetDefaultFolder"/>.</param>
    /// <param name="timeProvider">The clock for new backups and retention, or null for the system clock.</param>
    /// <returns>The backups of the file.</returns>
    public static ReposBackups ForFile(string databasePath, string? folder = null, TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(databasePath);
        return new ReposBackups(databasePath, folder, timeProvider, ReposDatabaseOptions.Default.BusyTimeout, null);
    }

    /// <summary>
    /// The folder backups of <paramref name="databasePath"/> go to unless told otherwise: beside the file,
    /// named after it, <c>symptoms.db</c> → <c>symptoms.db.backups</c>.
    /// </summary>
    /// <param name="databasePath">The database file.</param>
    /// <returns>The full path of the folder.</returns>
    public static string GetDefaultFolder(string databasePath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(databasePath);
        return Path.GetFullPath(databasePath) + ".backups";
    }

    /// <summary>Lists the recorded backups, newest first. Reads only the backups folder.</summary>
    /// <param name="cancellationToken">Cancels the listing.</param>
    /// <returns>The backups, newest first; empty when there are none.</returns>
    public ValueTask<IReadOnlyList<BackupInfo>> ListAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return new ValueTask<IReadOnlyList<BackupInfo>>(List(cancellationToken));
    }

    /// <summary>Returns the backup with identifier <paramref name="id"/>, or null when there is none.</summary>
    /// <param name="id">The backup's <see cref="BackupInfo.Id"/>.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns>The backup, or null.</returns>
    public ValueTask<BackupInfo?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        cancellationToken.ThrowIfCancellationRequested();
        return new ValueTask<BackupInfo?>(Find(id));
    }

    /// <summary>Deletes a backup: its manifest first (so it is no longer listed), then its file.</summary>
    /// <param name="id">The backup's <see cref="BackupInfo.Id"/>.</param>
    /// <param name="cancellationToken">Cancels the deletion before it starts.</param>
    /// <returns>True if the backup was deleted, false if there was none with that identifier.</returns>
    public ValueTask<bool> DeleteAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        cancellationToken.ThrowIfCancellationRequested();
        if (Find(id) is not { } backup)
        {
            return new ValueTask<bool>(false);
        }

        Delete(backup);
        return new ValueTask<bool>(true);
    }

    internal List<BackupInfo> List(CancellationToken cancellationToken)
    {
        var backups = new List<BackupInfo>();
        if (!Directory.Exists(Folder))
        {
            return backups;
        }

        foreach (string manifest in Directory.EnumerateFiles(Folder, "*" + BackupManifest.ManifestExtension))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (BackupManifest.TryRead(manifest) is { } backup)
            {
                backups.Add(backup);
            }
        }

        backups.Sort(NewestFirst);
        return backups;
    }

    internal BackupInfo? Find(string id)
    {
        // An identifier is a file name in the folder, never a path to somewhere else.
        if (id != Path.GetFileName(id) || id is "." or ".." || id.AsSpan().IndexOfAny(Path.GetInvalidFileNameChars()) >= 0)
        {
            return null;
        }

        return BackupManifest.TryRead(Path.Combine(Folder, id + BackupManifest.ManifestExtension));
    }

    internal void Delete(BackupInfo backup)
    {
        File.Delete(Path.Combine(Folder, backup.Id + BackupManifest.ManifestExtension));
        foreach (string suffix in (ReadOnlySpan<string>)["", "-wal", "-shm", "-journal"])
        {
            File.Delete(backup.Path + suffix);
        }
    }

    internal static int NewestFirst(BackupInfo x, BackupInfo y)
    {
        int byTime = y.CreatedAt.CompareTo(x.CreatedAt);
        return byTime != 0 ? byTime : string.CompareOrdinal(y.Id, x.Id);
    }

    /// <summary>
    /// Picks an identifier for a backup taken at <paramref name="time"/> and claims it: takes its
    /// <see cref="OperationLock"/> (<c>&lt;id&gt;.lock</c>), then creates its data file, empty, in the folder. Two
    /// processes backing up in the same millisecond get different ones. The caller holds the lock until the
    /// backup is recorded or its files are gone, so that <see cref="Leftovers"/> knows them for an operation in
    /// progress; a killed backup's files are removed by the next open, backup or restore.
    /// </summary>
    private (string Id, OperationLock Claim) Reserve(DateTimeOffset time, BackupKind kind)
    {
        Directory.CreateDirectory(Folder);
        string stem = string.Create(CultureInfo.InvariantCulture, $"{time.UtcDateTime:yyyyMMdd-HHmmss-fff}-{BackupManifest.SlugOf(kind)}");
        for (int attempt = 1; ; attempt++)
        {
            string id = attempt == 1 ? stem : string.Create(CultureInfo.InvariantCulture, $"{stem}-{attempt}");
            string data = Path.Combine(Folder, id + BackupManifest.DataExtension);
            if (File.Exists(Path.Combine(Folder, id + BackupManifest.ManifestExtension)) || File.Exists(data))
            {
                continue;
            }

            if (OperationLock.TryCreate(Path.Combine(Folder, id + OperationLock.Extension)) is not { } claim)
            {
                // Taken by another backup; try the next suffix.
                continue;
            }

            try
            {
                using (new FileStream(data, FileMode.CreateNew, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete))
                {
                }

                return (id, claim);
            }
            catch (IOException) when (File.Exists(data))
            {
                claim.Dispose();
            }
            catch
            {
                claim.Dispose();
                throw;
            }
        }
    }
}
