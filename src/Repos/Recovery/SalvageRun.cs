using System.Globalization;
using System.Text;
using Repos.Diagnostics;
using Repos.Internal;
using Repos.Serialization;
using Repos.Storage;
using Repos.Storage.Sqlite;

namespace Repos.Recovery;

/// <summary>
/// One salvage: reads what it can of a damaged file and writes every row whose blob verifies into a new file.
/// </summary>
/// <remarks>
/// <para>
/// Rows are found two ways: by walking each entity's table b-tree from the root page the schema gives, and by
/// scanning every page of the file for table leaves no walk reached (their parent page was destroyed). Each
/// row is kept only if its envelope passes its checksum, its payload is a map of field ids, and it is the
/// entity's (its key field holds its key, its field ids are ones the entity has): so a leaf reached through a
/// damaged pointer, or found by the scan, goes to the entity it really belongs to. A row found twice keeps the
/// copy from the tree. With the app's model, a row also has to be what the model stores: read through the
/// recovered catalog and written again, it gives back its payload (<see cref="PayloadMatch"/>), so no row is kept
/// with values a damaged catalog misnames, or in an entity whose fields merely cover its own.
/// </para>
/// <para>
/// With the file's catalog readable, the new file gets the same catalog (entities, field ids), with the rows'
/// blobs as they were; its indexes are built again from the blobs at the next open with the app's model,
/// which the salvage does itself when it has the model, then runs <see cref="ReposDatabase.VerifyAsync"/>.
/// With the catalog lost, the model creates the new file, and rows are kept when they decode with it.
/// </para>
/// </remarks>
internal sealed class SalvageRun
{
    private static readonly ReposDatabaseOptions s_noBackup = new() { BackupBeforeMigration = false };
    private static readonly HashSet<long> s_none = [];

    private readonly string _damagedPath;
    private readonly string _newPath;
    private readonly ReposModel? _model;
    private readonly List<string> _warnings = [];
    private readonly List<Target> _targets = [];
    private readonly List<CatalogRepair> _repairs = [];
    private SerializationContext? _context;
    private bool _catalogMode;

    // The damaged file's compression dictionaries, found wherever they were (see RecoveredCatalog.Dictionaries).
    private Func<uint, Serialization.CompressionDictionary?> _dictionaries = _ => null;
    private long _unidentified;

    private SalvageRun(string damagedPath, string newPath, ReposModel? model)
    {
        _damagedPath = damagedPath;
        _newPath = newPath;
        _model = model;
    }

    public static async Task<SalvageReport> RunAsync(string damagedPath, string newPath, ReposModel? model, CancellationToken cancellationToken)
    {
        var run = new SalvageRun(damagedPath, newPath, model);
        try
        {
            return await run.RunAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            // The new file is the salvage's own: a failed salvage leaves nothing half-written behind.
            DeleteDatabaseFiles(newPath);
            throw;
        }
    }

