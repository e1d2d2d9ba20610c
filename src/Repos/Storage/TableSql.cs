using System.Text;
using Repos.Internal;

namespace Repos.Storage;

/// <summary>The SQL of one entity table's operations, built once from its definition.</summary>
internal sealed class TableSql
{
    public TableSql(EntityDefinition definition)
    {
        string table = SqlText.Quote(definition.TableName);
        string[] columns = definition.Columns.Select(c => SqlText.Quote(c.Name)).ToArray();
        int count = columns.Length;
        SchemaParameter = count + 2;
        BlobParameter = count + 3;

        var names = new StringBuilder("key");
        var values = new StringBuilder("?1");
        var assignments = new StringBuilder();
        var excluded = new StringBuilder();
        for (int i = 0; i < count; i++)
        {
            names.Append(", ").Append(columns[i]);
            values.Append(", ?").Append(i + 2);
            assignments.Append(columns[i]).Append("=?").Append(i + 2).Append(", ");
            excluded.Append(columns[i]).Append("=excluded.").Append(columns[i]).Append(", ");
        }

        names.Append(", _schema, _blob");
        values.Append(", ?").Append(SchemaParameter).Append(", ?").Append(BlobParameter);

        Insert = $"INSERT INTO {table}({names}) VALUES({values})";
        Upsert = $"{Insert} ON CONFLICT(key) DO UPDATE SET {excluded}_schema=excluded._schema, _blob=excluded._blob";
        Update = $"UPDATE {table} SET {assignments}_schema=?{SchemaParameter}, _blob=?{BlobParameter} WHERE key=?1";
        Delete = $"DELETE FROM {table} WHERE key=?1";
        Get = $"SELECT key, _blob FROM {table} WHERE key=?1";
        Exists = $"SELECT 1 FROM {table} WHERE key=?1";
        Count = $"SELECT count(*) FROM {table}";
        All = $"SELECT key, _blob FROM {table}";
        LastKey = $"SELECT max(coalesce((SELECT last FROM {KeySequences} WHERE entity=?1), 0), coalesce((SELECT max(key) FROM {table}), 0))";
        Table = table;
        if (definition.IsSynced)
        {
            // A synced table's writes set the row's sync state (Sync.SyncLog.StateColumns) in the same statement.
            var stateNames = new StringBuilder();
            var stateValues = new StringBuilder();
            var stateAssignments = new StringBuilder();
            var stateExcluded = new StringBuilder();
            for (int i = 0; i < Sync.SyncLog.StateColumns.Length; i++)
            {
                string column = Sync.SyncLog.StateColumns[i];
                int parameter = BlobParameter + 1 + i;
                stateNames.Append(", ").Append(column);
                stateValues.Append(", ?").Append(parameter);
                stateAssignments.Append(", ").Append(column).Append("=?").Append(parameter);
                stateExcluded.Append(", ").Append(column).Append("=excluded.").Append(column);
            }

            SyncedInsert = $"INSERT INTO {table}({names}{stateNames}) VALUES({values}{stateValues})";
            SyncedUpsert = $"{SyncedInsert} ON CONFLICT(key) DO UPDATE SET {excluded}_schema=excluded._schema, _blob=excluded._blob{stateExcluded}";
            SyncedUpdate = $"UPDATE {table} SET {assignments}_schema=?{SchemaParameter}, _blob=?{BlobParameter}{stateAssignments} WHERE key=?1";
            SyncedGet = $"SELECT key, _blob, {Sync.SyncLog.StateColumnList} FROM {table} WHERE key=?1";
            SyncedDelete = $"DELETE FROM {table} WHERE key=?1 RETURNING _sync_inserted, _sync_inserted_by, _sync_pushed";
        }
    }

    /// <summary>The first parameter of a synced write's row state: the state's columns follow the blob.</summary>
    public int SyncStateParameter => BlobParameter + 1;

    /// <summary>A synced table's insert, which sets the row's sync state from <see cref="SyncStateParameter"/> on.</summary>
    public string SyncedInsert { get; } = string.Empty;

    /// <summary>A synced table's upsert, which sets the row's sync state too: the write of a pulled change.</summary>
    public string SyncedUpsert { get; } = string.Empty;

    /// <summary>A synced table's update of a stored row, which sets the row's sync state too.</summary>
    public string SyncedUpdate { get; } = string.Empty;

    /// <summary>A synced table's read of a row: key, blob, then the sync state's columns.</summary>
    public string SyncedGet { get; } = string.Empty;

    /// <summary>A synced table's delete, which returns what the tombstone keeps of the row's state.</summary>
    public string SyncedDelete { get; } = string.Empty;

    /// <summary>
    /// The table of the counters of entities whose <c>int</c> or <c>long</c> keys Repos assigns: one row per entity,
    /// the last number given. It is not part of the sealed catalog, as it changes with inserts; the catalog records
    /// which entities have their keys assigned (<see cref="Catalog.KeyGenerationKey"/>).
    /// </summary>
    public const string KeySequences = "_repos_key_sequences";

    public const string CreateKeySequences = $"CREATE TABLE IF NOT EXISTS {KeySequences}(entity TEXT PRIMARY KEY NOT NULL, last INTEGER NOT NULL) WITHOUT ROWID";

    /// <summary>Records the last number given (?2) to an entity (?1).</summary>
    public const string SaveKey = $"INSERT INTO {KeySequences}(entity, last) VALUES(?1, ?2) ON CONFLICT(entity) DO UPDATE SET last=excluded.last";

    /// <summary>The highest number given to the entity (?1) or stored as its key, or 0.</summary>
    public string LastKey { get; }

    public string Table { get; }

    public int SchemaParameter { get; }

    public int BlobParameter { get; }

    public string Insert { get; }

    public string Upsert { get; }

    public string Update { get; }

    public string Delete { get; }

    public string Get { get; }

    public string Exists { get; }

    public string Count { get; }

    public string All { get; }
}
