using System.Buffers;
using Repos.Internal;
using Repos.Serialization;
using Repos.Storage;
using Repos.Storage.Sqlite;

namespace Repos.Transfer;

/// <summary>Takes a row's payload, at its entity's version, or at its own <paramref name="version"/> when that could not be upgraded.</summary>
internal delegate void PayloadHandler(ReadOnlySpan<byte> payload, int? version);

/// <summary>
/// The rows of one export source, one at a time, decoded: every row in storage order, or those of a range. Rows of a
/// lazily migrated entity are upgraded by the app's definition when there is one; a damaged row fails the export
/// (naming its entity and key), or is counted and left out.
/// </summary>
internal sealed class ExportRows : IDisposable
{
    private readonly SqliteStatement _select;
    private readonly BundleEntity _entity;
    private readonly EntityDefinition? _definition;
    private readonly SerializationContext? _context;
    private readonly Func<uint, CompressionDictionary?> _dictionaries;
    private readonly bool _skipDamaged;
    private readonly ArrayBufferWriter<byte> _upgraded = new(1024);
    private bool _done;

    public ExportRows(SqliteConnection connection, ExportSource source, Func<uint, CompressionDictionary?> dictionaries, SerializationContext? context, bool skipDamaged)
    {
        _entity = source.Entity;
        (string sql, ColumnValue[] parameters) = Select(connection, source);
        _select = connection.PrepareOnce(sql);
        for (int i = 0; i < parameters.Length; i++)
        {
            parameters[i].Bind(_select, i + 1);
        }

        // The app's definition upgrades a lazily migrated row; without it (or for an entity the app no longer has)
        // such a row goes out as stored, with its version.
        _definition = source.Definition is { } d && d.Version == _entity.Version && context is not null ? d : null;
        _context = context;
        _dictionaries = dictionaries;
        _skipDamaged = skipDamaged;
    }

    /// <summary>How many damaged rows were left out.</summary>
    public long Skipped { get; private set; }

    /// <summary>The SELECT of a source's rows and its parameters.</summary>
    public static (string Sql, ColumnValue[] Parameters) Select(SqliteConnection connection, ExportSource source) =>
        source.Range?.Invoke(connection) ?? ($"SELECT key, _blob FROM {SqlText.Quote(source.Entity.Table)} ORDER BY {StorageOrder(connection, source.Entity.Table)}", []);

    /// <summary>Hands the next row to <paramref name="handler"/>; false after the last.</summary>
    public bool Next(PayloadHandler handler)
    {
        // Stepping a statement past its end would start it again.
        while (!_done && _select.Step())
        {
            if (Read(handler))
            {
                return true;
            }

            Skipped++;
        }

        _done = true;
        return false;
    }

    public void Dispose() => _select.Dispose();

    private bool Read(PayloadHandler handler)
    {
        BlobPayload payload;
        try
        {
            payload = BlobEnvelope.Read(_select.ColumnBlob(1), _dictionaries);
        }
        catch (ReposFormatException e)
        {
            if (_skipDamaged)
            {
                return false;
            }

            throw new CorruptedRowException(_entity.Name, KeyText.FromColumn(_select, 0, _entity.KeyKind), e);
        }

        using (payload)
        {
            ReadOnlySpan<byte> fields = payload.Span;
            int? version = null;
            if (payload.SchemaVersion != _entity.Version)
            {
                if (_definition is not null)
                {
                    fields = _definition.CurrentPayload(fields, payload.SchemaVersion, Key(), _context!, _upgraded);
                }
                else
                {
                    version = payload.SchemaVersion;
                }
            }

            handler(fields, version);
        }

        return true;
    }

    private ColumnValue Key() => _entity.KeyKind switch
    {
        ColumnKind.Integer => ColumnValue.From(_select.ColumnInt64(0)),
        ColumnKind.Text => ColumnValue.From(_select.ColumnText(0)),
        ColumnKind.Real => ColumnValue.From(_select.ColumnDouble(0)),
        _ => ColumnValue.From(_select.ColumnBlob(0).ToArray()),
    };

    /// <summary>
    /// The order a whole table is read in: the table's own (rowid), a scan front to back; key order through the key's
    /// index would look up every row apart, several times slower. A table without rowids is in key order anyway.
    /// </summary>
    private static string StorageOrder(SqliteConnection connection, string table)
    {
        using SqliteStatement schema = connection.PrepareOnce("SELECT sql FROM sqlite_schema WHERE type='table' AND name=?1");
        schema.BindText(1, table);
        bool withoutRowid = schema.Step() && schema.ColumnText(0).Contains("WITHOUT ROWID", StringComparison.OrdinalIgnoreCase);
        return withoutRowid ? "key" : "rowid";
    }
}