    private async Task<SalvageReport> RunAsync(CancellationToken cancellationToken)
    {
        var report = new SalvageReport(_damagedPath, _newPath);
        ReposDatabase? database = null;
        try
        {
            var schemaDamage = new TreeDamage();
            RecoveredCatalog catalog;
            using (PageSource pages = PageSource.Open(_damagedPath))
            {
                report.PageSize = pages.PageSize;
                report.PageSizeGuessed = pages.PageSizeGuessed;
                report.Pages = pages.PageCount;
                report.PagesFromWriteAheadLog = pages.WalPages;
                var reader = new BTreeReader(pages);
                reader.ReadFreelist();
                List<SchemaEntry> schema = SchemaEntry.ReadAll(reader, pages.TextEncoding, schemaDamage);
                if (schemaDamage.UnreadablePages > 0)
                {
                    _warnings.Add("The file's schema (page 1 or below it) cannot be read in full: rows are found by scanning every page.");
                }

                catalog = RecoveredCatalog.Read(reader, schema, pages.TextEncoding, _warnings);
                catalog.FillFromSealedCopy(_repairs, _warnings);
                _dictionaries = catalog.FindDictionary;
                _catalogMode = catalog.IsUsable;
                if (_catalogMode && _model is not null)
                {
                    catalog.RepairWithModel(_model, schema, _repairs);

                    // A reader of its own: the walks below must find every page unvisited.
                    catalog.RepairLostFields(_model, schema, new BTreeReader(pages), _repairs);
                }

                report.CatalogRecovered = _catalogMode;
                SqliteConnection connection;
                if (_catalogMode)
                {
                    connection = ConnectionSettings.Open(_newPath, ReposDatabaseOptions.Default, writer: true);
                    connection.BeginImmediate();
                    WriteCatalog(connection, catalog);
                }
                else
                {
                    if (_model is null)
                    {
                        throw new ReposRecoveryException(
                            $"The catalog of '{_damagedPath}' cannot be read, so its rows cannot be told apart without the app's model: pass the database class's Model. Nothing was written.");
                    }

                    _warnings.Add("The file's catalog cannot be read: the new file's catalog comes from the app's model, and rows are kept when they decode with it at the model's version.");
                    database = await ModelDatabase.OpenAsync(_newPath, _model, s_noBackup, cancellationToken).ConfigureAwait(false);
                    connection = database.Writer;
                    _context = database.Context;
                    AddModelTargets();
                    connection.BeginImmediate();
                    if (WriteDictionaries(connection, catalog))
                    {
                        foreach (Serialization.CompressionDictionary dictionary in catalog.Dictionaries.Values)
                        {
                            _context.Dictionaries.Add(dictionary);
                        }

                        CatalogSeal.Seal(connection);
                    }
                }

                try
                {
                    Salvage(reader, schema, connection, pages.TextEncoding, cancellationToken);
                    if (_catalogMode)
                    {
                        // The copied catalog is the new file's: sealed afresh, as nothing of the old seal is taken.
                        CatalogSeal.Seal(connection);
                    }

                    connection.Commit();
                }
                catch
                {
                    if (connection.InTransaction)
                    {
                        connection.Rollback();
                    }

                    throw;
                }
                finally
                {
                    if (database is null)
                    {
                        connection.Dispose();
                    }
                }
            }

            if (_model is not null)
            {
                (database, report.Verification) = await VerifyWithModelAsync(database, catalog, cancellationToken).ConfigureAwait(false);
                if (database is not null)
                {
                    CheckEveryRow(database, cancellationToken);
                }
            }

            report.PagesUnreadable = schemaDamage.UnreadablePages + _targets.Sum(t => t.Damage.UnreadablePages);
        }
        finally
        {
            database?.Dispose();
        }

        foreach (Target target in _targets)
        {
            target.Result.RowsRecovered = target.Recovered.Count;
            target.Result.Lost = [.. target.Lost.Values];
            target.Result.PagesUnreadable = target.Damage.UnreadablePages;
        }

        report.Entities = _targets.Select(t => t.Result).ToList();
        report.RowsUnidentified = _unidentified;
        report.CatalogRepairs = _repairs;
        report.Warnings = _warnings;
        return report;
    }

    /// <summary>Reads every row it can find and writes the good ones, inside the new file's transaction.</summary>
    private void Salvage(BTreeReader reader, List<SchemaEntry> schema, SqliteConnection connection, Encoding encoding, CancellationToken cancellationToken)
    {
        foreach (Target target in _targets)
        {
            target.Insert = connection.Prepare(target.InsertSql);
        }

        // Through each entity's tree first, so the copy from the tree is the one kept.
        var roots = new HashSet<uint>();
        foreach (SchemaEntry entry in schema.Where(e => e.Type == "table"))
        {
            Target? target = _targets.FirstOrDefault(t => t.Table == entry.Name);
            if (target is null)
            {
                continue;
            }

            roots.Add(entry.RootPage);
            target.BlobColumn = entry.ColumnNames()?.IndexOf("_blob") ?? -1;
            int count = 0;
            foreach (TableCell cell in reader.WalkTable(entry.RootPage, target.Damage))
            {
                if (++count % 1024 == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }

                SalvageFromTree(target, SalvageRow.Inspect(cell, target.BlobColumn, _dictionaries), encoding);
            }
        }

        // Other rowid tables are walked only so their leaves are not taken for cut-off ones.
        foreach (SchemaEntry entry in schema.Where(e => e.Type == "table" && !roots.Contains(e.RootPage) && !e.Name.StartsWith("_repos_", StringComparison.Ordinal)))
        {
            foreach (TableCell cell in reader.WalkTable(entry.RootPage, new TreeDamage()))
            {
                _ = cell;
            }
        }

        foreach ((uint _, List<TableCell> cells) in reader.OrphanTableLeaves())
        {
            cancellationToken.ThrowIfCancellationRequested();
            SalvageOrphans(cells.Select(c => SalvageRow.Inspect(c, -1, _dictionaries)).ToList(), encoding);
        }

        // The indexes still list the keys of rows whose pages are gone: those are named as lost.
        foreach (SchemaEntry index in schema.Where(e => e.Type == "index"))
        {
            Target? target = _targets.FirstOrDefault(t => t.Table == index.TableName);
            bool listsKeys = target is not null
                && (target.KeyKind == ColumnKind.Integer || index.Name.StartsWith("sqlite_autoindex_", StringComparison.Ordinal));
            if (!listsKeys || target!.KeysFromIndex)
            {
                continue;
            }

            target.KeysFromIndex = true;
            foreach (byte[] payload in reader.WalkIndex(index.RootPage, new TreeDamage()))
            {
                if (RecordValue.Parse(payload) is not { Length: >= 2 } record || record[^1].Kind != RecordKind.Integer)
                {
                    continue;
                }

                long rowId = record[^1].Integer;
                RowKey key = RowKey.Of(target.KeyKind, rowId, record[0]);
                if (!target.Recovered.Contains(key) && !target.Lost.ContainsKey(key))
                {
                    target.Lost[key] = new LostRow(
                        RowKey.Describe(target.KeyKind, rowId, record[0]),
                        "its row was on a page that cannot be read (an index still lists its key)");
                }
            }
        }
    }

