namespace Repos.Transfer;

/// <summary>Imports data an app kept as JSON documents (a localStorage, SharedPreferences or IndexedDB dump) into a repository.</summary>
public static class JsonImportExtensions
{
    /// <summary>
    /// Reads the documents of a JSON dump and inserts them as entities, all or none, in one transaction (the
    /// flow's open <see cref="ReposTransaction"/> if there is one). Each document is converted by its properties'
    /// types, then validated like any write; if any document fails, nothing is written and the exception lists
    /// every problem found. Before it writes, the database is backed up (a <see cref="Backup.BackupKind.BeforeImport"/>
    /// backup in <see cref="ReposDatabase.Backup"/>) unless <see cref="ReposDatabaseOptions.BackupBeforeImport"/> is off.
    /// </summary>
    /// <typeparam name="TEntity">The entity type.</typeparam>
    /// <typeparam name="TKey">The type of its key.</typeparam>
    /// <param name="repository">The repository to import into.</param>
    /// <param name="json">
    /// The UTF-8 JSON dump, read once from its current position and not closed. It is read as the import goes, so a
    /// dump need not fit in memory: only the document being imported is held.
    /// </param>
    /// <param name="options">Where the documents are and how to read them, or null for the defaults (an array or object of documents at the top level).</param>
    /// <param name="cancellationToken">Cancels the import; then nothing is written.</param>
    /// <returns>How many documents were read, inserted, replaced and skipped.</returns>
    /// <exception cref="JsonImportException">A document could not be imported, or the dump is not well-formed; nothing was written.</exception>
    /// <exception cref="ArgumentException">An option is not valid: a malformed <see cref="JsonImportOptions.Path"/>, a <see cref="JsonImportOptions.PropertyNames"/> target that is no property, <see cref="JsonImportOptions.MaxErrors"/> below 1.</exception>
    /// <exception cref="InvalidOperationException">The database is read-only, or another operation is using the open transaction.</exception>
    /// <exception cref="ObjectDisposedException">The database is closed.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled; nothing was written.</exception>
    /// <example>
    /// <code>
    /// // {"note:1": "{\"text\":\"Hello\",\"createdAt\":1714550400000}", "theme": "dark", ...}
    /// await using FileStream dump = File.OpenRead("localStorage.json");
    /// JsonImportResult result = await db.Notes.ImportJsonAsync(dump, new JsonImportOptions { KeyPrefix = "note:" });
    /// </code>
    /// </example>
    public static ValueTask<JsonImportResult> ImportJsonAsync<TEntity, TKey>(
        this Repository<TEntity, TKey> repository,
        Stream json,
        JsonImportOptions? options = null,
        CancellationToken cancellationToken = default)
        where TEntity : class
        where TKey : notnull
    {
        ArgumentNullException.ThrowIfNull(repository);
        ArgumentNullException.ThrowIfNull(json);
        return JsonImporter<TEntity, TKey>.ImportAsync(repository, json, options ?? JsonImportOptions.Default, cancellationToken);
    }
}
