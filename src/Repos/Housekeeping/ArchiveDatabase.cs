using Repos.Storage;
using Repos.Storage.Sqlite;

namespace Repos.Housekeeping;

/// <summary>
/// The Repos file rows are archived into. It has the source database's model: a new archive starts as a copy of
/// the source's catalog and tables (without rows), so its field ids are the source's and rows copied as stored
/// read the same in it, and it opens with the app's database type. An existing archive is opened as the app would
/// open it (its catalog brought in line with the model, older rows migrated) after taking any field ids it lacks.
/// </summary>
internal sealed class ArchiveDatabase : ReposDatabase
{
    private ArchiveDatabase()
    {
    }

    /// <summary>Creates the archive at <paramref name="path"/> if it does not exist, and opens it.</summary>
    /// <exception cref="ReposSchemaException">The file is not a Repos file, or its catalog cannot take the source's rows.</exception>
    public static async ValueTask<ArchiveDatabase> OpenAsync(ReposDatabase source, string path, CancellationToken cancellationToken)
    {
        bool created = Prepare(source, path);
        var archive = new ArchiveDatabase();
        try
        {
            var options = new ReposDatabaseOptions { BusyTimeout = source.Options.BusyTimeout };
            await archive.OpenCoreAsync(path, options, source.Entities, source.DatabaseVersion, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            archive.Dispose();
            if (created)
            {
                DeleteFile(path);
            }

            throw;
        }

        return archive;
    }

    /// <summary>
    /// Begins the archive's transaction for a copy from <paramref name="source"/> (the database's connection, inside
    /// its write transaction), with every commit synced to disk: the rows must be safe here before they are deleted
    /// there. Returns the connection to insert with.
    /// </summary>
    public SqliteConnection BeginCopy(SqliteConnection source)
    {
        SqliteConnection writer = Writer;
        writer.Execute("PRAGMA synchronous=FULL");
        writer.BeginImmediate();
        try
        {
            MergeFields(source, writer, Path);
            CatalogSeal.Seal(writer);
        }
        catch
        {
            writer.Rollback();
            throw;
        }

        return writer;
    }

    /// <summary>Commits the copy.</summary>
    public void CommitCopy() => Writer.Commit();

    /// <summary>Rolls back a copy that failed, if SQLite has not already.</summary>
    public void AbandonCopy()
    {
        if (Writer.InTransaction)
        {
            Writer.Rollback();
        }
    }

    /// <summary>
    /// Makes sure a Repos file is at <paramref name="path"/>: creates it from the source's catalog when there is no
    /// file (or an empty one), or checks an existing one and adds the source's field ids it lacks. Returns whether
    /// it created the file.
    /// </summary>
    private static bool Prepare(ReposDatabase source, string path)
    {
        if (File.Exists(path) && new FileInfo(path).Length > 0)
        {
            using SqliteConnection existing = ConnectionSettings.Open(path, ReposDatabaseOptions.Default, writer: true);
            if (Catalog.Exists(existing))
            {
                int version = Catalog.ReadDatabaseVersion(existing);
                if (version != source.DatabaseVersion)
                {
                    throw new ReposSchemaException(version < source.DatabaseVersion
                        ? $"The archive '{path}' is at database version {version} and the database at {source.DatabaseVersion}; open the archive once with the app's database type to migrate it, then archive again."
                        : $"The archive '{path}' is at database version {version}, newer than the database's {source.DatabaseVersion}; archive into another file.");
                }

                using ReadLease lease = source.AcquireRead();
                existing.BeginImmediate();
                try
                {
                    MergeFields(lease.Connection, existing, path);
                    CatalogSeal.Seal(existing);
                    existing.Commit();
                }
                catch
                {
                    existing.Rollback();
                    throw;
                }

                return false;
            }

            if (existing.ExecuteScalar("SELECT count(*) FROM sqlite_schema") > 0)
            {
                throw new ReposSchemaException($"'{path}' is a database file but not a Repos file; archive into another file.");
            }
        }

        if (System.IO.Path.GetDirectoryName(path) is { Length: > 0 } folder)
        {
            Directory.CreateDirectory(folder);
        }

        try
        {
            using SqliteConnection target = ConnectionSettings.Open(path, ReposDatabaseOptions.Default, writer: true);
            using ReadLease lease = source.AcquireRead();
            SqliteConnection from = lease.Connection;
            from.Run("BEGIN");
            target.BeginImmediate();
            try
            {
                CopyModel(from, target);
                target.Commit();
            }
            finally
            {
                if (target.InTransaction)
                {
                    target.Rollback();
                }

                from.Run("COMMIT");
            }
        }
        catch
        {
            DeleteFile(path);
            throw;
        }

        return true;
    }

    /// <summary>Creates the catalog tables and every entity table and index as the source has them, and copies the catalog's rows.</summary>
    private static void CopyModel(SqliteConnection from, SqliteConnection to)
    {
        string catalog = string.Join(", ", Catalog.Tables.Select(SqlText.Literal));
        var statements = new List<string>();
        using (SqliteStatement schema = from.PrepareOnce(
            "SELECT sql FROM sqlite_schema WHERE sql IS NOT NULL " +
            $"AND (tbl_name IN ({catalog}) OR tbl_name IN (SELECT table_name FROM _repos_entities)) " +
            "ORDER BY type <> 'table', rowid"))
        {
            while (schema.Step())
            {
                statements.Add(schema.ColumnText(0));
            }
        }

        foreach (string sql in statements)
        {
            to.Execute(sql);
        }

        foreach (string table in Catalog.Tables)
        {
            RowCopy.CopyTable(from, to, table);
        }
    }

    /// <summary>
    /// Gives the archive every field id and compression dictionary of the source it lacks, and refuses an archive
    /// whose ids disagree with the source's: rows copied as stored would be read with the wrong fields.
    /// </summary>
    private static void MergeFields(SqliteConnection source, SqliteConnection archive, string path)
    {
        CompressionDictionaries.CopyMissing(source, archive);
        var names = new Dictionary<(string Type, long Id), string>();
        var ids = new Dictionary<(string Type, string Name), long>();
        using (SqliteStatement select = archive.PrepareOnce("SELECT type, id, name FROM _repos_fields"))
        {
            while (select.Step())
            {
                string type = select.ColumnText(0);
                long id = select.ColumnInt64(1);
                string name = select.ColumnText(2);
                names[(type, id)] = name;
                ids[(type, name)] = id;
            }
        }

        using SqliteStatement fields = source.PrepareOnce("SELECT type, id, name, clr_type, retired FROM _repos_fields");
        using SqliteStatement insert = archive.PrepareOnce("INSERT INTO _repos_fields(type, id, name, clr_type, retired) VALUES(?1, ?2, ?3, ?4, ?5)");
        while (fields.Step())
        {
            string type = fields.ColumnText(0);
            long id = fields.ColumnInt64(1);
            string name = fields.ColumnText(2);
            if (names.TryGetValue((type, id), out string? archived))
            {
                if (archived != name)
                {
                    throw Disagree(path, type, name, id, $"holds {archived} there");
                }

                continue;
            }

            if (ids.TryGetValue((type, name), out long other))
            {
                throw Disagree(path, type, name, id, $"is field {other} there");
            }

            RowCopy.Bind(fields, insert, 5);
            insert.Execute();
        }
    }

    private static ReposSchemaException Disagree(string path, string type, string name, long id, string there) =>
        new($"The archive '{path}' numbers the fields of {type} differently from the database: field {id} is {name} in the database and {there}. Rows copied as stored would be misread; archive into a new file.");

    private static void DeleteFile(string path)
    {
        foreach (string file in (ReadOnlySpan<string>)[path, path + "-wal", path + "-shm"])
        {
            try
            {
                File.Delete(file);
            }
            catch (IOException)
            {
                // Left behind: an empty archive does no harm, and the error that matters is the one being thrown.
            }
        }
    }
}