    /// <summary>A row the entity's tree leads to: kept if it is the entity's, else given to the entity it is.</summary>
    private void SalvageFromTree(Target target, SalvageRow row, Encoding encoding)
    {
        if (row.Payload is null)
        {
            Lose(target, row, row.Problem!);
            return;
        }

        if (Identify(target, row, encoding, out string? problem))
        {
            Keep(target, row, orphan: false);
            return;
        }

        // A damaged pointer led the walk to another table's leaf, or the row is not what the table holds.
        List<Target> matches = _targets.Where(t => t != target && Identify(t, row, encoding, out _)).ToList();
        if (matches.Count == 1)
        {
            Keep(matches[0], row, orphan: false);
            return;
        }

        Lose(target, row, problem ?? "it is not a row of this entity");
    }

    /// <summary>
    /// The rows of a table leaf no walk reached. All rows of a leaf belong to one table: the entity every intact
    /// row on the page can be is the page's; failing that, each row goes to the one entity it can be, if any.
    /// </summary>
    private void SalvageOrphans(List<SalvageRow> rows, Encoding encoding)
    {
        var page = new bool[_targets.Count];
        Array.Fill(page, true);
        var masks = new bool[rows.Count][];
        bool voted = false;
        for (int r = 0; r < rows.Count; r++)
        {
            if (rows[r].Payload is null)
            {
                continue;
            }

            masks[r] = new bool[_targets.Count];
            for (int t = 0; t < _targets.Count; t++)
            {
                masks[r][t] = Identify(_targets[t], rows[r], encoding, out _);
                page[t] &= masks[r][t];
            }

            voted = true;
        }

        // When more than one entity could own the page (one's field ids are a subset of another's), the one whose
        // fields the rows fill best owns it: Repos writes every field of the model, so a row has all of its own.
        int pageTarget = voted ? Best(page, t => rows.Where(r => r.Payload is not null).Sum(r => Fill(_targets[t], r))) : -1;
        for (int r = 0; r < rows.Count; r++)
        {
            SalvageRow row = rows[r];
            if (row.Payload is null)
            {
                // A damaged row is named only when the page is known to be an entity's.
                if (pageTarget >= 0 && row.Record is not null)
                {
                    Lose(_targets[pageTarget], row, row.Problem!);
                }

                continue;
            }

            int only = Best(masks[r], t => Fill(_targets[t], row));
            int chosen = pageTarget >= 0 && masks[r][pageTarget] ? pageTarget : only;
            if (chosen < 0)
            {
                _unidentified++;
                continue;
            }

            Keep(_targets[chosen], row, orphan: true);
        }
    }

    /// <summary>The one candidate, or else the one whose score is highest; -1 when there is none, or a tie.</summary>
    private static int Best(bool[] candidates, Func<int, double> score)
    {
        int count = candidates.Count(c => c);
        if (count <= 1)
        {
            return Array.IndexOf(candidates, true);
        }

        int best = -1;
        double bestScore = double.NegativeInfinity;
        bool tie = false;
        for (int t = 0; t < candidates.Length; t++)
        {
            if (candidates[t] && score(t) is double value)
            {
                if (value > bestScore)
                {
                    (best, bestScore, tie) = (t, value, false);
                }
                else if (value == bestScore)
                {
                    tie = true;
                }
            }
        }

        return tie ? -1 : best;
    }

    /// <summary>The share of the entity's fields in use the row holds.</summary>
    private static double Fill(Target target, SalvageRow row) =>
        target.LiveIds.Count == 0 ? 0 : (double)row.Fields.Count(f => target.LiveIds.Contains(f.Id)) / target.LiveIds.Count;

