using System.Text;
using Repos.Internal;

namespace Repos.Recovery;

/// <summary>An entity as a damaged file's catalog lists it.</summary>
internal sealed record CatalogEntity(string Name, string Table, string Type, string KeyProperty, ColumnKind KeyKind, int Version);

/// <summary>A field id as a damaged file's catalog lists it.</summary>
internal sealed record CatalogField(string Type, long Id, string Name, string ClrType, bool Retired);

/// <summary>
/// What can be read of a damaged file's Repos catalog (<c>_repos_meta</c>, <c>_repos_entities</c>,
/// <c>_repos_fields</c>, <c>_repos_indexes</c>): through the schema's root pages, or, when the schema is lost,
/// by scanning every index page for records of the catalog tables' shapes.
/// </summary>
internal sealed class RecoveredCatalog
{
    private static readonly string[] s_tables = ["_repos_meta", "_repos_entities", "_repos_fields", "_repos_indexes"];

    /// <summary>The rows of <c>_repos_meta</c>: integers (<c>format</c>, <c>database_version</c>) or text.</summary>
    public Dictionary<string, object> Meta { get; } = new(StringComparer.Ordinal);

    /// <summary>The blob rows of <c>_repos_meta</c>: the catalog's sealed copy and its digest, when found.</summary>
    private Dictionary<string, byte[]> Blobs { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, CatalogEntity> Entities { get; } = new(StringComparer.Ordinal);

    public Dictionary<(string Type, long Id), CatalogField> Fields { get; } = [];

    /// <summary>The columns of each entity's indexes, by entity.</summary>
    public Dictionary<string, HashSet<string>> IndexColumns { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// The compression dictionaries found, by id: each checked against its id (the CRC-32C of its content), so one
    /// found anywhere, through the schema, in the sealed copy or by a scan of every page, is the one rows name.
    /// </summary>
    public Dictionary<uint, Serialization.CompressionDictionary> Dictionaries { get; } = [];

    /// <summary>The resolver salvaged rows are read with.</summary>
    public Serialization.CompressionDictionary? FindDictionary(uint id) => Dictionaries.GetValueOrDefault(id);

    /// <summary>Whether some catalog table could only be found by scanning.</summary>
    public bool FoundByScan { get; private set; }

    /// <summary>Whether the catalog names at least one entity and field: enough to salvage without the app's model.</summary>
    public bool IsUsable => Entities.Count > 0 && Fields.Count > 0;

    public int DatabaseVersion => Meta.TryGetValue("database_version", out object? version) && version is long number ? (int)number : 1;

    public static RecoveredCatalog Read(BTreeReader reader, List<SchemaEntry> schema, Encoding encoding, List<string> warnings)
    {
        var catalog = new RecoveredCatalog();
        var missing = new List<string>();
        foreach (string table in s_tables)
        {
            SchemaEntry? entry = schema.FirstOrDefault(e => e.Type == "table" && e.Name == table);
            if (entry is null)
            {
                missing.Add(table);
                continue;
            }

            var damage = new TreeDamage();
            foreach (byte[] payload in reader.WalkIndex(entry.RootPage, damage))
            {
                if (RecordValue.Parse(payload) is { } record)
                {
                    catalog.Add(table, record, encoding, warnings);
                }
            }

            if (damage.UnreadablePages > 0)
            {
                warnings.Add($"{damage.UnreadablePages} page(s) of the catalog table {table} cannot be read; what they held is taken from the app's model when one is given.");
            }
        }

        if (missing.Count > 0)
        {
            // The schema does not lead to them: look for their rows on every index page (WITHOUT ROWID tables are
            // index b-trees), recognised by their shape.
            catalog.FoundByScan = true;
            foreach ((uint page, List<byte[]> records) in reader.UnvisitedIndexPages())
            {
                foreach (byte[] payload in records)
                {
                    if (RecordValue.Parse(payload) is { } record && Shape(record, encoding) is { } table && missing.Contains(table))
                    {
                        catalog.Add(table, record, encoding, warnings);
                        reader.MarkVisited(page);
                    }
                }
            }
        }

        catalog.ReadDictionaries(reader, schema, encoding, schemaLost: missing.Count > 0, warnings);
        return catalog;
    }

    /// <summary>
    /// Reads <c>_repos_dictionaries</c> through the schema; when it is not there or some of its pages cannot be
    /// read, while the file's format says it holds dictionaries or the schema lost catalog tables, looks for its
    /// records on every index page.
    /// </summary>
    private void ReadDictionaries(BTreeReader reader, List<SchemaEntry> schema, Encoding encoding, bool schemaLost, List<string> warnings)
    {
        SchemaEntry? entry = schema.FirstOrDefault(e => e.Type == "table" && e.Name == Storage.CompressionDictionaries.Table);
        var damage = new TreeDamage();
        if (entry is not null)
        {
            foreach (byte[] payload in reader.WalkIndex(entry.RootPage, damage))
            {
                AddDictionary(RecordValue.Parse(payload), encoding);
            }
        }

        bool holdsDictionaries = Meta.GetValueOrDefault("format") is long format && format >= Storage.Catalog.DictionaryFormatVersion;
        if (damage.UnreadablePages > 0 || (entry is null && (holdsDictionaries || schemaLost)))
        {
            int before = Dictionaries.Count;
            foreach ((uint page, List<byte[]> records) in reader.UnvisitedIndexPages())
            {
                foreach (byte[] payload in records)
                {
                    if (AddDictionary(RecordValue.Parse(payload), encoding))
                    {
                        reader.MarkVisited(page);
                    }
                }
            }

            if (entry is not null || Dictionaries.Count > before || holdsDictionaries)
            {
                warnings.Add($"The table of compression dictionaries cannot be read in full; {Dictionaries.Count - before} dictionaries were found by scanning the file's pages.");
            }
        }
    }

    /// <summary>Takes a record of <c>_repos_dictionaries</c> (id, entity, created, content) whose content matches its id.</summary>
    private bool AddDictionary(RecordValue[]? record, Encoding encoding)
    {
        if (record is [{ Kind: RecordKind.Integer } id, { Kind: RecordKind.Text }, { Kind: RecordKind.Integer }, { Kind: RecordKind.Blob } content]
            && Storage.CompressionDictionaries.Verified(id.Integer, content.Bytes.Span) is { } dictionary)
        {
            Dictionaries.TryAdd(dictionary.Id, dictionary);
            _dictionaryRows[dictionary.Id] = (record[1].Text(encoding), record[2].Integer);
            return true;
        }

        return false;
    }

    // The entity and creation time of each dictionary found in the file's own table, to copy into the new file.
    private readonly Dictionary<uint, (string Entity, long Created)> _dictionaryRows = [];

    /// <summary>The dictionaries to write into the new file: id, entity, created, content.</summary>
    public IEnumerable<(uint Id, string Entity, long Created, Serialization.CompressionDictionary Dictionary)> DictionaryRows() =>
        Dictionaries.Values.OrderBy(d => d.Id).Select(d => _dictionaryRows.TryGetValue(d.Id, out var row)
            ? (d.Id, row.Entity, row.Created, d)
            : (d.Id, _copiedDictionaryEntities.GetValueOrDefault(d.Id, string.Empty), 0L, d));

    private readonly Dictionary<uint, string> _copiedDictionaryEntities = [];

    /// <summary>
    /// Corrects what the app's model and the file's schema together determine: an entity record whose table, key
    /// or type differs from the model's (an app can change none of them without a migration, so a file the model
    /// opened had the model's) when the schema holds the model's table, and a field whose recorded type the model
    /// cannot read while its name is the model's (the rows are then checked against the model one by one).
    /// </summary>
    public void RepairWithModel(ReposModel model, List<SchemaEntry> schema, List<CatalogRepair> repairs)
    {
        var tables = schema.Where(e => e.Type == "table").Select(e => e.Name).ToHashSet(StringComparer.Ordinal);
        foreach (EntityDefinition definition in model.Entities)
        {
            CatalogEntity? found = Entities.GetValueOrDefault(definition.Name)
                ?? Entities.Values.Where(e => e.Table == definition.TableName && model.Entities.All(d => d.Name != e.Name)).Take(2).SingleOrDefault();
            if (found is null || !tables.Contains(definition.TableName))
            {
                continue;
            }

            var expected = new CatalogEntity(definition.Name, definition.TableName, definition.Shape.Name, definition.KeyProperty, definition.KeyKind, found.Version);
            if (found == expected)
            {
                continue;
            }

            void Note(string column, string was, string now)
            {
                if (was != now)
                {
                    repairs.Add(new CatalogRepair("_repos_entities", definition.Name, null, column, was, now));
                }
            }

            Note("entity", found.Name, expected.Name);
            Note("table_name", found.Table, expected.Table);
            Note("type", found.Type, expected.Type);
            Note("key_property", found.KeyProperty, expected.KeyProperty);
            Note("key_kind", found.KeyKind.ToString(), expected.KeyKind.ToString());
            Entities.Remove(found.Name);
            Entities[definition.Name] = expected;
        }

        // Another record that claims a model entity's table would make the new file refuse the model.
        foreach (CatalogEntity other in Entities.Values.Where(e => model.Entities.All(d => d.Name != e.Name) && model.Entities.Any(d => d.TableName == e.Table)).ToList())
        {
            Entities.Remove(other.Name);
            repairs.Add(new CatalogRepair("_repos_entities", other.Name, null, "*", other.Table, null));
        }

        var shapes = new HashSet<string>(StringComparer.Ordinal);
        foreach (TypeShape shape in model.Entities.SelectMany(d => d.NestedShapes.Prepend(d.Shape)))
        {
            if (!shapes.Add(shape.Name))
            {
                continue;
            }

            foreach (FieldDefinition field in shape.Fields)
            {
                CatalogField? stored = Fields.Values.FirstOrDefault(f => f.Type == shape.Name && !f.Retired && f.Name == field.Name)
                    ?? Fields.Values.FirstOrDefault(f => f.Type == shape.Name && !f.Retired && field.FormerNames.Contains(f.Name));
                if (stored is not null && !Repos.Storage.Catalog.ReadsAs(stored.ClrType, field.TypeName))
                {
                    Fields[(stored.Type, stored.Id)] = stored with { ClrType = field.TypeName };
                    repairs.Add(new CatalogRepair("_repos_fields", shape.Name, stored.Name, "clr_type", stored.ClrType, field.TypeName));
                }
            }
        }
    }

    /// <summary>
    /// Gives back an entity's field whose <c>_repos_fields</c> record is lost, when that is certain: exactly one
    /// field of the model has no record (under its name or a former one, retired or not), and every intact row at
    /// the model's version in the entity's tree holds exactly one id the catalog does not list, the same one. The
    /// rows are still checked against the model one by one, so a value of the wrong type is lost, not kept.
    /// </summary>
    public void RepairLostFields(ReposModel model, List<SchemaEntry> schema, BTreeReader reader, List<CatalogRepair> repairs)
    {
        foreach (EntityDefinition definition in model.Entities)
        {
            if (!Entities.TryGetValue(definition.Name, out CatalogEntity? entity) || entity.Type != definition.Shape.Name)
            {
                continue;
            }

            List<CatalogField> listed = Fields.Values.Where(f => f.Type == entity.Type).ToList();
            List<FieldDefinition> missing = definition.Shape.Fields
                .Where(f => !listed.Any(l => l.Name == f.Name || f.FormerNames.Contains(l.Name)))
                .ToList();
            SchemaEntry? table = schema.FirstOrDefault(e => e.Type == "table" && e.Name == definition.TableName);
            if (missing.Count != 1 || listed.Count == 0 || table is null)
            {
                continue;
            }

            var listedIds = listed.Select(f => f.Id).ToHashSet();
            int blobColumn = table.ColumnNames()?.IndexOf("_blob") ?? -1;
            long unknown = -1;
            long rows = 0;
            foreach (TableCell cell in reader.WalkTable(table.RootPage, new TreeDamage()))
            {
                SalvageRow row = SalvageRow.Inspect(cell, blobColumn, FindDictionary);
                if (row.Payload is null || row.SchemaVersion != definition.Version)
                {
                    continue;
                }

                var extra = row.Fields.Select(f => f.Id).Where(id => !listedIds.Contains(id)).Distinct().ToList();
                if (extra.Count != 1 || (unknown >= 0 && extra[0] != unknown))
                {
                    unknown = -1;
                    break;
                }

                unknown = extra[0];
                rows++;
            }

            if (unknown > 0 && rows > 0)
            {
                FieldDefinition field = missing[0];
                Fields[(entity.Type, unknown)] = new CatalogField(entity.Type, unknown, field.Name, field.TypeName, Retired: false);
                repairs.Add(new CatalogRepair("_repos_fields", entity.Type, field.Name, "*", null,
                    string.Create(System.Globalization.CultureInfo.InvariantCulture, $"id {unknown}, {field.TypeName}")));
            }
        }
    }

    /// <summary>
    /// Adds what the catalog's sealed copy holds and the damaged tables lost: the copy matches its SHA-256, so
    /// every record in it was the file's at its last catalog change. A record the tables still hold is kept as
    /// they have it (a later change whose sealed copy was lost with a page may have written it); one the copy
    /// has and the tables lack (an entity, a field id, an index, the database version) is put back, unless the
    /// tables hold another record under the same name. Each is listed in <paramref name="repairs"/>, and rows
    /// are still checked against the model one by one.
    /// </summary>
    public void FillFromSealedCopy(List<CatalogRepair> repairs, List<string> warnings)
    {
        if (!Blobs.ContainsKey(Repos.Storage.CatalogSeal.CopyKey))
        {
            return;
        }

        List<Repos.Storage.CatalogSeal.CopiedTable>? copy = Repos.Storage.CatalogSeal.ReadVerifiedCopy(
            Blobs.GetValueOrDefault(Repos.Storage.CatalogSeal.CopyKey), Blobs.GetValueOrDefault(Repos.Storage.CatalogSeal.DigestKey));
        if (copy is null)
        {
            warnings.Add("The catalog's sealed copy does not match its digest: only the catalog's own tables are used.");
            return;
        }

        foreach (Repos.Storage.CatalogSeal.CopiedTable table in copy)
        {
            foreach (object?[] row in table.Rows)
            {
                string Text(int i) => row[i] as string ?? string.Empty;
                long Integer(int i) => row[i] is long value ? value : 0;
                switch (table.Name)
                {
                    case "_repos_meta" when row[1] is long or string && !Meta.ContainsKey(Text(0)):
                        Meta[Text(0)] = row[1]!;
                        repairs.Add(new CatalogRepair("_repos_meta", Text(0), null, "*", null, Convert.ToString(row[1], System.Globalization.CultureInfo.InvariantCulture)));
                        break;
                    case "_repos_entities" when !Entities.ContainsKey(Text(0)) && Enum.TryParse(Text(4), out ColumnKind kind)
                        && Entities.Values.All(e => e.Table != Text(1)):
                        Entities[Text(0)] = new CatalogEntity(Text(0), Text(1), Text(2), Text(3), kind, (int)Integer(5));
                        repairs.Add(new CatalogRepair("_repos_entities", Text(0), null, "*", null, $"table {Text(1)}, version {Integer(5)}"));
                        break;
                    case "_repos_fields" when !Fields.ContainsKey((Text(0), Integer(1)))
                        && Fields.Values.All(f => f.Type != Text(0) || f.Name != Text(2) || f.Retired):
                        Fields[(Text(0), Integer(1))] = new CatalogField(Text(0), Integer(1), Text(2), Text(3), Integer(4) != 0);
                        repairs.Add(new CatalogRepair("_repos_fields", Text(0), Text(2), "*", null,
                            string.Create(System.Globalization.CultureInfo.InvariantCulture, $"id {Integer(1)}, {Text(3)}")));
                        break;
                    case "_repos_indexes" when !IndexColumns.ContainsKey(Text(0)):
                        IndexColumns[Text(0)] = new HashSet<string>(ColumnNames(Text(2)), StringComparer.Ordinal);
                        break;
                    case "_repos_indexes":
                        IndexColumns[Text(0)].UnionWith(ColumnNames(Text(2)));
                        break;
                    case Storage.CompressionDictionaries.Table when row is [long id, string entity, long, byte[] content]
                        && Storage.CompressionDictionaries.Verified(id, content) is { } dictionary && Dictionaries.TryAdd(dictionary.Id, dictionary):
                        _copiedDictionaryEntities[dictionary.Id] = entity;
                        repairs.Add(new CatalogRepair(Storage.CompressionDictionaries.Table, entity, null, "*", null, $"dictionary {dictionary.Id:X8}"));
                        break;
                }
            }
        }
    }

    /// <summary>The column names of a recorded index's columns, without their encodings (<c>Price:f64</c> is column <c>Price</c>).</summary>
    private static IEnumerable<string> ColumnNames(string columns) =>
        columns.Split(',').Select(c => c.IndexOf(':') is var colon and >= 0 ? c[..colon] : c);

    /// <summary>The field ids the type ever had (retired ones too), or null when the catalog lists none.</summary>
    public HashSet<long>? FieldIds(string type)
    {
        var ids = Fields.Values.Where(f => f.Type == type).Select(f => f.Id).ToHashSet();
        return ids.Count == 0 ? null : ids;
    }

    /// <summary>The id of the type's field <paramref name="name"/> in use, or -1.</summary>
    public long FieldId(string type, string name) =>
        Fields.Values.FirstOrDefault(f => f.Type == type && f.Name == name && !f.Retired)?.Id ?? -1;

    /// <summary>Which catalog table a record found by scanning belongs to, by the number and kinds of its values.</summary>
    private static string? Shape(RecordValue[] record, Encoding encoding)
    {
        static bool Is(RecordValue[] r, string kinds) =>
            r.Length == kinds.Length && kinds.Select((k, i) => k == 't' ? r[i].Kind == RecordKind.Text : r[i].Kind == RecordKind.Integer).All(x => x);

        if (Is(record, "tttttn") && Enum.TryParse<ColumnKind>(record[4].Text(encoding), out _))
        {
            return "_repos_entities";
        }

        if (Is(record, "tnttn") && record[4].Integer is 0 or 1 && record[1].Integer > 0)
        {
            return "_repos_fields";
        }

        if (Is(record, "tttn") && record[3].Integer is 0 or 1)
        {
            return "_repos_indexes";
        }

        if (Is(record, "tn") && record[0].Text(encoding) is "format" or "database_version")
        {
            return "_repos_meta";
        }

        return null;
    }

    private void Add(string table, RecordValue[] record, Encoding encoding, List<string> warnings)
    {
        // Through the schema, _repos_meta may hold other keys, with text values too; found by a scan only the
        // two it always has are recognised.
        if (table == "_repos_meta" && record is [{ Kind: RecordKind.Text }, { Kind: RecordKind.Blob }])
        {
            Blobs[record[0].Text(encoding)] = record[1].Bytes.ToArray();
            return;
        }

        if (table == "_repos_meta" && record is [{ Kind: RecordKind.Text }, { Kind: RecordKind.Integer or RecordKind.Text }])
        {
            Meta[record[0].Text(encoding)] = record[1].Kind == RecordKind.Integer ? record[1].Integer : record[1].Text(encoding);
            return;
        }

        if (Shape(record, encoding) != table)
        {
            return;
        }

        string Text(int i) => record[i].Text(encoding);
        switch (table)
        {
            case "_repos_entities":
                var entity = new CatalogEntity(Text(0), Text(1), Text(2), Text(3), Enum.Parse<ColumnKind>(Text(4)), (int)record[5].Integer);
                if (Entities.TryGetValue(entity.Name, out CatalogEntity? known) && known != entity)
                {
                    warnings.Add($"The catalog holds two records of the entity {entity.Name}; the first found is kept.");
                    break;
                }

                Entities[entity.Name] = entity;
                break;
            case "_repos_fields":
                var field = new CatalogField(Text(0), record[1].Integer, Text(2), Text(3), record[4].Integer != 0);
                if (Fields.TryGetValue((field.Type, field.Id), out CatalogField? same) && same != field)
                {
                    warnings.Add($"The catalog holds two records of field {field.Id} of {field.Type}; the first found is kept.");
                    break;
                }

                Fields[(field.Type, field.Id)] = field;
                break;
            default:
                if (!IndexColumns.TryGetValue(Text(0), out HashSet<string>? columns))
                {
                    IndexColumns[Text(0)] = columns = new HashSet<string>(StringComparer.Ordinal);
                }

                columns.UnionWith(ColumnNames(Text(2)));
                break;
        }
    }
}
