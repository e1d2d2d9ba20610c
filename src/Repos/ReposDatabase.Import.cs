using System.Text.Json;
using Repos.Storage;
using Repos.Storage.Sqlite;
using Repos.Transfer;

namespace Repos;

public abstract partial class ReposDatabase
{
    /// <summary>The repositories by entity name, as a bundle import reaches them.</summary>
    internal Dictionary<string, IBundleImportTarget> BundleTargets { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Imports a bundle that <see cref="ExportAsync"/> (here, on another device, or the <c>repos</c> tool) wrote
    /// (docs/transfer.md, <i>Import of a bundle</i>): after a <c>BeforeImport</c> backup, in one transaction, the whole
    /// bundle is read and checked (its format, checksum and catalog, and every row converted and validated as the
    /// entity, and compared with the stored row of its key) and its rows go through the write path as
    /// <see cref="BundleImportOptions.Strategy"/> says; the transaction commits only when all of it is right, so a
    /// bundle with any problem changes nothing. <see cref="BundleImportOptions.DryRun"/> only checks, in a read snapshot.
    /// </summary>
    /// <param name="input">The bundle, JSON or NDJSON (told apart by its first line), read once from where it stands.</param>
    /// <param name="options">The strategy, a dry run, limits; null for the defaults (<see cref="BundleImportStrategy.FailOnConflict"/>).</param>
    /// <param name="cancellationToken">Stops the import; nothing is written then.</param>
    /// <returns>Per entity, the rows new, identical, conflicting, invalid and written; on a dry run, the preview with the first problems.</returns>
    /// <exception cref="BundleFormatException">The bundle is malformed, cut short, of another format, or fails its checksum, or its catalog does not fit the app's.</exception>
    /// <exception cref="BundleImportException">Rows are invalid, or conflict under <see cref="BundleImportStrategy.FailOnConflict"/>; <see cref="BundleImportException.Preview"/> lists them.</exception>
    /// <exception cref="UniqueIndexViolationException">A row has the same unique index values as another; nothing was written.</exception>
    public async Task<BundleImportResult> ImportBundleAsync(Stream input, BundleImportOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        options ??= new BundleImportOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxProblems, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxValueBytes, 1024, nameof(options));
        ThrowIfDisposed();
        if (options.DryRun)
        {
            return await InSnapshotAsync(connection => Task.Run(() => Import(input, connection, options, write: false, cancellationToken), cancellationToken))
                .ConfigureAwait(false);
        }

        // One pass in one transaction: each row is checked, and written while every row so far fits; once one does
        // not, the rest are only checked, and the transaction is rolled back, so nothing of the bundle stays.
        Backup.BackupInfo? backup = await BackupBeforeImportAsync(cancellationToken).ConfigureAwait(false);
        using WriteScope scope = await BeginWriteAsync(atomic: true, cancellationToken).ConfigureAwait(false);
        scope.Resume();
        BundleImportResult result;
        using (ConnectionSettings.LargeCache(scope.Connection))
        {
            result = Import(input, scope.Connection, options, write: true, cancellationToken);
        }

        if (!result.CanImport)
        {
            throw new BundleImportException(result with { Entities = [.. result.Entities.Select(e => e with { Written = 0 })] });
        }

        scope.Complete();
        return result with { BackupPath = backup?.Path };
    }

    private BundleImportResult Import(Stream input, SqliteConnection connection, BundleImportOptions options, bool write, CancellationToken cancellationToken)
    {
        if (!write)
        {
            var check = new BundleImportSink(this, connection, options, null, cancellationToken);
            BundleReader.Read(input, check, options.MaxValueBytes);
            return check.Result(write: false);
        }

        // Two threads: one reads the bundle and converts and validates its rows, this one compares them with the
        // stored rows and writes them, in the bundle's order, a bounded queue apart.
        using var queue = new System.Collections.Concurrent.BlockingCollection<BundleImportSink.Work>(boundedCapacity: 4096);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var sink = new BundleImportSink(this, connection, options, queue, stop.Token);
        Task reading = Task.Run(() =>
        {
            try
            {
                BundleReader.Read(input, sink, options.MaxValueBytes);
            }
            finally
            {
                queue.CompleteAdding();
            }
        });

        try
        {
            foreach (BundleImportSink.Work work in queue.GetConsumingEnumerable(stop.Token))
            {
                sink.Store(work);
            }
        }
        catch
        {
            stop.Cancel();
            try
            {
                reading.GetAwaiter().GetResult();
            }
            catch (OperationCanceledException)
            {
                // The reading thread stopped because this one did.
            }

            throw;
        }

        reading.GetAwaiter().GetResult();
        return sink.Result(write: true);
    }