    /// <summary>
    /// Whether the row is one of <paramref name="target"/>'s: its key has the entity's key type, the payload's
    /// key field holds it and every field id is one the entity has (catalog); or it decodes with the model and
    /// holds its key (model alone).
    /// </summary>
    private bool Identify(Target target, SalvageRow row, Encoding encoding, out string? problem)
    {
        problem = null;
        if (!row.KeyFits(target.KeyKind))
        {
            problem = $"its key is not stored as a {target.KeyKind}";
            return false;
        }

        if (!_catalogMode)
        {
            problem = target.Definition!.CheckSalvagedRow(row.Envelope, row.KeyColumn(target.KeyKind), row.KeyText(target.KeyKind), _context!, target.Columns, s_none, s_none);
            return problem is null;
        }

        if (row.SchemaVersion > target.Version)
        {
            problem = $"it is at version {row.SchemaVersion}, above the entity's {target.Version}";
            return false;
        }

        if (target.FieldIds is { } ids && row.Fields.Any(f => !ids.Contains(f.Id)))
        {
            problem = "its blob has fields the entity never had";
            return false;
        }

        if (target.KeyFieldId >= 0 && !KeyFieldHolds(target, row, encoding))
        {
            problem = "its blob holds another key";
            return false;
        }

        // With the model, a row counts only when it is exactly what the model reads and writes: decoded through
        // the recovered catalog and written again, it gives back the stored payload. A catalog that lost or
        // changed a field id, or a row of another entity whose fields are a subset of this one's, fails here.
        if (_model is not null && target.Definition is { } definition && _context is not null)
        {
            if (row.SchemaVersion != definition.Version && (target.Repaired || row.SchemaVersion > definition.Version))
            {
                problem = $"it is stored at version {row.SchemaVersion}, and the catalog that would tell how to read it at the model's version {definition.Version} is damaged";
                return false;
            }

            if (row.SchemaVersion == definition.Version)
            {
                problem = definition.CheckSalvagedRow(row.Envelope, row.KeyColumn(target.KeyKind), row.KeyText(target.KeyKind), _context, target.Columns, target.StoredOnly, target.NestedStoredOnly);
                if (problem is not null)
                {
                    problem += " (with the app's model)";
                    return false;
                }
            }
        }
        else if (_model is not null && _model.Entities.Any(d => d.Name == target.Entity))
        {
            problem = "the app's model cannot read it through the recovered catalog";
            return false;
        }

        return true;
    }

    private static bool KeyFieldHolds(Target target, SalvageRow row, Encoding encoding)
    {
        ReadOnlySpan<byte> value = row.Field(target.KeyFieldId);
        if (value.IsEmpty)
        {
            return false;
        }

        try
        {
            var reader = new MessagePackReader(value);
            RecordValue key = row.Record![0];
            return target.KeyKind switch
            {
                ColumnKind.Integer => reader.ReadInt64() == row.Cell.RowId,
                ColumnKind.Text => reader.ReadString() == encoding.GetString(key.Bytes.Span),
                _ => reader.ReadBinarySpan().SequenceEqual(key.Bytes.Span),
            };
        }
        catch (ReposFormatException)
        {
            return false;
        }
    }

    private void Keep(Target target, SalvageRow row, bool orphan)
    {
        RowKey key = row.Key(target.KeyKind);

        // With the model alone, the row is written with its index columns, computed from it here (with the catalog,
        // Identify has checked it with the model).
        if (!_catalogMode
            && target.Definition!.CheckSalvagedRow(row.Envelope, row.KeyColumn(target.KeyKind), row.KeyText(target.KeyKind), _context!, target.Columns, s_none, s_none) is { } failure)
        {
            Lose(target, row, failure);
            return;
        }

        SqliteStatement insert = target.Insert!;
        try
        {
            row.KeyColumn(target.KeyKind).Bind(insert, 1);
            int next = 2;
            if (!_catalogMode)
            {
                for (int i = 0; i < target.Definition!.Columns.Count; i++)
                {
                    target.Columns[i].Bind(insert, next++);
                }
            }

            insert.BindInt64(next++, row.SchemaVersion);
            insert.BindBlob(next, row.Envelope);
            insert.Execute();
        }
        finally
        {
            insert.Reset();
        }

        if (insert.Connection.Changes == 0)
        {
            if (target.Recovered.Contains(key))
            {
                target.Result.DuplicatesSkipped++;
            }
            else
            {
                Lose(target, row, "another kept row has the same values of a unique index");
            }

            return;
        }

        target.Recovered.Add(key);
        target.Lost.Remove(key);
        if (orphan)
        {
            target.Result.RowsFromOrphanedPages++;
        }
    }

    private static void Lose(Target target, SalvageRow row, string reason)
    {
        if (row.Record is null || !row.KeyFits(target.KeyKind))
        {
            target.Unnamed++;
            target.Lost[new RowKey(target.Unnamed, -1, "?")] = new LostRow(
                string.Create(CultureInfo.InvariantCulture, $"(unknown: rowid {row.Cell.RowId} on page {row.Cell.Page})"), reason);
            return;
        }

        RowKey key = row.Key(target.KeyKind);
        if (!target.Recovered.Contains(key))
        {
            target.Lost[key] = new LostRow(row.KeyText(target.KeyKind), reason);
        }
    }

