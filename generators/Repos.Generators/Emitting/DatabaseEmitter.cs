using System.Linq;
using Repos.Generators.Model;
using Repos.Generators.Parsing;

namespace Repos.Generators.Emitting;

/// <summary>Emits a database class's part: one repository property per entity, <c>OpenAsync</c> and <c>RestoreAsync</c>.</summary>
internal static class DatabaseEmitter
{
    public static string Emit(DatabaseSpec spec)
    {
        SourceWriter w = Emitting.Emit.Start(spec.Namespace);
        w.Line(Emitting.Emit.GeneratedCode);
        string name = Naming.Escape(spec.Name);
        using (w.Block($"partial class {name} : global::Repos.ReposDatabase"))
        {
            if (!spec.HasConstructor)
            {
                w.Line($"private {name}()");
                w.Line("{");
                w.Line("}");
                w.Line();
            }

            foreach (DatabaseEntitySpec entity in spec.Entities)
            {
                w.Line($"/// <summary>The <see cref=\"global::{entity.FullName}\"/> entities.</summary>");
                w.Line($"{(entity.IsPublic ? "public" : "internal")} global::{Qualified(entity, entity.RepositoryName)} {Naming.Escape(entity.PropertyName)} {{ get; private set; }} = null!;");
                w.Line();
            }

            string definitions = string.Join(", ", spec.Entities.Select(e => $"global::{Qualified(e, e.Name + Naming.DefinitionSuffix)}.Instance"));
            w.Line("/// <summary>");
            w.Line("/// The entities and version this database stores, for tools that work on its files without opening them");
            w.Line("/// (such as <see cref=\"global::Repos.Recovery.ReposRecovery\"/>, when a damaged file's catalog is lost).");
            w.Line("/// </summary>");
            w.Line($"public static global::Repos.ReposModel Model {{ get; }} = new(new global::Repos.Internal.EntityDefinition[] {{ {definitions} }}, {spec.Version});");
            w.Line();

            if (spec.Version > 1)
            {
                EmitMigrations(w, spec);
            }

            w.Line("/// <summary>");
            w.Line("/// Opens (or creates) the database file at <paramref name=\"path\"/>, bringing its catalog and tables");
            w.Line("/// in line with the compiled model and migrating an older file, in one transaction.");
            w.Line("/// </summary>");
            w.Line("/// <param name=\"path\">The database file; its folder is created if missing.</param>");
            w.Line("/// <param name=\"options\">How to open it, or null for the defaults.</param>");
            w.Line("/// <param name=\"cancellationToken\">Cancels the open; a migration stops and changes nothing.</param>");
            w.Line("/// <returns>The open database; dispose it to close the file.</returns>");
            using (w.Block($"public static async global::System.Threading.Tasks.ValueTask<{name}> OpenAsync(string path, global::Repos.ReposDatabaseOptions? options = null, global::System.Threading.CancellationToken cancellationToken = default)"))
            {
                w.Line($"var database = new {name}();");

                // The repositories exist before the open, for the database's migration steps to use.
                foreach (DatabaseEntitySpec entity in spec.Entities)
                {
                    w.Line($"database.{Naming.Escape(entity.PropertyName)} = new global::{Qualified(entity, entity.RepositoryName)}(database);");
                }

                using (w.Block("try"))
                {
                    w.Line($"await database.OpenCoreAsync(path, options, new global::Repos.Internal.EntityDefinition[] {{ {definitions} }}, {spec.Version}, cancellationToken).ConfigureAwait(false);");
                }

                using (w.Block("catch"))
                {
                    w.Line("await database.DisposeAsync().ConfigureAwait(false);");
                    w.Line("throw;");
                }

                w.Line();
                w.Line("return database;");
            }

            w.Line();
            w.Line("/// <summary>");
            w.Line("/// Restores the backup <paramref name=\"backupId\"/> in the place of this database's file (checked first, swapped in");
            w.Line("/// atomically, the replaced file kept as a backup), which closes this database, and opens the restored file");
            w.Line("/// with the same options: use the database returned from then on.");
            w.Line("/// </summary>");
            w.Line("/// <param name=\"backupId\">The backup's <see cref=\"global::Repos.Backup.BackupInfo.Id\"/>.</param>");
            w.Line("/// <param name=\"cancellationToken\">Cancels the restore until the file is swapped.</param>");
            w.Line("/// <returns>The restored database; dispose it to close the file.</returns>");
            w.Line($"public global::System.Threading.Tasks.ValueTask<{name}> RestoreAsync(string backupId, global::System.Threading.CancellationToken cancellationToken = default) =>");
            w.Line("    RestoreCoreAsync(backupId, OpenAsync, cancellationToken);");
        }

        return w.ToString();
    }

    private static void EmitMigrations(SourceWriter w, DatabaseSpec spec)
    {
        for (int from = 1; from < spec.Version; from++)
        {
            w.Line($"/// <summary>Moves the database's data from version {from} to {from + 1}; runs inside the open's transaction.</summary>");
            w.Line($"private partial global::System.Threading.Tasks.ValueTask MigrateFromVersion{from}Async(global::Repos.Migrations.DatabaseMigration migration, global::System.Threading.CancellationToken cancellationToken);");
            w.Line();
        }

        w.Line("/// <inheritdoc/>");
        using (w.Block("protected override global::System.Threading.Tasks.ValueTask MigrateAsync(int fromVersion, global::Repos.Migrations.DatabaseMigration migration, global::System.Threading.CancellationToken cancellationToken)"))
        {
            w.Line("return fromVersion switch");
            w.Line("{");
            for (int from = 1; from < spec.Version; from++)
            {
                w.Line($"    {from} => MigrateFromVersion{from}Async(migration, cancellationToken),");
            }

            w.Line("    _ => base.MigrateAsync(fromVersion, migration, cancellationToken),");
            w.Line("};");
        }

        w.Line();
    }

    private static string Qualified(DatabaseEntitySpec entity, string name) =>
        entity.Namespace.Length == 0 ? Naming.Escape(name) : Naming.EscapeNamespace(entity.Namespace) + "." + Naming.Escape(name);
}
