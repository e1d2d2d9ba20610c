namespace Repos.Recovery;

/// <summary>
/// Gets the data out of a damaged database file: <see cref="SalvageAsync"/> reads the file without SQLite
/// (it works on files SQLite refuses: truncated, with overwritten bytes or zeroed pages, a destroyed header)
/// and writes every row whose blob still passes its checksum and decodes into a new file, with a report of
/// what was lost. To do this automatically when an app's database cannot be opened, see
/// <see cref="ReposDatabaseOptions.OnDamagedFile"/>.
/// </summary>
public static class ReposRecovery
{
    /// <summary>
    /// Salvages the rows of the damaged file at <paramref name="damagedPath"/> into a new file at
    /// <paramref name="newPath"/>, leaving the damaged file as it is.
    /// </summary>
    /// <remarks>
    /// <para>
    /// Rows are found by walking each entity's table from its root page and by scanning every page for table
    /// leaves cut off from their tree; committed transactions still in the write-ahead log (<c>-wal</c>) are
    /// read too. A row is kept when its envelope passes its checksum and its payload is the entity's (its key
    /// field holds the row's key); a row found twice keeps the copy from the tree. Pages on the file's freelist
    /// are not read, so rows deleted before the damage do not come back (when page 1 itself is destroyed the
    /// freelist is unknown, and a deleted row whose page was never reused can reappear).
    /// </para>
    /// <para>
    /// The new file gets the damaged file's catalog, so every stored field keeps its id. Without a model its
    /// indexes are rebuilt from the blobs at its first writable open by the app. With
    /// <paramref name="model"/> (the database class's generated <c>Model</c>), the salvage opens the new file
    /// with it (building the indexes, migrating older rows), removes any row that fails
    /// <see cref="ReposDatabase.VerifyAsync"/> and reports the verification; and when the damaged file's catalog
    /// is lost, the model supplies it.
    /// </para>
    /// <para>
    /// With <paramref name="model"/>, what the report counts as recovered is guaranteed: every such row is a row
    /// that was stored, in the entity whose table held it, with the values it was written with. A row counts
    /// only when the model, reading it through the recovered catalog and writing it again, gives back the stored
    /// payload (checked again after the model opened the new file), so a damaged catalog record (a lost,
    /// changed or doubled field id) or a row of another entity makes the row lost, with the reason, never kept
    /// with defaults or in the wrong entity. Catalog records the model and the file determine are repaired and
    /// listed in <see cref="SalvageReport.CatalogRepairs"/>. Rows the salvage cannot vouch for are lost. The new
    /// file opens with the model, or the call throws <see cref="ReposRecoveryException"/> and leaves no file.
    /// </para>
    /// </remarks>
    /// <param name="damagedPath">The damaged file. It is only read.</param>
    /// <param name="newPath">The new file to write; it must not exist.</param>
    /// <param name="model">The app's model (<c>MyDb.Model</c>), or null to salvage with the file's catalog alone.</param>
    /// <param name="cancellationToken">Stops the salvage; the new file is then deleted.</param>
    /// <returns>What was recovered and lost, per entity.</returns>
    /// <exception cref="IOException"><paramref name="newPath"/> exists.</exception>
    /// <exception cref="FileNotFoundException"><paramref name="damagedPath"/> does not exist.</exception>
    /// <exception cref="ReposRecoveryException">
    /// The catalog is lost and no model was given; or, with a model, the new file would not open with it (the file
    /// was written by a newer app or Repos, or its catalog is damaged in a way no certain repair settles). The new
    /// file is then deleted.
    /// </exception>
    /// <example>
    /// <code>
    /// SalvageReport report = await ReposRecovery.SalvageAsync("health.db", "health.salvaged.db", HealthDb.Model);
    /// Console.WriteLine(report);   // rows recovered and lost, per entity
    /// </code>
    /// </example>
    public static Task<SalvageReport> SalvageAsync(string damagedPath, string newPath, ReposModel? model = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(damagedPath);
        ArgumentException.ThrowIfNullOrWhiteSpace(newPath);
        string damaged = Path.GetFullPath(damagedPath);
        string target = Path.GetFullPath(newPath);
        if (!File.Exists(damaged))
        {
            throw new FileNotFoundException($"The file to salvage, '{damaged}', does not exist.", damaged);
        }

        if (File.Exists(target) || string.Equals(damaged, target, StringComparison.Ordinal))
        {
            throw new IOException($"The salvage writes a new file, and '{target}' exists; choose another path.");
        }

        cancellationToken.ThrowIfCancellationRequested();
        return Task.Run(() => SalvageRun.RunAsync(damaged, target, model, cancellationToken), cancellationToken);
    }
}