    /// <summary>
    /// Writes the dictionaries the salvaged rows are compressed with into the new file (which then has catalog
    /// format 3), inside the caller's transaction; whether there were any.
    /// </summary>
    private static bool WriteDictionaries(SqliteConnection connection, RecoveredCatalog catalog)
    {
        if (catalog.Dictionaries.Count == 0)
        {
            return false;
        }

        connection.Execute(CompressionDictionaries.CreateSql);
        using SqliteStatement insert = connection.PrepareOnce($"INSERT INTO {CompressionDictionaries.Table}(id, entity, created, content) VALUES(?1, ?2, ?3, ?4)");
        foreach ((uint id, string owner, long created, Serialization.CompressionDictionary dictionary) in catalog.DictionaryRows())
        {
            insert.BindInt64(1, id);
            insert.BindText(2, owner);
            insert.BindInt64(3, created);
            insert.BindBlob(4, dictionary.Content.Span);
            insert.Execute();
        }

        connection.Execute($"UPDATE _repos_meta SET value={Catalog.DictionaryFormatVersion} WHERE key='format' AND value<{Catalog.DictionaryFormatVersion}");

        return true;
    }

    /// <summary>Copies the recovered catalog into the new file and creates each entity's table, empty, without indexes.</summary>
    private void WriteCatalog(SqliteConnection connection, RecoveredCatalog catalog)
    {
        Catalog.CreateTables(connection);
        catalog.Meta.TryAdd("format", (long)Catalog.FormatVersion);
        SqliteStatement meta = connection.Prepare("INSERT INTO _repos_meta(key, value) VALUES(?1, ?2)");
        foreach ((string key, object value) in catalog.Meta)
        {
            if (key is CatalogSeal.CopyKey or CatalogSeal.DigestKey or CatalogSeal.GenerationKey)
            {
                continue;
            }

            meta.BindText(1, key);
            if (value is long number)
            {
                meta.BindInt64(2, number);
            }
            else
            {
                meta.BindText(2, (string)value);
            }

            meta.Execute();
        }

        WriteDictionaries(connection, catalog);
        SqliteStatement field = connection.Prepare("INSERT INTO _repos_fields(type, id, name, clr_type, retired) VALUES(?1, ?2, ?3, ?4, ?5)");
        foreach (CatalogField f in catalog.Fields.Values)
        {
            field.BindText(1, f.Type);
            field.BindInt64(2, f.Id);
            field.BindText(3, f.Name);
            field.BindText(4, f.ClrType);
            field.BindInt64(5, f.Retired ? 1 : 0);
            field.Execute();
        }

        SqliteStatement entity = connection.Prepare(
            "INSERT INTO _repos_entities(entity, table_name, type, key_property, key_kind, version) VALUES(?1, ?2, ?3, ?4, ?5, ?6)");
        foreach (CatalogEntity e in catalog.Entities.Values.OrderBy(e => e.Name, StringComparer.Ordinal))
        {
            entity.BindText(1, e.Name);
            entity.BindText(2, e.Table);
            entity.BindText(3, e.Type);
            entity.BindText(4, e.KeyProperty);
            entity.BindText(5, e.KeyKind.ToString());
            entity.BindInt64(6, e.Version);
            entity.Execute();

            EntityDefinition? definition = _model?.Entities.FirstOrDefault(d => d.Name == e.Name);
            if (definition is not null && (definition.TableName != e.Table || definition.KeyKind != e.KeyKind))
            {
                _warnings.Add($"The app's model stores {e.Name} in table {definition.TableName} with a {definition.KeyKind} key, the file in {e.Table} with a {e.KeyKind} key: its rows are checked against the file's catalog only.");
                definition = null;
            }

            // Field ids are given out one after another, so a complete list runs from 1 without a gap; with a gap,
            // some of the catalog is lost and a field id it lacks proves nothing.
            HashSet<long>? ids = catalog.FieldIds(e.Type);
            if (ids is not null && ids.Max() != ids.Count)
            {
                string missing = string.Join(", ", Enumerable.Range(1, (int)ids.Max()).Where(id => !ids.Contains(id)));
                _warnings.Add(_model is null
                    ? $"The catalog has lost {e.Name}'s field ids {missing}: its rows are told apart by their key field only, and the values " +
                      "stored under those ids are kept in the blobs but not read by a model that does not find the field in the catalog."
                    : $"The catalog has lost {e.Name}'s field ids {missing}: a row that holds one of them is kept only when the app's model reads " +
                      "and writes it back as stored (see the catalog repairs), and is otherwise lost.");
                ids = null;
            }

            var target = new Target(e.Name, e.Table, e.KeyKind, e.Version, definition)
            {
                Repaired = _repairs.Any(r => r.Table == "_repos_entities" && r.Type == e.Name),
                FieldIds = ids,
                LiveIds = catalog.Fields.Values.Where(f => f.Type == e.Type && !f.Retired).Select(f => f.Id).ToHashSet(),
                KeyFieldId = catalog.FieldId(e.Type, e.KeyProperty),
                InsertSql = $"INSERT INTO {SqlText.Quote(e.Table)}(key, _schema, _blob) VALUES(?1, ?2, ?3) ON CONFLICT(key) DO NOTHING",
            };
            if (target.KeyFieldId < 0)
            {
                _warnings.Add($"The catalog no longer lists {e.Name}'s key field: its rows are checked against their envelopes only.");
            }

            _targets.Add(target);

            // The index columns stay empty: with no index recorded in the catalog, the next open with the app's
            // model builds every index again from the blobs.
            var columns = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (string name in catalog.IndexColumns.GetValueOrDefault(e.Name) ?? [])
            {
                columns[name] = string.Empty;
            }

            foreach (IndexColumn column in definition?.Columns ?? [])
            {
                columns[column.Name] = " " + Catalog.SqlType(column.Kind);
            }

            string keyColumn = e.KeyKind switch
            {
                ColumnKind.Integer => "key INTEGER PRIMARY KEY NOT NULL",
                ColumnKind.Text => "key TEXT PRIMARY KEY NOT NULL",
                _ => "key BLOB PRIMARY KEY NOT NULL",
            };
            string columnList = string.Concat(columns.Select(c => $", {SqlText.Quote(c.Key)}{c.Value}"));
            connection.Execute($"CREATE TABLE {SqlText.Quote(e.Table)}({keyColumn}{columnList}, _schema INTEGER NOT NULL, _blob BLOB NOT NULL)");
        }

        // Rows are checked with the app's model as the recovered catalog numbers their fields.
        if (_model is not null)
        {
            try
            {
                _context = Catalog.Read(connection, _model.Entities.Where(d => _targets.Any(t => t.Definition == d)).ToList());
            }
            catch (ReposSchemaException e)
            {
                _warnings.Add($"The app's model does not read the recovered catalog ({e.Message}): its entities' rows cannot be checked with it and are not kept.");
            }

            if (_context is not null)
            {
                foreach (Target target in _targets.Where(t => t.Definition is not null))
                {
                    (target.StoredOnly, target.NestedStoredOnly) = UnmappedIds(connection, _context, target.Definition!);
                }
            }
        }
    }