    /// <summary>
    /// Takes a bundle's header and rows on the thread that reads it: converts each row, then stores it right away (a dry
    /// run) or hands it to the writing thread through the queue.
    /// </summary>
    private sealed class BundleImportSink(
        ReposDatabase database,
        SqliteConnection connection,
        BundleImportOptions options,
        System.Collections.Concurrent.BlockingCollection<BundleImportSink.Work>? queue,
        CancellationToken cancellationToken)
        : IBundleSink
    {
        private readonly Dictionary<string, BundleEntityImporter> _importers = new(StringComparer.Ordinal);
        private readonly List<BundleImportProblem> _problems = [];
        private string _app = string.Empty;
        private long _rows;

        // Whether every row so far fits: rows are written only while they all do. Both threads clear it.
        private volatile bool _fits = true;

        /// <summary>A converted row for the writing thread, or an entity to empty first (<see cref="BundleImportStrategy.Replace"/>).</summary>
        public readonly record struct Work(BundleEntityImporter Importer, object? Converted, long Index, string Path);

        public void Header(BundleHeader header)
        {
            _app = header.App;
            foreach (BundleEntity entity in header.Catalog.Entities)
            {
                if (!database.BundleTargets.TryGetValue(entity.Name, out IBundleImportTarget? target))
                {
                    continue;
                }

                BundleEntityImporter importer = target.CreateBundleImporter(options);
                if (importer.Fits(entity, header.Catalog) is { } misfit)
                {
                    throw new BundleFormatException($"$.catalog.entities.{entity.Name}", misfit);
                }

                // The header comes before any row: the writing thread has nothing yet, so the connection is free.
                importer.Open(connection);
                _importers[entity.Name] = importer;
            }
        }

        public void Entity(string entity)
        {
            if (_importers.TryGetValue(entity, out BundleEntityImporter? importer))
            {
                importer.Prepare();
                importer.Listed = true;
            }
        }

        public void Row(string entity, int version, JsonElement row, long index, string path)
        {
            if ((++_rows & 1023) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            if (!_importers.TryGetValue(entity, out BundleEntityImporter? importer))
            {
                throw new BundleFormatException(path, $"the bundle holds rows of {entity}, an entity the file does not have");
            }

            int rowVersion = OwnVersion(row, path) ?? version;
            if (rowVersion > importer.Version)
            {
                throw new BundleFormatException(path, $"the row is of {entity} at schema version {rowVersion}, written by a newer version of the app; this one is at version {importer.Version}");
            }

            if (index == 0)
            {
                importer.Started = true;
                if (queue is not null && options.Strategy == BundleImportStrategy.Replace)
                {
                    queue.Add(new Work(importer, null, -1, path), cancellationToken);
                }
            }

            object? converted = importer.Convert(row, rowVersion, index, path, _problems, options.MaxProblems);
            if (converted is null)
            {
                _fits = false;
            }
            else if (queue is null)
            {
                Store(new Work(importer, converted, index, path));
            }
            else
            {
                queue.Add(new Work(importer, converted, index, path), cancellationToken);
            }

            if ((index & 1023) == 1023)
            {
                options.Progress?.Report(new TransferProgress(entity, index + 1, null, 0));
            }
        }

        /// <summary>Compares a converted row with the stored one and writes it (on the import, while every row fits).</summary>
        public void Store(Work work)
        {
            if (work.Converted is null)
            {
                work.Importer.Clear(connection);
                return;
            }

            if (!work.Importer.Store(connection, work.Converted, work.Index, work.Path, _problems, options.MaxProblems, queue is not null && _fits))
            {
                _fits = false;
            }
        }

        // An export writes a row's own version as its first property.
        private static int? OwnVersion(JsonElement row, string path)
        {
            JsonElement.ObjectEnumerator properties = row.EnumerateObject();
            if (!properties.MoveNext() || !properties.Current.NameEquals(PayloadJsonWriter.VersionProperty))
            {
                return null;
            }

            return properties.Current.Value.TryGetInt32(out int version) && version >= 1
                ? version
                : throw new BundleFormatException($"{path}.{PayloadJsonWriter.VersionProperty}", "the row's version is not a positive integer");
        }

        public BundleImportResult Result(bool write)
        {
            if (write && options.Strategy == BundleImportStrategy.Replace)
            {
                // An entity the bundle lists without rows is emptied too.
                foreach (BundleEntityImporter importer in _importers.Values)
                {
                    if (!importer.Started && importer.Listed)
                    {
                        importer.Clear(connection);
                    }
                }
            }

            return new BundleImportResult(
                !write,
                options.Strategy,
                _app,
                [.. _importers.Values.Where(i => i.Listed).Select(i => i.Result())],
                _problems,
                null);
        }
    }
}
