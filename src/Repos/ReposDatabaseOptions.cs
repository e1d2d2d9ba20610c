namespace Repos;

/// <summary>How a Repos database file is opened.</summary>
public sealed class ReposDatabaseOptions
{
    /// <summary>
    /// Open without writing anything: no catalog changes, no table creation; every write throws. The file
    /// must exist.
    /// </summary>
    public bool ReadOnly { get; init; }

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
    /// Whether to copy the file before migrating it (on by default). The copy sits beside the file, named
    /// after it with the old version and the time, and is kept.
    /// </summary>
    public bool BackupBeforeMigration { get; init; } = true;

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

    /// <summary>The options used when none are given.</summary>
    public static ReposDatabaseOptions Default { get; } = new();
}