    /// <summary>
    /// The ids the catalog names for the entity's type, and for the types stored in it, that the model does not
    /// map (retired fields, fields of a newer app): a stored row may hold them besides what the model writes.
    /// </summary>
    private static (HashSet<long> Own, HashSet<long> Nested) UnmappedIds(SqliteConnection connection, SerializationContext context, EntityDefinition definition)
    {
        HashSet<long> Of(TypeShape shape)
        {
            var ids = new HashSet<long>();
            using SqliteStatement select = connection.PrepareOnce("SELECT id FROM _repos_fields WHERE type=?1");
            select.BindText(1, shape.Name);
            while (select.Step())
            {
                ids.Add(select.ColumnInt64(0));
            }

            ids.ExceptWith(context.GetFieldMap(shape).Ids.Select(id => (long)id));
            return ids;
        }

        var nested = new HashSet<long>();
        foreach (TypeShape shape in definition.NestedShapes)
        {
            nested.UnionWith(Of(shape));
        }

        return (Of(definition.Shape), nested);
    }

    /// <summary>
    /// The last check, on the new file as the app's model opened it (its catalog brought in line, new ids given
    /// out): every row at the model's version must still read and write back as stored; one that does not is
    /// removed and listed as lost. Then each entity's count is what its table holds.
    /// </summary>
    private void CheckEveryRow(ReposDatabase database, CancellationToken cancellationToken)
    {
        SqliteConnection writer = database.Writer;
        writer.BeginImmediate();
        try
        {
            foreach (Target target in _targets)
            {
                EntityDefinition? definition = _model!.Entities.FirstOrDefault(d => d.Name == target.Entity);
                if (definition is null)
                {
                    continue;
                }

                (HashSet<long> own, HashSet<long> nested) = UnmappedIds(writer, database.Context, definition);
                var columns = new ColumnValue[definition.Columns.Count];
                var bad = new List<(string Key, string Reason)>();
                using (SqliteStatement select = writer.PrepareOnce($"SELECT key, _schema, _blob FROM {SqlText.Quote(definition.TableName)}"))
                {
                    while (select.Step())
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        if (select.ColumnInt64(1) != definition.Version)
                        {
                            continue;
                        }

                        ColumnValue key = definition.KeyKind switch
                        {
                            ColumnKind.Integer => ColumnValue.From(select.ColumnInt64(0)),
                            ColumnKind.Text => ColumnValue.From(select.ColumnText(0)),
                            _ when select.ColumnBlob(0).Length == 16 => ColumnValue.From(new Guid(select.ColumnBlob(0), bigEndian: true)),
                            _ => ColumnValue.From(select.ColumnBlob(0).ToArray()),
                        };
                        string keyText = KeyText.FromColumn(select, 0, definition.KeyKind);
                        if (definition.CheckSalvagedRow(select.ColumnBlob(2), key, keyText, database.Context, columns, own, nested) is { } problem)
                        {
                            bad.Add((keyText, problem));
                        }
                    }
                }

                foreach ((string key, string reason) in bad)
                {
                    Remove(writer, target.Entity, key, $"{reason} (with the app's model, after the new file was opened with it)");
                }

                long count = writer.ExecuteScalar($"SELECT count(*) FROM {SqlText.Quote(definition.TableName)}");
                if (count != target.Recovered.Count)
                {
                    throw new ReposRecoveryException(
                        $"The salvaged file '{_newPath}' holds {count} rows of {target.Entity} where the salvage kept {target.Recovered.Count}; it cannot vouch for it.");
                }
            }

            writer.Commit();
        }
        catch
        {
            if (writer.InTransaction)
            {
                writer.Rollback();
            }

            throw;
        }
    }

    private void AddModelTargets()
    {
        foreach (EntityDefinition definition in _model!.Entities)
        {
            string columns = string.Concat(definition.Columns.Select(c => ", " + SqlText.Quote(c.Name)));
            string values = string.Concat(definition.Columns.Select((c, i) => $", ?{i + 2}"));
            int schema = definition.Columns.Count + 2;
            _targets.Add(new Target(definition.Name, definition.TableName, definition.KeyKind, definition.Version, definition)
            {
                LiveIds = _context!.GetFieldMap(definition.Shape).Ids.Select(id => (long)id).ToHashSet(),
                InsertSql = $"INSERT INTO {SqlText.Quote(definition.TableName)}(key{columns}, _schema, _blob) VALUES(?1{values}, ?{schema}, ?{schema + 1}) ON CONFLICT DO NOTHING",
            });
        }
    }

    /// <summary>
    /// Opens the new file with the app's model (which builds its indexes and migrates older rows), removes any
    /// row that then fails to migrate or verify, and returns the final verification.
    /// </summary>
    private async Task<(ReposDatabase?, VerifyReport?)> VerifyWithModelAsync(ReposDatabase? database, RecoveredCatalog catalog, CancellationToken cancellationToken)
    {
        if (database is null)
        {
            if (catalog.DatabaseVersion > _model!.Version)
            {
                throw new ReposRecoveryException(
                    $"The file is at database version {catalog.DatabaseVersion} and the app at {_model.Version}: the salvaged file would not open with the app's model, so it was not written. Salvage it with the model of the app that wrote it.");
            }

            if (catalog.DatabaseVersion != _model.Version)
            {
                _warnings.Add(
                    $"The file is at database version {catalog.DatabaseVersion} and the app at {_model.Version}: the app migrates the new file at its next open, so it was not verified with the model here.");
                return (null, null);
            }

            for (int attempt = 0; database is null; attempt++)
            {
                try
                {
                    database = await ModelDatabase.OpenAsync(_newPath, _model, s_noBackup, cancellationToken).ConfigureAwait(false);
                }
                catch (ReposSchemaException e)
                {
                    // Written by a newer app, or a catalog damaged in a way the model cannot settle: a file the app
                    // cannot open is no salvage.
                    throw new ReposRecoveryException($"The salvaged file does not open with the app's model: {e.Message}", e);
                }
                catch (Exception e) when (attempt < 100 && e is CorruptedRowException or ReposMigrationException)
                {
                    // A row the model cannot read or migrate stops the open: it goes, and the open starts again.
                    (string entity, string key) = e is CorruptedRowException c ? (c.EntityName, c.Key) : (((ReposMigrationException)e).EntityName, ((ReposMigrationException)e).Key);
                    using SqliteConnection connection = SqliteConnection.Open(_newPath, readOnly: false, create: false);
                    if (!Remove(connection, entity, key, e.Message))
                    {
                        throw new ReposRecoveryException($"The salvaged file '{_newPath}' does not open with the app's model: {e.Message}", e);
                    }
                }
            }
        }

        VerifyReport report = await database.VerifyAsync(null, cancellationToken).ConfigureAwait(false);
        if (report.BadRows.Count == 0)
        {
            return (database, report);
        }

        SqliteConnection writer = database.Writer;
        writer.BeginImmediate();
        foreach (BadRow bad in report.BadRows)
        {
            Remove(writer, bad.Entity, bad.Key, $"{bad.Kind}: {bad.Message} (with the app's model)");
        }

        writer.Commit();
        return (database, await database.VerifyAsync(null, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Deletes a row from the new file and lists it as lost.</summary>
    private bool Remove(SqliteConnection connection, string entity, string keyText, string reason)
    {
        Target? target = _targets.FirstOrDefault(t => t.Entity == entity);
        if (target is null || KeyFromText(target.KeyKind, keyText) is not { } key)
        {
            return false;
        }

        using SqliteStatement delete = connection.PrepareOnce($"DELETE FROM {SqlText.Quote(target.Table)} WHERE key = ?1");
        key.Bind(delete, 1);
        delete.Execute();
        if (connection.Changes == 0)
        {
            return false;
        }

        RowKey rowKey = target.Recovered.FirstOrDefault(k => RowKeyText(target.KeyKind, k) == keyText);
        target.Recovered.Remove(rowKey);
        target.Lost[rowKey] = new LostRow(keyText, reason);
        return true;
    }

    private static string RowKeyText(ColumnKind kind, RowKey key) => kind switch
    {
        ColumnKind.Integer => key.A.ToString(CultureInfo.InvariantCulture),
        _ when key.Text is null => GuidOf(key).ToString(),
        _ when key.B == 1 => key.Text,
        _ => $"'{key.Text}'",
    };

    private static Guid GuidOf(RowKey key)
    {
        Span<byte> bytes = stackalloc byte[16];
        System.Buffers.Binary.BinaryPrimitives.WriteInt64BigEndian(bytes, key.A);
        System.Buffers.Binary.BinaryPrimitives.WriteInt64BigEndian(bytes[8..], key.B);
        return new Guid(bytes, bigEndian: true);
    }

    private static ColumnValue? KeyFromText(ColumnKind kind, string text) => kind switch
    {
        ColumnKind.Integer => long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out long value) ? ColumnValue.From(value) : null,
        ColumnKind.Text => text.Length >= 2 ? ColumnValue.From(text[1..^1]) : null,
        _ => Guid.TryParse(text, out Guid guid) ? ColumnValue.From(guid) : ColumnValue.From(Convert.FromHexString(text)),
    };

    internal static void DeleteDatabaseFiles(string path)
    {
        foreach (string file in new[] { path, path + "-wal", path + "-shm" })
        {
            if (File.Exists(file))
            {
                File.Delete(file);
            }
        }
    }

    /// <summary>An entity rows are salvaged into.</summary>
    private sealed class Target(string entity, string table, ColumnKind keyKind, int version, EntityDefinition? definition)
    {
        public string Entity { get; } = entity;

        public string Table { get; } = table;

        public ColumnKind KeyKind { get; } = keyKind;

        /// <summary>The entity's version in the file's catalog (or the model's).</summary>
        public int Version { get; } = version;

        /// <summary>The app's model of the entity, when it has one.</summary>
        public EntityDefinition? Definition { get; } = definition;

        /// <summary>Scratch for the index columns a model check computes.</summary>
        public ColumnValue[] Columns { get; } = new ColumnValue[definition?.Columns.Count ?? 0];

        public HashSet<long>? FieldIds { get; init; }

        /// <summary>The ids of the fields the entity has now (a row written now holds every one).</summary>
        public HashSet<long> LiveIds { get; init; } = [];

        public long KeyFieldId { get; init; } = -1;

        /// <summary>Ids the catalog names for the entity's type that the model does not map.</summary>
        public HashSet<long> StoredOnly { get; set; } = [];

        /// <summary>The same, for the types stored inside the entity.</summary>
        public HashSet<long> NestedStoredOnly { get; set; } = [];

        /// <summary>Whether the catalog's record of the entity was repaired (its version is then not vouched for).</summary>
        public bool Repaired { get; init; }

        public required string InsertSql { get; init; }

        public SqliteStatement? Insert { get; set; }

        /// <summary>Where the table's definition puts <c>_blob</c>, or -1.</summary>
        public int BlobColumn { get; set; } = -1;

        public bool KeysFromIndex { get; set; }

        public long Unnamed { get; set; }

        public HashSet<RowKey> Recovered { get; } = [];

        public Dictionary<RowKey, LostRow> Lost { get; } = [];

        public TreeDamage Damage { get; } = new();

        public SalvagedEntity Result { get; } = new(entity, table);
    }
}
